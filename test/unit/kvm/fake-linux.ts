/**
 * A recording executor that behaves like a small Linux host for the command shapes the KVM
 * plans use: it keeps links, addresses, routes and network namespaces, answers
 * `ip -json ...` like iproute2 does, and applies `ip link add/set/del`, `ip netns add/del`,
 * `ip -n <ns> addr add` and `route replace`. Unit tests assert on `commands` (every argv it
 * received, in order) and on the resulting state; `vlanSupported: false` answers VLAN
 * creation like this machine's kernel ("Error: Unknown device type.").
 *
 * Network services: it keeps the nftables tables loaded with `nft -j` (on the host or, via
 * `ip netns exec`, in a namespace), the forwarding sysctl, and the agent's builtins: the
 * dnsmasq configuration of each namespace, and the leases `dhcp-request` hands out from
 * them (any namespace's dnsmasq answers: the fake has no wire).
 *
 * Like every executor (commands.ts), it marks what an `ip link add` creates with netforge's
 * alias; `commands` lists what the plans sent, not that marking.
 */
import type { CommandExecutor, CommandPlan, CommandResult } from '../../../hosts/linux/commands';
import { CommandFailedError, createdDevice, NETFORGE_MARK } from '../../../hosts/linux/commands';
import type { DhcpLease } from '../../../hosts/services/dhcp-client';
import { DnsmasqConfig } from '../../../hosts/services/dnsmasq-config';
import { NftBatch } from '../../../hosts/services/nft';

export interface FakeLink {
  name: string;
  kind: string | null;
  master: string | null;
  up: boolean;
  mtu: number;
  mac: string;
  /** VLAN parent. */
  parent?: string;
  vlanId?: number;
  vxlan?: { id: number; group: string; local: string; dev: string; port: number };
  /** veth peer: namespace ('' = host) and name. */
  peer?: { ns: string; name: string };
  /** ifalias: NETFORGE_MARK on what an executor created. */
  alias?: string;
}

export interface FakeNetns {
  links: Map<string, FakeLink>;
  addrs: Map<string, { family: 'inet' | 'inet6'; local: string; prefixlen: number; scope: string }[]>;
  defaultRoute: { gateway: string; dev: string } | null;
  /** Other routes by prefix. */
  routes: Map<string, { gateway: string; dev: string }>;
}

export interface FakeLinuxOptions {
  vlanSupported?: boolean;
  /** Host interfaces: name -> IPv4/prefix or null. Default eth0 172.30.0.11/24 and eth1 without address. */
  interfaces?: Record<string, string | null>;
  /** Fails the first command whose argv (joined by spaces) matches, with this stderr. */
  failOn?: { match: RegExp; stderr: string };
}

let macCounter = 0;
function nextMac(): string {
  macCounter++;
  return `02:00:00:00:${((macCounter >> 8) & 0xff).toString(16).padStart(2, '0')}:${(macCounter & 0xff).toString(16).padStart(2, '0')}`;
}

function emptyNs(): FakeNetns {
  const ns: FakeNetns = { links: new Map(), addrs: new Map(), defaultRoute: null, routes: new Map() };
  ns.links.set('lo', { name: 'lo', kind: null, master: null, up: false, mtu: 65536, mac: '00:00:00:00:00:00' });
  return ns;
}

export class FakeLinux implements CommandExecutor {
  readonly description = "host 'fake' (host-fake, 10.0.0.1)";
  readonly commands: string[][] = [];
  readonly namespaces = new Map<string, FakeNetns>();
  /** dnsmasq configuration by namespace. */
  readonly dnsmasq = new Map<string, DnsmasqConfig>();
  /** Recorded DHCP leases by namespace and interface. */
  readonly leases = new Map<string, Map<string, DhcpLease>>();
  /** nftables tables ("<family> <name>" -> the batch that made it) by namespace ('' = host). */
  readonly nft = new Map<string, Map<string, NftBatch>>();
  /** Namespaces that forward (net.ipv4.ip_forward=1). */
  readonly forwarding = new Set<string>();
  vlanSupported: boolean;
  failOn: FakeLinuxOptions['failOn'];

