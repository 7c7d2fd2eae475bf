/**
 * Command plans for the KVM VM backend. A VM here is a network namespace (vmNetnsName):
 * each NIC is a veth pair whose host end (vmNicDeviceName(nic.uuid)) is a port of the
 * NIC's L2 bridge and whose other end is eth<i> inside the namespace, with the NIC's MAC,
 * IP/prefix and, on eth0, a default route via the L3 gateway. That is enough to show what
 * the networks carry (ping between VMs) without a hypervisor. A NIC addressed by DHCP gets
 * no address from the start plan: the VM asks for its lease (`netforge dhcp-request`) and
 * planLeaseApply configures what the lease says, as a guest's network stack would.
 *
 * Like the L2 plans these are pure functions of the spec and an inspection of the host and
 * of the VM's namespace; starting twice changes nothing the second time.
 */
import { parseCidr, parseIp } from '../../../topology/ip';
import { z } from 'zod';
import { DhcpLease } from '../../../hosts/services/dhcp-client';
import type { VmInstantiateSpec } from '../../extension/points';
import { vmNicDeviceName } from '../../../hosts/linux/device-names';
import { cmd, parseJsonOutput, probe, type CommandPlan, type CommandResult, type HostCommand } from '../../../hosts/linux/commands';
import { builtin } from '../../../hosts/services/builtins';
import { KvmHostError, KvmInvalidInputError, describeHost, describeL2 } from './errors';
import { parseAddresses, parseLinks, type LinkFacts, type NetnsInspection } from '../../../hosts/linux/inspect';
import { l2Devices } from './l2-plans';
import { MAC_PATTERN, MAX_VM_NICS, vmInterfaceName, vmNetnsName } from '../../../hosts/linux/names';

/** MTU for a NIC whose bridge reports none. */
const DEFAULT_MTU = 1500;

/** One NIC with everything its commands need, validated. */
export interface VmNicPlanInput {
  index: number;
  /** Host end of the veth pair. */
  hostDevice: string;
  /** VM end, inside the namespace. */
  vmInterface: string;
  bridge: string;
  mac: string;
  /** "10.0.0.5/24". */
  address: string;
  /** Set for the first NIC only: the default route's next hop. */
  gateway: string | null;
  l2: VmInstantiateSpec['nics'][number]['l2'];
  /** Addressed by DHCP (the start plan leaves address and routes to the lease). */
  dhcp: boolean;
}

export interface VmPlanInput {
  netns: string;
  nics: VmNicPlanInput[];
}

/**
 * Validates the spec and derives every name and address its commands use. Throws
 * KvmInvalidInputError before anything runs (IPs, MACs and interfaces reach commands).
 */
export function vmPlanInput(spec: VmInstantiateSpec): VmPlanInput {
  const vm = `VM '${spec.vmName}' (${spec.vmUuid})`;
  if (spec.nics.length > MAX_VM_NICS) throw new KvmInvalidInputError(`${vm} has ${spec.nics.length} NICs; at most ${MAX_VM_NICS} are supported`);
  const nics = spec.nics.map(({ nic, l3, l2, dhcp }, index): VmNicPlanInput => {
    const { bridge } = l2Devices(l2);
    const ip = parseIp(nic.ip);
    const cidr = parseCidr(l3.cidr);
    if (!ip || !cidr || ip.family !== cidr.family)
      throw new KvmInvalidInputError(`${vm}: NIC ${nic.uuid} has IP ${JSON.stringify(nic.ip)} that does not fit L3 CIDR ${JSON.stringify(l3.cidr)}`);
    const mac = String(nic.mac).toLowerCase();
    if (!MAC_PATTERN.test(mac)) throw new KvmInvalidInputError(`${vm}: NIC ${nic.uuid} has an invalid MAC ${JSON.stringify(nic.mac)}`);
    let gateway: string | null = null;
    if (index === 0) {
      const gw = parseIp(l3.gateway);
      if (!gw || gw.family !== ip.family)
        throw new KvmInvalidInputError(`${vm}: L3 network ${l3.uuid} has an invalid gateway ${JSON.stringify(l3.gateway)}`);
      gateway = gw.text;
    }
    return {
      index,
      hostDevice: vmNicDeviceName(nic.uuid),
      vmInterface: vmInterfaceName(index),
      bridge,
      mac,
      address: `${ip.text}/${cidr.prefix}`,
      gateway,
      l2,
      dhcp,
    };
  });
  return { netns: vmNetnsName(spec.vmUuid), nics };
}

