/**
 * The KVM hypervisor's implementations of the extension points (hypervisorType 'KVM').
 * Each operation inspects the host, computes a command plan from what it saw
 * (l2-plans.ts, vm-plans.ts) and runs it through the host's executor (by default the host
 * agent over HTTP, see index.ts). Operations on one host are serialized, so an
 * inspection is still true when its plan runs.
 */
import { Mutex } from 'async-mutex';
import type { Host, L2Network, L2Type } from '../../../topology/model';
import {
  PartialRealizationError,
  type DesiredHostState,
  type HostReconcileExtensionPoint,
  type L2NetworkRealizationExtensionPoint,
  type HostFirewall,
  type NetworkServiceRealizer,
  type PreVmInstantiateResourceExtensionPoint,
  type Realization,
  type ServiceEndpoint,
  type VmInstanceBackend,
  type VmInstantiateSpec,
} from '../../extension/points';
import { l2DeviceNames, vmNicDeviceName } from '../../../hosts/linux/device-names';
import { cmd, CommandFailedError, createdDevice, parseJsonOutput, type CommandExecutor, type CommandPlan, type CommandResult } from '../../../hosts/linux/commands';
import { KvmHostError, KvmInvalidInputError, describeHost, describeL2, type HostRef } from './errors';
import { inspectPlan, parseInspection, type NetnsInspection } from '../../../hosts/linux/inspect';
import { interpretVlanProbe, l2Devices, l2Problems, planL2Delete, planL2Realize, vlanProbePlan, vmNicsOnBridge, type L2Ref } from './l2-plans';
import { PROBE_PREFIX, VM_NETNS_PATTERN, vmNetnsName } from '../../../hosts/linux/names';
import { orphanEndpointTables, planEndpointApply, planEndpointRemove, planFirewall, planTableRemove, planVipSync, tablesPlan } from './service-plans';
import { leasesPlan, parseLeases, parseVmInspection, planLeaseApply, planVmDestroy, planVmStart, vmInspectPlan, vmPlanInput, type VmNicPlanInput } from './vm-plans';
import { builtin } from '../../../hosts/services/builtins';
import { DhcpLease } from '../../../hosts/services/dhcp-client';

export const KVM_HYPERVISOR_TYPE = 'KVM' as const;

/** How the plugin reaches a host: one executor per host (agent over HTTP, local, netns, recording). */
export type HostExecutorFactory = (host: HostRef) => CommandExecutor;

/** Executors and per-host locks shared by every KVM extension. */
export class KvmHosts {
  private readonly locks = new Map<string, Mutex>();
  /**
   * vmUuid -> L2 networks preInstantiate realized on demand for that VM, kept until the VM
   * has started (or releaseOnFailure undid them).
   */
  readonly realizedOnDemand = new Map<string, L2Network[]>();
  constructor(private readonly executorFor: HostExecutorFactory) {}

  /** Runs `fn` with the host's executor while holding the host's lock. */
  async withHost<T>(host: HostRef, fn: (exec: CommandExecutor) => Promise<T>): Promise<T> {
    let lock = this.locks.get(host.uuid);
    if (!lock) {
      lock = new Mutex();
      this.locks.set(host.uuid, lock);
    }
    return lock.runExclusive(() => fn(this.executorFor(host)));
  }

  /** Links and addresses of the host (its own network namespace). */
  async inspect(exec: CommandExecutor): Promise<NetnsInspection> {
    return parseInspection(await exec.run(inspectPlan()), exec.description);
  }
}

/**
 * check / realize / delete of one L2 type on KVM hosts, one instance per type (l2-plans.ts
 * says what each type needs):
 *   L2NoVlanNetwork  bridge br_<iface> with the physical interface as a port
 *   L2VlanNetwork    VLAN device <iface>.<vlan> in bridge br_<iface>_<vlan>; check fails on kernels without 802.1Q
 *   L2VxlanNetwork   VXLAN device vxlan<vni> over the interface's IPv4 address in bridge br_vx_<vni>
 */
export class KvmL2Realizer implements L2NetworkRealizationExtensionPoint {
  readonly hypervisorType = KVM_HYPERVISOR_TYPE;

  constructor(
    protected readonly hosts: KvmHosts,
    readonly l2Type: L2Type,
  ) {}

  /** Interface present, no device in the way, kernel support (VLAN: probed); leaves nothing behind. */
  async check(l2: L2Network, host: Host): Promise<void> {
    this.validate(l2);
    await this.hosts.withHost(host, async (exec) => {
      const insp = await this.hosts.inspect(exec);
      const problems = l2Problems(l2, host, insp);
      if (problems.length > 0) throw new KvmHostError(problems.join('; '));
      const plan = vlanProbePlan(l2, insp);
      if (plan.length > 0) interpretVlanProbe(l2, host, plan, await exec.run(plan));
    });
  }

