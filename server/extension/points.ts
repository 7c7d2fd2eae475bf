/**
 * Extension points: the small interfaces through which the control server reaches
 * hypervisors and network service implementations (after ZStack's
 * L2NetworkRealizationExtensionPoint & co). Implementations live under
 * server/hypervisors/<type>/ and are registered in one place (server/extension/registry.ts).
 */
import type { Transaction } from 'sequelize';
import type {
  Host,
  HostRoute,
  HypervisorType,
  L2Network,
  L2Type,
  L3Network,
  PortForwardingProtocol,
  ProviderType,
  SecurityGroupProtocol,
  ServiceType,
  VmNic,
} from '../../topology/model';

/**
 * What one realize (or VM start) call created on one host, by device name: exactly what
 * undoing that call removes. Empty when everything was there already (a reconnect).
 */
export interface Realization {
  readonly created: readonly string[];
}

/**
 * A realize or start that failed part way: `created` lists what it had created before
 * failing, for the caller's rollback (which must not touch anything that was there before).
 * A call that failed before creating anything throws its error as it is.
 */
export class PartialRealizationError extends Error {
  constructor(
    readonly failure: unknown,
    readonly created: readonly string[],
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'PartialRealizationError';
  }
}

/** A host and the hypervisor type of its cluster: what realization is addressed to. */
export interface HostTarget {
  readonly host: Host;
  readonly hypervisorType: HypervisorType;
}

/** Realizes one L2 type on hosts of one hypervisor type: bridges, VLAN/VXLAN devices. */
export interface L2NetworkRealizationExtensionPoint {
  readonly l2Type: L2Type;
  readonly hypervisorType: HypervisorType;
  /** Verifies the host can carry the network (interface exists, kernel support). Throws on failure. */
  check(l2: L2Network, host: Host): Promise<void>;
  /** Creates what the network needs on the host and is missing. Idempotent. Throws PartialRealizationError. */
  realize(l2: L2Network, host: Host): Promise<Realization>;
  /** Removes what one realize call created (and nothing that was there before it). */
  undo(l2: L2Network, host: Host, realization: Realization): Promise<void>;
  /** Removes everything the network has on the host (detach). Idempotent. */
  delete(l2: L2Network, host: Host): Promise<void>;
}

/** One NIC of a VM being instantiated, with the networks it sits on. */
export interface VmNicSpec {
  nic: VmNic;
  l3: L3Network;
  l2: L2Network;
  /**
   * The VM gets this NIC's address from DHCP (a DHCP service serves it: the backend's guest
   * asks for a lease); otherwise the backend configures it statically.
   */
  dhcp: boolean;
}

export interface VmInstantiateSpec {
  vmUuid: string;
  vmName: string;
  host: Host;
  nics: VmNicSpec[];
}

/** Prepares host resources a VM needs before it starts (e.g. VXLAN realized on demand). */
export interface PreVmInstantiateResourceExtensionPoint {
  readonly hypervisorType: HypervisorType;
  preInstantiate(spec: VmInstantiateSpec): Promise<void>;
  /** Undoes preInstantiate when a later step of the start fails. */
  releaseOnFailure(spec: VmInstantiateSpec): Promise<void>;
}

/** Starts and destroys VM instances (their NICs plugged into the L2's bridge). */
export interface VmInstanceBackend {
  readonly hypervisorType: HypervisorType;
  /** Starts what is missing of the VM (idempotent); a failed start leaves nothing new behind. */
  start(spec: VmInstantiateSpec): Promise<Realization>;
  destroy(spec: VmInstantiateSpec): Promise<void>;
}

/** What a host should carry according to the database. */
export interface DesiredHostState {
  /** L2 networks attached to the host's cluster. */
  l2s: L2Network[];
  /** VMs placed on the host, and the appliances of service endpoints on it (started like VMs). */
  vms: VmInstantiateSpec[];
  /** Network service endpoints the host runs. */
  services: ServiceEndpoint[];
}

