/** L3 network and IP range rules (topology-rules.md 8-14). */
import type { HostRoute, L2Type } from '../model';
import {
  cidrContains,
  cidrHasHostBits,
  cidrsOverlap,
  intervalsOverlap,
  ipFromBigInt,
  parseCidr,
  parseIp,
  reservedKind,
  type ParsedCidr,
  type ParsedIp,
} from '../ip';
import { isValidDomainName } from '../dns-names';
import { describeObject, violation, type Violation } from '../violation';

export const MAX_DNS_SERVERS = 8;
/** Host routes an L3 may declare (DHCP option 121 carries them all, with the default route). */
export const MAX_HOST_ROUTES = 64;
/** MTU bounds: 576 is the least every IPv4 host must take (RFC 791), 9000 a jumbo frame. */
export const MIN_MTU = 576;
export const MAX_MTU = 9000;
/** VXLAN adds 50 bytes (outer IPv4, UDP, VXLAN header, inner Ethernet) to a 1500-byte underlay. */
const VXLAN_OVERHEAD = 50;

/** The MTU an L3 network gets when none is given: what fits its L2 type on a 1500-byte underlay. */
export function defaultMtu(l2Type: L2Type): number {
  return l2Type === 'L2VxlanNetwork' ? 1500 - VXLAN_OVERHEAD : 1500;
}

export interface L3Spec {
  /** Absent while not known (a token at synth): the checks that need it are skipped. */
  cidr?: string;
  gateway?: string | null;
  dnsServers?: readonly string[];
  dnsDomain?: string | null;
  hostRoutes?: readonly HostRoute[];
  mtu?: unknown;
}

