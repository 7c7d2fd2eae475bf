import { Construct } from 'constructs';
import type { L2Network, L2Type } from '../topology/model';
import { checkL2Attach, validateL2Spec } from '../topology/rules/l2';
import { validateDescription, validateName } from '../topology/rules/names';
import { assertValid, isUnresolved, withoutUnresolved } from './_validation';
import { Cluster, type ICluster } from './cluster';
import { L2NetworkClusterAttachment } from './imports/providers/netforge/l2-network-cluster-attachment';
import { Zone, type IZone } from './zone';
import type { L3Network } from './l3-network';

/** An L2 network: a broadcast domain on a physical interface. */
export interface IL2Network {
  readonly l2NetworkUuid: string;
  readonly l2NetworkName: string;
}

export interface L2NetworkBaseProps {
  readonly zone: IZone;
  /** Host interface the network rides on, e.g. eth0 (1-15 characters). */
  readonly physicalInterface: string;
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
  /**
   * Clusters to attach to; each becomes a cluster-attachment resource.
   * @default none (see attachToCluster)
   */
  readonly attachedClusters?: readonly ICluster[];
}

interface TypedL2Resource extends Construct {
  readonly uuid: string;
}

/** What the L2 types share: attachment to clusters and the rules that go with it. */
export abstract class L2NetworkBase extends Construct implements IL2Network {
  abstract readonly l2Type: L2Type;
  readonly l2NetworkUuid: string;
  readonly l2NetworkName: string;
  readonly zone: IZone;
  readonly physicalInterface: string;
  readonly vlan: number | null;
  readonly vni: number | null;
  /** Attachments by cluster, in the order they were made. */
  readonly attachments = new Map<ICluster, L2NetworkClusterAttachment>();
  /** L3 networks of this stack on this L2 (for overlap rules). */
  readonly l3Networks: L3Network[] = [];
  /**
   * The type as the rules see it. `l2Type` is a subclass field, still undefined while this
   * constructor attaches `attachedClusters`, so the attach rules read this instead.
   */
  private readonly typeForRules: L2Type;

  protected constructor(
    scope: Construct,
    id: string,
    props: L2NetworkBaseProps,
    type: L2Type,
    ids: { vlan?: number; vni?: number },
    makeResource: (scope: Construct, name: string) => TypedL2Resource,
  ) {
    super(scope, id);
    const name = props.name ?? id;
    this.typeForRules = type;
    this.zone = props.zone;
    this.physicalInterface = props.physicalInterface;
    this.vlan = ids.vlan ?? null;
    this.vni = ids.vni ?? null;
    const fields = { name, description: props.description, physicalInterface: props.physicalInterface, ...ids };
    assertValid(
      this,
      withoutUnresolved([...validateName(name), ...validateDescription(props.description), ...validateL2Spec({ type, ...fields })], fields),
    );
    const resource = makeResource(this, name);
    this.node.defaultChild = resource;
    this.l2NetworkUuid = resource.uuid;
    this.l2NetworkName = name;
    for (const cluster of props.attachedClusters ?? []) this.attachToCluster(cluster);
  }

  /** As the rules see this network (the construct path stands in for the uuid). */
  inventory(): Pick<L2Network, 'uuid' | 'name' | 'zoneUuid' | 'type' | 'physicalInterface' | 'vlan' | 'vni'> {
    return { uuid: this.node.path, name: this.l2NetworkName, zoneUuid: this.zone.zoneUuid, type: this.typeForRules, physicalInterface: this.physicalInterface, vlan: this.vlan, vni: this.vni };
  }

  /**
   * Attaches the network to a cluster: at deploy it is realized on every host of the
   * cluster. Conflicts with L2 networks this stack already attached there fail now.
   */
  attachToCluster(cluster: ICluster): L2NetworkClusterAttachment {
    const existing = this.attachments.get(cluster);
    if (existing) return existing;
    if (cluster instanceof Cluster) {
      const sameZoneKnown = this.zone instanceof Zone && cluster.zone instanceof Zone;
      const clusterInventory = { uuid: cluster.node.path, name: cluster.clusterName, zoneUuid: sameZoneKnown ? cluster.zone.zoneUuid : this.zone.zoneUuid };
      const others = cluster.attachedL2Networks.filter((l2) => !isUnresolved(l2.physicalInterface) && !isUnresolved(l2.vlan)).map((l2) => l2.inventory());
      assertValid(this, checkL2Attach(this.inventory(), clusterInventory, others));
      cluster.attachedL2Networks.push(this);
    }
    // Clusters in different scopes may share an id (or looked-up ones a name): suffix a count then.
    const baseId = cluster instanceof Construct ? `Attachment-${cluster.node.id}` : `Attachment-${cluster.clusterName}`;
    let id = baseId;
    for (let n = 2; this.node.tryFindChild(id); n++) id = `${baseId}-${n}`;
    const attachment = new L2NetworkClusterAttachment(this, id, { l2NetworkUuid: this.l2NetworkUuid, clusterUuid: cluster.clusterUuid });
    this.attachments.set(cluster, attachment);
    return attachment;
  }

  /** Clusters this stack attaches the network to. */
  get attachedClusters(): ICluster[] {
    return [...this.attachments.keys()];
  }
}
