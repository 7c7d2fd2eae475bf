import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import type { HypervisorType } from '../topology/model';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, withoutUnresolved } from './_validation';
import { Cluster as ClusterResource } from './imports/providers/netforge/cluster';
import { DataNetforgeCluster } from './imports/providers/netforge/data-netforge-cluster';
import { Host, type HostOptions } from './host';
import type { ICluster, IZone } from './interfaces';
import { L2NetworkBase } from './l2-network-base';

export type { ICluster };

export const HypervisorTypes = { KVM: 'KVM', SIMULATOR: 'Simulator' } as const satisfies Record<string, HypervisorType>;

export interface ClusterProps {
  readonly zone: IZone;
  /** @default the construct id */
  readonly name?: string;
  /** @default KVM */
  readonly hypervisorType?: HypervisorType;
  /** @default '' */
  readonly description?: string;
}

/** A cluster that exists on the server, looked up by name (and zone) at plan time. */
export class ImportedCluster extends DataNetforgeCluster implements ICluster {
  readonly clusterName: string;
  readonly zone?: IZone;

  constructor(scope: Construct, id: string, name: string, zone?: IZone) {
    super(scope, id, { name, zoneUuid: zone?.zoneUuid });
    this.clusterName = name;
    this.zone = zone;
    AppTopology.of(this).register('cluster', this, { name: known(name), zoneUuid: zone ? keyOf(zone, zone.zoneUuid) : undefined }, { complete: false });
  }

  get clusterUuid(): string {
    return this.uuid;
  }
}

/** A cluster of hosts of one hypervisor type. */
export class Cluster extends Construct implements ICluster {
  /** An existing cluster on the server, looked up by name at plan time. */
  static fromName(scope: Construct, id: string, name: string, zone?: IZone): ImportedCluster {
    return new ImportedCluster(scope, id, name, zone);
  }

  readonly clusterUuid: string;
  readonly clusterName: string;
  readonly zone: IZone;
  readonly hypervisorType: HypervisorType;
  readonly resource: ClusterResource;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    const name = props.name ?? id;
    this.zone = props.zone;
    this.hypervisorType = props.hypervisorType ?? HypervisorTypes.KVM;
    const fields = { name, description: props.description, hypervisorType: this.hypervisorType };
    assertValid(this, withoutUnresolved(OBJECTS.cluster.rules?.(fields) ?? [], fields));
    this.resource = new ClusterResource(this, 'Resource', {
      name,
      zoneUuid: props.zone.zoneUuid,
      hypervisorType: this.hypervisorType,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.clusterUuid = this.resource.uuid;
    this.clusterName = name;
    AppTopology.of(this).register(
      'cluster',
      this,
      { name: known(name), zoneUuid: keyOf(props.zone, props.zone.zoneUuid), hypervisorType: known(this.hypervisorType) },
      { complete: true, resource: this.resource },
    );
  }

  /** Adds a host to this cluster. */
  addHost(id: string, options: HostOptions): Host {
    return new Host(this, id, { ...options, cluster: this });
  }

  /** The hosts of this app in the cluster, in the order they were added. */
  get hosts(): Host[] {
    return AppTopology.of(this)
      .constructs('host', { clusterUuid: this.node.path })
      .filter((c): c is Host => c instanceof Host);
  }

  /** The L2 networks of this app attached to the cluster, in attachment order. */
  get attachedL2Networks(): L2NetworkBase[] {
    const topology = AppTopology.of(this);
    return topology.snapshot
      .find({ type: 'l2ClusterAttachment', where: { clusterUuid: this.node.path } })
      .flatMap((a) => {
        const l2 = topology.construct(a.l2NetworkUuid);
        return l2 instanceof L2NetworkBase ? [l2] : [];
      });
  }
}
