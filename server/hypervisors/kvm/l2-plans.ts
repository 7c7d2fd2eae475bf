/**
 * Command plans for L2 networks on a KVM host (pure functions of the network, the host and
 * what inspection saw there), after ZStack's KVMRealizeL2NoVlanNetworkBackend & co:
 *
 *   L2NoVlanNetwork  bridge br_<iface>; the interface itself is a port of it
 *   L2VlanNetwork    VLAN device <iface>.<vlan> on the interface, a port of br_<iface>_<vlan>
 *   L2VxlanNetwork   VXLAN device vxlan<vni> (group 239.x.y.z dev <iface> dstport 4789
 *                    local <the interface's IPv4 address>), a port of br_vx_<vni>
 *
 * Realize emits only what is missing, so realizing twice runs no change the second time.
 * Delete removes only what realize creates (VLAN/VXLAN device, bridge), recognised by name,
 * kind/parameters *and* netforge's mark (the alias every executor gives what it creates);
 * never the physical interface, never another network's device, never a device someone
 * else made under a name netforge would use.
 *
 * VXLAN peers are learned, not configured: every VTEP of a VNI joins the VNI's multicast
 * group on the underlay interface, floods broadcast/unknown/multicast frames to it and
 * learns remote MACs from what it receives. That needs no peer list (the realize extension
 * point sees one host at a time, and hosts come and go without touching the others) and
 * works on any L2 underlay that floods multicast, such as the lab's switch bridge (which
 * has IGMP snooping off). A routed underlay without multicast would need static FDB
 * entries (`bridge fdb append 00:00:00:00:00:00 dev vxlanN dst <peer>`) instead.
 */
import type { L2Network } from '../../../topology/model';
import { validatePhysicalInterface } from '../../../topology/rules/l2';
import { l2DeviceNames, type L2DeviceNames } from '../../../hosts/linux/device-names';
import { cmd, formatArgv, probe, type CommandPlan, type CommandResult, type HostCommand } from '../../../hosts/linux/commands';
import { KvmHostError, KvmInvalidInputError, describeHost, describeL2, type HostRef } from './errors';
import { portsOf, routableAddresses, type LinkFacts, type NetnsInspection } from '../../../hosts/linux/inspect';
import { VXLAN_DST_PORT, vlanProbeName, vxlanGroup } from '../../../hosts/linux/names';

export type L2Ref = Pick<L2Network, 'uuid' | 'name' | 'type' | 'physicalInterface' | 'vlan' | 'vni'>;

/** Host-side VM NIC names (device-names.ts vmNicDeviceName). */
const VM_NIC_PATTERN = /^vnic[0-9a-f]{11}$/;

/**
 * Validates what of `l2` reaches commands and names its devices. Throws
 * KvmInvalidInputError before anything runs: a hostile physicalInterface ("eth0;reboot",
 * "$(id)", "-x") stops here even if it got past the API (defence in depth).
 */
export function l2Devices(l2: L2Ref): L2DeviceNames {
  const bad = validatePhysicalInterface(l2.physicalInterface);
  if (bad.length > 0) throw new KvmInvalidInputError(`refusing ${describeL2(l2)}: ${bad.map((v) => v.message).join('; ')}`);
  try {
    return l2DeviceNames(l2);
  } catch (err) {
    throw new KvmInvalidInputError((err as Error).message);
  }
}

function isBridge(l: LinkFacts | undefined): boolean {
  return l?.kind === 'bridge' && l.marked;
}

function isOurVlanDevice(l: LinkFacts | undefined, l2: L2Ref): boolean {
  return l?.kind === 'vlan' && l.marked && l.vlanId === l2.vlan && l.parent === l2.physicalInterface;
}

function isOurVxlanDevice(l: LinkFacts | undefined, l2: L2Ref): boolean {
  return l?.kind === 'vxlan' && l.marked && l.vxlan?.id === l2.vni;
}

/** "exists and is not netforge's" when a device has a netforge name but not its mark. */
function foreign(l: LinkFacts): string {
  return l.marked ? '' : ' (it was not created by netforge)';
}

/** The IPv4 address VXLAN sends from: the first global IPv4 address on the underlay interface. */
export function underlayAddress(insp: NetnsInspection, iface: string): string | null {
  return routableAddresses(insp, iface).find((a) => a.family === 'inet')?.local ?? null;
}

/** Whether an existing VXLAN device of ours has the parameters realize would give it now. */
function vxlanIsCurrent(l: LinkFacts, l2: L2Ref, local: string | null): boolean {
  const v = l.vxlan;
  return (
    v !== null &&
    v.group === vxlanGroup(l2.vni as number) &&
    v.dev === l2.physicalInterface &&
    v.port === VXLAN_DST_PORT &&
    (local === null || v.local === local)
  );
}

/**
 * Why `l2` can't be realized on the host as inspected (empty: it can). Stateless checks
 * only; kernel support for VLAN is probed separately (vlanProbePlan).
 */
