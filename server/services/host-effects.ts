/**
 * Where services reach hosts: L2 realization flows, VM start/destroy and network service
 * endpoints, all through the extension registry. Inside a dry run (POST /v1/validate)
 * nothing here touches a host. Host failures become 409s that name each host.
 */
import { TYPE_NAMES, type HypervisorType, type L2Network } from '../../topology/model';
import { isApiErrorCode, type ApiErrorCode } from '../../contract/error-codes';
import { ApiError, HostOperationError, type ErrorDetail } from '../errors';
import type { DesiredHostState, HostFirewall, HostTarget, Realization, VmInstantiateSpec } from '../extension/points';
import * as flow from '../flows/l2-realization-flow';
import type { Op } from './context';
import type { PlacedEndpoint } from './service-plane';

/** Turns a structured flow/backend error into an API error; anything else is rethrown. */
function asApiError(err: unknown, fallbackCode: ApiErrorCode): unknown {
  if (err instanceof ApiError) return err;
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  if (e && typeof e.code === 'string' && isApiErrorCode(e.code) && Array.isArray(e.details)) {
    return new HostOperationError(e.code, String(e.message), e.details as ErrorDetail[]);
  }
  if (err instanceof Error) return new HostOperationError(fallbackCode, err.message, [{ path: '', message: err.message }]);
  return err;
}

/** Realizes `l2` on the hosts (all or nothing); returns what it created on each, for a later undo. */
export async function realizeL2(l2: L2Network, hosts: readonly HostTarget[], op: Op): Promise<Map<string, Realization>> {
  if (op.dryRun || hosts.length === 0) return new Map();
  try {
    const summary = await flow.realizeL2OnHosts(l2, hosts, op.parts.registry, { concurrency: op.parts.realizeConcurrency });
    op.parts.log.info({ l2: l2.uuid, hosts: summary.realizedHostUuids.length, ms: Math.round(summary.durationMs) }, 'L2 network realized');
    return summary.realizations;
  } catch (err) {
    throw asApiError(err, 'L2_REALIZATION_FAILED');
  }
}

/** Undoes what realizeL2 created (a rollback of a larger operation). */
export async function undoL2(l2: L2Network, hosts: readonly HostTarget[], realizations: ReadonlyMap<string, Realization>, op: Op): Promise<void> {
  if (op.dryRun) return;
  try {
    await flow.undoL2Realization(l2, hosts, realizations, op.parts.registry, { concurrency: op.parts.realizeConcurrency });
  } catch (err) {
    throw asApiError(err, 'L2_ROLLBACK_FAILED');
  }
}

/** Removes what the host has of netforge's that `desired` doesn't explain (host reconcile). */
export async function removeOrphans(target: HostTarget, desired: DesiredHostState, op: Op): Promise<string[]> {
  if (op.dryRun) return [];
  try {
    return await op.parts.registry.getHostReconciler(target.hypervisorType).removeOrphans(target.host, desired);
  } catch (err) {
    throw asApiError(err, 'HOST_RECONCILE_FAILED');
  }
}

/** Removes `l2` from the hosts (a host leaving, or everything going). */
export async function deleteL2(l2: L2Network, hosts: readonly HostTarget[], op: Op): Promise<void> {
  if (op.dryRun || hosts.length === 0) return;
  try {
    await flow.deleteL2OnHosts(l2, hosts, op.parts.registry, { concurrency: op.parts.realizeConcurrency });
  } catch (err) {
    throw asApiError(err, 'L2_DELETE_FAILED');
  }
}

/** Detaches `l2` from the hosts of a cluster; a refusal leaves it realized on all of them. */
export async function detachL2(l2: L2Network, clusterUuid: string, hosts: readonly HostTarget[], op: Op): Promise<void> {
  if (op.dryRun || hosts.length === 0) return;
  try {
    await flow.detachL2FromHosts(l2, hosts, op.parts.registry, {
      concurrency: op.parts.realizeConcurrency,
      onRollbackFailure: (e) => op.parts.log.warn({ err: e, l2: l2.uuid, cluster: clusterUuid }, 'could not re-realize an L2 network after a failed detach'),
    });
  } catch (err) {
    throw asApiError(err, 'L2_DELETE_FAILED');
  }
}

/**
 * A VM start/destroy failure names the host it happened on (the backends' plain errors
 * don't); structured errors (with details) keep their own.
 */
