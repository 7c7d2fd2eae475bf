/** The service endpoints of L3 networks as the API reports them (contract/service-endpoints.ts). */
import type { ServiceEndpointStatus } from '../../contract/service-endpoints';
import * as M from '../db/models';
import type { Op } from './context';
import { servicePlaneOf, type PlacedEndpoint } from './service-plane';

function statusOf({ target, endpoint }: PlacedEndpoint): ServiceEndpointStatus {
  const { dhcp, dns } = endpoint;
  return {
    l3NetworkUuid: endpoint.l3NetworkUuid,
    key: endpoint.key,
    kind: endpoint.kind,
    providerType: endpoint.providerType,
    hostUuid: target.host.uuid,
    hostName: target.host.name,
    applianceUuid: endpoint.appliance.vmUuid,
    applianceName: endpoint.appliance.vmName,
    serveIp: endpoint.serveIp,
    publicIp: endpoint.routing ? endpoint.appliance.nics[0].nic.ip : null,
    dhcp: dhcp
      ? { leases: dhcp.hosts, router: dhcp.router, dnsServers: dhcp.dnsServers, domain: dhcp.domain, classlessRoutes: dhcp.classlessRoutes, mtu: dhcp.mtu }
      : null,
    dns: dns ? { domain: dns.domain, records: dns.records, forwarders: dns.forwarders } : null,
    snat: endpoint.routing?.snat ?? false,
    eips: endpoint.routing?.eips.map((e) => ({ vip: e.vip, guestIp: e.guestIp })) ?? [],
  };
}

/** Every endpoint (of one L3, on one host), by L3 then host name. */
export async function listServiceEndpoints(filters: { l3NetworkUuid?: string; hostUuid?: string }, op: Op): Promise<ServiceEndpointStatus[]> {
  const l3s = filters.l3NetworkUuid
    ? [filters.l3NetworkUuid]
    : [...new Set((await M.NetworkServiceAttachmentRow.findAll({ attributes: ['l3NetworkUuid'], transaction: op.tx })).map((a) => a.l3NetworkUuid))].sort();
  const out: ServiceEndpointStatus[] = [];
  for (const l3 of l3s) {
    const placed = [...(await servicePlaneOf(l3, op)).endpoints.values()].filter((p) => !filters.hostUuid || p.target.host.uuid === filters.hostUuid);
    out.push(...placed.sort((a, b) => a.target.host.name.localeCompare(b.target.host.name)).map(statusOf));
  }
  return out;
}