export function l2Problems(l2: L2Ref, host: HostRef, insp: NetnsInspection): string[] {
  const names = l2Devices(l2);
  const where = `${describeHost(host)} cannot carry ${describeL2(l2)}`;
  const iface = l2.physicalInterface;
  const problems: string[] = [];
  const phys = insp.links.get(iface);
  if (!phys) {
    const have = [...insp.links.keys()].filter((n) => n !== 'lo').sort();
    problems.push(`${describeHost(host)} has no interface '${iface}' needed by ${describeL2(l2)} (it has: ${have.join(', ') || 'none'})`);
    return problems;
  }
  const bridge = insp.links.get(names.bridge);
  if (bridge && !isBridge(bridge)) problems.push(`${where}: device ${names.bridge} exists and is not a netforge bridge (kind ${bridge.kind ?? 'none'})${foreign(bridge)}`);

  if (l2.type === 'L2NoVlanNetwork') {
    if (phys.master !== null && phys.master !== names.bridge) {
      problems.push(`${where}: interface ${iface} is already a port of ${phys.master}`);
    }
    const addrs = routableAddresses(insp, iface);
    if (addrs.length > 0 && phys.master !== names.bridge) {
      problems.push(
        `${where}: interface ${iface} carries ${addrs.map((a) => `${a.local}/${a.prefixlen}`).join(', ')}; making it a bridge port would cut ` +
          `those addresses off (use a data interface without addresses, e.g. the lab's eth1)`,
      );
    }
  }
  if (l2.type === 'L2VlanNetwork') {
    const dev = insp.links.get(names.vlanDevice as string);
    if (dev && !isOurVlanDevice(dev, l2)) {
      problems.push(`${where}: device ${names.vlanDevice} exists and is not VLAN ${String(l2.vlan)} on ${iface}${foreign(dev)}`);
    } else if (dev && dev.master !== null && dev.master !== names.bridge) {
      problems.push(`${where}: VLAN device ${names.vlanDevice} is already a port of ${dev.master}`);
    }
  }
  if (l2.type === 'L2VxlanNetwork') {
    if (underlayAddress(insp, iface) === null) {
      problems.push(`${where}: interface ${iface} has no IPv4 address to carry VXLAN (the underlay address)`);
    }
    const dev = insp.links.get(names.vxlanDevice as string);
    if (dev && !isOurVxlanDevice(dev, l2)) {
      problems.push(`${where}: device ${names.vxlanDevice} exists and is not VXLAN ${String(l2.vni)}${foreign(dev)}`);
    } else if (dev && dev.master !== null && dev.master !== names.bridge) {
      problems.push(`${where}: VXLAN device ${names.vxlanDevice} is already a port of ${dev.master}`);
    }
  }
  return problems;
}

function throwProblems(problems: string[]): void {
  if (problems.length > 0) throw new KvmHostError(problems.join('; '));
}

/**
 * The VLAN support probe `check` runs when the VLAN device isn't there yet: create a
 * throwaway VLAN device (the network's own VLAN id, so an id already taken on the interface
 * shows up as well) and delete it at once. Both steps may fail without stopping the plan;
 * interpretVlanProbe reads the outcome. A probe left by an interrupted earlier check is
 * removed first. Empty when no probe is needed.
 */
export function vlanProbePlan(l2: L2Ref, insp: NetnsInspection): CommandPlan {
  if (l2.type !== 'L2VlanNetwork') return [];
  const names = l2Devices(l2);
  if (isOurVlanDevice(insp.links.get(names.vlanDevice as string), l2)) return [];
  const probeName = vlanProbeName(l2.physicalInterface, l2.vlan as number);
  const stale = insp.links.get(probeName)?.kind === 'vlan' && insp.links.get(probeName)?.marked ? [cmd('ip', 'link', 'del', 'dev', probeName)] : [];
  return [
    ...stale,
    probe('ip', 'link', 'add', 'link', l2.physicalInterface, 'name', probeName, 'type', 'vlan', 'id', String(l2.vlan)),
    probe('ip', 'link', 'del', 'dev', probeName),
  ];
}

/** stderr of `ip link add ... type vlan` on a kernel without 802.1Q (no 8021q module). */
const NO_VLAN_SUPPORT = /Unknown device type|Operation not supported|not supported|Protocol not supported/i;

/** Throws KvmHostError unless the probe's add succeeded and its delete left nothing behind. */
export function interpretVlanProbe(l2: L2Ref, host: HostRef, plan: CommandPlan, results: readonly CommandResult[]): void {
  if (plan.length === 0) return;
  const add = results[results.length - 2];
  const del = results[results.length - 1];
  const where = `${describeHost(host)} cannot carry ${describeL2(l2)}`;
  if (!add || !del) throw new KvmHostError(`${where}: the VLAN support probe did not run`);
  const stderr = add.stderr.trim();
  if (add.code !== 0 && NO_VLAN_SUPPORT.test(stderr)) {
    throw new KvmHostError(`${where}: the kernel does not support 802.1Q VLAN devices (\`${formatArgv(add.argv)}\`: ${stderr})`);
  }
  if (add.code !== 0) {
    throw new KvmHostError(
      `${where}: cannot create VLAN ${String(l2.vlan)} on ${l2.physicalInterface} (\`${formatArgv(add.argv)}\`: ${
        stderr || `exit code ${String(add.code)}`
      })`,
    );
  }
  if (del.code !== 0) {
    throw new KvmHostError(`${where}: could not remove the VLAN probe device (\`${formatArgv(del.argv)}\`: ${del.stderr.trim()})`);
  }
}