function vmHostError(err: unknown, code: ApiErrorCode, verb: string, spec: VmInstantiateSpec): unknown {
  const structured = typeof (err as { code?: unknown })?.code === 'string' && Array.isArray((err as { details?: unknown })?.details);
  if (err instanceof ApiError || !(err instanceof Error) || structured) return asApiError(err, code);
  const { host } = spec;
  const message = `could not ${verb} VM '${spec.vmName}' (${spec.vmUuid}) on host '${host.name}' (${host.uuid}, ${host.managementIp}): ${err.message}`;
  return new HostOperationError(code, message, [{ path: 'hostUuid', message, conflicting: { type: TYPE_NAMES.host, uuid: host.uuid, name: host.name } }]);
}

/** PreVmInstantiate extensions, then the VM backend; undone if the start fails. Returns what the start created. */
export async function startVm(spec: VmInstantiateSpec, hypervisorType: HypervisorType, op: Op): Promise<Realization> {
  if (op.dryRun) return { created: [] };
  const registry = op.parts.registry;
  const prepared = [];
  try {
    for (const ext of registry.getPreVmInstantiateExtensions(hypervisorType)) {
      await ext.preInstantiate(spec);
      prepared.push(ext);
    }
    return await registry.getVmBackend(hypervisorType).start(spec);
  } catch (err) {
    for (const ext of prepared.reverse()) {
      await ext.releaseOnFailure(spec).catch((e: unknown) => op.parts.log.warn({ err: e, vm: spec.vmUuid }, 'releaseOnFailure failed'));
    }
    throw vmHostError(err, 'VM_START_FAILED', 'start', spec);
  }
}

export async function destroyVm(spec: VmInstantiateSpec, hypervisorType: HypervisorType, op: Op): Promise<void> {
  if (op.dryRun) return;
  try {
    await op.parts.registry.getVmBackend(hypervisorType).destroy(spec);
  } catch (err) {
    throw vmHostError(err, 'VM_DESTROY_FAILED', 'destroy', spec);
  }
}

/**
 * A service endpoint's failure names the host it happened on and what it serves; nothing
 * of it is kept (the caller undoes what its change did).
 */
function endpointHostError(err: unknown, code: ApiErrorCode, verb: string, placed: PlacedEndpoint): unknown {
  if (err instanceof ApiError) return err;
  const { host } = placed.target;
  const what = placed.endpoint.kind === 'virtualRouter' ? `virtual router '${placed.endpoint.appliance.vmName}'` : `the flat DHCP server of L3 network ${placed.endpoint.l3NetworkUuid}`;
  const message = `could not ${verb} ${what} on host '${host.name}' (${host.uuid}, ${host.managementIp}): ${err instanceof Error ? err.message : String(err)}`;
  return new HostOperationError(code, message, [{ path: 'hostUuid', message, conflicting: { type: TYPE_NAMES.host, uuid: host.uuid, name: host.name } }]);
}

/** Makes the endpoint's host run what it serves (its appliance is started already). */
export async function applyEndpoint(placed: PlacedEndpoint, op: Op): Promise<void> {
  if (op.dryRun) return;
  try {
    await op.parts.registry.getServiceRealizer(placed.target.hypervisorType).apply(placed.target.host, placed.endpoint);
  } catch (err) {
    throw endpointHostError(err, 'SERVICE_APPLY_FAILED', 'realize', placed);
  }
}

/** Removes what the endpoint runs on its host (its appliance is destroyed afterwards). */
export async function removeEndpoint(placed: PlacedEndpoint, op: Op): Promise<void> {
  if (op.dryRun) return;
  try {
    await op.parts.registry.getServiceRealizer(placed.target.hypervisorType).remove(placed.target.host, placed.endpoint);
  } catch (err) {
    throw endpointHostError(err, 'SERVICE_RELEASE_FAILED', 'remove', placed);
  }
}

/** Makes the host filter exactly `firewall` (its security group members' NICs). */
export async function applyFirewall(target: HostTarget, firewall: HostFirewall, op: Op): Promise<void> {
  if (op.dryRun) return;
  try {
    await op.parts.registry.getServiceRealizer(target.hypervisorType).applyFirewall(target.host, firewall);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const { host } = target;
    const message = `could not apply security groups on host '${host.name}' (${host.uuid}, ${host.managementIp}): ${err instanceof Error ? err.message : String(err)}`;
    throw new HostOperationError('SERVICE_APPLY_FAILED', message, [{ path: 'hostUuid', message, conflicting: { type: TYPE_NAMES.host, uuid: host.uuid, name: host.name } }]);
  }
}
