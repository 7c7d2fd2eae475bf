/**
 * What the host agent lets a plan touch, beyond the command shapes of argv-policy.ts: only
 * devices netforge created (marked with its alias, commands.ts NETFORGE_MARK) and VM
 * namespaces the agent itself added (its journal). The one exception is the physical
 * interface an L2 network rides on: it may carry netforge's VLAN or VXLAN devices, join
 * only the bridge netforge names after it (device-names.ts) and only when it is in no other
 * bridge and carries no address, and be brought up once it is part of netforge's network.
 * It is never deleted.
 *
 * The agent checks a plan twice against a model of the host built from a fresh inspection:
 * whole, before running anything (as if every command succeeds), so a plan with one
 * refused command runs nothing; and command by command while it runs, against what the
 * commands before really did, so a command allowed to fail can't open a door for the next.
 */
import { noVlanBridgeName } from '../linux/device-names';
import { BUILTIN_PROGRAM } from '../services/builtins';
import type { AddressFacts, LinkFacts } from '../linux/inspect';

interface ModelLink {
  name: string;
  kind: string | null;
  master: string | null;
  /** VLAN parent, or VXLAN underlay. */
  parent: string | null;
  marked: boolean;
  loopback: boolean;
  /** Carries routable addresses (enslaving it would cut them off). */
  addressed: boolean;
}

/** Kinds that are never the "physical" interface of an L2 network. */
const NOT_PHYSICAL = new Set(['bridge', 'vlan', 'vxlan']);

export interface HostFacts {
  links: Iterable<LinkFacts>;
  addresses: ReadonlyMap<string, readonly AddressFacts[]>;
  /** Every network namespace on the machine. */
  namespaces: Iterable<string>;
  /** The VM namespaces this agent added (its journal). */
  agentNamespaces: Iterable<string>;
}

export class HostDeviceModel {
  private readonly links = new Map<string, ModelLink>();
  private readonly existingNamespaces: Set<string>;
  private readonly ours: Set<string>;

  constructor(facts: HostFacts) {
    for (const l of facts.links) {
      const addressed = (facts.addresses.get(l.name) ?? []).some((a) => a.scope !== 'link' && a.scope !== 'host');
      this.links.set(l.name, {
        name: l.name,
        kind: l.kind,
        master: l.master,
        parent: l.parent ?? l.vxlan?.dev ?? null,
        marked: l.marked,
        loopback: l.loopback || l.name === 'lo',
        addressed,
      });
    }
    this.existingNamespaces = new Set(facts.namespaces);
    this.ours = new Set(facts.agentNamespaces);
  }

  /** null when the command may run now, else why not. */
  check(argv: readonly string[]): string | null {
    const a = [...argv];
    if (a[0] === 'bridge' || a.includes('-json')) return null; // inspection only
    // Rulesets may name only netforge's tables (argv-policy checks them whole).
    if (a[0] === 'nft') return null;
    // The one sysctl the policy admits on the host (br_netfilter for security groups).
    if (a[0] === 'sysctl') return null;
    // Builtins act on one namespace (dnsmasq-list on none).
    if (a[0] === BUILTIN_PROGRAM) return a.length < 3 ? null : this.ownNamespace(a[2]);
    if (a[1] === 'netns' && a[2] === 'exec') return this.ownNamespace(a[3]);
    if (a[1] === '-n') return this.ownNamespace(a[2]);
    const [, object, verb] = a;
    if (object === 'netns' && verb === 'add') return this.existingNamespaces.has(a[3]) ? `network namespace ${a[3]} already exists` : null;
    if (object === 'netns' && verb === 'del') return this.ours.has(a[3]) ? null : `network namespace ${a[3]} was not created by this agent`;
    if (object === 'link' && verb === 'add') return this.checkAdd(a);
    if (object === 'link' && verb === 'set') return this.checkSet(a[4], a.slice(5));
    if (object === 'link' && verb === 'del') return this.checkDelete(a[4]);
    return `no ownership rule for \`${a.join(' ')}\``;
  }

  private ownNamespace(netns: string): string | null {
    return this.ours.has(netns) ? null : `network namespace ${netns} was not created by this agent`;
  }

