import { Construct } from 'constructs';
import { validateAgentFingerprint, validateManagementIp } from '../topology/rules/hosts';
import { validateDescription, validateName } from '../topology/rules/names';
import { assertValid, isUnresolved, withoutUnresolved } from './_validation';
import { Host as HostResource } from './imports/providers/netforge/host';
import type { Cluster, ICluster } from './cluster';

/** A hypervisor host. */
export interface IHost {
  readonly hostUuid: string;
}

export interface HostOptions {
  /** Address the server (or its agent client) reaches the host at. */
  readonly managementIp: string;
  /**
   * KVM hosts: sha256:<hex> of the host agent's certificate, as `netforge agent` prints it;
   * the server talks to no other agent at that address.
   * @default none (Simulator hosts)
   */
  readonly agentFingerprint?: string;
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
    const fields = { name, description: props.description, managementIp: props.managementIp, agentFingerprint: props.agentFingerprint };
    const hypervisorType = 'hypervisorType' in props.cluster ? (props.cluster as Cluster).hypervisorType : undefined;
    assertValid(
      this,
      withoutUnresolved(
        [
          ...validateName(name),
          ...validateDescription(props.description),
          ...validateManagementIp(props.managementIp),
          ...(hypervisorType && !isUnresolved(hypervisorType) ? validateAgentFingerprint(props.agentFingerprint, hypervisorType) : []),
        ],
        fields,
      ),
    );
    this.resource = new HostResource(this, 'Resource', {
      name,
      clusterUuid: props.cluster.clusterUuid,
      managementIp: props.managementIp,
      agentFingerprint: props.agentFingerprint,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.hostUuid = this.resource.uuid;
    if ('hosts' in props.cluster) (props.cluster as Cluster).hosts.push(this);
  }
}
