/** Allocating addresses (topology-rules.md 21): what a request for an address may be refused for. */
import { parseIp } from '../ip';
import type { L3Network } from '../model';
import { violation, type Violation } from '../violation';

type L3Ref = Pick<L3Network, 'uuid' | 'name' | 'gateway'>;

/** AllocatedIp.usedFor of addresses the server allocates itself: a VM NIC's, a virtual router's public one, a flat DHCP server's. */
export const VM_NIC_OWNER_PREFIX = 'VmNic:';
export const ROUTER_IP_OWNER_PREFIX = 'VirtualRouter:';
export const FLAT_DHCP_IP_OWNER_PREFIX = 'FlatDhcp:';
/** A VIP's address (it goes with the VIP). */
export const VIP_IP_OWNER_PREFIX = 'Vip:';
export const SERVER_OWNER_PREFIXES = [VM_NIC_OWNER_PREFIX, ROUTER_IP_OWNER_PREFIX, FLAT_DHCP_IP_OWNER_PREFIX, VIP_IP_OWNER_PREFIX] as const;

const refOf = (l3: L3Ref) => ({ type: 'L3Network', uuid: l3.uuid, name: l3.name });

/** A requested address must be an IP address. */
export function validateRequestedIp(text: string, path = 'ip'): Violation[] {
  return parseIp(text) ? [] : [violation('INVALID_IP', path, `${JSON.stringify(text)} is not an IP address`)];
}

/** A requested address (canonical form) must be in a range of the L3, not its gateway, and free. */
export function checkRequestedIp(ip: string, l3: L3Ref, facts: { inRange: boolean; inUse: boolean }, path = 'ip'): Violation[] {
  return [
    ...(facts.inRange ? [] : [violation('IP_NOT_IN_RANGE', path, `${ip} is not inside any IP range of L3 network '${l3.name}'`, refOf(l3))]),
    ...(ip === l3.gateway ? [violation('IP_IS_GATEWAY', path, `${ip} is the gateway of L3 network '${l3.name}'`, refOf(l3))] : []),
    ...(facts.inUse ? [violation('IP_IN_USE', path, `${ip} is already allocated on L3 network '${l3.name}'`, refOf(l3))] : []),
  ];
}

/** Every address of the L3's ranges is taken (or it has none). */
export function noFreeIp(l3: L3Ref, path: string): Violation {
  return violation('NO_FREE_IP', path, `L3 network '${l3.name}' has no free IP address in its ranges`, refOf(l3));
}