  async realize(l2: L2Network, host: Host): Promise<Realization> {
    this.validate(l2);
    return this.hosts.withHost(host, (exec) => realizeWith(this.hosts, exec, l2, host));
  }

  async undo(l2: L2Network, host: Host, realization: Realization): Promise<void> {
    this.validate(l2);
    await this.hosts.withHost(host, (exec) => removeCreated(this.hosts, exec, realization.created));
  }

  async delete(l2: L2Network, host: Host): Promise<void> {
    this.validate(l2);
    await this.hosts.withHost(host, async (exec) => {
      const plan = planL2Delete(l2, host, await this.hosts.inspect(exec));
      if (plan.length > 0) await exec.run(plan);
    });
  }

  /** Throws before anything reaches the host (type, interface name, VLAN/VNI). */
  private validate(l2: L2Network): void {
    if (l2.type !== this.l2Type) throw new KvmInvalidInputError(`the KVM realizer of ${this.l2Type} got ${describeL2(l2)} of type ${l2.type}`);
    l2Devices(l2);
  }
}

/** Devices the plan's `ip link add` commands created, by the results of those that ran. */
function createdBy(plan: CommandPlan, results: readonly CommandResult[]): string[] {
  return results.flatMap((r, i) => {
    const made = r.code === 0 ? createdDevice(plan[i].argv) : null;
    return made ? [made.name] : [];
  });
}

/**
 * Runs a change plan and tells what it created; a plan that fails part way throws
 * PartialRealizationError with what it had created, for the caller's rollback.
 */
async function runCreating(exec: CommandExecutor, plan: CommandPlan): Promise<Realization> {
  if (plan.length === 0) return { created: [] };
  try {
    return { created: createdBy(plan, await exec.run(plan)) };
  } catch (err) {
    const created = err instanceof CommandFailedError ? createdBy(plan, err.previous) : [];
    throw created.length > 0 ? new PartialRealizationError(err, created) : err;
  }
}

/** Inspects and realizes what is missing. Caller holds the host lock. */
async function realizeWith(hosts: KvmHosts, exec: CommandExecutor, l2: L2Ref, host: HostRef): Promise<Realization> {
  return runCreating(exec, planL2Realize(l2, host, await hosts.inspect(exec)));
}

/** Deletes, newest first, the named devices that are still there and netforge's. Caller holds the host lock. */
async function removeCreated(hosts: KvmHosts, exec: CommandExecutor, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const insp = await hosts.inspect(exec);
  const plan = [...names].reverse().filter((n) => insp.links.get(n)?.marked).map((n) => cmd('ip', 'link', 'del', 'dev', n));
  if (plan.length > 0) await exec.run(plan);
}

/**
 * Realizes on demand, on the VM's host, the VXLAN networks its NICs need (ZStack realizes
 * VXLAN networks when a VM needs them). Other L2 types are realized on attach only.
 * releaseOnFailure deletes what this VM's preInstantiate created unless other VM NICs
 * have been plugged in since.
 */
export class KvmPreVmInstantiateExtension implements PreVmInstantiateResourceExtensionPoint {
  readonly hypervisorType = KVM_HYPERVISOR_TYPE;
  constructor(private readonly hosts: KvmHosts) {}

  async preInstantiate(spec: VmInstantiateSpec): Promise<void> {
    const vxlans = uniqueL2s(spec).filter((l2) => l2.type === 'L2VxlanNetwork');
    if (vxlans.length === 0) return;
    for (const l2 of vxlans) l2Devices(l2);
    await this.hosts.withHost(spec.host, async (exec) => {
      const realized: L2Network[] = [];
      try {
        for (const l2 of vxlans) {
          const plan = planL2Realize(l2, spec.host, await this.hosts.inspect(exec));
          if (plan.length === 0) continue;
          realized.push(l2);
          await exec.run(plan);
        }
      } catch (err) {
        // The start fails and releaseOnFailure is not called for us: undo here.
        await this.deleteUnused(exec, spec.host, realized).catch(() => undefined);
        throw err;
      }
      if (realized.length > 0) this.hosts.realizedOnDemand.set(spec.vmUuid, realized);
    });
  }

  async releaseOnFailure(spec: VmInstantiateSpec): Promise<void> {
    const realized = this.hosts.realizedOnDemand.get(spec.vmUuid) ?? [];
    this.hosts.realizedOnDemand.delete(spec.vmUuid);
    if (realized.length === 0) return;
    await this.hosts.withHost(spec.host, (exec) => this.deleteUnused(exec, spec.host, realized));
  }

  /** Deletes each network unless VM NICs are plugged into its bridge. */
  private async deleteUnused(exec: CommandExecutor, host: HostRef, l2s: readonly L2Network[]): Promise<void> {
    for (const l2 of l2s) {
      const insp = await this.hosts.inspect(exec);
      if (vmNicsOnBridge(l2, insp).length > 0) continue;
      const plan = planL2Delete(l2, host, insp);
      if (plan.length > 0) await exec.run(plan);
    }
  }
}

