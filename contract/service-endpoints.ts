/**
 * GET /v1/service-endpoints: where the network services of L3 networks run and what they
 * serve, as the server realized them: per host, the virtual router, flat DHCP server or flat
 * EIP namespace, its static leases, DNS records, SNAT and EIPs. `netforge deploy` reports it; tests compare it.
 */
import type { HostRoute, ProviderType } from '../topology/model';

export const SERVICE_ENDPOINT_FILTERS = ['l3NetworkUuid', 'hostUuid'] as const;

export interface ServiceEndpointStatus {
  l3NetworkUuid: string;
  /** `virtualRouter:<router uuid>`, `flatDhcp:<l3 uuid>` or `flatEip:<eip uuid>` (unique per host). */
  key: string;
  kind: 'virtualRouter' | 'flatDhcp' | 'flatEip';
  providerType: ProviderType;
  hostUuid: string;
  hostName: string;
  /** The appliance (router VM, DHCP namespace) the services run in. */
  applianceUuid: string;
  applianceName: string;
  /** Where DHCP and DNS answer from: the router's guest address (the L3's gateway), or the flat DHCP server's. */
  serveIp: string;
  /** The address on the public network (a router's, which SNAT leaves with; a flat EIP's VIP); null for flat DHCP. */
  publicIp: string | null;
  dhcp: {
    leases: Array<{ mac: string; ip: string; hostname: string }>;
    router: string | null;
    dnsServers: string[];
    domain: string | null;
    classlessRoutes: HostRoute[];
    mtu: number;
  } | null;
  dns: { domain: string | null; records: Array<{ hostname: string; ip: string }>; forwarders: string[] } | null;
  snat: boolean;
  /** The EIPs it translates: each VIP to its NIC's address. */
  eips: Array<{ vip: string; guestIp: string }>;
}
