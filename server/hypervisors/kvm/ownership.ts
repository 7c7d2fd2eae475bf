/**
 * What the host agent lets a plan touch, beyond the command shapes of argv-policy.ts: only
 * devices netforge created (marked with its alias, commands.ts NETFORGE_MARK) and VM
 * namespaces the agent itself added (its journal). The one exception is the physical
 * interface an L2 network rides on, which may be enslaved only to the bridge netforge names
 * after it (device-names.ts), set up once it carries netforge's devices, and never deleted.
 *
 * The agent builds a model of the host from a fresh inspection, then admits a whole plan
 * command by command against it (each admitted command's effect applied to the model), so
 * a plan with one refused command runs nothing.
 */
import { noVlanBridgeName } from '../device-names';
import type { LinkFacts } from './inspect';

interface ModelLink {
  name: string;
  kind: string | null;
  master: string | null;
  /** VLAN parent, or VXLAN underlay. */
  parent: string | null;
  marked: boolean;
  loopback: boolean;
}

export class HostDeviceModel {
  private readonly links = new Map<string, ModelLink>();
  private readonly namespaces: Set<string>;

  constructor(links: Iterable<LinkFacts>, agentNamespaces: Iterable<string>) {
    for (const l of links) {
      this.links.set(l.name, { name: l.name, kind: l.kind, master: l.master, parent: l.parent ?? l.vxlan?.dev ?? null, marked: l.marked, loopback: l.loopback || l.name === 'lo' });
    }
    this.namespaces = new Set(agentNamespaces);
  }

  /** null when the command may run (its effect is then applied to the model), else why not. */
  admit(argv: readonly string[]): string | null {
    const a = [...argv];
    if (a[0] === 'bridge' || a.includes('-json')) return null; // inspection only
    if (a[1] === '-n') return this.namespaces.has(a[2]) ? null : `network namespace ${a[2]} was not created by this agent`;
    const [, object, verb] = a;
    if (object === 'netns' && verb === 'add') {
      this.namespaces.add(a[3]);
      return null;
    }
    if (object === 'netns' && verb === 'del') {
      if (!this.namespaces.has(a[3])) return `network namespace ${a[3]} was not created by this agent`;
      this.namespaces.delete(a[3]);
      return null;
    }
    if (object === 'link' && verb === 'add') return this.admitAdd(a);
    if (object === 'link' && verb === 'set') return this.admitSet(a[4], a.slice(5));
    if (object === 'link' && verb === 'del') return this.admitDelete(a[4]);
    return `no ownership rule for \`${a.join(' ')}\``;
  }

  private admitAdd(a: string[]): string | null {
    // The options after `ip link add`, up to a veth's `peer` (whose options are the peer's).
    const args = a.slice(3);
    const own = args.includes('peer') ? args.slice(0, args.indexOf('peer')) : args;
    const opt = (key: string) => (own.includes(key) ? own[own.indexOf(key) + 1] : undefined);
    const name = opt('name') as string;
    const kind = opt('type') as string;
    if (this.links.has(name)) return `device ${name} already exists`;
    let parent: string | null = null;
    if (kind === 'vlan' || kind === 'vxlan') {
      parent = (kind === 'vlan' ? opt('link') : opt('dev')) as string;
      const p = this.links.get(parent);
      if (!p) return `device ${parent} does not exist`;
      if (p.loopback) return `${parent} is a loopback device: netforge puts no ${kind === 'vlan' ? 'VLAN' : 'VXLAN'} device on it`;
      if (kind === 'vlan' && (p.marked || ['bridge', 'vlan', 'vxlan'].includes(p.kind ?? ''))) {
        return `${parent} is a ${p.marked ? 'device netforge created' : `${p.kind ?? ''} device`}, not a physical interface`;
      }
    }
    if (kind === 'veth') {
      const ns = a[a.lastIndexOf('netns') + 1];
      if (!this.namespaces.has(ns)) return `network namespace ${ns} was not created by this agent`;
    }
    this.links.set(name, { name, kind, master: null, parent, marked: true, loopback: false });
    return null;
  }

  private admitSet(name: string, rest: string[]): string | null {
    const dev = this.links.get(name);
    if (!dev) return `device ${name} does not exist`;
    if (rest[0] === 'master') {
      const bridge = this.links.get(rest[1]);
      if (!bridge || bridge.kind !== 'bridge' || !bridge.marked) return `${rest[1]} is not a bridge netforge created`;
      const physicalForThisBridge = !dev.marked && !dev.loopback && noVlanBridgeName(name) === rest[1];
      if (!dev.marked && !physicalForThisBridge) return `${name} is not netforge's and ${rest[1]} is not the bridge netforge makes for it`;
      dev.master = rest[1];
      return null;
    }
    if (rest[0] === 'up') {
      if (dev.marked) return null;
      const portOfOurs = dev.master !== null && this.links.get(dev.master)?.marked === true;
      const carriesOurs = [...this.links.values()].some((l) => l.marked && l.parent === name);
      return portOfOurs || carriesOurs ? null : `${name} is not netforge's and carries none of its devices`;
    }
    return `no ownership rule for \`ip link set dev ${name} ${rest.join(' ')}\``;
  }

  private admitDelete(name: string): string | null {
    const dev = this.links.get(name);
    if (!dev) return null; // deleting what is gone fails harmlessly
    if (!dev.marked) return `${name} was not created by netforge`;
    this.links.delete(name);
    for (const l of this.links.values()) if (l.master === name) l.master = null;
    return null;
  }
}
