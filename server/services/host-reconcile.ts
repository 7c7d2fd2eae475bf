/**
 * Bringing a host in line with the database (ZStack's host reconnect): on server start for
 * every connected host, when a host reconnects, and when one joins a cluster. First what
 * the host has of netforge's that no row explains is removed (left by a crash mid-attach,
 * or by changes made while the host was away), then every L2 attached to its cluster is
 * realized and every VM placed on it started, each idempotent. A failure undoes what this
 * reconcile created, and nothing that was there before, and names the host.
 */
import type { DesiredHostState, HostTarget, Realization } from '../extension/points';
import { runBounded } from '../flows/run-bounded';
import * as M from '../db/models';
import type { Op, ServerParts } from './context';
import { destroyVm, realizeL2, removeOrphans, startVm, undoL2 } from './host-effects';
import { hostInventory } from './inventory';
import { loadL2, mustFind } from './lookups';
import { instantiateSpec } from './vm-instances';

/** What the host should carry: its cluster's L2 networks (in attachment order) and its VMs. */
async function desiredState(host: M.HostRow, op: Op): Promise<{ desired: DesiredHostState; vms: Awaited<ReturnType<typeof instantiateSpec>>[] }> {
  const attachments = await M.L2ClusterAttachmentRow.findAll({ where: { clusterUuid: host.clusterUuid }, order: [['createdAt', 'ASC']], transaction: op.tx });
  const l2s = await Promise.all(attachments.map((a) => loadL2(a.l2NetworkUuid, op)));
  const vms = [];
  for (const vm of await M.VmInstanceRow.findAll({ where: { hostUuid: host.uuid }, order: [['name', 'ASC']], transaction: op.tx })) {
    vms.push(await instantiateSpec(vm, await M.VmNicRow.findAll({ where: { vmInstanceUuid: vm.uuid }, transaction: op.tx }), op));
  }
  return { desired: { l2s, vms: vms.map((v) => v.spec) }, vms };
}

export interface ReconcileSummary {
  /** Devices and namespaces removed because nothing explains them. */
  removed: string[];
}

/** Reconciles one host (see the file comment); throws the host's failure after undoing this reconcile's work. */
export async function reconcileHost(hostRow: M.HostRow, op: Op): Promise<ReconcileSummary> {
  if (op.dryRun || hostRow.state !== 'Connected') return { removed: [] };
  const cluster = await mustFind(M.ClusterRow, 'cluster', hostRow.clusterUuid, op);
  const target: HostTarget = { host: hostInventory(hostRow), hypervisorType: cluster.hypervisorType };
  const { desired, vms } = await desiredState(hostRow, op);
  const removed = await removeOrphans(target, desired, op);
  const undo: Array<() => Promise<void>> = [];
  try {
    for (const l2 of desired.l2s) {
      const realizations = await realizeL2(l2, [target], op);
      undo.push(() => undoL2(l2, [target], realizations, op));
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
 * left as it is (its next reconnect tries again); the server starts regardless.
 */
export async function reconcileConnectedHosts(parts: ServerParts): Promise<void> {
  const op: Op = { parts, dryRun: false };
  const hosts = await M.HostRow.findAll({ where: { state: 'Connected' }, order: [['name', 'ASC']] });
  await runBounded(hosts, Math.max(1, Math.min(parts.realizeConcurrency, 16)), async (host) => {
    try {
      await reconcileHost(host, op);
    } catch (err) {
      parts.log.warn({ err, host: host.uuid, name: host.name }, 'could not reconcile host at start-up');
    }
  });
}
