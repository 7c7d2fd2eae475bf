import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import { canonicalManagementIp } from '../topology/rules/hosts';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, validateAtSynth, withoutUnresolved } from './_validation';
import { Host as HostResource } from './imports/providers/netforge/host';
import type { ICluster, IHost } from './interfaces';

export type { IHost };

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

/** A host that exists on the server, by uuid (there is no host data source: nothing is looked up). */
export class ImportedHost extends Construct implements IHost {
  constructor(
    scope: Construct,
    id: string,
    readonly hostUuid: string,
  ) {
    super(scope, id);
  }
}

/** A hypervisor host in a cluster; attached L2 networks are realized on it. */
export class Host extends Construct implements IHost {
  /** A host that already exists on the server, by uuid. */
  static fromHostUuid(scope: Construct, id: string, hostUuid: string): ImportedHost {
    return new ImportedHost(scope, id, hostUuid);
  }

  readonly hostUuid: string;
  readonly resource: HostResource;

  constructor(scope: Construct, id: string, props: HostProps) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description, managementIp: props.managementIp, agentFingerprint: props.agentFingerprint };
    assertValid(this, withoutUnresolved(OBJECTS.host.rules?.(fields) ?? [], fields));
    this.resource = new HostResource(this, 'Resource', {
      name,
      clusterUuid: props.cluster.clusterUuid,
      managementIp: props.managementIp,
      agentFingerprint: props.agentFingerprint,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.hostUuid = this.resource.uuid;
    const ip = known(props.managementIp);
    const topology = AppTopology.of(this);
    const facts = {
      name: known(name),
      clusterUuid: keyOf(props.cluster, props.cluster.clusterUuid),
      managementIp: ip !== undefined ? (canonicalManagementIp(ip) ?? ip) : undefined,
      agentFingerprint: known(props.agentFingerprint ?? null),
    };
    // Against the cluster's hypervisor type, now; two hosts on one address, once the app is complete.
    assertValid(this, topology.checkObject('host', { uuid: this.node.path, ...facts }, { refusal: 'invalid' }));
    topology.register('host', this, facts, { complete: true, resource: this.resource });
    validateAtSynth(this, () => topology.check('host', this, { refusal: 'conflict' }));
  }
}