export interface VmInspection {
  /** Network namespaces on the machine. */
  namespaces: Set<string>;
  host: NetnsInspection;
  /** Inside the VM namespace (empty when it doesn't exist). */
  vm: NetnsInspection;
  /** Default route inside the VM namespace. */
  defaultRoute: { gateway: string | null; dev: string | null } | null;
}

/** One round trip: the machine's namespaces, the host's links, and the VM namespace's links, addresses and routes (absent namespace: failures allowed). */
export function vmInspectPlan(netns: string): CommandPlan {
  return [
    cmd('ip', '-json', 'netns', 'list'),
    cmd('ip', '-json', '-d', 'link', 'show'),
    probe('ip', '-n', netns, '-json', '-d', 'link', 'show'),
    probe('ip', '-n', netns, '-json', 'addr', 'show'),
    probe('ip', '-n', netns, '-json', 'route', 'show'),
  ];
}

export function parseVmInspection(results: readonly CommandResult[], where: string): VmInspection {
  const namespaces = new Set(parseJsonOutput<{ name?: string }>(results[0], where).flatMap((n) => (typeof n.name === 'string' ? [n.name] : [])));
  const routes = parseJsonOutput<{ dst?: string; gateway?: string; dev?: string }>(results[4], where);
  const def = routes.find((r) => r.dst === 'default');
  return {
    namespaces,
    host: { links: parseLinks(results[1], where), addresses: new Map() },
    vm: { links: parseLinks(results[2], where), addresses: parseAddresses(results[3], where) },
    defaultRoute: def ? { gateway: def.gateway ?? null, dev: def.dev ?? null } : null,
  };
}

/** What starting the VM runs; empty when it runs as specified already. Throws KvmHostError when a bridge is missing or a name is taken. */
export function planVmStart(spec: VmInstantiateSpec, insp: VmInspection): CommandPlan {
  const input = vmPlanInput(spec);
  const ns = input.netns;
  const where = `cannot start VM '${spec.vmName}' (${spec.vmUuid}) on ${describeHost(spec.host)}`;
  const nsExists = insp.namespaces.has(ns);
  const vmLinks = nsExists ? insp.vm.links : new Map<string, LinkFacts>();
  const plan: HostCommand[] = [];
  if (!nsExists) plan.push(cmd('ip', 'netns', 'add', ns));
  if (!vmLinks.get('lo')?.up) plan.push(cmd('ip', '-n', ns, 'link', 'set', 'dev', 'lo', 'up'));

  for (const nic of input.nics) {
    const bridge = insp.host.links.get(nic.bridge);
    if (bridge?.kind !== 'bridge') {
      throw new KvmHostError(`${where}: bridge ${nic.bridge} of ${describeL2(nic.l2)} is not realized there`);
    }
    const mtu = String(bridge.mtu ?? DEFAULT_MTU);
    let hostEnd = insp.host.links.get(nic.hostDevice);
    let vmEnd = vmLinks.get(nic.vmInterface);
    if (hostEnd && (hostEnd.kind !== 'veth' || !hostEnd.marked))
      throw new KvmHostError(`${where}: device ${nic.hostDevice} exists and is not a netforge VM NIC (kind ${hostEnd.kind ?? 'none'}${hostEnd.marked ? '' : ', not created by netforge'})`);
    if (hostEnd && !vmEnd) {
      // Half a pair (its peer is elsewhere): start over.
      plan.push(cmd('ip', 'link', 'del', 'dev', nic.hostDevice));
      hostEnd = undefined;
    }
    if (!hostEnd && vmEnd) {
      plan.push(cmd('ip', '-n', ns, 'link', 'del', 'dev', nic.vmInterface));
      vmEnd = undefined;
    }
    if (!hostEnd) {
      const peer = ['peer', 'name', nic.vmInterface, 'mtu', mtu, 'address', nic.mac, 'netns', ns];
      plan.push(cmd('ip', 'link', 'add', 'name', nic.hostDevice, 'mtu', mtu, 'type', 'veth', ...peer));
    } else if (vmEnd && vmEnd.mac !== nic.mac) {
      plan.push(cmd('ip', '-n', ns, 'link', 'set', 'dev', nic.vmInterface, 'address', nic.mac));
    }
    if (hostEnd?.master !== nic.bridge) plan.push(cmd('ip', 'link', 'set', 'dev', nic.hostDevice, 'master', nic.bridge));
    if (!hostEnd?.up) plan.push(cmd('ip', 'link', 'set', 'dev', nic.hostDevice, 'up'));
    if (nic.dhcp) {
      if (!vmEnd?.up) plan.push(cmd('ip', '-n', ns, 'link', 'set', 'dev', nic.vmInterface, 'up'));
      continue;
    }
    const [addr, prefix] = nic.address.split('/');
    const hasAddr =
      vmEnd !== undefined && (insp.vm.addresses.get(nic.vmInterface) ?? []).some((a) => a.local === addr && String(a.prefixlen) === prefix);
    if (!hasAddr) plan.push(cmd('ip', '-n', ns, 'addr', 'add', nic.address, 'dev', nic.vmInterface));
    if (!vmEnd?.up) plan.push(cmd('ip', '-n', ns, 'link', 'set', 'dev', nic.vmInterface, 'up'));
    if (nic.gateway !== null) {
      const route = vmEnd ? insp.defaultRoute : null;
      if (route?.gateway !== nic.gateway || route.dev !== nic.vmInterface) {
        plan.push(cmd('ip', '-n', ns, 'route', 'replace', 'default', 'via', nic.gateway, 'dev', nic.vmInterface));
      }
    }
  }
  return plan;
}

