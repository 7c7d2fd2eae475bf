/**
 * GET /v1/overview: the whole topology as the live page (/ui) draws it, in one read: zones,
 * clusters, hosts with the L2 networks realized on each, L2 networks with their attachments,
 * L3 networks with ranges, address usage and services, virtual routers and VMs, plus the
 * Mermaid diagram of it and a revision that changes exactly when any of it does.
 */
import type { Cluster, Host, IpRange, L2Network, L3Network, NetworkServiceAttachment, VirtualRouter, VmInstance, VmNic, Zone } from '../topology/model';

/** An L2 network on one host: realized there, or waiting for the host (not Connected). */
export interface HostL2 {
  l2NetworkUuid: string;
  name: string;
  realized: boolean;
}

export interface OverviewHost extends Pick<Host, 'uuid' | 'name' | 'clusterUuid' | 'managementIp' | 'state'> {
  l2Networks: HostL2[];
}

export interface OverviewL2 extends Pick<L2Network, 'uuid' | 'name' | 'zoneUuid' | 'type' | 'physicalInterface' | 'vlan' | 'vni' | 'attachedClusterUuids'> {
  /** Hosts of the attached clusters, and how many of them have it realized. */
  hosts: { realized: number; total: number };
}

export interface OverviewL3 extends Pick<L3Network, 'uuid' | 'name' | 'l2NetworkUuid' | 'cidr' | 'gateway'> {
  ranges: Array<Pick<IpRange, 'uuid' | 'name' | 'startIp' | 'endIp'>>;
  /** Addresses allocated (VMs, routers, VIPs) of the addresses in its ranges (a decimal string: IPv6 ranges are huge). */
  usage: { used: number; total: string };
  services: Array<Pick<NetworkServiceAttachment, 'uuid' | 'services' | 'state'> & { providerName: string; pending: string[] }>;
}

export type OverviewRouter = Pick<VirtualRouter, 'uuid' | 'name' | 'l3NetworkUuid' | 'publicL3NetworkUuid' | 'hostUuid' | 'state' | 'guestIp' | 'publicIp'>;

export interface OverviewVm extends Pick<VmInstance, 'uuid' | 'name' | 'hostUuid' | 'state'> {
  nics: Array<Pick<VmNic, 'l3NetworkUuid' | 'ip'>>;
}

export interface Overview {
  /** Changes exactly when anything below does (a client polls and redraws on change). */
  revision: string;
  zones: Array<Pick<Zone, 'uuid' | 'name'>>;
  clusters: Array<Pick<Cluster, 'uuid' | 'name' | 'zoneUuid' | 'hypervisorType'>>;
  hosts: OverviewHost[];
  l2Networks: OverviewL2[];
  l3Networks: OverviewL3[];
  virtualRouters: OverviewRouter[];
  vms: OverviewVm[];
  /** The same, as a Mermaid flowchart (labels escaped, ids generated). */
  mermaid: string;
}
