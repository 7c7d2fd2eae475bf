/** What the Simulator's hosts look like from outside: devices, configuration, operation log, network service endpoints. */
import type { NftBatch } from '../../../hosts/services/nft';
import type { ProviderType } from '../../../topology/model';
import type { DhcpHost, DhcpServing, ServiceEndpointKind } from '../../extension/points';

/** Operations a failure can be injected into (per host). */
export const SIMULATOR_FAILABLE_OPS = ['check', 'realize', 'delete', 'preInstantiate', 'start', 'destroy', 'applyServices', 'removeServices'] as const;
export type SimulatorFailableOp = (typeof SIMULATOR_FAILABLE_OPS)[number];
/** Everything that lands in a host's operation log. */
export type SimulatorOp = SimulatorFailableOp | 'releaseOnFailure';

/** Physical interfaces a host has: a list, or 'any' (every name passes the check). */
export type SimulatorInterfaces = 'any' | string[];

/** The interfaces a host has unless configured otherwise (the KVM lab's: management, data, external). */
export const DEFAULT_SIMULATOR_INTERFACES: readonly string[] = ['eth0', 'eth1', 'eth2'];
/** Operation-log entries kept per host; older ones are dropped. */
export const DEFAULT_OP_LOG_LIMIT = 1000;
/**
 * Operation-log entries kept over all hosts, oldest dropped first: a per-host bound alone
 * lets 10,000 hosts hold 10 million entries (about 1.6 GB) after enough attaches.
 */
export const DEFAULT_OP_LOG_TOTAL_LIMIT = 50_000;
/** Upper bound for configured latency, so a typo can't hang the server for hours. */
export const MAX_SIMULATOR_LATENCY_MS = 60_000;
/** Hosts the simulator keeps state for; configuring more is refused (memory stays bounded). */
export const MAX_SIMULATOR_HOSTS = 100_000;

export interface SimulatorHostConfig {
  latencyMs: number;
  interfaces: SimulatorInterfaces;
  /** Op -> the message the op throws. Absent ops succeed. */
  failures: Partial<Record<SimulatorFailableOp, string>>;
}

export interface SimulatorBridgeDevice {
  type: 'bridge';
  name: string;
  l2NetworkUuid: string;
}

export interface SimulatorVlanDevice {
  type: 'vlan';
  name: string;
  l2NetworkUuid: string;
  /** The physical interface the VLAN sits on. */
  parent: string;
  vlan: number;
  /** The bridge this device is a port of. */
  bridge: string;
}

export interface SimulatorVxlanDevice {
  type: 'vxlan';
  name: string;
  l2NetworkUuid: string;
  vni: number;
  /** The physical interface carrying the tunnel. */
  underlay: string;
  bridge: string;
}

export interface SimulatorVmNicDevice {
  type: 'vmNic';
  name: string;
  vmUuid: string;
  nicUuid: string;
  l3NetworkUuid: string;
  l2NetworkUuid: string;
  bridge: string;
  mac: string;
  ip: string;
  /** How the VM got the address: configured, or leased from the DHCP server of `leasedFrom`. */
  addressing: 'static' | 'dhcp';
  /** The endpoint key and host of the DHCP server that answered (dhcp only). */
  leasedFrom?: { hostUuid: string; endpoint: string };
}

export type SimulatorDevice = SimulatorBridgeDevice | SimulatorVlanDevice | SimulatorVxlanDevice | SimulatorVmNicDevice;

export interface SimulatorOpLogEntry {
  /** Per-host sequence number, increasing from 1; survives the log being capped. */
  seq: number;
  op: SimulatorOp;
  l2NetworkUuid: string | null;
  vmUuid: string | null;
  /** ISO timestamps of when the op started (before the host's latency) and finished. */
  startedAt: string;
  at: string;
  ok: boolean;
  error?: string;
}

/** A host's state as the API returns it (JSON-serializable, devices sorted by name). */
export interface SimulatorHostState {
  hostUuid: string;
  /** Known once an operation has reached the host; null for a host only configured so far. */
  hostName: string | null;
  managementIp: string | null;
  config: SimulatorHostConfig;
  devices: SimulatorDevice[];
}

/** What a host runs for one service endpoint (what KVM would configure: dnsmasq's leases and records, nftables rules). */
export interface SimulatorServiceEndpoint {
  key: string;
  kind: ServiceEndpointKind;
  providerType: ProviderType;
  l3NetworkUuid: string;
  /** The appliance (a VM to the host) the services run in. */
  applianceUuid: string;
  serveIp: string;
  /** Static DHCP leases (empty without DHCP). */
  leases: DhcpHost[];
  dhcpOptions: Omit<DhcpServing, 'hosts'> | null;
  /** DNS records (empty without DNS). */
  records: Array<{ hostname: string; ip: string }>;
  dnsDomain: string | null;
  forwarders: string[];
  /** The router's nftables ruleset (forwarding, SNAT, EIPs); null for flat DHCP. */
  nat: NftBatch | null;
  /** Flat DHCP: its port is kept from the uplink (nftables bridge table). */
  isolation: { port: string; uplink: string; rules: NftBatch } | null;
  /** Flat EIP: the VM's off-subnet frames steered to the namespace's port (nftables bridge table). */
  steering: { port: string; mac: string; vmPort: string; guestCidr: string; rules: NftBatch } | null;
}

export interface SimulatorStateOptions {
  /** Latency for hosts without their own (default 0). */
  defaultLatencyMs?: number;
  /** Interfaces for hosts without their own (default DEFAULT_SIMULATOR_INTERFACES). */
  defaultInterfaces?: SimulatorInterfaces;
  /** Operation-log entries kept per host (default DEFAULT_OP_LOG_LIMIT). */
  opLogLimit?: number;
  /** Operation-log entries kept over all hosts (default DEFAULT_OP_LOG_TOTAL_LIMIT). */
  opLogTotalLimit?: number;
}
