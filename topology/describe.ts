/** How messages name hosts and L2 networks (host failures, device errors, realization reports). */
import type { Host, L2Network } from './model';

/** "host 'kvm-1' (uuid, 10.0.0.11)"; a name or address not known is left out. */
export function describeHost(h: Pick<Host, 'uuid'> & { name?: string | null; managementIp?: string | null }): string {
  return `host ${h.name ? `'${h.name}' ` : ''}(${h.uuid}${h.managementIp ? `, ${h.managementIp}` : ''})`;
}

/** "L2 network 'public' (uuid)" */
export function describeL2(l2: Pick<L2Network, 'uuid' | 'name'>): string {
  return `L2 network '${l2.name}' (${l2.uuid})`;
}
