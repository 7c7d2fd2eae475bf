/**
 * Bringing hosts in line with the service planes of L3 networks. A change that affects
 * network services (attaching them, a VM coming or going, a range that lets a pending
 * service start) is wrapped like this:
 *
 *   const change = await beginServiceChange(op, [l3 uuids]);   // the planes the hosts run now
 *   ... the change's own database writes ...
 *   await change.finish('strict');                            // readiness, new planes, hosts updated
 *
 * finish refreshes readiness (routers placed, addresses allocated, pending reasons), reads
 * the new planes and applies the difference: appliances started and endpoints applied
 * where they are new or changed, removed where they are gone, VMs whose networks gained
 * DHCP asked to take their lease. Endpoints whose content did not change are left alone;
 * hosts that are not connected are skipped (their reconnect reconciles them).
 *
 *   strict   a host failure undoes what this change did on the hosts and throws (a 409
 *            naming the host); the request's transaction rolls back with it.
 *   lenient  for changes that only make waiting services ready (ranges, released
 *            addresses, attachments of L2s, hosts): a host failure undoes the hosts and the
 *            readiness (a savepoint), and the services that would have started stay pending
 *            with the failure as their reason; the change itself stands.
 */
import type { ServiceType } from '../../topology/model';
import * as M from '../db/models';
import type { HostTarget, VmInstantiateSpec } from '../extension/points';
import type { Op } from './context';
import { applyEndpoint, destroyVm, removeEndpoint, startVm } from './host-effects';
import { appliedServices, emptyPlane, servicePlaneOf, type L3ServicePlane } from './service-plane';
import { refreshServiceReadiness, setPending, type PendingMap } from './service-readiness';
import { instantiateSpec } from './vm-specs';

export type ConvergeMode = 'strict' | 'lenient';

/** The endpoint without what doesn't reach the host (timestamps): two equal fingerprints need no re-apply. */
function fingerprint(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (key === 'createdAt' || key === 'updatedAt' ? undefined : v));
}

const connected = (t: HostTarget) => t.host.state === 'Connected';

/** Host effects applied so far, undone newest first when a later one fails. */
class UndoStack {
  private readonly steps: Array<() => Promise<unknown>> = [];
  push(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }
  async run(op: Op): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      await step().catch((err: unknown) => op.parts.log.warn({ err }, 'could not undo part of a failed network service change'));
    }
  }
}

async function startAppliance(spec: VmInstantiateSpec, target: HostTarget, op: Op): Promise<void> {
  await startVm(spec, target.hypervisorType, op);
}

/** Applies the difference between two planes of one L3 network; records undo steps. */
async function applyDifference(before: L3ServicePlane, after: L3ServicePlane, undo: UndoStack, op: Op): Promise<void> {
  for (const [key, next] of after.endpoints) {
    if (!connected(next.target)) continue;
    const prev = before.endpoints.get(key);
    if (prev && fingerprint(prev.endpoint) === fingerprint(next.endpoint)) continue;
    if (!prev || fingerprint(prev.endpoint.appliance) !== fingerprint(next.endpoint.appliance)) {
      await startAppliance(next.endpoint.appliance, next.target, op);
      undo.push(() => (prev ? startAppliance(prev.endpoint.appliance, prev.target, op) : destroyVm(next.endpoint.appliance, next.target.hypervisorType, op)));
    }
    undo.push(() => (prev ? applyEndpoint(prev, op) : removeEndpoint(next, op)));
    await applyEndpoint(next, op);
  }
  for (const [key, prev] of before.endpoints) {
    if (after.endpoints.has(key) || !connected(prev.target)) continue;
    undo.push(() => applyEndpoint(prev, op));
    await removeEndpoint(prev, op);
    undo.push(() => startAppliance(prev.endpoint.appliance, prev.target, op).then(() => applyEndpoint(prev, op)));
    await destroyVm(prev.endpoint.appliance, prev.target.hypervisorType, op);
  }
}

/** VMs on an L3 that now serves DHCP and did not: they ask for their lease (a guest's DHCP client would retry on its own). */
async function renewLeases(l3Uuid: string, except: ReadonlySet<string>, op: Op): Promise<void> {
  const nics = await M.VmNicRow.findAll({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx });
  for (const vmUuid of [...new Set(nics.map((n) => n.vmInstanceUuid))].sort()) {
    if (except.has(vmUuid)) continue;
    const vm = await M.VmInstanceRow.findByPk(vmUuid, { transaction: op.tx });
    if (!vm) continue;
    const { spec, hypervisorType, host } = await instantiateSpec(vm, await M.VmNicRow.findAll({ where: { vmInstanceUuid: vmUuid }, transaction: op.tx }), op);
    if (host.state === 'Connected') await startVm(spec, hypervisorType, op);
  }
}