/** A VM is a network namespace with a veth pair per NIC plugged into the NIC's L2 bridge. */
export class KvmVmInstanceBackend implements VmInstanceBackend {
  readonly hypervisorType = KVM_HYPERVISOR_TYPE;
  constructor(private readonly hosts: KvmHosts) {}

  /** Creates what is missing (NICs addressed by DHCP take their lease); on failure removes what it created and rethrows. */
  async start(spec: VmInstantiateSpec): Promise<Realization> {
    const input = vmPlanInput(spec);
    const { netns } = input;
    return this.hosts.withHost(spec.host, async (exec) => {
      const before = parseVmInspection(await exec.run(vmInspectPlan(netns)), exec.description);
      const plan = planVmStart(spec, before);
      try {
        const { created } = await runCreating(exec, plan);
        await takeLeases(exec, spec, input.nics.filter((n) => n.dhcp));
        // Started: what preInstantiate realized for it is no longer "on demand for a start".
        this.hosts.realizedOnDemand.delete(spec.vmUuid);
        return { created: before.namespaces.has(netns) ? created : [netns, ...created] };
      } catch (err) {
        // Don't leave half a VM behind: all of it when it was new, else what this start made
        // (best effort; the start's error is what matters).
        try {
          if (!before.namespaces.has(netns)) await exec.run(planVmDestroy(spec, parseVmInspection(await exec.run(vmInspectPlan(netns)), exec.description)));
          else if (err instanceof PartialRealizationError) await removeCreated(this.hosts, exec, err.created);
        } catch {
          // reported through the start's error
        }
        throw err instanceof PartialRealizationError ? err.failure : err;
      }
    });
  }

  async destroy(spec: VmInstantiateSpec): Promise<void> {
    const { netns } = vmPlanInput(spec);
    await this.hosts.withHost(spec.host, async (exec) => {
      const plan = planVmDestroy(spec, parseVmInspection(await exec.run(vmInspectPlan(netns)), exec.description));
      if (plan.length > 0) await exec.run(plan);
      this.hosts.realizedOnDemand.delete(spec.vmUuid);
    });
  }
}

/**
 * The guest side of DHCP: each NIC without a recorded lease for its address asks for one
 * (the agent runs the DHCP client in the VM's namespace), then what the lease says is
 * configured. A NIC whose lease is recorded and configured is left alone.
 */
async function takeLeases(exec: CommandExecutor, spec: VmInstantiateSpec, nics: readonly VmNicPlanInput[]): Promise<void> {
  if (nics.length === 0) return;
  const { netns } = vmPlanInput(spec);
  const recorded = parseLeases((await exec.run(leasesPlan(netns)))[0]);
  for (const nic of nics) {
    const insp = parseVmInspection(await exec.run(vmInspectPlan(netns)), exec.description);
    const ip = nic.address.split('/')[0];
    const known = recorded.get(nic.vmInterface);
    const configured = known?.ip === ip && (insp.vm.addresses.get(nic.vmInterface) ?? []).some((a) => a.local === ip);
    if (configured) continue;
    let lease: DhcpLease;
    try {
      const [answer] = await exec.run([cmd(...builtin('dhcp-request', netns, nic.vmInterface))]);
      lease = DhcpLease.parse(JSON.parse(answer.stdout));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new KvmHostError(`VM '${spec.vmName}' (${spec.vmUuid}) got no DHCP lease for ${nic.vmInterface} (${nic.mac}, ${ip}) on ${describeHost(spec.host)}: ${why}`);
    }
    const plan = planLeaseApply(spec, nic, lease, insp);
    if (plan.length > 0) await exec.run(plan);
  }
}

function uniqueL2s(spec: VmInstantiateSpec): L2Network[] {
  const seen = new Map<string, L2Network>();
  for (const n of spec.nics) if (!seen.has(n.l2.uuid)) seen.set(n.l2.uuid, n.l2);
  return [...seen.values()];
}

/**
 * Removes what a KVM host has of netforge's that the database doesn't explain: VM
 * namespaces (nfvm-*) of no VM placed there, then marked devices (VM NICs, VLAN and VXLAN
 * devices, bridges, leftover probes) of no attached network or placed VM. Each removal is
 * its own plan, so a namespace the agent refuses (not in its journal) doesn't stop the rest.
 */
export class KvmHostReconciler implements HostReconcileExtensionPoint {
  readonly hypervisorType = KVM_HYPERVISOR_TYPE;
  constructor(private readonly hosts: KvmHosts) {}

