/**
 * What a host has, read from `ip -json -d link show` and `ip -json addr show`: the facts
 * the plans in l2-plans.ts and vm-plans.ts consult so that realizing twice changes nothing.
 */
import { cmd, NETFORGE_MARK, parseJsonOutput, probe, type CommandPlan, type CommandResult } from './commands';

export interface VxlanFacts {
  id: number | null;
  group: string | null;
  local: string | null;
  /** The underlay device name. */
  dev: string | null;
  port: number | null;
}

export interface LinkFacts {
  name: string;
  /** linkinfo.info_kind: 'bridge', 'vlan', 'vxlan', 'veth'; null for a plain NIC. */
  kind: string | null;
  /** The bridge (or bond) this link is a port of. */
  master: string | null;
  /** Administratively up (flag UP). */
  up: boolean;
  mtu: number | null;
  mac: string | null;
  /** For a VLAN device, its parent interface; for a veth, its peer when in the same namespace. */
  parent: string | null;
  /** VLAN id of a vlan device. */
  vlanId: number | null;
  vxlan: VxlanFacts | null;
  /** Created by netforge: its alias is NETFORGE_MARK (commands.ts). */
  marked: boolean;
  loopback: boolean;
}

export interface AddressFacts {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  scope: string;
}

export interface NetnsInspection {
  links: Map<string, LinkFacts>;
  /** Interface name -> its addresses. */
  addresses: Map<string, AddressFacts[]>;
}

interface RawLink {
  ifname?: string;
  flags?: string[];
  mtu?: number;
  master?: string;
  link?: string | null;
  address?: string;
  ifalias?: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
}

interface RawAddr {
  ifname?: string;
  addr_info?: Array<{ family?: string; local?: string; prefixlen?: number; scope?: string }>;
}

/** Reads every link with details, then every address (in the executor's namespace, or `-n <ns>`). */
export function inspectPlan(netns?: string): CommandPlan {
  const n = netns === undefined ? [] : ['-n', netns];
  // Inside a namespace that may not exist yet, failures are expected: an empty answer.
  const c = netns === undefined ? cmd : probe;
  return [c('ip', ...n, '-json', '-d', 'link', 'show'), c('ip', ...n, '-json', 'addr', 'show')];
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function parseLinks(result: CommandResult | undefined, where: string): Map<string, LinkFacts> {
  const out = new Map<string, LinkFacts>();
  for (const raw of parseJsonOutput<RawLink>(result, where)) {
    if (typeof raw.ifname !== 'string') continue;
    const kind = stringOrNull(raw.linkinfo?.info_kind);
    const data = raw.linkinfo?.info_data ?? {};
    out.set(raw.ifname, {
      name: raw.ifname,
      kind,
      master: stringOrNull(raw.master),
      up: Array.isArray(raw.flags) && raw.flags.includes('UP'),
      mtu: numberOrNull(raw.mtu),
      mac: stringOrNull(raw.address),
      parent: stringOrNull(raw.link),
      vlanId: kind === 'vlan' ? numberOrNull(data.id) : null,
      vxlan:
        kind === 'vxlan'
          ? {
              id: numberOrNull(data.id),
              group: stringOrNull(data.group),
              local: stringOrNull(data.local),
              dev: stringOrNull(data.link),
              port: numberOrNull(data.port),
            }
          : null,
      marked: raw.ifalias === NETFORGE_MARK,
      loopback: Array.isArray(raw.flags) && raw.flags.includes('LOOPBACK'),
    });
  }
  return out;
}

export function parseAddresses(result: CommandResult | undefined, where: string): Map<string, AddressFacts[]> {
  const out = new Map<string, AddressFacts[]>();
  for (const raw of parseJsonOutput<RawAddr>(result, where)) {
    if (typeof raw.ifname !== 'string') continue;
    const list: AddressFacts[] = [];
    for (const a of raw.addr_info ?? []) {
      if ((a.family !== 'inet' && a.family !== 'inet6') || typeof a.local !== 'string' || typeof a.prefixlen !== 'number') continue;
      list.push({ family: a.family, local: a.local, prefixlen: a.prefixlen, scope: a.scope ?? 'global' });
    }
    out.set(raw.ifname, list);
  }
  return out;
}

/** Parses the two results of inspectPlan(). */
export function parseInspection(results: readonly CommandResult[], where: string): NetnsInspection {
  return { links: parseLinks(results[0], where), addresses: parseAddresses(results[1], where) };
}

/** Addresses that matter for routing (not link-local), e.g. to refuse bridging a management NIC. */
export function routableAddresses(insp: NetnsInspection, iface: string): AddressFacts[] {
  return (insp.addresses.get(iface) ?? []).filter((a) => a.scope !== 'link' && a.scope !== 'host');
}

/** Ports of `bridge`, sorted by name. */
export function portsOf(insp: NetnsInspection, bridge: string): LinkFacts[] {
  return [...insp.links.values()].filter((l) => l.master === bridge).sort((a, b) => a.name.localeCompare(b.name));
}
