import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import type { L2Type } from '../topology/model';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, validateAtSynth, withoutUnresolved } from './_validation';
import { DataNetforgeL2Network } from './imports/providers/netforge/data-netforge-l2-network';
import { L2NetworkClusterAttachment } from './imports/providers/netforge/l2-network-cluster-attachment';
import type { ICluster, IL2Network, IZone } from './interfaces';
import { L3Network } from './l3-network';

export type { IL2Network };

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

/** An L2 network of any type that exists on the server, looked up by name (and zone) at plan time. */
export class ImportedL2Network extends DataNetforgeL2Network implements IL2Network {
  readonly l2NetworkName: string;

  constructor(scope: Construct, id: string, name: string, zone?: IZone) {
    super(scope, id, { name, zoneUuid: zone?.zoneUuid });
    this.l2NetworkName = name;
    AppTopology.of(this).register('l2Network', this, { name: known(name), zoneUuid: zone ? keyOf(zone, zone.zoneUuid) : undefined }, { complete: false });
  }

  get l2NetworkUuid(): string {
    return this.uuid;
  }
}

/** What the L2 types share: attachment to clusters and the rules that go with it. */
export abstract class L2NetworkBase extends Construct implements IL2Network {
  /** An existing L2 network of any type on the server, looked up by name (and zone) at plan time. */
  static fromName(scope: Construct, id: string, name: string, zone?: IZone): ImportedL2Network {
    return new ImportedL2Network(scope, id, name, zone);
  }

  readonly l2Type: L2Type;
  readonly l2NetworkUuid: string;
  readonly l2NetworkName: string;
  readonly zone: IZone;
  readonly physicalInterface: string;
  readonly vlan: number | null;
  readonly vni: number | null;
  private readonly attachmentsByCluster = new Map<ICluster, L2NetworkClusterAttachment>();

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
    this.l2Type = type;
    this.zone = props.zone;
    this.physicalInterface = props.physicalInterface;
    this.vlan = ids.vlan ?? null;
    this.vni = ids.vni ?? null;
    const fields = { name, description: props.description, physicalInterface: props.physicalInterface, ...ids };
    assertValid(this, withoutUnresolved(OBJECTS.l2Network.rules?.({ type, ...fields }) ?? [], fields));
    const resource = makeResource(this, name);
    this.node.defaultChild = resource;
    this.l2NetworkUuid = resource.uuid;
    this.l2NetworkName = name;
    const topology = AppTopology.of(this);
    topology.register(
      'l2Network',
      this,
      {
        name: known(name),
        zoneUuid: keyOf(props.zone, props.zone.zoneUuid),
        type,
        physicalInterface: known(props.physicalInterface),
        vlan: known(this.vlan),
        vni: known(this.vni),
      },
      { complete: true },
    );
    // Unique VNIs in the zone, among the networks of the whole app: reported on each.
    validateAtSynth(this, () => topology.check('l2Network', this));
    for (const cluster of props.attachedClusters ?? []) this.attachToCluster(cluster);
  }

  /**
   * Attaches the network to a cluster: at deploy it is realized on every host of the
   * cluster. Conflicts with L2 networks this app already attached there fail now.
   */
  attachToCluster(cluster: ICluster): L2NetworkClusterAttachment {
    const existing = this.attachmentsByCluster.get(cluster);
    if (existing) return existing;
    // Clusters in different scopes may share an id (or looked-up ones a name): suffix a count then.
    const baseId = cluster instanceof Construct ? `Attachment-${cluster.node.id}` : `Attachment-${cluster.clusterName}`;
    let id = baseId;
    for (let n = 2; this.node.tryFindChild(id); n++) id = `${baseId}-${n}`;
    const topology = AppTopology.of(this);
    const link = { l2NetworkUuid: this.node.path, clusterUuid: keyOf(cluster, cluster.clusterUuid) };
    // Checked before the attachment exists: a refused attach leaves nothing behind.
    assertValid(this, topology.checkObject('l2ClusterAttachment', { uuid: `${this.node.path}/${id}`, ...link }));
    const attachment = new L2NetworkClusterAttachment(this, id, { l2NetworkUuid: this.l2NetworkUuid, clusterUuid: cluster.clusterUuid });
    topology.register('l2ClusterAttachment', attachment, link, { complete: true, resource: attachment });
    this.attachmentsByCluster.set(cluster, attachment);
    return attachment;
  }

  /** This app's attachments of the network, by cluster, in the order they were made. */
  get attachments(): ReadonlyMap<ICluster, L2NetworkClusterAttachment> {
    return this.attachmentsByCluster;
  }

  /** The L3 networks of this app on the network, in the order they were made. */
  get l3Networks(): L3Network[] {
    return AppTopology.of(this)
      .constructs('l3Network', { l2NetworkUuid: this.node.path })
      .filter((c): c is L3Network => c instanceof L3Network);
  }

  /** Clusters this app attaches the network to. */
  get attachedClusters(): ICluster[] {
    return [...this.attachmentsByCluster.keys()];
  }
}
