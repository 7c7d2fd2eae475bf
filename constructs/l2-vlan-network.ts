import type { Construct } from 'constructs';
import { L2VlanNetwork as L2VlanResource } from './imports/providers/netforge/l2-vlan-network';
import { L2NetworkBase, type L2NetworkBaseProps } from './l2-network-base';

export interface L2VlanNetworkProps extends L2NetworkBaseProps {
  /** 802.1Q VLAN id, 1-4094. */
  readonly vlan: number;
}

/** A VLAN network: a VLAN device <iface>.<vlan> plus a bridge on every attached host. */
export class L2VlanNetwork extends L2NetworkBase {
  constructor(scope: Construct, id: string, props: L2VlanNetworkProps) {
    super(scope, id, props, 'L2VlanNetwork', { vlan: props.vlan }, (self, name) =>
      new L2VlanResource(self, 'Resource', {
        name,
        zoneUuid: props.zone.zoneUuid,
        physicalInterface: props.physicalInterface,
        vlan: props.vlan,
        description: props.description,
      }),
    );
  }
}
