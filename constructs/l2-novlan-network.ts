import type { Construct } from 'constructs';
import { L2NovlanNetwork as L2NoVlanResource } from './imports/providers/netforge/l2-novlan-network';
import { L2NetworkBase, type L2NetworkBaseProps } from './l2-network-base';

export type L2NoVlanNetworkProps = L2NetworkBaseProps;

/** An untagged L2 network: a bridge on the physical interface of every attached host. */
export class L2NoVlanNetwork extends L2NetworkBase {
  constructor(scope: Construct, id: string, props: L2NoVlanNetworkProps) {
    super(scope, id, props, 'L2NoVlanNetwork', {}, (self, name) =>
      new L2NoVlanResource(self, 'Resource', { name, zoneUuid: props.zone.zoneUuid, physicalInterface: props.physicalInterface, description: props.description }),
    );
  }
}
