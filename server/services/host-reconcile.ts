/**
 * Bringing a host in line with the database (ZStack's host reconnect): on server start for
 * every connected host, when a host reconnects, and when one joins a cluster. First what
 * the host has of netforge's that no row explains is removed (left by a crash mid-attach,
 * or by changes made while the host was away), then every L2 attached to its cluster is
 * realized, the appliances of the network service endpoints placed on it (virtual routers,
 * flat DHCP servers) started and their services applied, and every VM placed on it started
 * (after the services, so a VM that asks DHCP finds its lease), and its security group
 * filter applied, each idempotent. A failure
 * undoes what this reconcile created, and nothing that was there before, and names the host.
 */
import type { DesiredHostState, HostFirewall, HostTarget, Realization } from '../extension/points';
import { runBounded } from '../flows/run-bounded';
import * as M from '../db/models';
import type { Op, ServerParts } from './context';
import { applyEndpoint, applyFirewall, destroyVm, realizeL2, removeEndpoint, removeOrphans, startVm, undoL2 } from './host-effects';
import { EMPTY_FIREWALL, hostFirewallOf, hostFirewalls } from './host-firewalls';
import { hostInventory } from './inventory';
import { loadL2, mustFind } from './lookups';
import { servicePlaneOf, type PlacedEndpoint } from './service-plane';
import { instantiateSpec, type VmStart } from './vm-specs';

/** The service endpoints placed on the host: of the L3s its routers serve and its VMs are on. */
async function endpointsOn(host: M.HostRow, vmNics: readonly M.VmNicRow[], op: Op): Promise<PlacedEndpoint[]> {
  const routers = await M.VirtualRouterRow.findAll({ where: { hostUuid: host.uuid }, transaction: op.tx });
  const l3s = [...new Set([...routers.map((r) => r.l3NetworkUuid), ...vmNics.map((n) => n.l3NetworkUuid)])].sort();
  const out: PlacedEndpoint[] = [];
  for (const l3 of l3s) for (const placed of (await servicePlaneOf(l3, op)).endpoints.values()) if (placed.target.host.uuid === host.uuid) out.push(placed);
  return out;
}

/** What the host should carry: its cluster's L2 networks (in attachment order), its service endpoints and its VMs. */
async function desiredState(host: M.HostRow, op: Op): Promise<{ desired: DesiredHostState; vms: VmStart[]; endpoints: PlacedEndpoint[] }> {
  const attachments = await M.L2ClusterAttachmentRow.findAll({ where: { clusterUuid: host.clusterUuid }, order: [['createdAt', 'ASC']], transaction: op.tx });
  const l2s = await Promise.all(attachments.map((a) => loadL2(a.l2NetworkUuid, op)));
  const vms: VmStart[] = [];
  const allNics: M.VmNicRow[] = [];
  for (const vm of await M.VmInstanceRow.findAll({ where: { hostUuid: host.uuid }, order: [['name', 'ASC']], transaction: op.tx })) {
    const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: vm.uuid }, transaction: op.tx });
    allNics.push(...nics);
    vms.push(await instantiateSpec(vm, nics, op));
  }
  const endpoints = await endpointsOn(host, allNics, op);
  return {
    desired: { l2s, vms: [...endpoints.map((e) => e.endpoint.appliance), ...vms.map((v) => v.spec)], services: endpoints.map((e) => e.endpoint) },
    vms,
    endpoints,
  };
}

export interface ReconcileSummary {
  /** Devices and namespaces removed because nothing explains them. */
  removed: string[];
}

/** Reconciles one host (see the file comment); throws the host's failure after undoing this reconcile's work. */
/** `firewalls`: every host's filter, when the caller reconciles many hosts (computed once, not per host). */
export async function reconcileHost(hostRow: M.HostRow, op: Op, firewalls?: Map<string, { firewall: HostFirewall }>): Promise<ReconcileSummary> {
  if (op.dryRun || hostRow.state !== 'Connected') return { removed: [] };
  const cluster = await mustFind(M.ClusterRow, 'cluster', hostRow.clusterUuid, op);
  const target: HostTarget = { host: hostInventory(hostRow), hypervisorType: cluster.hypervisorType };
  const { desired, vms, endpoints } = await desiredState(hostRow, op);
  const removed = await removeOrphans(target, desired, op);
  const undo: Array<() => Promise<void>> = [];
  try {
    for (const l2 of desired.l2s) {
      const realizations = await realizeL2(l2, [target], op);
      undo.push(() => undoL2(l2, [target], realizations, op));
    }
    // Its security group filter before anything starts (a rebooted host lost its tables; the filter is keyed by address, not by running VMs).
    const firewall = firewalls ? (firewalls.get(hostRow.uuid)?.firewall ?? EMPTY_FIREWALL) : await hostFirewallOf(hostRow.uuid, op);
    await applyFirewall(target, firewall, op);
    for (const placed of endpoints) {
      const started: Realization = await startVm(placed.endpoint.appliance, target.hypervisorType, op);
      if (started.created.length > 0) {
        undo.push(() => destroyVm(placed.endpoint.appliance, target.hypervisorType, op));
        undo.push(() => removeEndpoint(placed, op));
      }
      await applyEndpoint(placed, op);
    }
    for (const { spec, hypervisorType } of vms) {
      const started: Realization = await startVm(spec, hypervisorType, op);
      if (started.created.length > 0) undo.push(() => destroyVm(spec, hypervisorType, op));
    }
  } catch (err) {
    for (const step of undo.reverse()) {
      await step().catch((e: unknown) => op.parts.log.warn({ err: e, host: hostRow.uuid }, 'could not undo part of a failed host reconcile'));
    }
    throw err;
  }
  if (removed.length > 0) op.parts.log.info({ host: hostRow.uuid, removed }, 'removed what no database row explains');
  return { removed };
}

/**
 * At server start: every connected host, a few at a time. A host that fails is logged and
 * left as it is (its next reconnect tries again); the server starts regardless. It runs
 * under the topology write lock, like every change: another server on the same database
 * neither changes what these hosts should run meanwhile nor realizes anything on them at
 * the same time.
 */
export async function reconcileConnectedHosts(parts: ServerParts): Promise<void> {
  await parts.db.write(async (tx) => {
    const op: Op = { parts, tx, dryRun: false };
    const hosts = await M.HostRow.findAll({ where: { state: 'Connected' }, order: [['name', 'ASC']], transaction: tx });
    const firewalls = await hostFirewalls(op);
    await runBounded(hosts, Math.max(1, Math.min(parts.realizeConcurrency, 16)), async (host) => {
      try {
        await reconcileHost(host, op, firewalls);
      } catch (err) {
        parts.log.warn({ err, host: host.uuid, name: host.name }, 'could not reconcile host at start-up');
      }
    });
  });
}
