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
 *
 * Around this: types.ts (what is exposed), config.ts (configuring it), host-devices.ts (one
 * host's devices), services.ts (network service endpoints), errors.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from '../../../topology/model';
import { PartialRealizationError, type HostFirewall, type ServiceEndpoint, type VmInstantiateSpec } from '../../extension/points';
import { firewallRuleset, portGuardRuleset } from '../../../hosts/services/service-rules';
import type { NftBatch } from '../../../hosts/services/nft';
import { mergeFailures, parseOrThrow, simulatorDefaultsPatchSchema, simulatorHostConfigPatchSchema } from './config';
import { SimulatorConfigError, SimulatorInjectedError } from './errors';
import * as dev from './host-devices';
import { endpointRecord } from './services';
import {
  DEFAULT_OP_LOG_LIMIT,
  DEFAULT_OP_LOG_TOTAL_LIMIT,
  DEFAULT_SIMULATOR_INTERFACES,
  MAX_SIMULATOR_HOSTS,
  type SimulatorDevice,
  type SimulatorFailableOp,
  type SimulatorHostConfig,
  type SimulatorHostState,
  type SimulatorInterfaces,
  type SimulatorOp,
  type SimulatorOpLogEntry,
  type SimulatorServiceEndpoint,
  type SimulatorStateOptions,
} from './types';

export * from './types';
export * from './errors';
export { simulatorDefaultsPatchSchema, simulatorHostConfigPatchSchema } from './config';
export type { SimulatorDefaultsPatch, SimulatorHostConfigPatch } from './config';

/** What a host id looks like (netforge's are uuids): configuring any other key is refused. */
const HOST_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

type HostRef = Pick<Host, 'uuid' | 'name' | 'managementIp'>;

export class SimulatorState {
  private readonly hosts = new Map<string, dev.HostRecord>();
  private defaultLatencyMs: number;
  private defaultInterfaces: SimulatorInterfaces;
  private readonly opLogLimit: number;
  private readonly opLogTotalLimit: number;
  /** Every logged entry with its host, oldest first from `logHead`; `live` false once the per-host limit dropped it. */
  private logOrder: LoggedEntry[] = [];
  private logHead = 0;
  private readonly loggedOf = new WeakMap<SimulatorOpLogEntry, LoggedEntry>();
  /** Entries still in some host's log. */
  private logged = 0;

  constructor(options: SimulatorStateOptions = {}) {
    const defaults = parseOrThrow(simulatorDefaultsPatchSchema, { latencyMs: options.defaultLatencyMs, interfaces: options.defaultInterfaces }, 'simulator defaults');
    this.defaultLatencyMs = defaults.latencyMs ?? 0;
    this.defaultInterfaces = defaults.interfaces ?? [...DEFAULT_SIMULATOR_INTERFACES];
    this.opLogLimit = positiveLimit('opLogLimit', options.opLogLimit ?? DEFAULT_OP_LOG_LIMIT);
    this.opLogTotalLimit = positiveLimit('opLogTotalLimit', options.opLogTotalLimit ?? DEFAULT_OP_LOG_TOTAL_LIMIT);
  }

  // ---- Reading ----

  /** A host's config and devices (sorted by name). A host never seen has no devices. */
  getHostState(hostUuid: string): SimulatorHostState {
    const rec = this.hosts.get(hostUuid);
    if (!rec) return { hostUuid, hostName: null, managementIp: null, config: this.effectiveConfig(undefined), devices: [] };
    return {
      hostUuid: rec.uuid,
      hostName: rec.name,
      managementIp: rec.managementIp,
      config: this.effectiveConfig(rec),
      devices: [...rec.devices.values()].sort(dev.byName).map(dev.copyDevice),
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
    return { latencyMs: this.defaultLatencyMs, interfaces: copyInterfaces(this.defaultInterfaces) };
  }

  /** Service endpoints the hosts run (optionally of one L3 network), by host uuid then key. */
  listEndpoints(l3NetworkUuid?: string): Array<SimulatorServiceEndpoint & { hostUuid: string }> {
    return [...this.hosts.values()]
      .sort((a, b) => a.uuid.localeCompare(b.uuid))
      .flatMap((rec) =>
        [...rec.endpoints.values()]
          .filter((e) => l3NetworkUuid === undefined || e.l3NetworkUuid === l3NetworkUuid)
          .sort((a, b) => a.key.localeCompare(b.key))
          .map((e) => ({ hostUuid: rec.uuid, ...structuredClone(e) })),
      );
  }

  // ---- Configuring ----

  /**
   * Configures one host (validated; throws SimulatorConfigError with details). See
   * simulatorHostConfigPatchSchema for the patch semantics. Returns the host's new state.
   */
  configureHost(hostUuid: string, patch: unknown): SimulatorHostState {
    if (typeof hostUuid !== 'string' || !HOST_ID.test(hostUuid)) {
      throw new SimulatorConfigError('invalid simulator host config: the host uuid must be 1-64 letters, digits and dashes', [{ path: 'hostUuid', message: 'expected a host uuid' }]);
    }
    if (!this.hosts.has(hostUuid) && this.hosts.size >= MAX_SIMULATOR_HOSTS) {
      throw new SimulatorConfigError(`the simulator keeps at most ${MAX_SIMULATOR_HOSTS} hosts`, [{ path: 'hostUuid', message: 'too many simulated hosts' }]);
    }
    const p = parseOrThrow(simulatorHostConfigPatchSchema, patch, `simulator config for host ${hostUuid.slice(0, 64)}`);
    const rec = this.record(hostUuid);
    if (p.latencyMs !== undefined) rec.latencyMs = p.latencyMs ?? undefined;
    if (p.interfaces !== undefined) rec.interfaces = p.interfaces === null ? undefined : copyInterfaces(p.interfaces);
    if (p.failures !== undefined) rec.failures = mergeFailures(rec.failures, p.failures);
    return this.getHostState(hostUuid);
  }

  /** Sets the latency/interfaces of hosts that have no setting of their own. */
  configureDefaults(patch: unknown): { latencyMs: number; interfaces: SimulatorInterfaces } {
    const p = parseOrThrow(simulatorDefaultsPatchSchema, patch, 'simulator defaults');
    if (p.latencyMs !== undefined) this.defaultLatencyMs = p.latencyMs;
    if (p.interfaces !== undefined) this.defaultInterfaces = copyInterfaces(p.interfaces);
    return this.getDefaults();
  }

  /** Forgets every host, device, log entry, service endpoint and failure; keeps the defaults. */
  /** Operation-log entries held over all hosts, and the length of the bookkeeping queue behind the total limit (at most about twice that). */
  opLogStats(): { entries: number; queued: number } {
    return { entries: this.logged, queued: this.logOrder.length };
  }

  reset(): void {
    this.hosts.clear();
    this.logOrder = [];
    this.logHead = 0;
    this.logged = 0;
  }

  // ---- L2 operations (called by the realizers) ----

  checkL2(host: HostRef, l2: dev.L2Ref): Promise<void> {
    return this.run(host, 'check', l2.uuid, null, (rec) => dev.checkL2(rec, l2, this.interfacesOf(rec)));
  }

  /** Creates the devices `l2` needs that are missing; returns their names. Throws PartialRealizationError. */
  async realizeL2(host: HostRef, l2: dev.L2Ref): Promise<string[]> {
    let created: string[] = [];
    try {
      await this.run(
        host,
        'realize',
        l2.uuid,
        null,
        (rec) => (created = dev.realizeL2(rec, l2, this.interfacesOf(rec))),
        (rec) => (created = dev.realizeL2(rec, l2, this.interfacesOf(rec), { bridgeOnly: true })),
      );
      return created;
    } catch (err) {
      throw created.length > 0 ? new PartialRealizationError(err, created) : err;
    }
  }

  /** Deletes the named devices of `l2` (what one realize created). */
  undoL2(host: HostRef, l2: dev.L2Ref, created: readonly string[]): Promise<void> {
    return this.run(host, 'delete', l2.uuid, null, (rec) => dev.undoL2(rec, l2, created));
  }

  /** Removes the host's endpoints and devices that no desired endpoint, L2 network or VM explains; returns what it removed. */
  async removeOrphans(host: HostRef, l2Uuids: ReadonlySet<string>, vmUuids: ReadonlySet<string>, endpointKeys: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    const explained = (d: SimulatorDevice) => (d.type === 'vmNic' ? vmUuids.has(d.vmUuid) : l2Uuids.has(d.l2NetworkUuid));
    const rec = this.hosts.get(host.uuid);
    // Nothing to remove (the usual case): no operation reaches the host.
    if ([...(rec?.devices.values() ?? [])].every(explained) && [...(rec?.endpoints.keys() ?? [])].every((k) => endpointKeys.has(k))) return removed;
    await this.run(host, 'delete', null, null, (r) => {
      for (const key of [...r.endpoints.keys()].sort()) {
        if (endpointKeys.has(key)) continue;
        r.endpoints.delete(key);
        removed.push(key);
      }
      for (const [name, d] of [...r.devices].sort(([a], [b]) => a.localeCompare(b))) {
        if (explained(d)) continue;
        r.devices.delete(name);
        removed.push(name);
      }
    });
    return removed;
  }

  deleteL2(host: HostRef, l2: dev.L2Ref): Promise<void> {
    return this.run(host, 'delete', l2.uuid, null, (rec) => dev.deleteL2(rec, l2));
  }

  // ---- VM operations (called by the pre-instantiate extension and the VM backend) ----

  /** Realizes, on the VM's host, every L2 its NICs need that isn't there yet. */
  preInstantiate(spec: VmInstantiateSpec): Promise<void> {
    return this.run(spec.host, 'preInstantiate', null, spec.vmUuid, (rec) => {
      const interfaces = this.interfacesOf(rec);
      const missing = dev.uniqueL2s(spec).filter((l2) => !dev.isRealized(rec, l2));
      // Check them all first so a failure leaves nothing behind.
      for (const l2 of missing) dev.checkL2(rec, l2, interfaces);
      const mine = rec.realizedOnDemand.get(spec.vmUuid) ?? new Set<string>();
      for (const l2 of missing) {
        dev.realizeL2(rec, l2, interfaces);
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
      for (const l2 of dev.uniqueL2s(spec)) {
        if (!mine.has(l2.uuid) || dev.nicsOnL2(rec, l2.uuid).length > 0) continue;
        dev.deleteL2(rec, l2);
      }
    });
  }

  /**
   * Plugs each NIC into its L2's bridge (the bridge must be realized on the host); a NIC
   * addressed by DHCP needs a server with its lease: a router's anywhere, a flat DHCP
   * server's on the VM's own host. Returns the NICs it added.
   */
  async startVm(spec: VmInstantiateSpec): Promise<string[]> {
    let added: string[] = [];
    await this.run(spec.host, 'start', null, spec.vmUuid, (rec) => (added = dev.plugVmNics(rec, spec, (nic) => this.findLease(spec.host.uuid, nic))));
    return added;
  }

  /** Unplugs every NIC of the VM from the host. */
  destroyVm(spec: VmInstantiateSpec): Promise<void> {
    return this.run(spec.host, 'destroy', null, spec.vmUuid, (rec) => dev.unplugVm(rec, spec.vmUuid));
  }

  // ---- Network service endpoints (called by the service realizer) ----

  /** Records what the endpoint serves on the host; its appliance must be running there. */
  applyEndpoint(host: HostRef, endpoint: ServiceEndpoint): Promise<void> {
    return this.run(host, 'applyServices', endpoint.isolation?.l2.uuid ?? null, endpoint.appliance.vmUuid, (rec) => {
      rec.endpoints.set(endpoint.key, endpointRecord(rec, endpoint));
    });
  }

  /** Records the host's security group filter (a failure injected into applyServices fails it too). */
  async applyFirewall(host: HostRef, firewall: HostFirewall): Promise<void> {
    // Nothing to filter where nothing is: no operation (a host joining gets no empty filter).
    const empty = firewall.nics.length === 0 && firewall.ports.length === 0;
    if (empty && !this.hosts.get(host.uuid)?.firewall) return;
    return this.run(host, 'applyServices', null, null, (rec) => {
      rec.firewall = !empty ? { filter: firewallRuleset(firewall.groups, firewall.nics), portGuard: portGuardRuleset(firewall.ports) } : null;
    });
  }

  /** Each host's security group filter, by host uuid (hosts that filter nothing left out). */
  listFirewalls(): Array<{ hostUuid: string; firewall: { filter: NftBatch; portGuard: NftBatch } }> {
    return [...this.hosts.values()]
      .sort((a, b) => a.uuid.localeCompare(b.uuid))
      .flatMap((rec) => (rec.firewall ? [{ hostUuid: rec.uuid, firewall: structuredClone(rec.firewall) }] : []));
  }

  removeEndpoint(host: HostRef, endpoint: ServiceEndpoint): Promise<void> {
    return this.run(host, 'removeServices', null, endpoint.appliance.vmUuid, (rec) => {
      rec.endpoints.delete(endpoint.key);
    });
  }

  private findLease(vmHostUuid: string, nic: { mac: string; ip: string; l3NetworkUuid: string }): { hostUuid: string; endpoint: string } | null {
    for (const rec of this.hosts.values()) {
      // A flat DHCP server is kept off the wire: only VMs on its own host reach it.
      for (const e of rec.endpoints.values()) {
        if (e.l3NetworkUuid !== nic.l3NetworkUuid || (e.kind === 'flatDhcp' && rec.uuid !== vmHostUuid)) continue;
        if (e.leases.some((l) => l.mac === nic.mac && l.ip === nic.ip)) return { hostUuid: rec.uuid, endpoint: e.key };
      }
    }
    return null;
  }

  // ---- Internals ----

  private record(hostUuid: string, host?: HostRef): dev.HostRecord {
    let rec = this.hosts.get(hostUuid);
    if (!rec) this.hosts.set(hostUuid, (rec = dev.newHostRecord(hostUuid)));
    if (host) {
      rec.name = host.name;
      rec.managementIp = host.managementIp;
    }
    return rec;
  }

  private interfacesOf(rec: dev.HostRecord): SimulatorInterfaces {
    return rec.interfaces ?? this.defaultInterfaces;
  }

  private effectiveConfig(rec: dev.HostRecord | undefined): SimulatorHostConfig {
    return {
      latencyMs: rec?.latencyMs ?? this.defaultLatencyMs,
      interfaces: copyInterfaces(rec?.interfaces ?? this.defaultInterfaces),
      failures: { ...(rec?.failures ?? {}) },
    };
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
    body: (rec: dev.HostRecord) => void,
    onFailure?: (rec: dev.HostRecord) => void,
  ): Promise<void> {
    const rec = this.record(host.uuid, host);
    const startedAt = new Date().toISOString();
    const latency = rec.latencyMs ?? this.defaultLatencyMs;
    if (latency > 0) await sleep(latency);
    try {
      const failure = op === 'releaseOnFailure' ? undefined : rec.failures[op];
      if (failure !== undefined) {
        onFailure?.(rec);
        throw new SimulatorInjectedError(failure, op as SimulatorFailableOp, rec.uuid);
      }
      body(rec);
      this.log(rec, { op, l2NetworkUuid, vmUuid, startedAt, ok: true });
    } catch (err) {
      this.log(rec, { op, l2NetworkUuid, vmUuid, startedAt, ok: false, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  private log(rec: dev.HostRecord, e: Omit<SimulatorOpLogEntry, 'seq' | 'at'>): void {
    const entry: SimulatorOpLogEntry = { seq: rec.nextSeq++, at: new Date().toISOString(), ...e };
    rec.opLog.push(entry);
    const logged: LoggedEntry = { rec, entry, live: true };
    this.logOrder.push(logged);
    this.loggedOf.set(entry, logged);
    this.logged++;
    if (rec.opLog.length > this.opLogLimit) {
      for (const dropped of rec.opLog.splice(0, rec.opLog.length - this.opLogLimit)) {
        const l = this.loggedOf.get(dropped);
        if (l?.live) {
          l.live = false;
          this.logged--;
        }
      }
    }
    while (this.logged > this.opLogTotalLimit) {
      // The oldest live entry overall is its host's oldest.
      const oldest = this.logOrder[this.logHead++];
      if (oldest.live) {
        oldest.rec.opLog.shift();
        oldest.live = false;
        this.logged--;
      }
    }
    // Entries popped at the head or dropped by the per-host limit are garbage; let go of them
    // once there are more of them than live ones (so each is copied O(1) times).
    const garbage = this.logOrder.length - this.logged;
    if (garbage > 1024 && garbage > this.logged) {
      this.logOrder = this.logOrder.slice(this.logHead).filter((l) => l.live);
      this.logHead = 0;
    }
  }
}

function copyInterfaces(i: SimulatorInterfaces): SimulatorInterfaces {
  return i === 'any' ? 'any' : [...i];
}

interface LoggedEntry {
  rec: dev.HostRecord;
  entry: SimulatorOpLogEntry;
  live: boolean;
}

function positiveLimit(name: string, limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new SimulatorConfigError(`invalid simulator ${name}: ${String(limit)} (must be an integer >= 1)`, [{ path: name, message: 'must be an integer >= 1' }]);
  }
  return limit;
}