  constructor(options: FakeLinuxOptions = {}) {
    this.vlanSupported = options.vlanSupported ?? false;
    this.failOn = options.failOn;
    const host = emptyNs();
    host.links.get('lo')!.up = true;
    for (const [name, addr] of Object.entries(options.interfaces ?? { eth0: '172.30.0.11/24', eth1: null })) {
      host.links.set(name, { name, kind: 'veth', master: null, up: true, mtu: 1500, mac: nextMac() });
      if (addr) {
        const [local, prefix] = addr.split('/');
        host.addrs.set(name, [{ family: 'inet', local, prefixlen: Number(prefix), scope: 'global' }]);
      }
    }
    this.namespaces.set('', host);
  }

  get host(): FakeNetns {
    return this.namespaces.get('')!;
  }

  /** Non-inspection commands received (what changed the host). */
  get changes(): string[][] {
    return this.commands.filter((a) => !a.includes('-json'));
  }

  /** Adds a device someone else made (not marked as netforge's). */
  addForeign(link: Omit<FakeLink, 'mac' | 'mtu' | 'up'> & Partial<FakeLink>, ns = ''): void {
    this.namespaces.get(ns)!.links.set(link.name, { mac: nextMac(), mtu: 1500, up: true, ...link });
  }

  /** Host links as "name kind master up", sorted: a compact snapshot for assertions. */
  snapshot(ns = ''): string[] {
    const n = this.namespaces.get(ns);
    if (!n) return [];
    return [...n.links.values()].map((l) => `${l.name} ${l.kind ?? '-'} ${l.master ?? '-'} ${l.up ? 'up' : 'down'}`).sort();
  }

  clear(): void {
    this.commands.length = 0;
  }

  async run(plan: CommandPlan): Promise<CommandResult[]> {
    const results: CommandResult[] = [];
    for (const c of plan) {
      const argv = [...c.argv];
      this.commands.push(argv);
      const r = this.exec(argv);
      const made = r.code === 0 ? createdDevice(argv) : null;
      if (made) this.namespaces.get(made.netnsArgs[1] ?? '')!.links.get(made.name)!.alias = NETFORGE_MARK;
      if (r.code !== 0 && !c.allowFailure) throw new CommandFailedError(r, this.description, results);
      results.push(r);
    }
    return results;
  }

