/**
 * The Simulator hypervisor's in-memory "hosts": what devices each host would have, how it
 * is configured (latency, injected failures, physical interfaces) and which commands it
 * received (ZStack's simulator tests assert on the latter). The extension-point classes in
 * this folder are thin adapters over this object; the server exposes it at /v1/simulator.
 *
 * Every operation first waits the host's latency, then either fails with the injected
 * message or runs its body synchronously (so concurrent operations never see a
 * half-applied change). An injected `realize` failure happens midway: the bridge has been
 * created, the VLAN/VXLAN device has not, like a real agent failing between two commands,
 * so callers must clean the failed host up too.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Host, L2Network, L3Network, NetworkServiceAttachment, ProviderType, ServiceType } from '../../../topology/model';
import { BadRequestError, type ErrorDetail } from '../../errors';
import { PartialRealizationError, type VmInstantiateSpec } from '../../extension/points';
import { MAX_DEVICE_NAME_LENGTH, l2DeviceNames, vmNicDeviceName } from '../device-names';

// ---------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------

/** Operations a failure can be injected into (per host). */
export const SIMULATOR_FAILABLE_OPS = ['check', 'realize', 'delete', 'preInstantiate', 'start', 'destroy'] as const;
export type SimulatorFailableOp = (typeof SIMULATOR_FAILABLE_OPS)[number];
/** Everything that lands in a host's operation log. */
export type SimulatorOp = SimulatorFailableOp | 'releaseOnFailure';

/** Physical interfaces a host has: a list, or 'any' (every name passes the check). */
export type SimulatorInterfaces = 'any' | string[];

/** The interfaces a host has unless configured otherwise. */
export const DEFAULT_SIMULATOR_INTERFACES: readonly string[] = ['eth0', 'eth1'];
/** Operation-log entries kept per host; older ones are dropped. */
export const DEFAULT_OP_LOG_LIMIT = 1000;
/** Upper bound for configured latency, so a typo can't hang the server for hours. */
export const MAX_SIMULATOR_LATENCY_MS = 60_000;
/** Hosts the simulator keeps state for; configuring more is refused (memory stays bounded). */
export const MAX_SIMULATOR_HOSTS = 100_000;
/** What a host id looks like (netforge's are uuids): configuring any other key is refused. */
const HOST_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

export interface SimulatorHostConfig {
  latencyMs: number;
  interfaces: SimulatorInterfaces;
  /** Op -> the message the op throws. Absent ops succeed. */
  failures: Partial<Record<SimulatorFailableOp, string>>;
}

export interface SimulatorBridgeDevice {
  type: 'bridge';
  name: string;
  l2NetworkUuid: string;
}

export interface SimulatorVlanDevice {
  type: 'vlan';
  name: string;
  l2NetworkUuid: string;
  /** The physical interface the VLAN sits on. */
  parent: string;
  vlan: number;
  /** The bridge this device is a port of. */
  bridge: string;
}

export interface SimulatorVxlanDevice {
  type: 'vxlan';
  name: string;
  l2NetworkUuid: string;
  vni: number;
  /** The physical interface carrying the tunnel. */
  underlay: string;
  bridge: string;
}

export interface SimulatorVmNicDevice {
  type: 'vmNic';
  name: string;
  vmUuid: string;
  nicUuid: string;
  l3NetworkUuid: string;
  l2NetworkUuid: string;
  bridge: string;
  mac: string;
  ip: string;
}

export type SimulatorDevice = SimulatorBridgeDevice | SimulatorVlanDevice | SimulatorVxlanDevice | SimulatorVmNicDevice;

export interface SimulatorOpLogEntry {
  /** Per-host sequence number, increasing from 1; survives the log being capped. */
  seq: number;
  op: SimulatorOp;
  l2NetworkUuid: string | null;
  vmUuid: string | null;
  /** ISO timestamp of when the op finished. */
  at: string;
  ok: boolean;
  error?: string;
}

