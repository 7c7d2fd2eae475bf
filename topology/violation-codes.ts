/**
 * Every topology violation code, declared once with the kind of problem it is. The kind
 * decides how each layer treats it:
 *
 *   invalid   the object's own values break a rule: 400; an error wherever it is found.
 *   conflict  clashes with an object that exists: 409; an error at plan time too.
 *   missing   needs an object that does not exist yet (an eligible host, free addresses, a
 *             service on the network), which another change of the same plan may create:
 *             409 when applied, only a warning at plan time, and a create refused for it is
 *             retried while the rest of the apply runs.
 *   inUse     a delete blocked by dependents that refer to the object by uuid, which the same
 *             apply may remove first (and which Terraform replaces first when it replaces
 *             the object): 409; the provider retries such deletes.
 *   held      a delete or detach blocked by objects that use it without referring to it
 *             (VMs holding its addresses, running on it): 409; retried like inUse, but
 *             replacing the object does not free it.
 */
export type ViolationKind = 'invalid' | 'conflict' | 'missing' | 'inUse' | 'held';

export const VIOLATION_CODES = {
  // Names and descriptions
  INVALID_NAME: 'invalid',
  INVALID_DESCRIPTION: 'invalid',
  NAME_CONFLICT: 'conflict',
  // L2 networks (rules 1-7)
  VLAN_OUT_OF_RANGE: 'invalid',
  VNI_OUT_OF_RANGE: 'invalid',
  INVALID_INTERFACE_NAME: 'invalid',
  FIELD_NOT_ALLOWED: 'invalid',
  ZONE_MISMATCH: 'conflict',
  L2_ALREADY_ATTACHED: 'conflict',
  NOVLAN_INTERFACE_CONFLICT: 'conflict',
  VLAN_CONFLICT: 'conflict',
  VNI_CONFLICT: 'conflict',
  L2_IN_USE: 'inUse',
  L2_ATTACHED: 'inUse',
  L2_IN_USE_BY_VMS: 'held',
  // L3 networks and IP ranges (rules 8-14)
  INVALID_CIDR: 'invalid',
  CIDR_HOST_BITS_SET: 'invalid',
  INVALID_NETMASK: 'invalid',
  RESERVED_ADDRESS: 'invalid',
  INVALID_GATEWAY: 'invalid',
  GATEWAY_OUTSIDE_CIDR: 'invalid',
  GATEWAY_IS_NETWORK_ADDRESS: 'invalid',
  GATEWAY_IS_BROADCAST_ADDRESS: 'invalid',
  GATEWAY_IN_IP_RANGE: 'invalid',
  TOO_MANY_DNS_SERVERS: 'invalid',
  INVALID_DNS_SERVER: 'invalid',
  DUPLICATE_DNS_SERVER: 'invalid',
  INVALID_DNS_DOMAIN: 'invalid',
  INVALID_MTU: 'invalid',
  INVALID_HOST_ROUTE_PREFIX: 'invalid',
  HOST_ROUTE_FAMILY_MISMATCH: 'invalid',
  INVALID_NEXT_HOP: 'invalid',
  NEXT_HOP_FAMILY_MISMATCH: 'invalid',
  NEXT_HOP_OUTSIDE_CIDR: 'invalid',
  TOO_MANY_HOST_ROUTES: 'invalid',
  DUPLICATE_HOST_ROUTE: 'invalid',
  INVALID_IP: 'invalid',
  IP_FAMILY_MISMATCH: 'invalid',
  START_AFTER_END: 'invalid',
  IP_RANGE_OUTSIDE_CIDR: 'invalid',
  IP_RANGE_INCLUDES_NETWORK_ADDRESS: 'invalid',
  IP_RANGE_INCLUDES_BROADCAST_ADDRESS: 'invalid',
  IP_RANGE_OVERLAP: 'conflict',
  L3_CIDR_OVERLAP: 'conflict',
  IP_RANGE_IN_USE: 'held',
  L3_IN_USE: 'inUse',
  // Network services (rules 15-18)
  NO_SERVICES: 'invalid',
  UNKNOWN_SERVICE_TYPE: 'invalid',
  DUPLICATE_SERVICE: 'invalid',
  UNKNOWN_PROVIDER_TYPE: 'invalid',
  DHCP_PREFIX_TOO_LONG: 'invalid',
  PROVIDER_LACKS_SERVICE: 'conflict',
  SERVICE_ALREADY_PROVIDED: 'conflict',
  PROVIDER_NOT_ON_L2: 'conflict',
  PROVIDER_IN_USE: 'inUse',
  SERVICE_NEEDS_IPV4: 'conflict',
  // The virtual router's public network
  PUBLIC_NETWORK_REQUIRED: 'invalid',
  PUBLIC_NETWORK_NOT_ALLOWED: 'invalid',
  PUBLIC_NETWORK_IS_GUEST: 'invalid',
  PUBLIC_CIDR_OVERLAP: 'conflict',
  PUBLIC_NETWORK_UNREACHABLE: 'conflict',
  PUBLIC_NETWORK_CONFLICT: 'conflict',
  L2_IN_USE_BY_ROUTER: 'held',
  L2_IN_USE_BY_EIP: 'held',
  // Zones, clusters, hosts
  INVALID_HYPERVISOR_TYPE: 'invalid',
  UNUSABLE_MANAGEMENT_IP: 'invalid',
  INVALID_AGENT_FINGERPRINT: 'invalid',
  AGENT_FINGERPRINT_REQUIRED: 'invalid',
  MANAGEMENT_IP_CONFLICT: 'conflict',
  ZONE_IN_USE: 'inUse',
  CLUSTER_IN_USE: 'inUse',
  HOST_IN_USE: 'held',
  // Placement and allocation (rules 19-21)
  NO_L3_NETWORKS: 'invalid',
  DUPLICATE_L3_NETWORK: 'invalid',
  VM_L3_CIDR_OVERLAP: 'invalid',
  NO_ELIGIBLE_HOST: 'missing',
  HOST_NOT_ELIGIBLE: 'missing',
  NO_FREE_IP: 'missing',
  IP_NOT_IN_RANGE: 'missing',
  IP_IS_GATEWAY: 'invalid',
  IP_IN_USE: 'conflict',
  IP_IN_USE_BY_VM: 'held',
  IP_IN_USE_BY_SERVICE: 'held',
  // VM host names (DNS)
  INVALID_HOSTNAME: 'invalid',
  HOSTNAME_CONFLICT: 'conflict',
  // VIPs, EIPs, port forwarding
  INVALID_PORT: 'invalid',
  PORT_RANGE_REVERSED: 'invalid',
  PORT_RANGE_LENGTH_MISMATCH: 'invalid',
  PORT_RANGE_TOO_LONG: 'invalid',
  NIC_NOT_FOUND: 'conflict',
  SERVICE_NOT_ATTACHED: 'missing',
  VIP_ON_GUEST_NETWORK: 'conflict',
  EIP_PUBLIC_UNREACHABLE: 'conflict',
  VIP_NOT_ON_PUBLIC_NETWORK: 'conflict',
  VIP_IN_USE_BY_EIP: 'conflict',
  VIP_IN_USE_BY_PORT_FORWARDING: 'conflict',
  VIP_IN_USE_ON_OTHER_NETWORK: 'conflict',
  SERVICE_IN_USE: 'inUse',
  NIC_HAS_EIP: 'conflict',
  PORT_RANGE_OVERLAP: 'conflict',
  VIP_IN_USE: 'inUse',
  NIC_IN_USE: 'inUse',
  // Security groups
  PORTS_NOT_ALLOWED: 'invalid',
  REMOTE_CONFLICT: 'invalid',
  SECURITY_GROUP_FAMILY_MISMATCH: 'invalid',
  TOO_MANY_RULES: 'conflict',
  ALREADY_MEMBER: 'conflict',
  SECURITY_GROUP_IN_USE: 'inUse',
} as const satisfies Record<string, ViolationKind>;

export type ViolationCode = keyof typeof VIOLATION_CODES;

export function isViolationCode(code: string): code is ViolationCode {
  return Object.prototype.hasOwnProperty.call(VIOLATION_CODES, code);
}

/** The kind of a code; codes from outside the catalog (HTTP-level ones) count as invalid. */
export function violationKind(code: string): ViolationKind {
  return isViolationCode(code) ? VIOLATION_CODES[code] : 'invalid';
}

/** Codes of some kinds (e.g. what a delete retry waits out). */
export function codesOfKind(...kinds: ViolationKind[]): ReadonlySet<ViolationCode> {
  return new Set((Object.keys(VIOLATION_CODES) as ViolationCode[]).filter((c) => kinds.includes(VIOLATION_CODES[c])));
}
