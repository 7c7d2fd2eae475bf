import { Construct } from 'constructs';
import type { TerraformResource } from 'cdktf';
import { OBJECTS } from '../contract/objects';
import { hostnameFromName } from '../topology/dns-names';
import { placementFor } from '../topology/evaluator';
import { violation } from '../topology/violation';
import { dependOnAtSynth } from './_dependencies';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, isUnresolved, validateAtSynth, withoutUnresolved } from './_validation';
import { VmInstance as VmInstanceResource } from './imports/providers/netforge/vm-instance';
import type { IHost, IL3Network, IVmInstance } from './interfaces';

export type { IVmInstance };

export interface VmInstanceProps {
  /** One NIC (and IP) per L3 network, in order. */
  readonly l3Networks: readonly IL3Network[];
  /** @default the construct id */
  readonly name?: string;
  /**
   * Its DNS name on its L3 networks and the name DHCP gives it: one lower-case label.
   * @default the name in lower case, other characters made '-'
   */
  readonly hostname?: string;
  /**
   * The host it runs on; it must be in a cluster that carries every L2 network under its L3
   * networks. Changing it replaces the VM.
   * @default placed by the server on the eligible host with the fewest VMs
   */
  readonly host?: IHost;
}

/**
 * A VM: placed by the server on a host whose cluster carries every L2 network under its L3
 * networks. Created after those attachments, ranges and hosts exist.
 */
export class VmInstance extends Construct implements IVmInstance {
  readonly vmInstanceUuid: string;
  /** The host given, else where placement put it (known after apply). */
  readonly hostUuid: string;
  /** One address per NIC (known after apply). */
  readonly ipAddresses: string[];
  readonly resource: VmInstanceResource;

  constructor(scope: Construct, id: string, props: VmInstanceProps) {
    super(scope, id);
    const name = props.name ?? id;
    const topology = AppTopology.of(this);
    const l3Keys = props.l3Networks.map((n) => keyOf(n, n.l3NetworkUuid));
    // The host name the server will give it: the one given, else the name made a label.
    const hostname = props.hostname ?? (isUnresolved(name) ? undefined : (hostnameFromName(name) ?? undefined));
    const facts = { name: known(name), l3NetworkUuids: l3Keys, hostname: known(hostname), ...(props.host ? { hostUuid: keyOf(props.host, props.host.hostUuid) } : {}) };
    const fields = { name, hostname: props.hostname };
    assertValid(this, [
      ...withoutUnresolved(OBJECTS.vmInstance.rules?.(fields) ?? [], fields),
      ...(props.l3Networks.length === 0 ? [violation('NO_L3_NETWORKS', 'l3Networks', 'a VM needs at least one L3 network')] : []),
      ...topology.checkObject('vmInstance', { uuid: this.node.path, ...facts }, { rules: ['l3sDistinct', 'hostnameUnique'] }),
    ]);
    this.resource = new VmInstanceResource(this, 'Resource', {
      name,
      l3NetworkUuids: props.l3Networks.map((n) => n.l3NetworkUuid),
      hostname: props.hostname,
      hostUuid: props.host?.hostUuid,
    });
    this.node.defaultChild = this.resource;
    this.vmInstanceUuid = this.resource.uuid;
    this.hostUuid = this.resource.hostUuid;
    this.ipAddresses = this.resource.ipAddresses;
    topology.register('vmInstance', this, facts, { complete: true, resource: this.resource });

    // Rule 19 at synth, where the app says enough: some cluster must carry every L2 and have hosts.
    // (Named after this construct's props, l3Networks and host.)
    const propOf: Record<string, string> = { l3NetworkUuids: 'l3Networks', hostUuid: 'host' };
    validateAtSynth(this, () => topology.check('vmInstance', this, { rules: ['placement'] }).map((v) => ({ ...v, path: propOf[v.path] ?? v.path })));
    dependOnAtSynth(this.resource, () => {
      const l2Keys = l3Keys.flatMap((k) => {
        const l2 = topology.snapshot.get('l3Network', k)?.l2NetworkUuid;
        return l2 && !isUnresolved(l2) ? [l2] : [];
      });
      const deps: TerraformResource[] = [];
      for (const l2 of l2Keys) deps.push(...topology.resources(topology.snapshot.find({ type: 'l2ClusterAttachment', where: { l2NetworkUuid: l2 } }).map((a) => a.uuid)));
      for (const l3 of l3Keys) deps.push(...topology.resources(topology.snapshot.find({ type: 'ipRange', where: { l3NetworkUuid: l3 } }).map((r) => r.uuid)));
      if (l2Keys.length === l3Keys.length) deps.push(...topology.resources(placementFor(topology.snapshot, [...new Set(l2Keys)]).hosts.map((h) => h.uuid)));
      return deps;
    });
  }
}