/**
 * Brings a host in line with the database when it (re)connects: netforge's devices and VMs
 * on it that nothing in `desired` explains (left by a crash, or by a change made while the
 * host was unreachable) are removed. What is missing is then realized through the other
 * extension points. Only what netforge marked as its own is ever touched.
 */
export interface HostReconcileExtensionPoint {
  readonly hypervisorType: HypervisorType;
  /** Removes what `desired` doesn't explain; returns what was removed (device and namespace names). */
  removeOrphans(host: Host, desired: DesiredHostState): Promise<string[]>;
}

/** Runs after an L2 network is stored, in the same transaction (providers associate with it). */
export interface L2NetworkCreateExtensionPoint {
  readonly name: string;
  afterCreateL2Network(l2: L2Network, tx: Transaction): Promise<void>;
}

// ---- Network services ----

/** A static DHCP lease: netforge's allocation, never a dynamic pool. */
export interface DhcpHost {
  mac: string;
  ip: string;
  hostname: string;
}

/** What a DHCP server answers on one L3 network. */
export interface DhcpServing {
  /** The L3's CIDR. */
  subnet: string;
  hosts: DhcpHost[];
  router: string | null;
  dnsServers: string[];
  domain: string | null;
  /** Option 121. */
  classlessRoutes: HostRoute[];
  mtu: number;
}

/** What a DNS server answers: a record for every VM NIC of the L3, the rest forwarded. */
export interface DnsServing {
  domain: string | null;
  records: Array<{ hostname: string; ip: string }>;
  forwarders: string[];
}

/** An EIP on a virtual router: the VIP's traffic goes to the NIC, the NIC's leaves as the VIP. */
export interface RouterEip {
  vip: string;
  guestIp: string;
}

/** A port forwarding rule on a virtual router. */
export interface RouterPortForward {
  protocol: PortForwardingProtocol;
  vip: string;
  vipPorts: [number, number];
  guestIp: string;
  guestPorts: [number, number];
  /** Only sources in this CIDR; null: any. */
  allowedCidr: string | null;
}

/** A virtual router's forwarding between its guest and public NICs. */
export interface RouterForwarding {
  guestInterface: string;
  publicInterface: string;
  guestCidr: string;
  /** The public NIC's prefix length (VIPs are added to it with it). */
  publicPrefix: number;
  /** Guest traffic leaves masqueraded behind the public address; without it nothing is forwarded out. */
  snat: boolean;
  eips: RouterEip[];
  portForwards: RouterPortForward[];
}

export type ServiceEndpointKind = 'virtualRouter' | 'flatDhcp' | 'flatEip';

/**
 * Where network services of one L3 network run on one host, and what they serve: a
 * virtual router (ZStack's appliance VM: DHCP, DNS, SNAT on the guest network's gateway),
 * a flat provider's DHCP namespace on the L2's bridge (one per host that runs VMs of
 * the L3, answering only those), or a flat EIP's namespace on the VM's host (ZStack's flat
 * EIP: the VIP on the public bridge, the guest's gateway address answered to that VM only).
 * Computed by the server from the network service
 * backends' contributions; realized by the hypervisor's NetworkServiceRealizer inside the
 * appliance, which the server starts like a VM first.
 */
export interface ServiceEndpoint {
  /** Stable identity, unique per host: `virtualRouter:<router uuid>`, `flatDhcp:<l3 uuid>`, `flatEip:<eip uuid>`. */
  key: string;
  kind: ServiceEndpointKind;
  providerType: ProviderType;
  l3NetworkUuid: string;
  /** The namespace (a VM to the hypervisor) the services run in. */
  appliance: VmInstantiateSpec;
  /** Its interface on the guest network, and its address there (what DHCP and DNS answer from). */
  serveInterface: string;
  serveIp: string;
  dhcp: DhcpServing | null;
  dns: DnsServing | null;
  routing: RouterForwarding | null;
  /** Flat DHCP: the appliance's port is kept from the L2's uplink on this host, so it answers only local VMs. */
  isolation: { l2: L2Network; port: string } | null;
  /**
   * Flat EIP: the VM's off-subnet frames are steered to the appliance's guest port (`port`,
   * MAC `mac`), which talks to the VM's port (`vmPort`) only.
   */
  steering: { port: string; mac: string; vmPort: string; guestCidr: string } | null;
}

