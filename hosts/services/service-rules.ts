/**
 * The nftables rulesets of network services, built from what the endpoint needs (nft.ts
 * makes them data):
 *
 *   router (in its namespace), table ip netforge
 *     prerouting   DNAT: an EIP's VIP to its NIC, a port forwarding rule's VIP ports to the guest's
 *     forward      policy drop; replies of established flows pass; guest -> public only with SNAT
 *                  or an EIP; public -> guest only what was DNATed (ct status dnat)
 *     postrouting  an EIP's NIC leaves as its VIP; SNAT: the guest CIDR masqueraded behind the
 *                  public address
 *   security groups (on the host), table inet netforge_sg: see firewallRuleset
 *   flat DHCP isolation (on the host), table bridge netforge_<hash>
 *     forward      drop between the DHCP namespace's port and the L2's uplink, both ways: the
 *                  server answers only this host's VMs, and its address (the same on every
 *                  host) never reaches the wire
 *   flat EIP steering (on the VM's host), table bridge netforge_fe<hash>
 *     prerouting   the VM's IPv4 frames to addresses off its subnet (not broadcast or multicast)
 *                  get the EIP namespace's guest MAC as destination: they reach the namespace,
 *                  which holds the subnet's gateway address, whatever gateway MAC the VM has
 *                  cached
 *     forward      the namespace's port talks to the VM's port only, and no frame addressed to
 *                  the namespace leaves by another port (an unknown destination is flooded):
 *                  its gateway address is that VM's alone and never reaches the wire
 */
import { createHash } from 'node:crypto';
import {
  ACCEPT,
  APPLIANCE_TABLE,
  COUNTER,
  CT_DNAT,
  ctState,
  etherDestination,
  etherSourceIsNot,
  etherType,
  arpSenderIsNot,
  ipDestinationNotIn,
  ipSourceNotIn,
  destinationPorts,
  dnatTo,
  DROP,
  iifname,
  ipIn,
  ipSource,
  jump,
  l4proto,
  MASQUERADE,
  oifname,
  removeTable,
  replaceTable,
  setEtherDestination,
  snatTo,
  sourcePort,
  type NftBatch,
  type NftChainSpec,
  type NftStatement,
} from './nft';

export interface RouterForwardingRules {
  guestInterface: string;
  publicInterface: string;
  guestCidr: string;
  snat: boolean;
  eips: ReadonlyArray<{ vip: string; guestIp: string }>;
  portForwards: ReadonlyArray<{
    protocol: 'TCP' | 'UDP';
    vip: string;
    vipPorts: readonly [number, number];
    guestIp: string;
    guestPorts: readonly [number, number];
    allowedCidr: string | null;
  }>;
}

/**
 * The router's table inside its namespace. EIPs and port forwarding rules come first in
 * prerouting (DNAT) and postrouting (an EIP's NIC leaves as its VIP, before the masquerade).
 */
export function routerRuleset(r: RouterForwardingRules): NftBatch {
  const forward: NftStatement[][] = [[ctState('established', 'related'), ACCEPT]];
  const prerouting: NftStatement[][] = [];
  const postrouting: NftStatement[][] = [];
  const fromOutside = iifname(r.publicInterface);
  for (const e of r.eips) {
    prerouting.push([fromOutside, ipIn('daddr', [e.vip]), COUNTER, dnatTo(e.guestIp)]);
    forward.push([fromOutside, oifname(r.guestInterface), ipIn('daddr', [e.guestIp]), CT_DNAT, COUNTER, ACCEPT]);
    forward.push([iifname(r.guestInterface), oifname(r.publicInterface), ipIn('saddr', [e.guestIp]), COUNTER, ACCEPT]);
    postrouting.push([oifname(r.publicInterface), ipIn('saddr', [e.guestIp]), COUNTER, snatTo(e.vip)]);
  }
  for (const f of r.portForwards) {
    const proto = f.protocol === 'TCP' ? 'tcp' : 'udp';
    const source = f.allowedCidr ? [ipIn('saddr', [f.allowedCidr])] : [];
    prerouting.push([
      fromOutside,
      ipIn('daddr', [f.vip]),
      ...source,
      destinationPorts(proto, f.vipPorts[0], f.vipPorts[1]),
      COUNTER,
      dnatTo(f.guestIp, { proto, from: [f.vipPorts[0], f.vipPorts[1]], to: [f.guestPorts[0], f.guestPorts[1]] }),
    ]);
    forward.push([fromOutside, oifname(r.guestInterface), ipIn('daddr', [f.guestIp]), ...source, destinationPorts(proto, f.guestPorts[0], f.guestPorts[1]), CT_DNAT, COUNTER, ACCEPT]);
  }
  if (r.snat) {
    forward.push([iifname(r.guestInterface), oifname(r.publicInterface), ipSource(r.guestCidr), COUNTER, ACCEPT]);
    postrouting.push([oifname(r.publicInterface), ipSource(r.guestCidr), COUNTER, MASQUERADE]);
  }
  return replaceTable(APPLIANCE_TABLE.family, APPLIANCE_TABLE.name, [
    { name: 'prerouting', type: 'nat', hook: 'prerouting', prio: -100, policy: 'accept', rules: prerouting },
    { name: 'forward', type: 'filter', hook: 'forward', prio: 0, policy: 'drop', rules: forward },
    { name: 'postrouting', type: 'nat', hook: 'postrouting', prio: 100, policy: 'accept', rules: postrouting },
  ]);
}

