/**
 * IP address math on top of ipaddr.js: parsing is strict (dotted-quad IPv4 only, no
 * "10.1" or hex forms), and addresses convert to bigint so IPv4 and IPv6 ranges compare
 * and count alike.
 */
import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

export interface ParsedIp {
  family: IpFamily;
  value: bigint;
  text: string;
}

export interface ParsedCidr {
  family: IpFamily;
  prefix: number;
  /** Address bits (32 or 128). */
  bits: number;
  network: bigint;
  broadcast: bigint;
  /** Canonical text, e.g. "10.0.0.0/24". */
  text: string;
  netmask: string;
}

function bytesToBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** True when `text` is an IPv4 address written as it is printed (no leading zeros, no other forms). */
export function isCanonicalIpv4(text: string): boolean {
  const ip = parseIp(text);
  return ip?.family === 4 && ip.text === text;
}

export function parseIp(text: string): ParsedIp | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > 45) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    const a = ipaddr.IPv4.parse(text);
    return { family: 4, value: bytesToBigInt(a.toByteArray()), text: a.toString() };
  }
  if (text.includes(':') && !text.includes('%')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) is held to the same dotted-quad form as a plain
    // IPv4 address (ipaddr.js would take "0xa.0.0.1"), and is rewritten as two hex groups
    // before parsing: ipaddr.js reads "::1.2.3.4" as ::ffff:1.2.3.4, but it is ::102:304.
    let v6 = text;
    const tail = text.slice(text.lastIndexOf(':') + 1);
    if (tail.includes('.')) {
      if (!ipaddr.IPv4.isValidFourPartDecimal(tail)) return null;
      const [a, b, c, d] = ipaddr.IPv4.parse(tail).octets;
      v6 = `${text.slice(0, text.length - tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    if (!ipaddr.IPv6.isValid(v6)) return null;
    const a = ipaddr.IPv6.parse(v6);
    return { family: 6, value: bytesToBigInt(a.toByteArray()), text: a.toString() };
  }
  return null;
}

export function isIp(text: string): boolean {
  return parseIp(text) !== null;
}

export function ipFromBigInt(value: bigint, family: IpFamily): string {
  const len = family === 4 ? 4 : 16;
  const bytes: number[] = new Array(len);
  let v = value;
  for (let i = len - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

export function parseCidr(text: string): ParsedCidr | null {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const hostMask = (1n << hostBits) - 1n;
  const network = ip.value & ~hostMask & ((1n << BigInt(bits)) - 1n);
  const broadcast = network | hostMask;
  const netmaskValue = ((1n << BigInt(bits)) - 1n) ^ hostMask;
  return {
    family: ip.family,
    prefix,
    bits,
    network,
    broadcast,
    text: `${ipFromBigInt(network, ip.family)}/${prefix}`,
    netmask: ipFromBigInt(netmaskValue, ip.family),
  };
}

/** True when the CIDR text has host bits set (10.0.0.5/24): we ask for the network form. */
export function cidrHasHostBits(text: string): boolean {
  const c = parseCidr(text);
  const ip = c && parseIp(text.slice(0, text.indexOf('/')));
  return !!c && !!ip && ip.value !== c.network;
}

export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  return cidr.family === ip.family && ip.value >= cidr.network && ip.value <= cidr.broadcast;
}

export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.family === b.family && a.network <= b.broadcast && b.network <= a.broadcast;
}

export function intervalsOverlap(aStart: bigint, aEnd: bigint, bStart: bigint, bEnd: bigint): boolean {
  return aStart <= bEnd && bStart <= aEnd;
}

/** ipaddr.js range names that netforge refuses as subnet or range addresses (rule 9). */
export function reservedKind(ip: ParsedIp): string | null {
  const range = ipaddr.parse(ip.text).range();
  if (ip.family === 4) {
    if (range === 'multicast') return 'multicast (class D)';
    if (range === 'reserved' && ip.value >= 0xf0000000n) return 'reserved (class E)';
    if (range === 'broadcast') return 'broadcast';
    if (range === 'linkLocal') return 'link-local (169.254.0.0/16)';
    if (range === 'unspecified') return 'unspecified (0.0.0.0/8)';
    return null;
  }
  if (range === 'multicast') return 'multicast';
  if (range === 'linkLocal') return 'link-local (fe80::/10)';
  if (range === 'unspecified') return 'unspecified';
  return null;
}

/** Orders addresses numerically (IPv4 before IPv6); unparseable text last. */
export function compareIps(a: string, b: string): number {
  const pa = parseIp(a);
  const pb = parseIp(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
  if (pa.family !== pb.family) return pa.family - pb.family;
  return pa.value < pb.value ? -1 : pa.value > pb.value ? 1 : 0;
}

/** Number of addresses from start to end inclusive. */
export function rangeSize(start: bigint, end: bigint): bigint {
  return end >= start ? end - start + 1n : 0n;
}

/** Width of a sort key: a 128-bit value in hex. */
const IP_KEY_DIGITS = 32;

/** The address's value as a fixed-width hex key: keys sort like the addresses (within a family). */
export function ipKeyOfValue(value: bigint): string {
  return value.toString(16).padStart(IP_KEY_DIGITS, '0');
}

/** The key of an address in text form; throws on a string that is not one. */
export function ipKeyOf(ip: string): string {
  const p = parseIp(ip);
  if (!p) throw new Error(`${JSON.stringify(ip)} is not an IP address`);
  return ipKeyOfValue(p.value);
}

export function ipValueOfKey(key: string): bigint {
  return BigInt(`0x${key}`);
}
