import { Construct } from 'constructs';
import { validateManagementIp } from '../topology/rules/hosts';
import { validateDescription, validateName } from '../topology/rules/names';
import { assertValid, withoutUnresolved } from './_validation';
import { Host as HostResource } from './imports/providers/netforge/host';
import type { Cluster, ICluster } from './cluster';

/** A hypervisor host. */
export interface IHost {
  readonly hostUuid: string;
}

export interface HostOptions {
  /** Address the server (or its agent client) reaches the host at. */
  readonly managementIp: string;
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

export interface HostProps extends HostOptions {
  readonly cluster: ICluster;
}

export class Host extends Construct implements IHost {
  /** A host that already exists on the server, by uuid. */
  static fromHostUuid(hostUuid: string): IHost {
    return { hostUuid };
  }

  readonly hostUuid: string;
  readonly resource: HostResource;

  constructor(scope: Construct, id: string, props: HostProps) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description, managementIp: props.managementIp };
    assertValid(
      this,
      withoutUnresolved(
        [
          ...validateName(name),
          ...validateDescription(props.description),
          ...validateManagementIp(props.managementIp),
        ],
        fields,
      ),
    );
    this.resource = new HostResource(this, 'Resource', {
      name,
      clusterUuid: props.cluster.clusterUuid,
      managementIp: props.managementIp,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.hostUuid = this.resource.uuid;
    if ('hosts' in props.cluster) (props.cluster as Cluster).hosts.push(this);
  }
}