/** The VIPs a router answers on its public NIC (each EIP's and port forwarding rule's, once). */
export function routerVips(r: RouterForwardingRules): string[] {
  return [...new Set([...r.eips.map((e) => e.vip), ...r.portForwards.map((f) => f.vip)])].sort();
}

// ---- Security groups ----

export interface FirewallRuleSpec {
  protocol: 'TCP' | 'UDP' | 'ICMP' | 'ALL';
  portStart: number | null;
  portEnd: number | null;
  /** Addresses or networks; null: anywhere; empty: nobody (a remote group without members). */
  peers: readonly string[] | null;
}

export interface FirewallGroupSpec {
  uuid: string;
  ingress: readonly FirewallRuleSpec[];
  egress: readonly FirewallRuleSpec[];
}

export interface FilteredNicSpec {
  ip: string;
  /** Uuids of its groups (FirewallGroupSpec.uuid). */
  groups: readonly string[];
  /** The L3's DHCP server, the only source its DHCP replies may come from; null: none. */
  dhcpServer: string | null;
}

/** The host's port guard table (bridge family: it sees ports, needs no conntrack). */
export const PORT_GUARD_TABLE = { family: 'bridge', name: 'netforge_sgport' } as const;

export interface GuardedPortSpec {
  port: string;
  mac: string;
  ip: string;
}

/**
 * What keeps VMs honest on networks with security groups, per port: a VM sends only with its
 * own MAC, IPv4 source (or 0.0.0.0, asking DHCP) and ARP sender address, so it can't borrow
 * a member's allowances; IPv6 to and from it is dropped, since the groups filter IPv4 only.
 */
export function portGuardRuleset(nics: readonly GuardedPortSpec[]): NftBatch {
  if (nics.length === 0) return removeTable(PORT_GUARD_TABLE.family, PORT_GUARD_TABLE.name);
  const rules: NftStatement[][] = [];
  for (const nic of nics) {
    const from = iifname(nic.port);
    rules.push(
      [from, etherSourceIsNot(nic.mac), COUNTER, DROP],
      [from, etherType('ip'), ipSourceNotIn([nic.ip, '0.0.0.0']), COUNTER, DROP],
      [from, etherType('arp'), arpSenderIsNot(nic.ip), COUNTER, DROP],
      [from, etherType('ip6'), COUNTER, DROP],
      [oifname(nic.port), etherType('ip6'), COUNTER, DROP],
    );
  }
  return replaceTable(PORT_GUARD_TABLE.family, PORT_GUARD_TABLE.name, [{ name: 'forward', type: 'filter', hook: 'forward', prio: 0, policy: 'accept', rules }]);
}

/** The chains holding a group's rules (g<i>_in, g<i>_eg): loaded last when a ruleset is split (an empty one fails closed). */
export const FIREWALL_GROUP_CHAIN = /^g[0-9]+_(in|eg)$/;

/** The host's security group table. */
export const FIREWALL_TABLE = { family: 'inet', name: 'netforge_sg' } as const;

/** What a rule matches, facing the NIC (ingress: its peers are sources) or leaving it (egress: destinations); null when it matches nothing. */
function allowance(rule: FirewallRuleSpec, direction: 'ingress' | 'egress'): NftStatement[] | null {
  if (rule.peers !== null && rule.peers.length === 0) return null;
  const out: NftStatement[] = [];
  if (rule.protocol !== 'ALL') out.push(l4proto(rule.protocol === 'TCP' ? 'tcp' : rule.protocol === 'UDP' ? 'udp' : 'icmp'));
  if ((rule.protocol === 'TCP' || rule.protocol === 'UDP') && rule.portStart !== null) {
    out.push(destinationPorts(rule.protocol === 'TCP' ? 'tcp' : 'udp', rule.portStart, rule.portEnd ?? rule.portStart));
  }
  if (rule.peers !== null) out.push(ipIn(direction === 'ingress' ? 'saddr' : 'daddr', rule.peers));
  return out;
}

/**
 * Stateful filtering of a host's member NICs, keyed by their addresses in the inet forward
 * hook (bridged traffic reaches it through br_netfilter; the bridge family has no conntrack
 * on our kernels: data-plane.md). Each group's rules are one chain per direction, whatever
 * the number of its members on the host. Two base chains: `egress` (priority -1) checks what
 * a member sends when one of its groups has egress rules, `ingress` (priority 0) what a
 * member receives; an accept in one base chain still leaves the packet to the next (nft
 * semantics), a drop ends it. Replies of allowed flows pass first; DHCP replies always
 * reach a member. No members: no table.
 */
