/**
 * GET /v1/overview: the whole topology as the live page (/ui) draws it, in one read: zones,
 * clusters, hosts with the L2 networks realized on each, L2 networks with their attachments,
 * L3 networks with ranges, address usage and services, virtual routers and VMs, plus the
 * Mermaid diagram of it and a revision that changes exactly when any of it does.
 */
import type { HostState, HypervisorType, L2Type, ServiceAttachmentState, ServiceType, VirtualRouterState } from '../topology/model';

/** An L2 network on one host: realized there, or waiting for the host (not Connected). */
export interface HostL2 {
  l2NetworkUuid: string;
  name: string;
  realized: boolean;
}

export interface OverviewHost {
  uuid: string;
  name: string;
  clusterUuid: string;
  managementIp: string;
  state: HostState;
  l2Networks: HostL2[];
}

export interface OverviewL2 {
  uuid: string;
  name: string;
  zoneUuid: string;
  type: L2Type;
  physicalInterface: string;
  vlan: number | null;
  vni: number | null;
  attachedClusterUuids: string[];
  /** Hosts of the attached clusters, and how many of them have it realized. */
  hosts: { realized: number; total: number };
}

export interface OverviewL3 {
  uuid: string;
  name: string;
  l2NetworkUuid: string;
  cidr: string;
  gateway: string;
  ranges: Array<{ uuid: string; name: string; startIp: string; endIp: string }>;
  /** Addresses allocated (VMs, routers, VIPs) of the addresses in its ranges (a decimal string: IPv6 ranges are huge). */
  usage: { used: number; total: string };
  services: Array<{ uuid: string; providerName: string; services: ServiceType[]; state: ServiceAttachmentState; pending: string[] }>;
}

export interface OverviewRouter {
  uuid: string;
  name: string;
  l3NetworkUuid: string;
  publicL3NetworkUuid: string;
  hostUuid: string | null;
  state: VirtualRouterState;
  guestIp: string;
  publicIp: string | null;
}

export interface OverviewVm {
  uuid: string;
  name: string;
  hostUuid: string;
  state: 'Running' | 'Stopped';
  nics: Array<{ l3NetworkUuid: string; ip: string }>;
}

export interface Overview {
  /** Changes exactly when anything below does (a client polls and redraws on change). */
  revision: string;
  zones: Array<{ uuid: string; name: string }>;
  clusters: Array<{ uuid: string; name: string; zoneUuid: string; hypervisorType: HypervisorType }>;
  hosts: OverviewHost[];
  l2Networks: OverviewL2[];
  l3Networks: OverviewL3[];
  virtualRouters: OverviewRouter[];
  vms: OverviewVm[];
  /** The same, as a Mermaid flowchart (labels escaped, ids generated). */
  mermaid: string;
}