  private exec(argv: string[]): CommandResult {
    const ok = (stdout = ''): CommandResult => ({ argv, code: 0, stdout, stderr: '' });
    const fail = (stderr: string, code = 2): CommandResult => ({ argv, code, stdout: '', stderr });
    if (this.failOn && this.failOn.match.test(argv.join(' '))) return fail(this.failOn.stderr);
    if (argv[0] === 'netforge') return this.builtin(argv, ok, fail);
    if (argv[0] === 'nft') return this.nftIn('', argv.slice(1), ok, fail);
    if (argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec') {
      const [, , , target, program, ...rest] = argv;
      if (!this.namespaces.has(target)) return fail(`Cannot open network namespace "${target}": No such file or directory`, 1);
      if (program === 'nft') return this.nftIn(target, rest, ok, fail);
      if (program === 'sysctl' && rest.join(' ') === '-w net.ipv4.ip_forward=1') {
        this.forwarding.add(target);
        return ok('net.ipv4.ip_forward = 1\n');
      }
      return fail(`fake linux: unsupported ${argv.join(' ')}`);
    }
    if (argv[0] !== 'ip') return fail(`fake linux does not know ${argv[0]}`);
    let a = argv.slice(1);
    let nsName = '';
    if (a[0] === '-n') {
      nsName = a[1];
      a = a.slice(2);
    }
    const ns = this.namespaces.get(nsName);
    const json = a[0] === '-json';
    if (json) a = a.slice(1);
    if (a[0] === '-d') a = a.slice(1);
    const words = a.join(' ');

    if (json && words === 'netns list')
      return ok(this.namespaces.size > 1 ? JSON.stringify([...this.namespaces.keys()].filter((k) => k).map((name) => ({ name }))) : '');
    if (!ns) return fail(`Cannot open network namespace "${nsName}": No such file or directory`, 1);
    if (json && words === 'link show') return ok(JSON.stringify([...ns.links.values()].map((l) => this.linkJson(l))));
    if (json && words === 'addr show') {
      return ok(JSON.stringify([...ns.links.values()].map((l) => ({ ifname: l.name, addr_info: ns.addrs.get(l.name) ?? [] }))));
    }
    if (json && words === 'route show') {
      return ok(JSON.stringify(ns.defaultRoute ? [{ dst: 'default', gateway: ns.defaultRoute.gateway, dev: ns.defaultRoute.dev }] : []));
    }
    if (a[0] === 'netns' && a[1] === 'add') {
      if (this.namespaces.has(a[2])) return fail(`Cannot create namespace file "/run/netns/${a[2]}": File exists`, 1);
      this.namespaces.set(a[2], emptyNs());
      return ok();
    }
    if (a[0] === 'netns' && a[1] === 'del') {
      const gone = this.namespaces.get(a[2]);
      if (!gone) return fail(`Cannot remove namespace file "/run/netns/${a[2]}": No such file or directory`, 1);
      for (const l of gone.links.values()) if (l.peer) this.namespaces.get(l.peer.ns)?.links.delete(l.peer.name);
      this.namespaces.delete(a[2]);
      return ok();
    }
    if (a[0] === 'link' && a[1] === 'add') return this.linkAdd(ns, nsName, a.slice(2), ok, fail);
    if (a[0] === 'link' && a[1] === 'set' && a[2] === 'dev') {
      const l = ns.links.get(a[3]);
      if (!l) return fail(`Cannot find device "${a[3]}"`, 1);
      if (a[4] === 'up') l.up = true;
      else if (a[4] === 'master') {
        const m = ns.links.get(a[5]);
        if (!m || m.kind !== 'bridge') return fail(`Error: argument "${a[5]}" is wrong: Device does not exist`, 1);
        l.master = a[5];
        // A bridge's MTU follows its smallest port (a VXLAN port makes it 1450).
        if (l.mtu < m.mtu) m.mtu = l.mtu;
      } else if (a[4] === 'nomaster') l.master = null;
      else if (a[4] === 'address') l.mac = a[5];
      else if (a[4] === 'alias') l.alias = a[5];
      else if (a[4] === 'mtu') l.mtu = Number(a[5]);
      else return fail(`fake linux: unsupported ${words}`);
      return ok();
    }
    if (a[0] === 'link' && a[1] === 'del' && a[2] === 'dev') {
      const l = ns.links.get(a[3]);
      if (!l) return fail(`Cannot find device "${a[3]}"`, 1);
      ns.links.delete(a[3]);
      ns.addrs.delete(a[3]);
      if (l.peer) this.namespaces.get(l.peer.ns)?.links.delete(l.peer.name);
      for (const other of ns.links.values()) {
        if (other.master === a[3]) other.master = null;
        if (l.kind === null || l.kind === 'veth') if (other.kind === 'vlan' && other.parent === a[3]) ns.links.delete(other.name);
      }
      return ok();
    }
    if (a[0] === 'addr' && a[1] === 'add' && a[3] === 'dev') {
      if (!ns.links.has(a[4])) return fail(`Cannot find device "${a[4]}"`, 1);
      const [local, prefix] = a[2].split('/');
      const list = ns.addrs.get(a[4]) ?? [];
      if (list.some((x) => x.local === local)) return fail('RTNETLINK answers: File exists', 2);
      list.push({ family: local.includes(':') ? 'inet6' : 'inet', local, prefixlen: Number(prefix), scope: 'global' });
      ns.addrs.set(a[4], list);
      return ok();
    }
    if (a[0] === 'route' && a[1] === 'replace' && a[2] === 'default' && a[3] === 'via' && a[5] === 'dev') {
      ns.defaultRoute = { gateway: a[4], dev: a[6] };
      return ok();
    }
    if (a[0] === 'route' && a[1] === 'replace' && a[3] === 'via' && a[5] === 'dev') {
      ns.routes.set(a[2], { gateway: a[4], dev: a[6] });
      return ok();
    }

    return fail(`fake linux: unsupported command ip ${a.join(' ')}`);
  }

