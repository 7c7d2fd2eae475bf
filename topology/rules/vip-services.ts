/**
 * Rules on the own fields of VIPs, EIPs and port forwarding rules (the rules comparing them
 * with other objects are topology/evaluator's): ports 1-65535, ranges in order and of the
 * same length on both sides, an allowed source that is an IPv4 network. After the anchors'
 * interceptors (ZStack's PortForwardingApiInterceptor, EipApiInterceptor).
 */
import { parseCidr, parseIp } from '../ip';
import { describeObject, violation, type Violation } from '../violation';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
/**
 * Longest port range translated to another start (each port is an entry of an nftables
 * map); ranges forwarded to the same ports are not limited.
 */
export const MAX_TRANSLATED_PORTS = 1000;

export function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= MIN_PORT && v <= MAX_PORT;
}

function portViolation(path: string, v: unknown): Violation[] {
  return v === undefined || v === null || isPort(v) ? [] : [violation('INVALID_PORT', path, `port must be an integer from ${MIN_PORT} to ${MAX_PORT}, got ${JSON.stringify(v)}`)];
}

/** A port range as the API gives it; `end` defaults to `start`. */
export function portRangeViolations(startPath: string, start: unknown, endPath: string, end: unknown): Violation[] {
  const out = [...portViolation(startPath, start), ...portViolation(endPath, end)];
  if (out.length === 0 && isPort(start) && isPort(end) && end < start) {
    out.push(violation('PORT_RANGE_REVERSED', endPath, `port range ${start}-${end} ends before it starts`));
  }
  return out;
}

export interface GivenPorts {
  readonly vipPortStart: number;
  readonly vipPortEnd?: number | null;
  readonly guestPortStart?: number | null;
  readonly guestPortEnd?: number | null;
}

/** The ports of a forwarding rule with the API's defaults applied: one port, forwarded to the same number. */
export function forwardedPorts(p: GivenPorts): { vipStart: number; vipEnd: number; guestStart: number; guestEnd: number } {
  const vipEnd = p.vipPortEnd ?? p.vipPortStart;
  const guestStart = p.guestPortStart ?? p.vipPortStart;
  return { vipStart: p.vipPortStart, vipEnd, guestStart, guestEnd: p.guestPortEnd ?? guestStart + (vipEnd - p.vipPortStart) };
}

const optionalNumber = (v: unknown): v is number | null | undefined => v === undefined || v === null || typeof v === 'number';

export function validatePortForwardingPorts(api: Readonly<Record<string, unknown>>): Violation[] {
  const { vipPortStart, vipPortEnd, guestPortStart, guestPortEnd } = api;
  if (typeof vipPortStart !== 'number' || !optionalNumber(vipPortEnd) || !optionalNumber(guestPortStart) || !optionalNumber(guestPortEnd)) return [];
  const p = forwardedPorts({ vipPortStart, vipPortEnd, guestPortStart, guestPortEnd });
  const out = [...portRangeViolations('vipPortStart', p.vipStart, 'vipPortEnd', p.vipEnd), ...portRangeViolations('guestPortStart', p.guestStart, 'guestPortEnd', p.guestEnd)];
  if (out.length > 0 || !isPort(p.vipStart) || !isPort(p.vipEnd) || !isPort(p.guestStart) || !isPort(p.guestEnd)) return out;
  const vipLength = p.vipEnd - p.vipStart + 1;
  const guestLength = p.guestEnd - p.guestStart + 1;
  if (vipLength !== guestLength) {
    out.push(violation('PORT_RANGE_LENGTH_MISMATCH', 'guestPortEnd', `the guest range ${p.guestStart}-${p.guestEnd} has ${guestLength} ports, the VIP range ${p.vipStart}-${p.vipEnd} ${vipLength}; they must be the same length`));
  } else if (p.vipStart !== p.guestStart && vipLength > MAX_TRANSLATED_PORTS) {
    out.push(violation('PORT_RANGE_TOO_LONG', 'vipPortEnd', `a range forwarded to other port numbers spans at most ${MAX_TRANSLATED_PORTS} ports, got ${vipLength}; forward to the same ports or split it`));
  }
  return out;
}

/** An IPv4 network such as 198.51.100.0/24 (host bits not allowed), or null/absent. */
export function validateIpv4Cidr(path: string, v: unknown, what: string, ipv6Code: 'IP_FAMILY_MISMATCH' | 'SECURITY_GROUP_FAMILY_MISMATCH' = 'IP_FAMILY_MISMATCH'): Violation[] {
  if (v === undefined || v === null) return [];
  const c = typeof v === 'string' ? parseCidr(v) : null;
  if (!c) return [violation('INVALID_CIDR', path, `${what} ${JSON.stringify(v)} is not a CIDR such as 198.51.100.0/24`)];
  if (c.family !== 4) return [violation(ipv6Code, path, `${what} ${String(v)} is IPv6; netforge filters and forwards IPv4 only`)];
  if (c.text !== v) return [violation('INVALID_CIDR', path, `${what} ${String(v)} has host bits set; did you mean ${c.text}?`)];
  return [];
}

/** A VIP's address as given (whether it is free and in a range is the allocator's rule). */
export function validateVipIp(v: unknown): Violation[] {
  if (v === undefined || v === null) return [];
  const ip = typeof v === 'string' ? parseIp(v) : null;
  if (!ip || ip.text !== v) return [violation('INVALID_IP', 'ip', `${JSON.stringify(v)} is not an IP address in canonical form`)];
  return [];
}

interface Named {
  uuid: string;
  name: string;
}

/** What a flat EIP's reach depends on; `carried`: the VM's cluster is attached to the VIP's L2 (undefined: not known yet). */
export interface FlatEipReach {
  vip: Named & { l3NetworkUuid: string };
  guestL3: Named;
  vm: Named;
  host: Named | null;
  vipL2: Named | null;
  carried: boolean | undefined;
}

/**
 * A flat EIP is realized on its VM's host (ZStack's flat EIP): its VIP is on another network
 * than the VM's, and the VM's cluster carries that network's L2, so the EIP's namespace can
 * hold the VIP there (path vipUuid).
 */
export function checkFlatEipReach(c: FlatEipReach): Violation[] {
  const vipRef = { type: 'Vip', uuid: c.vip.uuid, name: c.vip.name };
  if (c.vip.l3NetworkUuid === c.guestL3.uuid) {
    return [violation('VIP_ON_GUEST_NETWORK', 'vipUuid', `${describeObject(vipRef)} is on ${describeObject({ type: 'L3Network', ...c.guestL3 })}, the VM's own network; an EIP's VIP is on another (public) network`, vipRef)];
  }
  if (c.carried !== false || !c.host || !c.vipL2) return [];
  const l2Ref = { type: 'L2Network', ...c.vipL2 };
  return [
    violation(
      'EIP_PUBLIC_UNREACHABLE',
      'vipUuid',
      `${describeObject(vipRef)} is on ${describeObject(l2Ref)}, which the cluster of host '${c.host.name}' (where VM '${c.vm.name}' runs) is not attached to; a Flat EIP lives on the VM's host: attach that L2 to the cluster first`,
      l2Ref,
    ),
  ];
}
