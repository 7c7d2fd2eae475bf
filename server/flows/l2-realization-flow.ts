/**
 * Realizing an L2 network on the hosts of a cluster, and deleting it from them
 * (topology-rules.md rule 5; ZStack's CheckNetworkPhysicalInterfaceMsg + FlowChain
 * rollback). Pure of any database: the caller passes the hosts and the registry.
 *
 * realizeL2OnHosts
 *   1. Skips hosts that are not Connected (listed in the summary).
 *   2. Looks up the realizer for (l2.type, hypervisor type) of every remaining host; a
 *      missing one throws ExtensionNotFoundError before anything runs.
 *   3. check on every host (bounded concurrency). Any failure: nothing is realized and
 *      L2RealizationError lists every failed host.
 *   4. realize on every host (bounded concurrency); each returns what it created there. On
 *      the first failure no new host is started, in-flight ones are awaited, then `undo`
 *      removes on every host exactly what this realize created (what a failed realize
 *      created before failing, too) and nothing that was there before, and
 *      L2RealizationError lists the failed hosts and any rollback failures.
 *
 * deleteL2OnHosts deletes on every host that is not Disconnected, attempts them all and
 * throws L2DeletionError listing every failure. detachL2FromHosts is that delete as one
 * step of a larger change: when some host refuses, the network is realized again on the
 * hosts it was already deleted from, so a refused detach leaves it attached everywhere.
 */
import type { ApiErrorCode } from '../../contract/error-codes';
import { describeHost, describeL2 } from '../../topology/describe';
import type { HostState, L2Network } from '../../topology/model';
import { HostOperationError, type ErrorDetail } from '../errors';
import { PartialRealizationError, type HostTarget, type L2NetworkRealizationExtensionPoint, type Realization } from '../extension/points';
import type { ExtensionRegistry } from '../extension/registry';
import { assertConcurrency, runBounded } from './run-bounded';

/** Hosts worked on at once when the caller doesn't say. */
export const DEFAULT_L2_REALIZATION_CONCURRENCY = 32;
/** Failed hosts named in an error's message; `details` always lists all of them. */
const MESSAGE_MAX_HOSTS = 3;

export type L2FlowPhase = 'check' | 'realize' | 'rollback' | 'delete';

/** One host finished one phase. */
export interface L2HostProgress {
  l2NetworkUuid: string;
  phase: L2FlowPhase;
  hostUuid: string;
  ok: boolean;
  /** Set when ok is false. */
  error?: string;
  /** Hosts finished in this phase so far, including this one. */
  done: number;
  /** Hosts this phase will work on. */
  total: number;
}

export interface L2FlowOptions {
  /** Hosts worked on at once (default DEFAULT_L2_REALIZATION_CONCURRENCY). */
  concurrency?: number;
  /** Called after each host finishes a phase. Exceptions thrown by it are ignored. */
  onProgress?: (progress: L2HostProgress) => void;
}

export interface SkippedHost {
  hostUuid: string;
  hostName: string;
  state: HostState;
  reason: string;
}

export interface L2RealizationSummary {
  l2NetworkUuid: string;
  /** Hosts the network is now realized on, in input order. */
  realizedHostUuids: string[];
  /** Host uuid -> what realize created there (for a later undo; empty where all was there). */
  realizations: Map<string, Realization>;
  skippedHosts: SkippedHost[];
  durationMs: number;
  checkDurationMs: number;
  realizeDurationMs: number;
}

export interface L2DeletionSummary {
  l2NetworkUuid: string;
  /** Hosts the network was deleted from, in input order. */
  deletedHostUuids: string[];
  skippedHosts: SkippedHost[];
  durationMs: number;
}

