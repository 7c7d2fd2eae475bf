/**
 * Rules on a security group rule's own fields (after ZStack's SecurityGroupApiInterceptor
 * and Neutron's): ports only with TCP and UDP, in order; the peers are a remote IPv4 CIDR or
 * a remote group, not both (neither: anywhere). How many rules a group may hold is the
 * evaluator's (it counts the group's rules).
 */
import type { SecurityGroupProtocol } from '../model';
import { violation, type Violation } from '../violation';
import { portRangeViolations, validateIpv4Cidr } from './vip-services';

/**
 * Rules one group may hold (AWS allows 60 per direction by default, Neutron's quota is 100
 * per project): enough for real policies, bounded so checks and host rulesets stay cheap.
 */
export const MAX_RULES_PER_GROUP = 500;

const PORTED: readonly SecurityGroupProtocol[] = ['TCP', 'UDP'];

export function validateSecurityGroupRule(api: Readonly<Record<string, unknown>>): Violation[] {
  const out: Violation[] = [];
  const hasPorts = (api.portStart !== undefined && api.portStart !== null) || (api.portEnd !== undefined && api.portEnd !== null);
  if (typeof api.protocol === 'string' && !PORTED.includes(api.protocol as SecurityGroupProtocol)) {
    if (hasPorts) out.push(violation('PORTS_NOT_ALLOWED', api.portStart !== undefined && api.portStart !== null ? 'portStart' : 'portEnd', `${api.protocol} has no ports; leave port_start and port_end out`));
  } else if (hasPorts) {
    if (api.portStart === undefined || api.portStart === null) out.push(violation('INVALID_PORT', 'portStart', 'port_end needs port_start'));
    else out.push(...portRangeViolations('portStart', api.portStart, 'portEnd', api.portEnd ?? api.portStart));
  }
  // Groups filter IPv4: an IPv6 peer could never match.
  out.push(...validateIpv4Cidr('remoteCidr', api.remoteCidr, 'remote CIDR', 'SECURITY_GROUP_FAMILY_MISMATCH'));
  const remoteCidr = api.remoteCidr !== undefined && api.remoteCidr !== null;
  const remoteGroup = api.remoteSecurityGroupUuid !== undefined && api.remoteSecurityGroupUuid !== null;
  if (remoteCidr && remoteGroup) out.push(violation('REMOTE_CONFLICT', 'remoteSecurityGroupUuid', 'give a remote CIDR or a remote security group, not both'));
  return out;
}

/** "tcp/5432", "udp/1000-2000", "icmp", "all traffic". */
export function describePorts(protocol: string, portStart: number | null, portEnd: number | null): string {
  if (protocol === 'ALL') return 'all traffic';
  const p = protocol.toLowerCase();
  if (portStart === null) return PORTED.includes(protocol as SecurityGroupProtocol) ? `${p}/all ports` : p;
  return portEnd === null || portEnd === portStart ? `${p}/${portStart}` : `${p}/${portStart}-${portEnd}`;
}
