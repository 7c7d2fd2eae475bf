import type { Construct } from 'constructs';
import { checkVniUnique } from '../topology/rules/l2';
import { isUnresolved, validateAtSynth } from './_validation';
import { L2VxlanNetwork as L2VxlanResource } from './imports/providers/netforge/l2-vxlan-network';
import { L2NetworkBase, type L2NetworkBaseProps } from './l2-network-base';
import { Zone } from './zone';

export interface L2VxlanNetworkProps extends L2NetworkBaseProps {
  /** VXLAN network identifier, 1-16777214, unique in the zone. */
  readonly vni: number;
}

/** A VXLAN overlay network over the interface's underlay address, plus a bridge. */
export class L2VxlanNetwork extends L2NetworkBase {
  readonly l2Type = 'L2VxlanNetwork' as const;

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
    // VNI unique within the zone, among the VXLAN networks of this app (rule 6).
    validateAtSynth(this, () => {
      if (!(this.zone instanceof Zone) || isUnresolved(this.vni)) return [];
      const others = this.node.root.node
        .findAll()
        .filter((c): c is L2VxlanNetwork => c instanceof L2VxlanNetwork && c !== this && c.zone === this.zone && !isUnresolved(c.vni))
        .map((c) => c.inventory());
      return checkVniUnique(this.inventory(), others);
    });
  }
}