/** A host's state as the API returns it (JSON-serializable, devices sorted by name). */
export interface SimulatorHostState {
  hostUuid: string;
  /** Known once an operation has reached the host; null for a host only configured so far. */
  hostName: string | null;
  managementIp: string | null;
  config: SimulatorHostConfig;
  devices: SimulatorDevice[];
}

export interface SimulatorAppliedService {
  l3NetworkUuid: string;
  serviceType: ServiceType;
  providerType: ProviderType;
  providerUuid: string;
  attachmentUuid: string;
}

export type SimulatorServiceOp = 'apply' | 'release';

export interface SimulatorServicesState {
  failures: Partial<Record<SimulatorServiceOp, string>>;
  /** Sorted by L3 uuid, then service type. */
  applied: SimulatorAppliedService[];
}

export interface SimulatorStateOptions {
  /** Latency for hosts without their own (default 0). */
  defaultLatencyMs?: number;
  /** Interfaces for hosts without their own (default DEFAULT_SIMULATOR_INTERFACES). */
  defaultInterfaces?: SimulatorInterfaces;
  /** Operation-log entries kept per host (default DEFAULT_OP_LOG_LIMIT). */
  opLogLimit?: number;
}

// ---------------------------------------------------------------------------------------
// Configuration input (validated: it arrives over HTTP)
// ---------------------------------------------------------------------------------------

const failureMessage = z.string().min(1).max(1024);
const interfacesSchema = z.union([z.literal('any'), z.array(z.string().min(1).max(MAX_DEVICE_NAME_LENGTH)).max(256)]);
const latencySchema = z.number().int().min(0).max(MAX_SIMULATOR_LATENCY_MS);

/**
 * Body of "configure a host", a patch: absent fields are unchanged, null resets a field to
 * the default. `failures` is merged per op: a message injects, null clears that op;
 * `failures: null` clears them all.
 */
