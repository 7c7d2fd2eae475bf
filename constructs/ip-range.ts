import { Construct } from 'constructs';
import { checkIpRangeOverlaps, validateIpRange, validateIpRangeEnds } from '../topology/rules/l3';
import { validateName } from '../topology/rules/names';
import { assertValid, isUnresolved, withoutUnresolved } from './_validation';
import { IpRange as IpRangeResource } from './imports/providers/netforge/ip-range';
import { L2NetworkBase } from './l2-network-base';
import type { IL3Network, L3Network } from './l3-network';

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
    const l3 = props.l3Network as Partial<L3Network>;
    const known = !isUnresolved(props.startIp) && !isUnresolved(props.endIp);
    const withinL3 = known && l3.cidr !== undefined && !isUnresolved(l3.cidr) && l3.gateway;
    assertValid(
      this,
      withoutUnresolved(
        [
          ...validateName(name),
          ...(withinL3 ? validateIpRange(props, { cidr: l3.cidr!, gateway: l3.gateway! }) : known ? validateIpRangeEnds(props) : []),
        ],
        fields,
      ),
    );
    if (l3.ipRanges) {
      if (known) {
        // Rule 12: no overlap with ranges of any L3 on the same L2 network in this app.
        const l3s = l3.l2Network instanceof L2NetworkBase ? l3.l2Network.l3Networks : [l3 as L3Network];
        const others = l3s.flatMap((n) => n.ipRanges).filter((r) => !isUnresolved(r.startIp) && !isUnresolved(r.endIp));
        assertValid(this, checkIpRangeOverlaps(props, others.map((r) => ({ uuid: r.node.path, name: r.rangeName, startIp: r.startIp, endIp: r.endIp }))));
      }
      // Tracked even with token ends: VMs and DHCP attachments depend on every range.
      l3.ipRanges.push(this);
    }
    this.resource = new IpRangeResource(this, 'Resource', { l3NetworkUuid: props.l3Network.l3NetworkUuid, name, startIp: props.startIp, endIp: props.endIp });
    this.node.defaultChild = this.resource;
    this.ipRangeUuid = this.resource.uuid;
  }
}
