/**
 * The netforge topology model as the API exposes it ("inventories", in ZStack's words).
 * Pure types shared by the server, the provider, the constructs and plan review:
 * one definition of every object's shape.
 */

export const HYPERVISOR_TYPES = ['KVM', 'Simulator'] as const;
export type HypervisorType = (typeof HYPERVISOR_TYPES)[number];

export const HOST_STATES = ['Connected', 'Disconnected', 'Maintenance'] as const;
export type HostState = (typeof HOST_STATES)[number];

export const L2_TYPES = ['L2NoVlanNetwork', 'L2VlanNetwork', 'L2VxlanNetwork'] as const;
export type L2Type = (typeof L2_TYPES)[number];

export const SERVICE_TYPES = ['DHCP', 'DNS', 'SNAT', 'EIP', 'PortForwarding', 'SecurityGroup'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const PROVIDER_TYPES = ['VirtualRouter', 'Flat', 'SecurityGroup'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** What each built-in provider type offers (ZStack's defaults). */
export const SERVICES_BY_PROVIDER_TYPE: Readonly<Record<ProviderType, readonly ServiceType[]>> = {
  VirtualRouter: ['DHCP', 'DNS', 'SNAT', 'EIP', 'PortForwarding'],
  Flat: ['DHCP', 'DNS', 'EIP'],
  SecurityGroup: ['SecurityGroup'],
};

interface Timestamps {
  createdAt: string;
  updatedAt: string;
}

export interface Zone extends Timestamps {
  uuid: string;
  name: string;
  description: string;
}

export interface Cluster extends Timestamps {
  uuid: string;
  name: string;
  zoneUuid: string;
  hypervisorType: HypervisorType;
  description: string;
}

export interface Host extends Timestamps {
  uuid: string;
  name: string;
  clusterUuid: string;
  managementIp: string;
  /** KVM hosts: sha256:<hex> of the agent's certificate, pinned by the server. */
  agentFingerprint: string | null;
  state: HostState;
  description: string;
}

export interface L2Network extends Timestamps {
  uuid: string;
  name: string;
  zoneUuid: string;
  type: L2Type;
  physicalInterface: string;
  /** Set for L2VlanNetwork only. */
  vlan: number | null;
  /** Set for L2VxlanNetwork only. */
  vni: number | null;
  description: string;
  attachedClusterUuids: string[];
}

export interface L2ClusterAttachment {
  uuid: string;
  l2NetworkUuid: string;
  clusterUuid: string;
  createdAt: string;
}

export interface HostRoute {
  prefix: string;
  nextHop: string;
}

export interface L3Network extends Timestamps {
  uuid: string;
  name: string;
  l2NetworkUuid: string;
  ipVersion: 4 | 6;
  cidr: string;
  gateway: string;
  dnsServers: string[];
  dnsDomain: string | null;
  hostRoutes: HostRoute[];
  /** Sent to VMs by DHCP; defaults to 1450 on VXLAN networks (50 bytes of encapsulation) and 1500 elsewhere. */
  mtu: number;
  description: string;
}

export interface IpRange extends Timestamps {
  uuid: string;
  name: string;
  l3NetworkUuid: string;
  startIp: string;
  endIp: string;
  /** Derived from the L3 network. */
  netmask: string;
  gateway: string;
}

export interface NetworkServiceProvider extends Timestamps {
  uuid: string;
  name: string;
  type: ProviderType;
  serviceTypes: ServiceType[];
  attachedL2NetworkUuids: string[];
}

export const SERVICE_ATTACHMENT_STATES = ['Applied', 'Pending'] as const;
export type ServiceAttachmentState = (typeof SERVICE_ATTACHMENT_STATES)[number];

export interface NetworkServiceAttachment {
  uuid: string;
  l3NetworkUuid: string;
  providerUuid: string;
  services: ServiceType[];
  /** VirtualRouter: the L3 network the router has its public NIC on (SNAT, EIP and port forwarding leave through it). */
  publicL3NetworkUuid: string | null;
  /** Applied: every service is realized. Pending: some wait for what they need (see pendingServices). */
  state: ServiceAttachmentState;
  /** Services not realized yet, each with the reason; realized as soon as they can be. */
  pendingServices: Array<{ service: ServiceType; reason: string }>;
  createdAt: string;
}

export interface VmNic {
  uuid: string;
  l3NetworkUuid: string;
  ip: string;
  mac: string;
  deviceName: string;
}

export interface VmInstance extends Timestamps {
  uuid: string;
  name: string;
  /** Its DNS name (a label) on every L3 network it is on, and the name DHCP gives it. */
  hostname: string;
  hostUuid: string;
  l3NetworkUuids: string[];
  state: 'Running' | 'Stopped';
  nics: VmNic[];
}

export const VIRTUAL_ROUTER_STATES = ['Running', 'Pending'] as const;
export type VirtualRouterState = (typeof VIRTUAL_ROUTER_STATES)[number];

/**
 * The appliance of the VirtualRouter provider on one guest L3 network (ZStack's virtual
 * router VM): placed and started like a VM, with a guest NIC holding the L3's gateway and a
 * public NIC with an address of the public L3 network. The server creates and removes it
 * with the L3's VirtualRouter services; the API only reads it.
 */
export interface VirtualRouter extends Timestamps {
  uuid: string;
  name: string;
  l3NetworkUuid: string;
  publicL3NetworkUuid: string;
  /** null while it can't be placed. */
  hostUuid: string | null;
  guestIp: string;
  guestMac: string;
  /** null until the public network has an address for it. */
  publicIp: string | null;
  publicMac: string;
  state: VirtualRouterState;
  /** Why it is Pending; null when Running. */
  pendingReason: string | null;
}

export interface AllocatedIp {
  uuid: string;
  l3NetworkUuid: string;
  ipRangeUuid: string;
  ip: string;
  /** e.g. a VM NIC uuid, or a free-form owner for reservations. */
  usedFor: string | null;
  createdAt: string;
}

/**
 * An address on an L3 network (the public one of a virtual router) that an EIP or port
 * forwarding rules use: allocated like any other address, given or the next free one.
 */
export interface Vip extends Timestamps {
  uuid: string;
  name: string;
  description: string;
  l3NetworkUuid: string;
  ip: string;
  /** What uses it: one EIP, or port forwarding rules (never both); null when free. */
  useFor: 'Eip' | 'PortForwarding' | null;
}

/** A VM NIC, named as Terraform can: its VM and the L3 network it is on. */
export interface NicRef {
  vmInstanceUuid: string;
  /** The L3 network of the NIC. */
  l3NetworkUuid: string;
}

/**
 * A VIP bound to a VM NIC: inbound traffic to the VIP reaches the NIC's address, outbound
 * traffic from the NIC leaves with the VIP as its source.
 */
export interface Eip extends Timestamps, NicRef {
  uuid: string;
  name: string;
  description: string;
  vipUuid: string;
  vipIp: string;
  guestIp: string;
}

export const PORT_FORWARDING_PROTOCOLS = ['TCP', 'UDP'] as const;
export type PortForwardingProtocol = (typeof PORT_FORWARDING_PROTOCOLS)[number];

/** VIP, protocol and VIP port range -> a VM NIC and a guest port range of the same length. */
export interface PortForwardingRule extends Timestamps, NicRef {
  uuid: string;
  name: string;
  description: string;
  vipUuid: string;
  protocol: PortForwardingProtocol;
  vipPortStart: number;
  vipPortEnd: number;
  guestPortStart: number;
  guestPortEnd: number;
  /** Only sources in this IPv4 CIDR may use it; null: any. */
  allowedCidr: string | null;
  vipIp: string;
  guestIp: string;
}

/**
 * A security group: stateful filtering of its member NICs. A NIC in no group is not
 * filtered. A NIC in groups gets what one of its groups' ingress rules allows (replies to
 * allowed flows pass), and sends anything unless one of its groups has egress rules, then
 * only what those allow. DHCP and ARP always pass.
 */
export interface SecurityGroup extends Timestamps {
  uuid: string;
  name: string;
  description: string;
}

export const SECURITY_GROUP_DIRECTIONS = ['Ingress', 'Egress'] as const;
export type SecurityGroupDirection = (typeof SECURITY_GROUP_DIRECTIONS)[number];
export const SECURITY_GROUP_PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ALL'] as const;
export type SecurityGroupProtocol = (typeof SECURITY_GROUP_PROTOCOLS)[number];

/** One allowance of a group: direction, protocol, ports (TCP/UDP), and a remote CIDR or group (neither: anywhere). */
export interface SecurityGroupRule {
  uuid: string;
  securityGroupUuid: string;
  direction: SecurityGroupDirection;
  protocol: SecurityGroupProtocol;
  /** TCP/UDP only; null with null portEnd: every port. */
  portStart: number | null;
  portEnd: number | null;
  remoteCidr: string | null;
  remoteSecurityGroupUuid: string | null;
  description: string;
  createdAt: string;
}

/** A VM NIC's membership of a security group. */
export interface SecurityGroupAttachment extends NicRef {
  uuid: string;
  securityGroupUuid: string;
  createdAt: string;
}

/**
 * Every object type of the topology and the shape the API gives it. Tables keyed by object
 * type (the contract's catalog, the server's services, the rule tables) are mapped types
 * over this interface, so a new type here makes the compiler name each place that lacks it.
 */
export interface Inventories {
  zone: Zone;
  cluster: Cluster;
  host: Host;
  l2Network: L2Network;
  l2ClusterAttachment: L2ClusterAttachment;
  l3Network: L3Network;
  ipRange: IpRange;
  networkServiceProvider: NetworkServiceProvider;
  networkServiceAttachment: NetworkServiceAttachment;
  vmInstance: VmInstance;
  ipAddress: AllocatedIp;
  virtualRouter: VirtualRouter;
  vip: Vip;
  eip: Eip;
  portForwardingRule: PortForwardingRule;
  securityGroup: SecurityGroup;
  securityGroupRule: SecurityGroupRule;
  securityGroupAttachment: SecurityGroupAttachment;
}

export type ObjectType = keyof Inventories;
export type Inventory<T extends ObjectType> = Inventories[T];

/** What messages and `conflicting.type` call each object type. */
export const TYPE_NAMES = {
  zone: 'Zone',
  cluster: 'Cluster',
  host: 'Host',
  l2Network: 'L2Network',
  l2ClusterAttachment: 'L2ClusterAttachment',
  l3Network: 'L3Network',
  ipRange: 'IpRange',
  networkServiceProvider: 'NetworkServiceProvider',
  networkServiceAttachment: 'NetworkServiceAttachment',
  vmInstance: 'VmInstance',
  ipAddress: 'AllocatedIp',
  virtualRouter: 'VirtualRouter',
  vip: 'Vip',
  eip: 'Eip',
  portForwardingRule: 'PortForwardingRule',
  securityGroup: 'SecurityGroup',
  securityGroupRule: 'SecurityGroupRule',
  securityGroupAttachment: 'SecurityGroupAttachment',
} as const satisfies { readonly [T in ObjectType]: string };


/** Every object type, in the order the API lists them. */
export const OBJECT_TYPES = Object.keys(TYPE_NAMES) as ObjectType[];