  private nftIn(nsName: string, a: string[], ok: (s?: string) => CommandResult, fail: (s: string, c?: number) => CommandResult): CommandResult {
    const tables = this.nft.get(nsName) ?? new Map<string, NftBatch>();
    this.nft.set(nsName, tables);
    if (a.join(' ') === '-j list tables') {
      return ok(JSON.stringify({ nftables: [...tables.keys()].map((k) => ({ table: { family: k.split(' ')[0], name: k.split(' ')[1] } })) }));
    }
    if (a[0] !== '-j' || a.length !== 2) return fail(`fake linux: unsupported nft ${a.join(' ')}`);
    const batch = NftBatch.parse(JSON.parse(a[1]));
    // add/delete/add of a table, then its chains and rules: the table is what the last add made.
    for (const c of batch.nftables) {
      if ('delete' in c) tables.delete(`${c.delete.table.family} ${c.delete.table.name}`);
      else if ('table' in c.add) tables.set(`${c.add.table.family} ${c.add.table.name}`, batch);
    }
    return ok();
  }

  private builtin(argv: string[], ok: (s?: string) => CommandResult, fail: (s: string, c?: number) => CommandResult): CommandResult {
    const [, command, nsName, arg] = argv;
    if (command === 'dnsmasq-list') return ok(JSON.stringify([...this.dnsmasq.keys()].map((netns) => ({ netns, pid: 1000 }))));
    if (!this.namespaces.has(nsName)) return fail(`network namespace ${nsName} does not exist`, 1);
    switch (command) {
      case 'dnsmasq-sync':
        this.dnsmasq.set(nsName, DnsmasqConfig.parse(JSON.parse(arg)));
        return ok(JSON.stringify({ action: 'started', pid: 1000 }));
      case 'dnsmasq-stop':
        return ok(JSON.stringify({ stopped: this.dnsmasq.delete(nsName) }));
      case 'dhcp-leases':
        return ok(JSON.stringify([...(this.leases.get(nsName)?.values() ?? [])]));
      case 'dhcp-forget':
        this.leases.delete(nsName);
        return ok('{}');
      case 'dhcp-request': {
        const mac = this.namespaces.get(nsName)!.links.get(arg)?.mac;
        for (const config of this.dnsmasq.values()) {
          const entry = config.dhcp?.hosts.find((h) => h.mac === mac);
          if (!entry || !config.dhcp) continue;
          const d = config.dhcp;
          const lease: DhcpLease = {
            interface: arg,
            ip: entry.ip,
            prefix: Number(d.subnet.split('/')[1]),
            routers: d.router ? [d.router] : [],
            dnsServers: d.dnsServers,
            domain: d.domain,
            routes: d.classlessRoutes.length > 0 ? [...(d.router ? [{ prefix: '0.0.0.0/0', nextHop: d.router }] : []), ...d.classlessRoutes] : [],
            mtu: d.mtu,
            hostname: entry.hostname,
            serverId: d.router ?? entry.ip,
            leaseSeconds: 4294967295,
          };
          const mine = this.leases.get(nsName) ?? new Map<string, DhcpLease>();
          mine.set(arg, lease);
          this.leases.set(nsName, mine);
          return ok(JSON.stringify(lease));
        }
        return fail(`no DHCP lease on ${arg} in ${nsName}: no DHCP server answered on ${arg}`, 1);
      }
      default:
        return fail(`fake linux: unknown builtin ${command}`);
    }
  }