export interface IpRangeSpec {
  uuid?: string;
  name?: string;
  startIp: string;
  endIp: string;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isHostRoutes = (v: unknown): v is HostRoute[] =>
  Array.isArray(v) && v.every((r) => typeof r === 'object' && r !== null && isString((r as HostRoute).prefix) && isString((r as HostRoute).nextHop));

/** The L3 fields of untyped values (a plan, a configuration); what is not known is left out. */
export function asL3Spec(api: Readonly<Record<string, unknown>>): L3Spec {
  return {
    cidr: isString(api.cidr) ? api.cidr : undefined,
    gateway: isString(api.gateway) ? api.gateway : null,
    dnsServers: isStringList(api.dnsServers) ? api.dnsServers : undefined,
    dnsDomain: isString(api.dnsDomain) ? api.dnsDomain : null,
    hostRoutes: isHostRoutes(api.hostRoutes) ? api.hostRoutes : undefined,
    mtu: api.mtu ?? undefined,
  };
}

/** The ends of an IP range in untyped values, or null while either is not known. */
export function asIpRangeSpec(api: Readonly<Record<string, unknown>>): IpRangeSpec | null {
  return isString(api.startIp) && isString(api.endIp) ? { startIp: api.startIp, endIp: api.endIp } : null;
}

/** Address space no IP range may reach into (rule 9), named as `reservedKind` names it. */
const RESERVED_BLOCKS: readonly ParsedCidr[] = ['0.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4', '::/128', 'fe80::/10', 'ff00::/8'].map(
  (c) => parseCidr(c) as ParsedCidr,
);

/** /31 and /32 (and IPv6 /127, /128) have no network or broadcast address to exclude. */
function hasNetworkAndBroadcast(c: ParsedCidr): boolean {
  return c.prefix < c.bits - 1;
}

/** The gateway netforge picks when none is given: the first usable address. */
export function defaultGateway(cidr: string): string {
  const c = parseCidr(cidr);
  if (!c) throw new Error(`invalid CIDR ${cidr}`);
  return ipFromBigInt(hasNetworkAndBroadcast(c) ? c.network + 1n : c.network, c.family);
}

/** The gateway an L3 network has: the one given, else the default of its CIDR; undefined while the CIDR is not a valid one. */
export function gatewayOf(cidr: string, given?: string | null): string | undefined {
  if (given !== undefined && given !== null) return given;
  return parseCidr(cidr) ? defaultGateway(cidr) : undefined;
}


/** Stateless checks of an L3 network's own fields. */
export function validateL3Spec(spec: L3Spec): Violation[] {
  // Without a valid CIDR the checks that need it are skipped; the others still run, so
  // one request (or a construct whose CIDR is a token) hears about every field.
  const cidr = spec.cidr !== undefined ? parseCidr(spec.cidr) : null;
  const out: Violation[] =
    spec.cidr === undefined ? [] : cidr ? checkCidr(spec.cidr, cidr) : [violation('INVALID_CIDR', 'cidr', `${JSON.stringify(spec.cidr)} is not a CIDR such as 10.0.0.0/24`)];
  if (cidr && spec.gateway !== undefined && spec.gateway !== null) out.push(...checkGateway(spec.gateway, cidr));

  const dns = spec.dnsServers ?? [];
  if (dns.length > MAX_DNS_SERVERS) {
    out.push(violation('TOO_MANY_DNS_SERVERS', 'dnsServers', `at most ${MAX_DNS_SERVERS} DNS servers are allowed, got ${dns.length}`));
  }
  const seenDns = new Set<string>();
  dns.forEach((server, i) => {
    const ip = parseIp(server);
    if (!ip) out.push(violation('INVALID_DNS_SERVER', `dnsServers[${i}]`, `${JSON.stringify(server)} is not an IP address`));
    else if (seenDns.has(ip.text)) out.push(violation('DUPLICATE_DNS_SERVER', `dnsServers[${i}]`, `DNS server ${server} is listed twice`));
    else seenDns.add(ip.text);
  });

  if (spec.dnsDomain !== undefined && spec.dnsDomain !== null && !isValidDomainName(spec.dnsDomain)) {
    out.push(violation('INVALID_DNS_DOMAIN', 'dnsDomain', `${JSON.stringify(spec.dnsDomain)} is not a valid domain name (letters, digits and - in dot-separated labels)`));
  }
  if (spec.mtu !== undefined && (typeof spec.mtu !== 'number' || !Number.isInteger(spec.mtu) || spec.mtu < MIN_MTU || spec.mtu > MAX_MTU)) {
    out.push(violation('INVALID_MTU', 'mtu', `MTU must be an integer from ${MIN_MTU} to ${MAX_MTU}, got ${JSON.stringify(spec.mtu)}`));
  }

  const routes = spec.hostRoutes ?? [];
  if (routes.length > MAX_HOST_ROUTES) {
    out.push(violation('TOO_MANY_HOST_ROUTES', 'hostRoutes', `at most ${MAX_HOST_ROUTES} host routes are allowed (what DHCP option 121 carries), got ${routes.length}`));
  }
  const seenPrefixes = new Set<string>();
  routes.forEach((route, i) => {
    const prefix = parseCidr(route.prefix);
    if (!prefix) out.push(violation('INVALID_HOST_ROUTE_PREFIX', `hostRoutes[${i}].prefix`, `${JSON.stringify(route.prefix)} is not a CIDR`));
    else if (cidr && prefix.family !== cidr.family) {
      out.push(violation('HOST_ROUTE_FAMILY_MISMATCH', `hostRoutes[${i}].prefix`, `host route prefix ${route.prefix} is not IPv${cidr.family} like ${cidr.text}`));
    } else if (seenPrefixes.has(prefix.text)) {
      out.push(violation('DUPLICATE_HOST_ROUTE', `hostRoutes[${i}].prefix`, `more than one host route for ${prefix.text}`));
    } else seenPrefixes.add(prefix.text);
    const hop = parseIp(route.nextHop);
    if (!hop) out.push(violation('INVALID_NEXT_HOP', `hostRoutes[${i}].nextHop`, `${JSON.stringify(route.nextHop)} is not an IP address`));
    else if (cidr && hop.family !== cidr.family) {
      out.push(violation('NEXT_HOP_FAMILY_MISMATCH', `hostRoutes[${i}].nextHop`, `next hop ${route.nextHop} is not IPv${cidr.family} like ${cidr.text}`));
    } else if (cidr && !cidrContains(cidr, hop)) {
      // A VM reaches a next hop only on its own subnet (the kernel refuses the route otherwise).
      out.push(violation('NEXT_HOP_OUTSIDE_CIDR', `hostRoutes[${i}].nextHop`, `next hop ${route.nextHop} is not in ${cidr.text}`));
    }
  });
  return out;
}

/** The CIDR itself: network form, a real netmask, not in reserved space. */
function checkCidr(text: string, cidr: ParsedCidr): Violation[] {
  const out: Violation[] = [];
  if (cidrHasHostBits(text)) out.push(violation('CIDR_HOST_BITS_SET', 'cidr', `${text} has host bits set; did you mean ${cidr.text}?`));
  if (cidr.prefix === 0) out.push(violation('INVALID_NETMASK', 'cidr', `netmask of ${text} must not be ${cidr.netmask}`));
  const networkIp = parseIp(ipFromBigInt(cidr.network, cidr.family));
  const reserved = networkIp && reservedKind(networkIp);
  if (reserved) out.push(violation('RESERVED_ADDRESS', 'cidr', `${text} is in the ${reserved} address space`));
  return out;
}

/** Rule 10 (the part that needs only the CIDR): the gateway is a usable address inside it. */
function checkGateway(gateway: string, cidr: ParsedCidr): Violation[] {
  const gw = parseIp(gateway);
  if (!gw) return [violation('INVALID_GATEWAY', 'gateway', `${JSON.stringify(gateway)} is not an IP address`)];
  if (!cidrContains(cidr, gw)) return [violation('GATEWAY_OUTSIDE_CIDR', 'gateway', `gateway ${gateway} is outside ${cidr.text}`)];
  if (hasNetworkAndBroadcast(cidr)) {
    if (gw.value === cidr.network) return [violation('GATEWAY_IS_NETWORK_ADDRESS', 'gateway', `gateway ${gateway} is the network address of ${cidr.text}`)];
    if (cidr.family === 4 && gw.value === cidr.broadcast) {
      return [violation('GATEWAY_IS_BROADCAST_ADDRESS', 'gateway', `gateway ${gateway} is the broadcast address of ${cidr.text}`)];
    }
  }
  return [];
}

/**
 * Rules 8-11 for one IP range of an L3: both ends valid and in the L3's family, in order,
 * inside the CIDR, no network/broadcast address, no reserved space, gateway outside.
 */
/**
 * Rule 9, the part that needs no L3 network: both ends valid IPs of one family, in order,
 * no reserved space at the ends or between them. Constructs and the provider run this
 * before the L3's CIDR is known.
 */
export function validateIpRangeEnds(range: IpRangeSpec): Violation[] {
  const out: Violation[] = [];
  const start = parseIp(range.startIp);
  const end = parseIp(range.endIp);
  if (!start) out.push(violation('INVALID_IP', 'startIp', `${JSON.stringify(range.startIp)} is not an IP address`));
  if (!end) out.push(violation('INVALID_IP', 'endIp', `${JSON.stringify(range.endIp)} is not an IP address`));
  if (!start || !end) return out;
  if (start.family !== end.family) {
    return [violation('IP_FAMILY_MISMATCH', 'endIp', `startIp ${range.startIp} and endIp ${range.endIp} are not the same IP version`)];
  }
  if (start.value > end.value) out.push(violation('START_AFTER_END', 'startIp', `startIp ${range.startIp} is after endIp ${range.endIp}`));
  for (const [field, ip] of [['startIp', start], ['endIp', end]] as const) {
    const reserved = reservedKind(ip);
    if (reserved) out.push(violation('RESERVED_ADDRESS', field, `${ip.text} is in the ${reserved} address space`));
  }
  // Both ends may be ordinary addresses while the range spans reserved space between them
  // (169.253.255.1-169.255.0.1); blocks holding an end were reported above.
  if (start.value <= end.value) {
    for (const block of RESERVED_BLOCKS) {
      if (block.family !== start.family || cidrContains(block, start) || cidrContains(block, end)) continue;
      if (intervalsOverlap(start.value, end.value, block.network, block.broadcast)) {
        const kind = reservedKind(parseIp(ipFromBigInt(block.network, block.family)) as ParsedIp);
        out.push(violation('RESERVED_ADDRESS', 'startIp', `range ${range.startIp}-${range.endIp} spans ${block.text}, ${kind} address space`));
      }
    }
  }
  return out;
}

/**
 * Rules 8-11 for one IP range of an L3: validateIpRangeEnds, plus inside the CIDR, no
 * network/broadcast address, gateway outside.
 */
export function validateIpRange(range: IpRangeSpec, l3: { cidr: string; gateway?: string }): Violation[] {
  const out = validateIpRangeEnds(range);
  const start = parseIp(range.startIp);
  const end = parseIp(range.endIp);
  const cidr = parseCidr(l3.cidr);
  if (!start || !end || !cidr || start.family !== end.family) return out;
  if (start.family !== cidr.family) {
    return [violation('IP_FAMILY_MISMATCH', 'startIp', `range ${range.startIp}-${range.endIp} is not IPv${cidr.family} like ${cidr.text}`)];
  }
  for (const [field, ip] of [['startIp', start], ['endIp', end]] as const) {
    if (!cidrContains(cidr, ip)) out.push(violation('IP_RANGE_OUTSIDE_CIDR', field, `${field} ${ip.text} is outside the L3 network's ${cidr.text}`));
  }
  if (start.value <= end.value && hasNetworkAndBroadcast(cidr)) {
    if (intervalsOverlap(start.value, end.value, cidr.network, cidr.network)) {
      out.push(violation('IP_RANGE_INCLUDES_NETWORK_ADDRESS', 'startIp', `range ${range.startIp}-${range.endIp} includes the network address of ${cidr.text}`));
    }
    if (cidr.family === 4 && intervalsOverlap(start.value, end.value, cidr.broadcast, cidr.broadcast)) {
      out.push(violation('IP_RANGE_INCLUDES_BROADCAST_ADDRESS', 'endIp', `range ${range.startIp}-${range.endIp} includes the broadcast address of ${cidr.text}`));
    }
  }
  const gw = l3.gateway !== undefined ? parseIp(l3.gateway) : null;
  if (gw && gw.family === start.family && start.value <= gw.value && gw.value <= end.value) {
    out.push(violation('GATEWAY_IN_IP_RANGE', 'startIp', `range ${range.startIp}-${range.endIp} contains the gateway ${l3.gateway}`));
  }
  return out;
}

export interface ExistingIpRange {
  uuid: string;
  name: string;
  startIp: string;
  endIp: string;
  l3NetworkUuid?: string;
}

/** Rule 12: no two IP ranges overlap within one L3 or across the L3s of one L2. */
export function checkIpRangeOverlaps(range: IpRangeSpec, others: ReadonlyArray<ExistingIpRange>): Violation[] {
  const start = parseIp(range.startIp);
  const end = parseIp(range.endIp);
  if (!start || !end) return [];
  const out: Violation[] = [];
  for (const other of others) {
    if (range.uuid && other.uuid === range.uuid) continue;
    const os = parseIp(other.startIp);
    const oe = parseIp(other.endIp);
    if (!os || !oe || os.family !== start.family) continue;
    if (intervalsOverlap(start.value, end.value, os.value, oe.value)) {
      const ref = { type: 'IpRange', uuid: other.uuid, name: other.name };
      out.push(
        violation('IP_RANGE_OVERLAP', 'startIp', `range ${range.startIp}-${range.endIp} overlaps ${describeObject(ref)} ${other.startIp}-${other.endIp}`, ref),
      );
    }
  }
  return out;
}

/** Rule 12: the CIDRs of L3 networks on one L2 don't overlap. */
export function checkL3CidrOverlap(
  l3: { uuid?: string; cidr: string },
  othersOnL2: ReadonlyArray<{ uuid: string; name: string; cidr: string }>,
): Violation[] {
  const cidr = parseCidr(l3.cidr);
  if (!cidr) return [];
  const out: Violation[] = [];
  for (const other of othersOnL2) {
    if (other.uuid === l3.uuid) continue;
    const oc = parseCidr(other.cidr);
    if (oc && cidrsOverlap(cidr, oc)) {
      const ref = { type: 'L3Network', uuid: other.uuid, name: other.name };
      out.push(violation('L3_CIDR_OVERLAP', 'cidr', `${cidr.text} overlaps ${oc.text} of ${describeObject(ref)} on the same L2 network`, ref));
    }
  }
  return out;
}