/**
 * What destroying the VM runs: each NIC's veth pair (by its host end), then the namespace,
 * after what runs in it (a service appliance's dnsmasq) is stopped and its leases are
 * forgotten: deleting a namespace does not end the processes in it.
 */
export function planVmDestroy(spec: VmInstantiateSpec, insp: VmInspection): CommandPlan {
  const input = vmPlanInput(spec);
  const plan: HostCommand[] = [];
  for (const nic of input.nics) {
    const dev = insp.host.links.get(nic.hostDevice);
    if (dev?.kind === 'veth' && dev.marked) plan.push(cmd('ip', 'link', 'del', 'dev', nic.hostDevice));
  }
  if (insp.namespaces.has(input.netns)) {
    plan.push(cmd(...builtin('dnsmasq-stop', input.netns)), cmd(...builtin('dhcp-forget', input.netns)), cmd('ip', 'netns', 'del', input.netns));
  }
  return plan;
}

/** The leases the agent recorded for the VM's namespace (a probe: none when it has none). */
export function leasesPlan(netns: string): CommandPlan {
  return [probe(...builtin('dhcp-leases', netns))];
}

export function parseLeases(result: CommandResult | undefined): Map<string, DhcpLease> {
  if (!result || result.code !== 0) return new Map();
  try {
    const list = z.array(DhcpLease).safeParse(JSON.parse(result.stdout));
    return new Map(list.success ? list.data.map((l) => [l.interface, l]) : []);
  } catch {
    return new Map();
  }
}

/**
 * Checks a lease against the NIC it was asked for (the DHCP server must answer netforge's
 * allocation) and returns what configures it: the address, the MTU, and routes (the
 * default route only on the first NIC, like the static plan; option 121 routes where
 * given, else the router option).
 */
export function planLeaseApply(spec: VmInstantiateSpec, nic: VmNicPlanInput, lease: DhcpLease, insp: VmInspection): CommandPlan {
  const ns = vmNetnsName(spec.vmUuid);
  const [ip] = nic.address.split('/');
  if (lease.ip !== ip) {
    throw new KvmHostError(
      `VM '${spec.vmName}' (${spec.vmUuid}) on ${describeHost(spec.host)}: the DHCP server ${lease.serverId} answered ${lease.ip}/${lease.prefix} for ${nic.vmInterface} (${nic.mac}); netforge allocated ${ip}`,
    );
  }
  const plan: HostCommand[] = [];
  const hasAddr = (insp.vm.addresses.get(nic.vmInterface) ?? []).some((a) => a.local === lease.ip && a.prefixlen === lease.prefix);
  if (!hasAddr) plan.push(cmd('ip', '-n', ns, 'addr', 'add', `${lease.ip}/${lease.prefix}`, 'dev', nic.vmInterface));
  const link = insp.vm.links.get(nic.vmInterface);
  if (lease.mtu !== null && link?.mtu !== lease.mtu) plan.push(cmd('ip', '-n', ns, 'link', 'set', 'dev', nic.vmInterface, 'mtu', String(lease.mtu)));
  const routes = lease.routes.length > 0 ? lease.routes : lease.routers.slice(0, 1).map((r) => ({ prefix: '0.0.0.0/0', nextHop: r }));
  for (const r of routes) {
    if (r.prefix === '0.0.0.0/0') {
      if (nic.index === 0) plan.push(cmd('ip', '-n', ns, 'route', 'replace', 'default', 'via', r.nextHop, 'dev', nic.vmInterface));
    } else {
      plan.push(cmd('ip', '-n', ns, 'route', 'replace', r.prefix, 'via', r.nextHop, 'dev', nic.vmInterface));
    }
  }
  return plan;
}