  private linkAdd(
    ns: FakeNetns,
    nsName: string,
    a: string[],
    ok: () => CommandResult,
    fail: (s: string, c?: number) => CommandResult,
  ): CommandResult {
    const opt = (key: string, from = 0) => {
      const i = a.indexOf(key, from);
      return i >= 0 ? a[i + 1] : undefined;
    };
    const typeAt = a.indexOf('type');
    const kind = a[typeAt + 1];
    const name = opt('name') as string;
    if (ns.links.has(name)) return fail('RTNETLINK answers: File exists', 2);
    const mtu = Number(opt('mtu') ?? 1500);
    if (kind === 'bridge') {
      ns.links.set(name, { name, kind: 'bridge', master: null, up: false, mtu: 1500, mac: nextMac() });
      return ok();
    }
    if (kind === 'vlan') {
      if (!this.vlanSupported) return fail('Error: Unknown device type.', 2);
      const parent = opt('link') as string;
      if (!ns.links.has(parent)) return fail(`Cannot find device "${parent}"`, 1);
      const id = Number(opt('id'));
      if ([...ns.links.values()].some((l) => l.kind === 'vlan' && l.parent === parent && l.vlanId === id))
        return fail('RTNETLINK answers: File exists', 2);
      ns.links.set(name, { name, kind: 'vlan', master: null, up: false, mtu: 1500, mac: nextMac(), parent, vlanId: id });
      return ok();
    }
    if (kind === 'vxlan') {
      const dev = opt('dev') as string;
      if (!ns.links.has(dev)) return fail(`Cannot find device "${dev}"`, 1);
      ns.links.set(name, {
        name,
        kind: 'vxlan',
        master: null,
        up: false,
        mtu: 1450,
        mac: nextMac(),
        vxlan: { id: Number(opt('id')), group: opt('group') as string, local: opt('local') as string, dev, port: Number(opt('dstport')) },
      });
      return ok();
    }
    if (kind === 'veth') {
      const peerAt = a.indexOf('peer');
      const peerName = opt('name', peerAt) as string;
      const peerNsName = opt('netns', peerAt) ?? nsName;
      const peerNs = this.namespaces.get(peerNsName);
      if (!peerNs) return fail('Error: Peer netns reference is invalid.', 2);
      if (peerNs.links.has(peerName)) return fail('RTNETLINK answers: File exists', 2);
      const peerMtu = Number(opt('mtu', peerAt) ?? 1500);
      ns.links.set(name, { name, kind: 'veth', master: null, up: false, mtu, mac: nextMac(), peer: { ns: peerNsName, name: peerName } });
      peerNs.links.set(peerName, {
        name: peerName,
        kind: 'veth',
        master: null,
        up: false,
        mtu: peerMtu,
        mac: opt('address', peerAt) ?? nextMac(),
        peer: { ns: nsName, name },
      });
      return ok();
    }
    return fail('Error: Unknown device type.', 2);
  }

  private linkJson(l: FakeLink): unknown {
    const info_data =
      l.kind === 'vlan'
        ? { protocol: '802.1Q', id: l.vlanId }
        : l.kind === 'vxlan'
        ? { id: l.vxlan!.id, group: l.vxlan!.group, local: l.vxlan!.local, link: l.vxlan!.dev, port: l.vxlan!.port }
        : undefined;
    return {
      ifname: l.name,
      flags: [...(l.name === 'lo' ? ['LOOPBACK'] : ['BROADCAST', 'MULTICAST']), ...(l.up ? ['UP'] : [])],
      mtu: l.mtu,
      ...(l.master ? { master: l.master } : {}),
      ...(l.parent ? { link: l.parent } : {}),
      address: l.mac,
      ...(l.alias ? { ifalias: l.alias } : {}),
      ...(l.kind ? { linkinfo: { info_kind: l.kind, ...(info_data ? { info_data } : {}) } } : {}),
    };
  }
}