export const simulatorHostConfigPatchSchema = z
  .object({
    latencyMs: latencySchema.nullable().optional(),
    interfaces: interfacesSchema.nullable().optional(),
    failures: z
      .object({
        check: failureMessage.nullable().optional(),
        realize: failureMessage.nullable().optional(),
        delete: failureMessage.nullable().optional(),
        preInstantiate: failureMessage.nullable().optional(),
        start: failureMessage.nullable().optional(),
        destroy: failureMessage.nullable().optional(),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type SimulatorHostConfigPatch = z.infer<typeof simulatorHostConfigPatchSchema>;

/** Body of "configure the defaults" (hosts without their own setting follow these). */
export const simulatorDefaultsPatchSchema = z
  .object({
    latencyMs: latencySchema.optional(),
    interfaces: interfacesSchema.optional(),
  })
  .strict();
export type SimulatorDefaultsPatch = z.infer<typeof simulatorDefaultsPatchSchema>;

/** Body of "configure network services": `failures` merged like a host's (null clears). */
export const simulatorServicesPatchSchema = z
  .object({
    failures: z.object({ apply: failureMessage.nullable().optional(), release: failureMessage.nullable().optional() }).strict().nullable(),
  })
  .strict();
export type SimulatorServicesPatch = z.infer<typeof simulatorServicesPatchSchema>;

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/** The failure a test or demo injected; its message is exactly the configured string. */
export class SimulatorInjectedError extends Error {
  readonly code = 'SIMULATOR_INJECTED_FAILURE';
  constructor(
    message: string,
    readonly op: SimulatorFailableOp | SimulatorServiceOp,
    readonly hostUuid: string | null,
  ) {
    super(message);
    this.name = 'SimulatorInjectedError';
  }
}

/** What a real host would refuse: missing interface, device conflict, bridge not realized. */
export class SimulatorHostError extends Error {
  readonly code = 'SIMULATOR_HOST_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorHostError';
  }
}

/** Invalid configuration input: a 400 API error (code INVALID_SIMULATOR_CONFIG) with a detail per problem. */
export class SimulatorConfigError extends BadRequestError {
  constructor(message: string, details: ErrorDetail[]) {
    super('INVALID_SIMULATOR_CONFIG', message, details);
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw new SimulatorConfigError(`invalid ${what}: ${details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')}`, details);
}

// ---------------------------------------------------------------------------------------
// The state
// ---------------------------------------------------------------------------------------

type HostRef = Pick<Host, 'uuid' | 'name' | 'managementIp'>;
type L2Ref = Pick<L2Network, 'uuid' | 'name' | 'type' | 'physicalInterface' | 'vlan' | 'vni'>;

interface HostRecord {
  uuid: string;
  name: string | null;
  managementIp: string | null;
  latencyMs: number | undefined;
  interfaces: SimulatorInterfaces | undefined;
  failures: Partial<Record<SimulatorFailableOp, string>>;
  devices: Map<string, SimulatorDevice>;
  opLog: SimulatorOpLogEntry[];
  nextSeq: number;
  /** vmUuid -> L2 uuids preInstantiate realized for that VM (releaseOnFailure undoes them). */
  realizedOnDemand: Map<string, Set<string>>;
}

function describeHost(rec: HostRecord): string {
  const name = rec.name !== null ? `'${rec.name}' ` : '';
  const ip = rec.managementIp !== null ? `, ${rec.managementIp}` : '';
  return `host ${name}(${rec.uuid}${ip})`;
}

function describeL2(l2: Pick<L2Network, 'uuid' | 'name'>): string {
  return `L2 network '${l2.name}' (${l2.uuid})`;
}

/** A message sets an op's failure, null clears it; a null patch clears every op. */
function mergeFailures<K extends string>(current: Partial<Record<K, string>>, patch: Partial<Record<K, string | null>> | null): Partial<Record<K, string>> {
  if (patch === null) return {};
  const next: Partial<Record<K, string>> = { ...current };
  for (const op of Object.keys(patch) as K[]) {
    const message = patch[op];
    if (message === null) delete next[op];
    else if (message !== undefined) next[op] = message;
  }
  return next;
}

function byName(a: SimulatorDevice, b: SimulatorDevice): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function copyDevice(d: SimulatorDevice): SimulatorDevice {
  return { ...d };
}

export class SimulatorState {
  private readonly hosts = new Map<string, HostRecord>();
  private readonly applied = new Map<string, SimulatorAppliedService>();
  private serviceFailures: Partial<Record<SimulatorServiceOp, string>> = {};
  private defaultLatencyMs: number;
  private defaultInterfaces: SimulatorInterfaces;
  private readonly opLogLimit: number;

  constructor(options: SimulatorStateOptions = {}) {
    const defaults = parseOrThrow(
      simulatorDefaultsPatchSchema,
      { latencyMs: options.defaultLatencyMs, interfaces: options.defaultInterfaces },
      'simulator defaults',
    );
    this.defaultLatencyMs = defaults.latencyMs ?? 0;
    this.defaultInterfaces = defaults.interfaces ?? [...DEFAULT_SIMULATOR_INTERFACES];
    const limit = options.opLogLimit ?? DEFAULT_OP_LOG_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new SimulatorConfigError(`invalid simulator opLogLimit: ${String(limit)} (must be an integer >= 1)`, [
        { path: 'opLogLimit', message: 'must be an integer >= 1' },
      ]);
    }
    this.opLogLimit = limit;
  }

  // ---- Reading ----

  /** A host's config and devices (sorted by name). A host never seen has no devices. */
  getHostState(hostUuid: string): SimulatorHostState {
    const rec = this.hosts.get(hostUuid);
    if (!rec) {
      return { hostUuid, hostName: null, managementIp: null, config: this.effectiveConfig(undefined), devices: [] };
    }
    return {
      hostUuid: rec.uuid,
      hostName: rec.name,
      managementIp: rec.managementIp,
      config: this.effectiveConfig(rec),
      devices: [...rec.devices.values()].sort(byName).map(copyDevice),
    };
  }

  /** Devices of one host, sorted by name. */
  getDevices(hostUuid: string): SimulatorDevice[] {
    return this.getHostState(hostUuid).devices;
  }

  /** Every host the simulator has seen or been told about, sorted by uuid. */
  listHosts(): SimulatorHostState[] {
    return [...this.hosts.keys()].sort().map((uuid) => this.getHostState(uuid));
  }

  /** Every device on every host, sorted by host uuid then device name. */
  listDevices(): Array<SimulatorDevice & { hostUuid: string }> {
    return this.listHosts().flatMap((h) => h.devices.map((d) => ({ hostUuid: h.hostUuid, ...d })));
  }

  /** The host's operation log, oldest first (at most opLogLimit entries). */
  getOpLog(hostUuid: string): SimulatorOpLogEntry[] {
    return (this.hosts.get(hostUuid)?.opLog ?? []).map((e) => ({ ...e }));
  }

  hasHost(hostUuid: string): boolean {
    return this.hosts.has(hostUuid);
  }

  getDefaults(): { latencyMs: number; interfaces: SimulatorInterfaces } {
    return { latencyMs: this.defaultLatencyMs, interfaces: this.copyInterfaces(this.defaultInterfaces) };
  }

  getServicesState(): SimulatorServicesState {
    return { failures: { ...this.serviceFailures }, applied: this.getAppliedServices() };
  }

  /** Services applied by the simulator's backends, optionally for one L3 network. */
  getAppliedServices(l3NetworkUuid?: string): SimulatorAppliedService[] {
    return [...this.applied.values()]
      .filter((s) => l3NetworkUuid === undefined || s.l3NetworkUuid === l3NetworkUuid)
      .sort((a, b) => a.l3NetworkUuid.localeCompare(b.l3NetworkUuid) || a.serviceType.localeCompare(b.serviceType))
      .map((s) => ({ ...s }));
  }

  // ---- Configuring ----

  /**
   * Configures one host (validated; throws SimulatorConfigError with details). See
   * simulatorHostConfigPatchSchema for the patch semantics. Returns the host's new state.
   */
  configureHost(hostUuid: string, patch: unknown): SimulatorHostState {
    if (typeof hostUuid !== 'string' || !HOST_ID.test(hostUuid)) {
      throw new SimulatorConfigError('invalid simulator host config: the host uuid must be 1-64 letters, digits and dashes', [
        { path: 'hostUuid', message: 'expected a host uuid' },
      ]);
    }
    if (!this.hosts.has(hostUuid) && this.hosts.size >= MAX_SIMULATOR_HOSTS) {
      throw new SimulatorConfigError(`the simulator keeps at most ${MAX_SIMULATOR_HOSTS} hosts`, [{ path: 'hostUuid', message: 'too many simulated hosts' }]);
    }
    const p = parseOrThrow(simulatorHostConfigPatchSchema, patch, `simulator config for host ${hostUuid.slice(0, 64)}`);
    const rec = this.record(hostUuid);
    if (p.latencyMs !== undefined) rec.latencyMs = p.latencyMs ?? undefined;
    if (p.interfaces !== undefined) rec.interfaces = p.interfaces === null ? undefined : this.copyInterfaces(p.interfaces);
    if (p.failures !== undefined) rec.failures = mergeFailures(rec.failures, p.failures);
    return this.getHostState(hostUuid);
  }

  /** Sets the latency/interfaces of hosts that have no setting of their own. */
  configureDefaults(patch: unknown): { latencyMs: number; interfaces: SimulatorInterfaces } {
    const p = parseOrThrow(simulatorDefaultsPatchSchema, patch, 'simulator defaults');
    if (p.latencyMs !== undefined) this.defaultLatencyMs = p.latencyMs;
    if (p.interfaces !== undefined) this.defaultInterfaces = this.copyInterfaces(p.interfaces);
    return this.getDefaults();
  }

  /** Injects or clears failures of the network service backends (apply/release). */
  configureServices(patch: unknown): SimulatorServicesState {
    const p = parseOrThrow(simulatorServicesPatchSchema, patch, 'simulator services config');
    this.serviceFailures = mergeFailures(this.serviceFailures, p.failures);
    return this.getServicesState();
  }

  /** Forgets every host, device, log entry, applied service and failure; keeps the defaults. */
  reset(): void {
    this.hosts.clear();
    this.applied.clear();
    this.serviceFailures = {};
  }

  // ---- L2 operations (called by the realizers) ----

  checkL2(host: HostRef, l2: L2Ref): Promise<void> {
    return this.run(host, 'check', l2.uuid, null, (rec) => this.checkL2Now(rec, l2));
  }

  /** Creates the devices `l2` needs that are missing; returns their names. Throws PartialRealizationError. */
  async realizeL2(host: HostRef, l2: L2Ref): Promise<string[]> {
    let created: string[] = [];
    try {
      await this.run(
        host,
        'realize',
        l2.uuid,
        null,
        (rec) => (created = this.realizeL2Now(rec, l2)),
        (rec) => (created = this.realizeL2Now(rec, l2, { bridgeOnly: true })),
      );
      return created;
    } catch (err) {
      throw created.length > 0 ? new PartialRealizationError(err, created) : err;
    }
  }

  /** Deletes the named devices of `l2` (what one realize created). */
  undoL2(host: HostRef, l2: L2Ref, created: readonly string[]): Promise<void> {
    return this.run(host, 'delete', l2.uuid, null, (rec) => {
      for (const name of created) {
        const d = rec.devices.get(name);
        if (d && d.type !== 'vmNic' && d.l2NetworkUuid === l2.uuid) rec.devices.delete(name);
      }
    });
  }

  /**
   * Removes the host's devices that neither a desired L2 network nor a desired VM explains;
   * returns their names.
   */
  async removeOrphans(host: HostRef, l2Uuids: ReadonlySet<string>, vmUuids: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    const explained = (d: SimulatorDevice) => (d.type === 'vmNic' ? vmUuids.has(d.vmUuid) : l2Uuids.has(d.l2NetworkUuid));
    // Nothing to remove (the usual case): no operation reaches the host.
    if ([...(this.hosts.get(host.uuid)?.devices.values() ?? [])].every(explained)) return removed;
    return this.run(host, 'delete', null, null, (rec) => {
      for (const [name, d] of [...rec.devices].sort(([a], [b]) => a.localeCompare(b))) {
        if (explained(d)) continue;
        rec.devices.delete(name);
        removed.push(name);
      }
    }).then(() => removed);
  }

  deleteL2(host: HostRef, l2: L2Ref): Promise<void> {
    return this.run(host, 'delete', l2.uuid, null, (rec) => this.deleteL2Now(rec, l2));
  }

  // ---- VM operations (called by the pre-instantiate extension and the VM backend) ----

  /** Realizes, on the VM's host, every L2 its NICs need that isn't there yet. */
  preInstantiate(spec: VmInstantiateSpec): Promise<void> {
    return this.run(spec.host, 'preInstantiate', null, spec.vmUuid, (rec) => {
      const missing = this.uniqueL2s(spec).filter((l2) => !this.isRealized(rec, l2));
      // Check them all first so a failure leaves nothing behind.
      for (const l2 of missing) this.checkL2Now(rec, l2);
      const mine = rec.realizedOnDemand.get(spec.vmUuid) ?? new Set<string>();
      for (const l2 of missing) {
        this.realizeL2Now(rec, l2);
        mine.add(l2.uuid);
      }
      if (mine.size > 0) rec.realizedOnDemand.set(spec.vmUuid, mine);
    });
  }

  /** Deletes the L2s preInstantiate realized for this VM, unless other VM NICs use them. */
  releaseOnFailure(spec: VmInstantiateSpec): Promise<void> {
    return this.run(spec.host, 'releaseOnFailure', null, spec.vmUuid, (rec) => {
      const mine = rec.realizedOnDemand.get(spec.vmUuid);
      rec.realizedOnDemand.delete(spec.vmUuid);
      if (!mine) return;
      for (const l2 of this.uniqueL2s(spec)) {
        if (!mine.has(l2.uuid)) continue;
        if (this.nicsOnL2(rec, l2.uuid).length > 0) continue;
        this.deleteL2Now(rec, l2);
      }
    });
  }

  /** Plugs each NIC into its L2's bridge (the bridge must be realized on the host); returns the NICs it added. */
  async startVm(spec: VmInstantiateSpec): Promise<string[]> {
    const added: string[] = [];
    await this.run(spec.host, 'start', null, spec.vmUuid, (rec) => {
      const planned: SimulatorVmNicDevice[] = [];
      for (const { nic, l3, l2 } of spec.nics) {
        const { bridge } = l2DeviceNames(l2);
        const b = rec.devices.get(bridge);
        if (!b || b.type !== 'bridge' || b.l2NetworkUuid !== l2.uuid) {
          throw new SimulatorHostError(
            `cannot start VM '${spec.vmName}' (${spec.vmUuid}) on ${describeHost(rec)}: bridge ${bridge} of ${describeL2(l2)} is not realized there`,
          );
        }
        if (l3.l2NetworkUuid !== l2.uuid || nic.l3NetworkUuid !== l3.uuid) {
          throw new SimulatorHostError(
            `cannot start VM '${spec.vmName}' (${spec.vmUuid}): NIC ${nic.uuid} is on L3 ${nic.l3NetworkUuid}, spec gives L3 ${l3.uuid} on L2 ${l3.l2NetworkUuid} and ${describeL2(l2)}`,
          );
        }
        const name = vmNicDeviceName(nic.uuid);
        const existing = rec.devices.get(name);
        if (existing && !(existing.type === 'vmNic' && existing.nicUuid === nic.uuid && existing.vmUuid === spec.vmUuid)) {
          throw new SimulatorHostError(`cannot start VM '${spec.vmName}' (${spec.vmUuid}) on ${describeHost(rec)}: device ${name} already exists`);
        }
        planned.push({
          type: 'vmNic',
          name,
          vmUuid: spec.vmUuid,
          nicUuid: nic.uuid,
          l3NetworkUuid: l3.uuid,
          l2NetworkUuid: l2.uuid,
          bridge,
          mac: nic.mac,
          ip: nic.ip,
        });
      }
      for (const d of planned) {
        if (!rec.devices.has(d.name)) added.push(d.name);
        rec.devices.set(d.name, d);
      }
    });
    return added;
  }

  /** Unplugs every NIC of the VM from the host. */
  destroyVm(spec: VmInstantiateSpec): Promise<void> {
    return this.run(spec.host, 'destroy', null, spec.vmUuid, (rec) => {
      for (const [name, d] of rec.devices) {
        if (d.type === 'vmNic' && d.vmUuid === spec.vmUuid) rec.devices.delete(name);
      }
      rec.realizedOnDemand.delete(spec.vmUuid);
    });
  }

  // ---- Network service operations (called by the service backends) ----

  async applyService(providerType: ProviderType, serviceType: ServiceType, l3: L3Network, attachment: NetworkServiceAttachment): Promise<void> {
    await this.serviceLatency();
    const failure = this.serviceFailures.apply;
    if (failure !== undefined) throw new SimulatorInjectedError(failure, 'apply', null);
    this.assertAttachmentFits(serviceType, l3, attachment);
    const key = `${l3.uuid}/${serviceType}`;
    const existing = this.applied.get(key);
    if (existing && existing.providerUuid !== attachment.providerUuid) {
      throw new SimulatorHostError(
        `${serviceType} on L3 network '${l3.name}' (${l3.uuid}) is already provided by provider ${existing.providerUuid} (${existing.providerType})`,
      );
    }
    this.applied.set(key, {
      l3NetworkUuid: l3.uuid,
      serviceType,
      providerType,
      providerUuid: attachment.providerUuid,
      attachmentUuid: attachment.uuid,
    });
  }

  async releaseService(_providerType: ProviderType, serviceType: ServiceType, l3: L3Network, attachment: NetworkServiceAttachment): Promise<void> {
    await this.serviceLatency();
    const failure = this.serviceFailures.release;
    if (failure !== undefined) throw new SimulatorInjectedError(failure, 'release', null);
    const key = `${l3.uuid}/${serviceType}`;
    if (this.applied.get(key)?.providerUuid === attachment.providerUuid) this.applied.delete(key);
  }

  // ---- Internals ----

  private record(hostUuid: string, host?: HostRef): HostRecord {
    let rec = this.hosts.get(hostUuid);
    if (!rec) {
      rec = {
        uuid: hostUuid,
        name: null,
        managementIp: null,
        latencyMs: undefined,
        interfaces: undefined,
        failures: {},
        devices: new Map(),
        opLog: [],
        nextSeq: 1,
        realizedOnDemand: new Map(),
      };
      this.hosts.set(hostUuid, rec);
    }
    if (host) {
      rec.name = host.name;
      rec.managementIp = host.managementIp;
    }
    return rec;
  }

  private effectiveConfig(rec: HostRecord | undefined): SimulatorHostConfig {
    return {
      latencyMs: rec?.latencyMs ?? this.defaultLatencyMs,
      interfaces: this.copyInterfaces(rec?.interfaces ?? this.defaultInterfaces),
      failures: { ...(rec?.failures ?? {}) },
    };
  }

  private copyInterfaces(i: SimulatorInterfaces): SimulatorInterfaces {
    return i === 'any' ? 'any' : [...i];
  }

  /**
   * Waits the host's latency, then fails with the injected message (after `onFailure`, for
   * ops that fail midway) or runs `body`. Logs the outcome either way.
   */
  private async run(
    host: HostRef,
    op: SimulatorOp,
    l2NetworkUuid: string | null,
    vmUuid: string | null,
    body: (rec: HostRecord) => void,
    onFailure?: (rec: HostRecord) => void,
  ): Promise<void> {
    const rec = this.record(host.uuid, host);
    const latency = rec.latencyMs ?? this.defaultLatencyMs;
    if (latency > 0) await sleep(latency);
    try {
      const failure = op === 'releaseOnFailure' ? undefined : rec.failures[op];
      if (failure !== undefined) {
        onFailure?.(rec);
        throw new SimulatorInjectedError(failure, op as SimulatorFailableOp, rec.uuid);
      }
      body(rec);
      this.log(rec, { op, l2NetworkUuid, vmUuid, ok: true });
    } catch (err) {
      this.log(rec, { op, l2NetworkUuid, vmUuid, ok: false, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  private log(rec: HostRecord, e: Omit<SimulatorOpLogEntry, 'seq' | 'at'>): void {
    rec.opLog.push({ seq: rec.nextSeq++, at: new Date().toISOString(), ...e });
    if (rec.opLog.length > this.opLogLimit) rec.opLog.splice(0, rec.opLog.length - this.opLogLimit);
  }

  private async serviceLatency(): Promise<void> {
    if (this.defaultLatencyMs > 0) await sleep(this.defaultLatencyMs);
  }

  /** The devices `l2` needs on a host, bridge first (the order realize creates them in). */
  private plannedDevices(l2: L2Ref): SimulatorDevice[] {
    const names = l2DeviceNames(l2);
    const out: SimulatorDevice[] = [{ type: 'bridge', name: names.bridge, l2NetworkUuid: l2.uuid }];
    if (names.vlanDevice !== undefined) {
      out.push({ type: 'vlan', name: names.vlanDevice, l2NetworkUuid: l2.uuid, parent: l2.physicalInterface, vlan: l2.vlan as number, bridge: names.bridge });
    }
    if (names.vxlanDevice !== undefined) {
      out.push({ type: 'vxlan', name: names.vxlanDevice, l2NetworkUuid: l2.uuid, vni: l2.vni as number, underlay: l2.physicalInterface, bridge: names.bridge });
    }
    return out;
  }

  private checkL2Now(rec: HostRecord, l2: L2Ref): void {
    const interfaces = rec.interfaces ?? this.defaultInterfaces;
    if (interfaces !== 'any' && !interfaces.includes(l2.physicalInterface)) {
      throw new SimulatorHostError(
        `${describeHost(rec)} has no physical interface '${l2.physicalInterface}' needed by ${describeL2(l2)} (it has: ${interfaces.length > 0 ? interfaces.join(', ') : 'none'})`,
      );
    }
    for (const d of this.plannedDevices(l2)) {
      const existing = rec.devices.get(d.name);
      if (!existing) continue;
      const owner = existing.type === 'vmNic' ? `VM ${existing.vmUuid}` : `L2 network ${existing.l2NetworkUuid}`;
      if (existing.type === 'vmNic' || existing.l2NetworkUuid !== l2.uuid) {
        throw new SimulatorHostError(`${describeHost(rec)} cannot carry ${describeL2(l2)}: device ${d.name} already exists and belongs to ${owner}`);
      }
    }
  }

  /** Creates the planned devices that are missing; returns their names. */
  private realizeL2Now(rec: HostRecord, l2: L2Ref, opts: { bridgeOnly?: boolean } = {}): string[] {
    this.checkL2Now(rec, l2);
    const planned = this.plannedDevices(l2);
    const created: string[] = [];
    for (const d of opts.bridgeOnly ? planned.slice(0, 1) : planned) {
      if (!rec.devices.has(d.name)) created.push(d.name);
      rec.devices.set(d.name, d);
    }
    return created;
  }

  private deleteL2Now(rec: HostRecord, l2: Pick<L2Network, 'uuid' | 'name'>): void {
    const plugged = this.nicsOnL2(rec, l2.uuid);
    if (plugged.length > 0) {
      throw new SimulatorHostError(
        `cannot delete ${describeL2(l2)} from ${describeHost(rec)}: VM NICs still plugged into it: ${plugged.map((n) => `${n.name} (VM ${n.vmUuid})`).join(', ')}`,
      );
    }
    for (const [name, d] of rec.devices) {
      if (d.type !== 'vmNic' && d.l2NetworkUuid === l2.uuid) rec.devices.delete(name);
    }
  }

  private isRealized(rec: HostRecord, l2: L2Ref): boolean {
    return this.plannedDevices(l2).every((d) => {
      const existing = rec.devices.get(d.name);
      return existing !== undefined && existing.type !== 'vmNic' && existing.l2NetworkUuid === l2.uuid;
    });
  }

  private nicsOnL2(rec: HostRecord, l2Uuid: string): SimulatorVmNicDevice[] {
    const out: SimulatorVmNicDevice[] = [];
    for (const d of rec.devices.values()) {
      if (d.type === 'vmNic' && d.l2NetworkUuid === l2Uuid) out.push(d);
    }
    return out.sort(byName);
  }

  private uniqueL2s(spec: VmInstantiateSpec): L2Network[] {
    const seen = new Map<string, L2Network>();
    for (const n of spec.nics) if (!seen.has(n.l2.uuid)) seen.set(n.l2.uuid, n.l2);
    return [...seen.values()];
  }

  private assertAttachmentFits(serviceType: ServiceType, l3: L3Network, attachment: NetworkServiceAttachment): void {
    if (attachment.l3NetworkUuid !== l3.uuid) {
      throw new SimulatorHostError(`network service attachment ${attachment.uuid} is for L3 ${attachment.l3NetworkUuid}, not L3 network '${l3.name}' (${l3.uuid})`);
    }
    if (!attachment.services.includes(serviceType)) {
      throw new SimulatorHostError(`network service attachment ${attachment.uuid} does not include ${serviceType} (it has: ${attachment.services.join(', ')})`);
    }
  }
}
