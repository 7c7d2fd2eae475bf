import { Construct } from 'constructs';
import type { TerraformResource } from 'cdktf';
import { checkVmL3Networks } from '../topology/rules/placement';
import { validateName } from '../topology/rules/names';
import { violation } from '../topology/violation';
import { dependOnAtSynth } from './_dependencies';
import { assertValid, isUnresolved, validateAtSynth } from './_validation';
import { Cluster, type ICluster } from './cluster';
import { VmInstance as VmInstanceResource } from './imports/providers/netforge/vm-instance';
import { L2NetworkBase } from './l2-network-base';
import { L3Network, type IL3Network } from './l3-network';

export interface VmInstanceProps {
  /** One NIC (and IP) per L3 network, in order. */
  readonly l3Networks: readonly IL3Network[];
  /** @default the construct id */
  readonly name?: string;
}

/**
 * A VM: placed by the server on a host whose cluster carries every L2 network under its L3
 * networks. Created after those attachments, ranges and hosts exist.
 */
export class VmInstance extends Construct {
  readonly vmInstanceUuid: string;
  /** Where placement put it (known after apply). */
  readonly hostUuid: string;
  /** One address per NIC (known after apply). */
  readonly ipAddresses: string[];
  readonly resource: VmInstanceResource;

  constructor(scope: Construct, id: string, props: VmInstanceProps) {
    super(scope, id);
    const name = props.name ?? id;
    const l3s = props.l3Networks.filter((n): n is L3Network => n instanceof L3Network);
    assertValid(this, [
      ...(isUnresolved(name) ? [] : validateName(name)),
      ...(props.l3Networks.length === 0 ? [violation('NO_L3_NETWORKS', 'l3Networks', 'a VM needs at least one L3 network')] : []),
      ...checkVmL3Networks(l3s.filter((l3) => !isUnresolved(l3.cidr)).map((l3) => ({ uuid: l3.node.path, name: l3.l3NetworkName, cidr: l3.cidr }))),
    ]);
    this.resource = new VmInstanceResource(this, 'Resource', { name, l3NetworkUuids: props.l3Networks.map((n) => n.l3NetworkUuid) });
    this.node.defaultChild = this.resource;
    this.vmInstanceUuid = this.resource.uuid;
    this.hostUuid = this.resource.hostUuid;
    this.ipAddresses = this.resource.ipAddresses;

    const l2s = l3s.map((l3) => l3.l2Network).filter((l2): l2 is L2NetworkBase => l2 instanceof L2NetworkBase);
    const fullyKnown = l3s.length === props.l3Networks.length && l2s.length === l3s.length;
    // Rule 19 at synth, when every L2 was defined in this app: some cluster must carry them all.
    const eligibleClusters = (): ICluster[] =>
      l2s.reduce<ICluster[]>((acc, l2, i) => (i === 0 ? l2.attachedClusters : acc.filter((c) => l2.attachments.has(c))), []);
    if (fullyKnown) {
      validateAtSynth(this, () => {
        const clusters = eligibleClusters();
        const names = [...new Set(l2s.map((l2) => `'${l2.l2NetworkName}'`))].join(', ');
        if (clusters.length === 0) return [violation('NO_ELIGIBLE_HOST', 'l3Networks', `no cluster in this app is attached to every L2 network of the VM (${names})`)];
        if (clusters.every((c) => c instanceof Cluster && c.hosts.length === 0)) {
          return [violation('NO_ELIGIBLE_HOST', 'l3Networks', `the clusters attached to ${names} have no hosts in this app`)];
        }
        return [];
      });
    }
    dependOnAtSynth(this.resource, () => {
      const deps: TerraformResource[] = [];
      for (const l2 of l2s) deps.push(...l2.attachments.values());
      for (const l3 of l3s) deps.push(...l3.ipRanges.map((r) => r.resource));
      for (const c of eligibleClusters()) if (c instanceof Cluster) deps.push(...c.hosts.map((h) => h.resource));
      return deps;
    });
  }
}
