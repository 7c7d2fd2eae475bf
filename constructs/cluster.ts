import { Construct } from 'constructs';
import type { HypervisorType } from '../topology/model';
import { validateDescription, validateName } from '../topology/rules/names';
import { assertValid, withoutUnresolved } from './_validation';
import { Cluster as ClusterResource } from './imports/providers/netforge/cluster';
import { DataNetforgeCluster } from './imports/providers/netforge/data-netforge-cluster';
import { Host, type HostOptions } from './host';
import type { IZone } from './zone';
import type { L2NetworkBase } from './l2-network-base';

export const HypervisorTypes = { KVM: 'KVM', SIMULATOR: 'Simulator' } as const satisfies Record<string, HypervisorType>;

/** A cluster of hosts of one hypervisor type. */
export interface ICluster {
  readonly clusterUuid: string;
  readonly clusterName: string;
  readonly zone?: IZone;
}

export interface ClusterProps {
  readonly zone: IZone;
  /** @default the construct id */
  readonly name?: string;
  /** @default KVM */
  readonly hypervisorType?: HypervisorType;
  /** @default '' */
  readonly description?: string;
}

export class Cluster extends Construct implements ICluster {
  /** An existing cluster on the server, looked up by name at plan time. */
  static fromName(scope: Construct, id: string, name: string, zone?: IZone): ICluster {
    const data = new DataNetforgeCluster(scope, id, { name, zoneUuid: zone?.zoneUuid });
    return { clusterUuid: data.uuid, clusterName: name, zone };
  }

  readonly clusterUuid: string;
  readonly clusterName: string;
  readonly zone: IZone;
  readonly hypervisorType: HypervisorType;
  readonly resource: ClusterResource;
  readonly hosts: Host[] = [];
  /** L2 networks of this stack attached to the cluster (for synth-time attach rules). */
  readonly attachedL2Networks: L2NetworkBase[] = [];

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description };
    assertValid(this, withoutUnresolved([...validateName(name), ...validateDescription(props.description)], fields));
    this.zone = props.zone;
    this.hypervisorType = props.hypervisorType ?? HypervisorTypes.KVM;
    this.resource = new ClusterResource(this, 'Resource', {
      name,
      zoneUuid: props.zone.zoneUuid,
      hypervisorType: this.hypervisorType,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.clusterUuid = this.resource.uuid;
    this.clusterName = name;
  }

  /** Adds a host to this cluster. */
  addHost(id: string, options: HostOptions): Host {
    return new Host(this, id, { ...options, cluster: this });
  }
}
