import type { Construct } from 'constructs';
import { L2VxlanNetwork as L2VxlanResource } from './imports/providers/netforge/l2-vxlan-network';
import { L2NetworkBase, type L2NetworkBaseProps } from './l2-network-base';

export interface L2VxlanNetworkProps extends L2NetworkBaseProps {
  /** VXLAN network identifier, 1-16777214, unique in the zone. */
  readonly vni: number;
}

/** A VXLAN overlay network over the interface's underlay address, plus a bridge. */
export class L2VxlanNetwork extends L2NetworkBase {
  constructor(scope: Construct, id: string, props: L2VxlanNetworkProps) {
    super(scope, id, props, 'L2VxlanNetwork', { vni: props.vni }, (self, name) =>
      new L2VxlanResource(self, 'Resource', {
        name,
        zoneUuid: props.zone.zoneUuid,
        physicalInterface: props.physicalInterface,
        vni: props.vni,
        description: props.description,
      }),
    );
  }
}