  async removeOrphans(host: Host, desired: DesiredHostState): Promise<string[]> {
    const devices = new Set<string>();
    for (const l2 of desired.l2s) for (const name of Object.values(l2DeviceNames(l2))) if (name) devices.add(name);
    const namespaces = new Set(desired.vms.map((vm) => vmNetnsName(vm.vmUuid)));
    for (const vm of desired.vms) for (const { nic, l2 } of vm.nics) {
      devices.add(vmNicDeviceName(nic.uuid));
      for (const name of Object.values(l2DeviceNames(l2))) if (name) devices.add(name);
    }
    return this.hosts.withHost(host, async (exec) => {
      const removed: string[] = [];
      const [listed] = await exec.run([cmd('ip', '-json', 'netns', 'list')]);
      const orphanNs = parseJsonOutput<{ name?: string }>(listed, exec.description)
        .map((n) => n.name ?? '')
        .filter((n) => VM_NETNS_PATTERN.test(n) && !namespaces.has(n));
      // What runs in a namespace outlives its deletion: stop its services first.
      for (const ns of orphanNs) {
        await tryRun(exec, [cmd(...builtin('dnsmasq-stop', ns)), cmd(...builtin('dhcp-forget', ns))]);
        if (await tryRun(exec, [cmd('ip', 'netns', 'del', ns)])) removed.push(ns);
      }
      const [tables] = await exec.run(tablesPlan());
      for (const table of orphanEndpointTables(tables.code === 0 ? tables.stdout : '', desired.services)) {
        if (await tryRun(exec, planTableRemove(table))) removed.push(`nft bridge ${table}`);
      }
      // VM NICs first (their bridges can't go while they are plugged in), then tunnels and VLANs, then bridges.
      const insp = await this.hosts.inspect(exec);
      const rank = (kind: string | null) => (kind === 'veth' ? 0 : kind === 'bridge' ? 2 : 1);
      const orphans = [...insp.links.values()]
        .filter((l) => l.marked && (!devices.has(l.name) || l.name.startsWith(PROBE_PREFIX)))
        .sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name));
      for (const l of orphans) if (await tryRun(exec, [cmd('ip', 'link', 'del', 'dev', l.name)])) removed.push(l.name);
      return removed;
    });
  }
}

/** Runs a one-off plan; false (and nothing thrown) when it failed or was refused. */
async function tryRun(exec: CommandExecutor, plan: CommandPlan): Promise<boolean> {
  try {
    await exec.run(plan);
    return true;
  } catch {
    return false;
  }
}

/**
 * Network service endpoints on KVM hosts (service-plans.ts): the services inside the
 * appliance's namespace (started by the VM backend) and the host's side of flat DHCP.
 */
export class KvmNetworkServiceRealizer implements NetworkServiceRealizer {
  readonly hypervisorType = KVM_HYPERVISOR_TYPE;
  constructor(private readonly hosts: KvmHosts) {}

  async apply(host: Host, endpoint: ServiceEndpoint): Promise<void> {
    const plan = planEndpointApply(endpoint);
    const ns = vmNetnsName(endpoint.appliance.vmUuid);
    await this.hosts.withHost(host, async (exec) => {
      const [listed] = await exec.run([cmd('ip', '-json', 'netns', 'list')]);
      if (!parseJsonOutput<{ name?: string }>(listed, exec.description).some((n) => n.name === ns)) {
        throw new KvmHostError(`the appliance '${endpoint.appliance.vmName}' of ${endpoint.key} is not running on ${describeHost(host)} (no namespace ${ns})`);
      }
      if (endpoint.routing) {
        const [addrs] = await exec.run([cmd('ip', '-n', ns, '-json', 'addr', 'show')]);
        const present = parseJsonOutput<{ ifname?: string; addr_info?: Array<{ local?: string; family?: string }> }>(addrs, exec.description)
          .filter((l) => l.ifname === endpoint.routing!.publicInterface)
          .flatMap((l) => (l.addr_info ?? []).filter((a) => a.family === 'inet' && a.local).map((a) => a.local!));
        const vips = planVipSync(endpoint, present);
        if (vips.length > 0) await exec.run(vips);
      }
      await exec.run(plan);
    });
  }

  async applyFirewall(host: Host, firewall: HostFirewall): Promise<void> {
    await this.hosts.withHost(host, (exec) => exec.run(planFirewall(firewall)));
  }

  async remove(host: Host, endpoint: ServiceEndpoint): Promise<void> {
    const ns = vmNetnsName(endpoint.appliance.vmUuid);
    await this.hosts.withHost(host, async (exec) => {
      const [listed] = await exec.run([cmd('ip', '-json', 'netns', 'list')]);
      const exists = parseJsonOutput<{ name?: string }>(listed, exec.description).some((n) => n.name === ns);
      const plan = planEndpointRemove(endpoint, exists);
      if (plan.length > 0) await exec.run(plan);
    });
  }
}