/** What realize runs on the host as inspected; empty when the network is fully realized. Throws KvmHostError on a conflict. */
export function planL2Realize(l2: L2Ref, host: HostRef, insp: NetnsInspection): CommandPlan {
  throwProblems(l2Problems(l2, host, insp));
  const names = l2Devices(l2);
  const iface = l2.physicalInterface;
  const links = insp.links;
  const bridge = links.get(names.bridge);
  const plan: HostCommand[] = [];
  const ups: HostCommand[] = [];
  const up = (name: string, l: LinkFacts | undefined) => {
    if (!l?.up) ups.push(cmd('ip', 'link', 'set', 'dev', name, 'up'));
  };

  if (!bridge) plan.push(cmd('ip', 'link', 'add', 'name', names.bridge, 'type', 'bridge'));

  switch (l2.type) {
    case 'L2NoVlanNetwork': {
      const phys = links.get(iface);
      if (phys?.master !== names.bridge) plan.push(cmd('ip', 'link', 'set', 'dev', iface, 'master', names.bridge));
      up(iface, phys);
      break;
    }
    case 'L2VlanNetwork': {
      const name = names.vlanDevice as string;
      const dev = links.get(name);
      if (!dev) plan.push(cmd('ip', 'link', 'add', 'link', iface, 'name', name, 'type', 'vlan', 'id', String(l2.vlan)));
      if (dev?.master !== names.bridge) plan.push(cmd('ip', 'link', 'set', 'dev', name, 'master', names.bridge));
      up(iface, links.get(iface));
      up(name, dev);
      break;
    }
    case 'L2VxlanNetwork': {
      const name = names.vxlanDevice as string;
      const local = underlayAddress(insp, iface) as string;
      let dev = links.get(name);
      if (dev && !vxlanIsCurrent(dev, l2, local)) {
        // Ours (name and VNI match) but stale, e.g. the underlay address changed: recreate it.
        plan.push(cmd('ip', 'link', 'del', 'dev', name));
        dev = undefined;
      }
      if (!dev) {
        const params = ['id', String(l2.vni), 'group', vxlanGroup(l2.vni as number), 'dev', iface, 'dstport', String(VXLAN_DST_PORT), 'local', local];
        plan.push(cmd('ip', 'link', 'add', 'name', name, 'type', 'vxlan', ...params));
      }
      if (dev?.master !== names.bridge) plan.push(cmd('ip', 'link', 'set', 'dev', name, 'master', names.bridge));
      up(name, dev);
      break;
    }
    default: {
      const unknownType: never = l2.type;
      throw new KvmInvalidInputError(`unknown L2 type '${String(unknownType)}'`);
    }
  }
  up(names.bridge, bridge);
  return [...plan, ...ups];
}

/** VM NICs (host ends) plugged into the network's bridge. */
export function vmNicsOnBridge(l2: L2Ref, insp: NetnsInspection): string[] {
  const { bridge } = l2Devices(l2);
  return portsOf(insp, bridge)
    .map((p) => p.name)
    .filter((n) => VM_NIC_PATTERN.test(n));
}

/**
 * What delete runs: the VLAN/VXLAN device and the bridge, each only if it is there and is
 * ours by name and kind. Deleting the bridge releases its ports (the physical interface
 * of a NoVlan network stays, unplugged). Refused while VM NICs are plugged into the bridge.
 */
export function planL2Delete(l2: L2Ref, host: HostRef, insp: NetnsInspection): CommandPlan {
  const names = l2Devices(l2);
  const plugged = vmNicsOnBridge(l2, insp);
  if (plugged.length > 0) {
    throw new KvmHostError(
      `cannot delete ${describeL2(l2)} from ${describeHost(host)}: VM NICs are still plugged into ${names.bridge}: ${plugged.join(', ')}`,
    );
  }
  const plan: HostCommand[] = [];
  if (names.vlanDevice !== undefined && isOurVlanDevice(insp.links.get(names.vlanDevice), l2))
    plan.push(cmd('ip', 'link', 'del', 'dev', names.vlanDevice));
  if (names.vxlanDevice !== undefined && isOurVxlanDevice(insp.links.get(names.vxlanDevice), l2))
    plan.push(cmd('ip', 'link', 'del', 'dev', names.vxlanDevice));
  if (isBridge(insp.links.get(names.bridge))) plan.push(cmd('ip', 'link', 'del', 'dev', names.bridge));
  for (const c of plan) {
    // Belt and braces: the physical interface is never a delete target.
    if (c.argv[c.argv.length - 1] === l2.physicalInterface)
      throw new KvmInvalidInputError(`refusing to delete physical interface ${l2.physicalInterface}`);
  }
  return plan;
}