async function planesOf(l3Uuids: readonly string[], op: Op): Promise<Map<string, L3ServicePlane>> {
  const out = new Map<string, L3ServicePlane>();
  for (const uuid of l3Uuids) out.set(uuid, await servicePlaneOf(uuid, op));
  return out;
}

export class ServiceChange {
  private readonly undo = new UndoStack();

  constructor(
    private readonly op: Op,
    private readonly before: Map<string, L3ServicePlane>,
    /** VMs the change starts itself (their lease is taken when they start). */
    private readonly starting: Set<string> = new Set(),
  ) {}

  /** A VM this change starts after finish: it is not asked to renew its lease. */
  startsVm(vmUuid: string): void {
    this.starting.add(vmUuid);
  }

  /** See the file comment. */
  async finish(mode: ConvergeMode): Promise<void> {
    const l3Uuids = [...this.before.keys()];
    if (mode === 'strict') {
      await this.converge(l3Uuids, this.op);
      return;
    }
    const savepointOp = async (fn: (op: Op) => Promise<void>) =>
      this.op.tx ? this.op.parts.db.sequelize.transaction({ transaction: this.op.tx }, (tx) => fn({ ...this.op, tx })) : fn(this.op);
    try {
      await savepointOp((op) => this.converge(l3Uuids, op));
    } catch (err) {
      await this.undo.run(this.op);
      const message = err instanceof Error ? err.message : String(err);
      this.op.parts.log.warn({ err, l3: l3Uuids }, 'network services could not be realized; they stay pending');
      for (const l3Uuid of l3Uuids) await this.markFailed(l3Uuid, `could not be realized: ${message}`);
    }
  }

  /** Undoes what finish did on the hosts (a later step of the change failed). */
  rollback(): Promise<void> {
    return this.undo.run(this.op);
  }

  private async converge(l3Uuids: readonly string[], op: Op): Promise<void> {
    for (const uuid of l3Uuids) await refreshServiceReadiness(uuid, op);
    const after = await planesOf(l3Uuids, op);
    if (op.dryRun) return;
    try {
      for (const uuid of l3Uuids) {
        const before = this.before.get(uuid) ?? emptyPlane(uuid);
        const next = after.get(uuid)!;
        await applyDifference(before, next, this.undo, op);
        if (next.dhcp && !before.dhcp) await renewLeases(uuid, this.starting, op);
      }
    } catch (err) {
      await this.undo.run(op);
      throw err;
    }
  }

  /** After a lenient failure: the services that were not applied before stay pending with `reason`. */
  private async markFailed(l3Uuid: string, reason: string): Promise<void> {
    const op = this.op;
    const appliedBefore = await appliedServices(l3Uuid, op);
    const attachments = await M.NetworkServiceAttachmentRow.findAll({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx });
    const providers = new Map((await M.NetworkServiceProviderRow.findAll({ transaction: op.tx })).map((p) => [p.uuid, p.type]));
    for (const a of attachments) {
      const applied = appliedBefore.get(providers.get(a.providerUuid)!) ?? new Set<ServiceType>();
      const pending: PendingMap = { ...(a.pendingServices ?? {}) };
      for (const s of a.services) if (!applied.has(s) || pending[s] !== undefined) pending[s] = reason;
      await setPending(a, pending, op);
    }
    const router = await M.VirtualRouterRow.findOne({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx });
    if (router && router.state !== 'Running') await router.update({ pendingReason: reason }, { transaction: op.tx });
  }
}

/** Starts a change to the network services of `l3Uuids` (see the file comment). */
export async function beginServiceChange(op: Op, l3Uuids: Iterable<string>): Promise<ServiceChange> {
  return new ServiceChange(op, await planesOf([...new Set(l3Uuids)], op));
}

/**
 * At start-up and when something that services wait for appears (a range, a released
 * address, a host, an L2 attachment): every L3 with pending services gets another try
 * (lenient: see the file comment).
 */
export async function convergeWaitingServices(op: Op): Promise<void> {
  const l3s = await waitingL3s(op);
  if (l3s.length > 0) await (await beginServiceChange(op, l3s)).finish('lenient');
}

/** The L3 networks with services still pending. */
async function waitingL3s(op: Op): Promise<string[]> {
  const attachments = await M.NetworkServiceAttachmentRow.findAll({ attributes: ['l3NetworkUuid', 'pendingServices'], transaction: op.tx });
  return [...new Set(attachments.filter((a) => a.pendingServices && Object.keys(a.pendingServices).length > 0).map((a) => a.l3NetworkUuid))];
}