export function firewallRuleset(groups: readonly FirewallGroupSpec[], nics: readonly FilteredNicSpec[]): NftBatch {
  if (nics.length === 0) return removeTable(FIREWALL_TABLE.family, FIREWALL_TABLE.name);
  const index = new Map(groups.map((g, i) => [g.uuid, i]));
  const chains: NftChainSpec[] = [];
  const allowed = (rules: readonly FirewallRuleSpec[], direction: 'ingress' | 'egress') =>
    rules.flatMap((r) => {
      const m = allowance(r, direction);
      return m ? [[...m, ACCEPT]] : [];
    });
  groups.forEach((g, i) => {
    chains.push({ name: `g${i}_in`, rules: allowed(g.ingress, 'ingress') });
    if (g.egress.length > 0) chains.push({ name: `g${i}_eg`, rules: allowed(g.egress, 'egress') });
  });
  const replies = [ctState('established', 'related'), ACCEPT];
  const egress: NftStatement[][] = [replies];
  const ingress: NftStatement[][] = [replies];
  nics.forEach((nic, n) => {
    const own = nic.groups.flatMap((u) => (index.has(u) ? [index.get(u)!] : []));
    const egressGroups = own.filter((i) => groups[i].egress.length > 0);
    if (egressGroups.length > 0) {
      chains.push({ name: `n${n}_eg`, rules: [...egressGroups.map((i) => [jump(`g${i}_eg`)]), [COUNTER, DROP]] });
      egress.push([ipIn('saddr', [nic.ip]), jump(`n${n}_eg`)]);
    }
    const dhcp = nic.dhcpServer ? [[ipIn('saddr', [nic.dhcpServer]), l4proto('udp'), sourcePort('udp', 67), destinationPorts('udp', 68), ACCEPT]] : [];
    chains.push({ name: `n${n}_in`, rules: [...dhcp, ...own.map((i) => [jump(`g${i}_in`)]), [COUNTER, DROP]] });
    ingress.push([ipIn('daddr', [nic.ip]), jump(`n${n}_in`)]);
  });
  // Chains jumped to exist before the rules that jump.
  return replaceTable(FIREWALL_TABLE.family, FIREWALL_TABLE.name, [
    ...chains,
    { name: 'egress', type: 'filter', hook: 'forward', prio: -1, policy: 'accept', rules: egress },
    { name: 'ingress', type: 'filter', hook: 'forward', prio: 0, policy: 'accept', rules: ingress },
  ]);
}
/** The isolation table of the DHCP namespace whose host-side port is `port`. */
export function isolationTableName(port: string): string {
  return `netforge_dh${createHash('sha1').update(port).digest('hex').slice(0, 12)}`;
}

export const ISOLATION_TABLE_PATTERN = /^netforge_dh[0-9a-f]{12}$/;

/** A bridge table's forward chain: what it drops between ports, the rest passes. */
function bridgeForward(rules: NftStatement[][]): NftChainSpec {
  return { name: 'forward', type: 'filter', hook: 'forward', prio: 0, policy: 'accept', rules };
}

export function isolationRuleset(port: string, uplink: string): NftBatch {
  return replaceTable('bridge', isolationTableName(port), [
    bridgeForward([
      [iifname(port), oifname(uplink), COUNTER, DROP],
      [iifname(uplink), oifname(port), COUNTER, DROP],
    ]),
  ]);
}

export function removeIsolation(port: string): NftBatch {
  return removeTable('bridge', isolationTableName(port));
}

/** A flat EIP's namespace on the VM's host: its guest port and MAC, the VM's port and subnet. */
export interface SteeringSpec {
  port: string;
  mac: string;
  vmPort: string;
  guestCidr: string;
}

/** The steering table of the flat EIP namespace whose host-side guest port is `port`. */
export function steeringTableName(port: string): string {
  return `netforge_fe${createHash('sha1').update(port).digest('hex').slice(0, 12)}`;
}

export const STEERING_TABLE_PATTERN = /^netforge_fe[0-9a-f]{12}$/;

/** Addresses a VM reaches without its gateway, or never through it (DHCP's limited broadcast, multicast). */
const NOT_ROUTED = ['255.255.255.255', '224.0.0.0/4'];

export function steeringRuleset(s: SteeringSpec): NftBatch {
  return replaceTable('bridge', steeringTableName(s.port), [
    {
      // Before br_netfilter (priority 0) and the bridge's forwarding decision, which uses the rewritten MAC.
      name: 'prerouting',
      type: 'filter',
      hook: 'prerouting',
      prio: -300,
      policy: 'accept',
      rules: [[iifname(s.vmPort), etherType('ip'), ipDestinationNotIn([s.guestCidr, ...NOT_ROUTED]), COUNTER, setEtherDestination(s.mac)]],
    },
    bridgeForward([
      [iifname(s.port), oifname(s.vmPort, '!='), COUNTER, DROP],
      [oifname(s.port), iifname(s.vmPort, '!='), COUNTER, DROP],
      [etherDestination(s.mac), oifname(s.port, '!='), COUNTER, DROP],
    ]),
  ]);
}

export function removeSteering(port: string): NftBatch {
  return removeTable('bridge', steeringTableName(port));
}