/** A VM NIC on the L3 network, as services see it. */
export interface ServedNic {
  vmUuid: string;
  hostname: string;
  mac: string;
  ip: string;
}

/** What the services of an endpoint are computed from. */
export interface ServiceContext {
  l3: L3Network;
  l2: L2Network;
  /** Every VM NIC on the L3, by IP (DNS names them all). */
  nics: ServedNic[];
  /** The NICs this endpoint's DHCP answers: all of them for a router, the host's own VMs' for flat DHCP. */
  dhcpNics: ServedNic[];
  /** The address of the L3's DNS service when one is applied (DHCP hands it out), else null. */
  dnsServer: string | null;
  /** EIPs and port forwarding rules on NICs of the L3 (realized by a provider offering them). */
  eips: RouterEip[];
  portForwards: RouterPortForward[];
}

/** One allowance of a NIC's filter: protocol, ports (TCP/UDP; null: all), the peers (addresses or CIDRs; null: anywhere). */
export interface FirewallRule {
  protocol: SecurityGroupProtocol;
  portStart: number | null;
  portEnd: number | null;
  peers: string[] | null;
}

/** A security group as a host filters with it: what its members may receive, and send. */
export interface FirewallGroup {
  uuid: string;
  ingress: FirewallRule[];
  egress: FirewallRule[];
}

/** A NIC in security groups (uuids of `HostFirewall.groups`). */
export interface FilteredNic {
  vmUuid: string;
  ip: string;
  groups: string[];
  /** Its L3's DHCP server (a router's gateway address, a flat DHCP server's): the only source of its DHCP replies. */
  dhcpServer: string | null;
}

/** A VM NIC's host-side port on an L3 with security groups: it may send only as itself (its MAC and address). */
export interface GuardedPort {
  port: string;
  mac: string;
  ip: string;
}

/**
 * The security group filter of one host: its VMs' NICs that are in groups, those groups, and
 * the ports of every VM NIC on an L3 with the SecurityGroup service (members or not: a VM
 * outside a group must not pass as a member). All empty: nothing filtered.
 */
export interface HostFirewall {
  groups: FirewallGroup[];
  nics: FilteredNic[];
  ports: GuardedPort[];
}

/**
 * One service type of one provider type (ZStack's NetworkServiceDhcpBackend & co): adds
 * what the service needs to the endpoint that realizes the provider's services on an L3
 * network. Pure: it computes, the hypervisor's realizer applies.
 */
export interface NetworkServiceBackend {
  readonly providerType: ProviderType;
  readonly serviceType: ServiceType;
  contribute(endpoint: ServiceEndpoint, ctx: ServiceContext): void;
}

/** Realizes service endpoints on hosts of one hypervisor type (dnsmasq, nftables). */
export interface NetworkServiceRealizer {
  readonly hypervisorType: HypervisorType;
  /**
   * Makes the host run `endpoint` exactly (its appliance is started already): idempotent,
   * and a change of leases or records leaves the other VMs' leases alone. Throws on failure.
   */
  apply(host: Host, endpoint: ServiceEndpoint): Promise<void>;
  /** Removes what `endpoint` runs on the host (its appliance is destroyed afterwards). Idempotent. */
  remove(host: Host, endpoint: ServiceEndpoint): Promise<void>;
  /** Makes the host filter exactly `firewall` (security groups); stateful: replies to allowed flows pass. Idempotent. */
  applyFirewall(host: Host, firewall: HostFirewall): Promise<void>;
}