  /** Records what a command that ran successfully did. */
  apply(argv: readonly string[]): void {
    const a = [...argv];
    if (a[0] !== 'ip' || a.includes('-json') || a[1] === '-n' || a[2] === 'exec') return;
    const [, object, verb] = a;
    if (object === 'netns' && verb === 'add') {
      this.existingNamespaces.add(a[3]);
      this.ours.add(a[3]);
    } else if (object === 'netns' && verb === 'del') {
      this.existingNamespaces.delete(a[3]);
      this.ours.delete(a[3]);
    } else if (object === 'link' && verb === 'add') {
      const { name, kind, parent } = addArgs(a);
      if (name) this.links.set(name, { name, kind: kind ?? null, master: null, parent: parent ?? null, marked: true, loopback: false, addressed: false });
    } else if (object === 'link' && verb === 'set' && a[5] === 'master') {
      const dev = this.links.get(a[4]);
      if (dev) dev.master = a[6];
    } else if (object === 'link' && verb === 'del') {
      this.links.delete(a[4]);
      for (const l of this.links.values()) if (l.master === a[4]) l.master = null;
    }
  }

  /** A device netforge may build on: its own, or a physical interface (not loopback, not a bridge/VLAN/VXLAN). */
  private physicalParent(name: string | undefined, what: string): string | null {
    const p = name === undefined ? undefined : this.links.get(name);
    if (!p) return `device ${String(name)} does not exist`;
    if (p.loopback) return `${p.name} is a loopback device: netforge puts no ${what} device on it`;
    if (p.marked) return `${p.name} is a device netforge created, not a physical interface`;
    if (NOT_PHYSICAL.has(p.kind ?? '')) return `${p.name} is a ${p.kind ?? ''} device, not a physical interface`;
    return null;
  }

  private checkAdd(a: string[]): string | null {
    const { name, kind, parent, peerNetns } = addArgs(a);
    if (!name || !kind) return 'a device to add needs a name and a type';
    if (this.links.has(name)) return `device ${name} already exists`;
    if (kind === 'vlan') return this.physicalParent(parent, 'VLAN');
    if (kind === 'vxlan') return this.physicalParent(parent, 'VXLAN');
    if (kind === 'veth' && (peerNetns === undefined || !this.ours.has(peerNetns))) return `network namespace ${String(peerNetns)} was not created by this agent`;
    return null;
  }

  private checkSet(name: string, rest: string[]): string | null {
    const dev = this.links.get(name);
    if (!dev) return `device ${name} does not exist`;
    if (rest[0] === 'master') {
      const bridge = this.links.get(rest[1]);
      if (!bridge || bridge.kind !== 'bridge' || !bridge.marked) return `${rest[1]} is not a bridge netforge created`;
      if (dev.marked) return null;
      if (noVlanBridgeName(name) !== rest[1]) return `${name} is not netforge's and ${rest[1]} is not the bridge netforge makes for it`;
      const notPhysical = this.physicalParent(name, 'bridge');
      if (notPhysical) return notPhysical;
      if (dev.master !== null && dev.master !== rest[1]) return `${name} is already a port of ${dev.master}`;
      if (dev.addressed) return `${name} carries addresses that making it a bridge port would cut off`;
      return null;
    }
    if (rest[0] === 'up') {
      if (dev.marked) return null;
      const portOfOurs = dev.master !== null && this.links.get(dev.master)?.marked === true;
      const carriesOurVlan = [...this.links.values()].some((l) => l.marked && l.kind === 'vlan' && l.parent === name);
      return portOfOurs || carriesOurVlan ? null : `${name} is not netforge's and not part of a netforge network`;
    }
    return `no ownership rule for \`ip link set dev ${name} ${rest.join(' ')}\``;
  }

  private checkDelete(name: string): string | null {
    const dev = this.links.get(name);
    if (!dev) return `device ${name} does not exist`;
    return dev.marked ? null : `${name} was not created by netforge`;
  }
}

/** The options of `ip link add ...` up to a veth's `peer` (whose options are the peer's), and the peer's namespace. */
function addArgs(a: readonly string[]): { name?: string; kind?: string; parent?: string; peerNetns?: string } {
  const args = a.slice(3);
  const peerAt = args.indexOf('peer');
  const own = peerAt >= 0 ? args.slice(0, peerAt) : args;
  const peer = peerAt >= 0 ? args.slice(peerAt + 1) : [];
  const opt = (list: string[], key: string) => (list.includes(key) ? list[list.indexOf(key) + 1] : undefined);
  const kind = opt(own, 'type');
  return { name: opt(own, 'name'), kind, parent: kind === 'vxlan' ? opt(own, 'dev') : opt(own, 'link'), peerNetns: opt(peer, 'netns') };
}