export interface L2HostFailure {
  hostUuid: string;
  hostName: string;
  managementIp: string;
  phase: L2FlowPhase;
  message: string;
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

const failedHost = (f: Pick<L2HostFailure, 'hostUuid' | 'hostName' | 'managementIp'>): string => describeHost({ uuid: f.hostUuid, name: f.hostName, managementIp: f.managementIp });

function hostCount(n: number): string {
  return `${n} ${n === 1 ? 'host' : 'hosts'}`;
}

const DETAIL_CODES: Record<L2FlowPhase, ApiErrorCode> = {
  check: 'L2_CHECK_FAILED',
  realize: 'L2_REALIZE_FAILED',
  rollback: 'L2_ROLLBACK_FAILED',
  delete: 'L2_DELETE_FAILED',
};

function toDetails(failures: readonly L2HostFailure[]): ErrorDetail[] {
  return failures.map((f) => ({
    path: `hosts[${f.hostUuid}]`,
    message: `${f.phase} failed on ${failedHost(f)}: ${f.message}`,
    code: DETAIL_CODES[f.phase],
  }));
}

function listFailures(failures: readonly L2HostFailure[]): string {
  const shown = failures.slice(0, MESSAGE_MAX_HOSTS).map((f) => `${failedHost(f)}: ${f.message}`);
  const more = failures.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/**
 * An L2 network could not be realized on a cluster's hosts (409, code
 * L2_REALIZATION_FAILED). `details` has one entry per failed host, path `hosts[<uuid>]`,
 * then one per host whose rollback failed.
 */
export class L2RealizationError extends HostOperationError {
  constructor(
    readonly l2NetworkUuid: string,
    /** The phase that failed: 'check' (nothing was realized) or 'realize' (rolled back). */
    readonly phase: 'check' | 'realize',
    readonly failures: readonly L2HostFailure[],
    readonly rollbackFailures: readonly L2HostFailure[],
    /** Hosts `delete` was run on successfully during rollback. */
    readonly rolledBackHostUuids: readonly string[],
    message: string,
  ) {
    super('L2_REALIZATION_FAILED', message, [...toDetails(failures), ...toDetails(rollbackFailures)]);
  }

  static checkFailed(l2: Pick<L2Network, 'uuid' | 'name'>, failures: L2HostFailure[], totalHosts: number): L2RealizationError {
    return new L2RealizationError(
      l2.uuid,
      'check',
      failures,
      [],
      [],
      `cannot realize ${describeL2(l2)}: check failed on ${failures.length} of ${totalHosts} hosts (${listFailures(failures)}); nothing was realized`,
    );
  }

  static realizeFailed(
    l2: Pick<L2Network, 'uuid' | 'name'>,
    failures: L2HostFailure[],
    rollbackFailures: L2HostFailure[],
    rolledBack: string[],
    totalHosts: number,
  ): L2RealizationError {
    const rollback =
      rollbackFailures.length === 0
        ? `rolled back on ${hostCount(rolledBack.length)}`
        : `rollback failed on ${hostCount(rollbackFailures.length)}, which may keep devices (${listFailures(rollbackFailures)})`;
    return new L2RealizationError(
      l2.uuid,
      'realize',
      failures,
      rollbackFailures,
      rolledBack,
      `cannot realize ${describeL2(l2)}: realize failed on ${failures.length} of ${totalHosts} hosts (${listFailures(failures)}); ${rollback}`,
    );
  }
}

/** An L2 network could not be deleted from some hosts (409, code L2_DELETION_FAILED). */
export class L2DeletionError extends HostOperationError {
  constructor(
    readonly l2NetworkUuid: string,
    readonly failures: readonly L2HostFailure[],
    /** Hosts it was deleted from nevertheless. */
    readonly deletedHostUuids: readonly string[],
    message: string,
  ) {
    super('L2_DELETION_FAILED', message, toDetails(failures));
  }
}

// ---------------------------------------------------------------------------------------
// Flows
// ---------------------------------------------------------------------------------------

interface Resolved {
  target: HostTarget;
  realizer: L2NetworkRealizationExtensionPoint;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function failure(t: HostTarget, phase: L2FlowPhase, err: unknown): L2HostFailure {
  return { hostUuid: t.host.uuid, hostName: t.host.name, managementIp: t.host.managementIp, phase, message: messageOf(err) };
}

function assertUniqueHosts(hosts: readonly HostTarget[]): void {
  const seen = new Set<string>();
  for (const { host } of hosts) {
    if (seen.has(host.uuid)) throw new TypeError(`host ${host.uuid} ('${host.name}') is listed twice`);
    seen.add(host.uuid);
  }
}

function skipped(t: HostTarget, reason: string): SkippedHost {
  return { hostUuid: t.host.uuid, hostName: t.host.name, state: t.host.state, reason };
}

/** Looks up every host's realizer up front, so a missing plugin fails before any host is touched. */
function resolve(l2: L2Network, targets: readonly HostTarget[], registry: ExtensionRegistry): Resolved[] {
  return targets.map((target) => ({ target, realizer: registry.getL2Realizer(l2.type, target.hypervisorType) }));
}

/** Runs one phase over `items`; returns the failures in input order. */
async function runPhase(
  l2: L2Network,
  phase: L2FlowPhase,
  items: readonly Resolved[],
  concurrency: number,
  options: L2FlowOptions,
  op: (r: Resolved) => Promise<void>,
  stopOnFailure: boolean,
): Promise<{ failures: L2HostFailure[]; succeeded: Set<Resolved>; started: number }> {
  const failures = new Map<Resolved, L2HostFailure>();
  const succeeded = new Set<Resolved>();
  let done = 0;
  const report = (r: Resolved, error?: string): void => {
    done++;
    if (!options.onProgress) return;
    try {
      options.onProgress({
        l2NetworkUuid: l2.uuid,
        phase,
        hostUuid: r.target.host.uuid,
        ok: error === undefined,
        ...(error === undefined ? {} : { error }),
        done,
        total: items.length,
      });
    } catch {
      // A broken progress reporter must not break the flow.
    }
  };
  const { started } = await runBounded(
    items,
    concurrency,
    async (r) => {
      try {
        await op(r);
        succeeded.add(r);
        report(r);
      } catch (err) {
        const f = failure(r.target, phase, err);
        failures.set(r, f);
        report(r, f.message);
      }
    },
    () => stopOnFailure && failures.size > 0,
  );
  return { failures: items.filter((r) => failures.has(r)).map((r) => failures.get(r) as L2HostFailure), succeeded, started };
}

/**
 * Checks, then realizes `l2` on every Connected host; all or nothing (see the file
 * comment). Throws L2RealizationError (check or realize failed) or ExtensionNotFoundError
 * (no realizer for a host's hypervisor type).
 */
export async function realizeL2OnHosts(
  l2: L2Network,
  hosts: readonly HostTarget[],
  registry: ExtensionRegistry,
  options: L2FlowOptions = {},
): Promise<L2RealizationSummary> {
  const concurrency = options.concurrency ?? DEFAULT_L2_REALIZATION_CONCURRENCY;
  assertConcurrency(concurrency);
  assertUniqueHosts(hosts);
  const startedAt = performance.now();

  const skippedHosts = hosts.filter((t) => t.host.state !== 'Connected').map((t) => skipped(t, `host is ${t.host.state}, not Connected`));
  const items = resolve(
    l2,
    hosts.filter((t) => t.host.state === 'Connected'),
    registry,
  );

  const check = await runPhase(l2, 'check', items, concurrency, options, (r) => r.realizer.check(l2, r.target.host), false);
  if (check.failures.length > 0) throw L2RealizationError.checkFailed(l2, check.failures, items.length);
  const checkDurationMs = performance.now() - startedAt;

  // What each host's realize created: all that the rollback may remove there.
  const created = new Map<Resolved, Realization>();
  const realize = await runPhase(
    l2,
    'realize',
    items,
    concurrency,
    options,
    async (r) => {
      try {
        created.set(r, await r.realizer.realize(l2, r.target.host));
      } catch (err) {
        if (err instanceof PartialRealizationError) {
          created.set(r, { created: err.created });
          throw err.failure;
        }
        throw err;
      }
    },
    true,
  );
  const realizeDurationMs = performance.now() - startedAt - checkDurationMs;

  if (realize.failures.length > 0) {
    const toRollBack = items.filter((r) => (created.get(r)?.created.length ?? 0) > 0);
    const rollback = await runPhase(l2, 'rollback', toRollBack, concurrency, options, (r) => r.realizer.undo(l2, r.target.host, created.get(r)!), false);
    const rolledBack = toRollBack.filter((r) => rollback.succeeded.has(r)).map((r) => r.target.host.uuid);
    throw L2RealizationError.realizeFailed(l2, realize.failures, rollback.failures, rolledBack, items.length);
  }

  return {
    l2NetworkUuid: l2.uuid,
    realizedHostUuids: items.map((r) => r.target.host.uuid),
    realizations: new Map(items.map((r) => [r.target.host.uuid, created.get(r) ?? { created: [] }])),
    skippedHosts,
    durationMs: performance.now() - startedAt,
    checkDurationMs,
    realizeDurationMs,
  };
}

/**
 * Undoes what an earlier realize created (its summary's realizations), on the given hosts;
 * attempts them all and throws L2DeletionError listing each failure.
 */
export async function undoL2Realization(
  l2: L2Network,
  hosts: readonly HostTarget[],
  realizations: ReadonlyMap<string, Realization>,
  registry: ExtensionRegistry,
  options: L2FlowOptions = {},
): Promise<void> {
  const concurrency = options.concurrency ?? DEFAULT_L2_REALIZATION_CONCURRENCY;
  const items = resolve(
    l2,
    hosts.filter((t) => (realizations.get(t.host.uuid)?.created.length ?? 0) > 0),
    registry,
  );
  const undo = await runPhase(l2, 'rollback', items, concurrency, options, (r) => r.realizer.undo(l2, r.target.host, realizations.get(r.target.host.uuid)!), false);
  if (undo.failures.length > 0) {
    const done = items.filter((r) => undo.succeeded.has(r)).map((r) => r.target.host.uuid);
    throw new L2DeletionError(l2.uuid, undo.failures, done, `cannot roll ${describeL2(l2)} back: undo failed on ${undo.failures.length} of ${items.length} hosts (${listFailures(undo.failures)})`);
  }
}

/**
 * Deletes `l2` from every host that is not Disconnected (an unreachable host is skipped
 * and listed; a host in Maintenance is still reachable and may carry the devices).
 * Attempts every host, then throws L2DeletionError listing each failure.
 */
export async function deleteL2OnHosts(
  l2: L2Network,
  hosts: readonly HostTarget[],
  registry: ExtensionRegistry,
  options: L2FlowOptions = {},
): Promise<L2DeletionSummary> {
  const concurrency = options.concurrency ?? DEFAULT_L2_REALIZATION_CONCURRENCY;
  assertConcurrency(concurrency);
  assertUniqueHosts(hosts);
  const startedAt = performance.now();

  const skippedHosts = hosts.filter((t) => t.host.state === 'Disconnected').map((t) => skipped(t, 'host is Disconnected'));
  const items = resolve(
    l2,
    hosts.filter((t) => t.host.state !== 'Disconnected'),
    registry,
  );
  const del = await runPhase(l2, 'delete', items, concurrency, options, (r) => r.realizer.delete(l2, r.target.host), false);
  const deletedHostUuids = items.filter((r) => del.succeeded.has(r)).map((r) => r.target.host.uuid);
  if (del.failures.length > 0) {
    throw new L2DeletionError(
      l2.uuid,
      del.failures,
      deletedHostUuids,
      `cannot delete ${describeL2(l2)}: delete failed on ${del.failures.length} of ${items.length} hosts (${listFailures(del.failures)})`,
    );
  }
  return { l2NetworkUuid: l2.uuid, deletedHostUuids, skippedHosts, durationMs: performance.now() - startedAt };
}

/**
 * Detaching: deletes `l2` from the hosts (deleteL2OnHosts); if some host refuses, realizes it
 * again where it was already deleted, then throws the L2DeletionError. `onRollbackFailure`
 * hears of a host the network could not be put back on (the error still names the refusal).
 */
export async function detachL2FromHosts(
  l2: L2Network,
  hosts: readonly HostTarget[],
  registry: ExtensionRegistry,
  options: L2FlowOptions & { onRollbackFailure?: (err: unknown) => void } = {},
): Promise<L2DeletionSummary> {
  try {
    return await deleteL2OnHosts(l2, hosts, registry, options);
  } catch (err) {
    if (err instanceof L2DeletionError && err.deletedHostUuids.length > 0) {
      const deleted = hosts.filter((h) => err.deletedHostUuids.includes(h.host.uuid));
      await realizeL2OnHosts(l2, deleted, registry, options).catch((e: unknown) => options.onRollbackFailure?.(e));
    }
    throw err;
  }
}
