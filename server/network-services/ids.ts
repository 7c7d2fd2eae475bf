/**
 * Identities of what the server makes for network services, derived from what they serve
 * (name-based UUIDs, RFC 4122 v5) rather than drawn at random: the same L3 network always
 * gets the same router, NICs, MACs and namespaces, so a retried or re-converged change
 * finds what an earlier one made, and an operator (or a test) can tell which namespace is
 * whose. (A VM's namespace is vmNetnsName(uuid); an appliance is named the same way.)
 */
import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/** netforge's namespace for name-based UUIDs (itself v5 of "netforge" in the URL namespace). */
const NAMESPACE = uuidv5('https://netforge.dev/network-services', uuidv5.URL);

/** The virtual router of guest L3 network `l3Uuid`. */
export function virtualRouterUuidOf(l3Uuid: string): string {
  return uuidv5(`virtual-router:${l3Uuid}`, NAMESPACE);
}

/** The router's NICs: eth0 on the public network, eth1 on the guest network. */
export function routerNicUuids(routerUuid: string): { publicNic: string; guestNic: string } {
  return { publicNic: uuidv5(`public-nic:${routerUuid}`, NAMESPACE), guestNic: uuidv5(`guest-nic:${routerUuid}`, NAMESPACE) };
}

/** The flat DHCP appliance of L3 `l3Uuid` on one host (namespaces are machine-wide, so each host's differs). */
export function flatDhcpApplianceUuid(l3Uuid: string, hostUuid: string): string {
  return uuidv5(`flat-dhcp:${l3Uuid}:${hostUuid}`, NAMESPACE);
}

export function flatDhcpNicUuid(applianceUuid: string): string {
  return uuidv5(`flat-dhcp-nic:${applianceUuid}`, NAMESPACE);
}

/** The flat EIP namespace of EIP `eipUuid` (on its VM's host). */
export function flatEipApplianceUuid(eipUuid: string): string {
  return uuidv5(`flat-eip:${eipUuid}`, NAMESPACE);
}

/** A flat EIP namespace's NICs: eth0 on the VIP's network, eth1 on the VM's. */
export function flatEipNicUuids(applianceUuid: string): { publicNic: string; guestNic: string } {
  return { publicNic: uuidv5(`flat-eip-public-nic:${applianceUuid}`, NAMESPACE), guestNic: uuidv5(`flat-eip-guest-nic:${applianceUuid}`, NAMESPACE) };
}

/** A locally administered unicast MAC (fa:...) derived from a NIC's uuid. */
export function macOf(nicUuid: string): string {
  const bytes = createHash('sha1').update(nicUuid).digest().subarray(0, 5);
  return ['fa', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
