/**
 * GET /v1/service-endpoints: where the network services of L3 networks run and what they
 * serve, as the server realized them: per host, the virtual router or flat DHCP server, its
 * static leases, DNS records and SNAT. `netforge deploy` reports it; tests compare it.
 */
import type { HostRoute, ProviderType } from '../topology/model';

export const SERVICE_ENDPOINT_FILTERS = ['l3NetworkUuid', 'hostUuid'] as const;

export interface ServiceEndpointStatus {
  l3NetworkUuid: string;
  /** `virtualRouter:<router uuid>` or `flatDhcp:<l3 uuid>` (unique per host). */
  key: string;
  kind: 'virtualRouter' | 'flatDhcp';
  providerType: ProviderType;
  hostUuid: string;
  hostName: string;
  /** The appliance (router VM, DHCP namespace) the services run in. */
  applianceUuid: string;
  applianceName: string;
  /** Where DHCP and DNS answer from: the router's guest address (the L3's gateway), or the flat DHCP server's. */
  serveIp: string;
  /** A router's address on its public network (SNAT leaves with it); null for flat DHCP. */
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
}
