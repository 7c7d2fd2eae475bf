/**
 * Host rules: the management address is where the control server reaches the host's agent,
 * so it must be one address that can be connected to, in one canonical form (an
 * IPv4-mapped IPv6 address is the IPv4 address, so duplicates can't hide behind notation).
 */
import ipaddr from 'ipaddr.js';
import { parseIp } from '../ip';
import { violation, type Violation } from '../violation';

/** ipaddr.js ranges no agent can listen on for the server to reach. */
const UNREACHABLE: Readonly<Record<string, string>> = {
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  reserved: 'reserved (class E) address space',
};

/** The canonical form of a management address, or null when it is not an IP address. */
export function canonicalManagementIp(text: string): string | null {
  const ip = parseIp(text);
  if (!ip) return null;
  if (ip.family === 6) {
    const v6 = ipaddr.IPv6.parse(ip.text);
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  }
  return ip.text;
}

export function validateManagementIp(text: unknown, path = 'managementIp'): Violation[] {
  const canonical = typeof text === 'string' ? canonicalManagementIp(text) : null;
  if (canonical === null) return [violation('INVALID_IP', path, `${JSON.stringify(text)} is not an IP address`)];
  const range = ipaddr.parse(canonical).range();
  const why = UNREACHABLE[range];
  // Of what ipaddr.js calls "reserved" only IPv4 class E (240.0.0.0/4) is unusable; the rest
  // (documentation prefixes such as 192.0.2.0/24 and 2001:db8::/32) are ordinary addresses.
  const ip = parseIp(canonical)!;
  if (why && (range !== 'reserved' || (ip.family === 4 && ip.value >= 0xf0000000n))) {
    return [violation('UNUSABLE_MANAGEMENT_IP', path, `management IP ${String(text)} is ${why}: the server could not reach an agent there`)];
  }
  return [];
}

/** sha256:<64 lower-case hex>: a certificate fingerprint as `netforge agent` prints it. */
const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;

/** KVM hosts are reached only through an agent whose certificate is pinned; others have none. */
export function validateAgentFingerprint(fingerprint: unknown, hypervisorType: string, path = 'agentFingerprint'): Violation[] {
  const given = fingerprint !== undefined && fingerprint !== null;
  if (given && (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint))) {
    return [violation('INVALID_AGENT_FINGERPRINT', path, `${JSON.stringify(fingerprint)} is not a certificate fingerprint (sha256:<64 lower-case hex>, as \`netforge agent\` prints it)`)];
  }
  if (!given && hypervisorType === 'KVM') {
    return [violation('AGENT_FINGERPRINT_REQUIRED', path, 'a KVM host needs the fingerprint of its agent certificate (`netforge agent` prints it): the server talks to no agent it can\'t authenticate')];
  }
  if (given && hypervisorType !== 'KVM') return [violation('FIELD_NOT_ALLOWED', path, `agentFingerprint is only for KVM hosts, not ${hypervisorType}`)];
  return [];
}
