import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import { uniqueViolations } from '../topology/evaluator';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, withoutUnresolved } from './_validation';
import { IpRange as IpRangeResource } from './imports/providers/netforge/ip-range';
import type { IL3Network } from './interfaces';

export interface IpRangeOptions {
  readonly startIp: string;
  readonly endIp: string;
  /** @default the construct id */
  readonly name?: string;
}

export interface IpRangeProps extends IpRangeOptions {
  readonly l3Network: IL3Network;
}

/** Allocatable addresses of an L3 network. */
export class IpRange extends Construct {
  readonly ipRangeUuid: string;
  readonly startIp: string;
  readonly endIp: string;
  readonly rangeName: string;
  readonly resource: IpRangeResource;

  constructor(scope: Construct, id: string, props: IpRangeProps) {
    super(scope, id);
    const name = props.name ?? id;
    this.startIp = props.startIp;
    this.endIp = props.endIp;
    this.rangeName = name;
    const fields = { name, startIp: props.startIp, endIp: props.endIp };
    const topology = AppTopology.of(this);
    const facts = { name: known(name), l3NetworkUuid: keyOf(props.l3Network, props.l3Network.l3NetworkUuid), startIp: known(props.startIp), endIp: known(props.endIp) };
    // Its own ends, inside its L3 network, and no overlap with ranges made before on the same L2 (rules 8-12).
    const subject = { uuid: this.node.path, ...facts };
    const own = withoutUnresolved(OBJECTS.ipRange.rules?.(fields) ?? [], fields);
    assertValid(this, uniqueViolations([...own, ...topology.checkObject('ipRange', subject, { refusal: 'invalid' })]));
    assertValid(this, topology.checkObject('ipRange', subject, { refusal: 'conflict' }));
    this.resource = new IpRangeResource(this, 'Resource', { l3NetworkUuid: props.l3Network.l3NetworkUuid, name, startIp: props.startIp, endIp: props.endIp });
    this.node.defaultChild = this.resource;
    this.ipRangeUuid = this.resource.uuid;
    // Registered even with token ends: VMs and DHCP attachments depend on every range.
    topology.register('ipRange', this, facts, { complete: true, resource: this.resource });
  }
}
