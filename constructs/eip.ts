import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import { needsServiceOnNic, NIC_PROP_NAMES, nicFacts, type NicOptions } from './_nic';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, withoutUnresolved, withPropNames } from './_validation';
import { Eip as EipResource } from './imports/providers/netforge/eip';
import type { IVip } from './interfaces';

export interface EipProps extends NicOptions {
  /** The VIP: it serves this EIP only (no other EIP, no port forwarding). */
  readonly vip: IVip;
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

/**
 * A VIP bound to a VM NIC: traffic to the VIP reaches the NIC's address, traffic from the NIC
 * leaves with the VIP as source. The NIC's L3 network needs the EIP service (a virtual router
 * whose public network is the VIP's).
 */
export class Eip extends Construct {
  readonly eipUuid: string;
  /** The VIP's address (known after apply). */
  readonly vipIp: string;
  /** The NIC's address (known after apply). */
  readonly guestIp: string;
  readonly resource: EipResource;

  constructor(scope: Construct, id: string, props: EipProps) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description };
    const topology = AppTopology.of(this);
    const facts = { name: known(name), vipUuid: keyOf(props.vip, props.vip.vipUuid), ...nicFacts(props) };
    // Against the VM's NICs and the EIPs and forwarding rules made before; the service at synth.
    assertValid(this, [
      ...withoutUnresolved(OBJECTS.eip.rules?.(fields) ?? [], fields),
      ...withPropNames(topology.checkObject('eip', { uuid: this.node.path, ...facts }, { rules: ['nicExists', 'vipAvailable', 'oneEipPerNic'] }), NIC_PROP_NAMES),
    ]);
    this.resource = new EipResource(this, 'Resource', {
      name,
      vipUuid: props.vip.vipUuid,
      vmInstanceUuid: props.vm.vmInstanceUuid,
      l3NetworkUuid: props.l3Network?.l3NetworkUuid,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.eipUuid = this.resource.uuid;
    this.vipIp = this.resource.vipIp;
    this.guestIp = this.resource.guestIp;
    topology.register('eip', this, facts, { complete: true, resource: this.resource });
    needsServiceOnNic(this, 'eip', 'EIPAttached', 'EIP', this.resource, props);
  }
}
