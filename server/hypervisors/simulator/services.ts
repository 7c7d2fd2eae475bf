/**
 * The Simulator's network service endpoints: what a host records for each (the leases,
 * DNS records and options dnsmasq would serve, the nftables rulesets KVM would load), built
 * with the same ruleset builders as the KVM realizer. An endpoint's appliance must be
 * running on the host, as its namespace must exist on a KVM host.
 */
import { l2DeviceNames } from '../../../hosts/linux/device-names';
import { isolationRuleset, routerRuleset, steeringRuleset } from '../../../hosts/services/service-rules';
import type { ServiceEndpoint } from '../../extension/points';
import { SimulatorHostError } from './errors';
import { describeHost, type HostRecord } from './host-devices';
import type { SimulatorServiceEndpoint } from './types';

/** The record of `endpoint` on the host; throws when its appliance is not running there. */
export function endpointRecord(rec: HostRecord, endpoint: ServiceEndpoint): SimulatorServiceEndpoint {
  const { appliance } = endpoint;
  const running = [...rec.devices.values()].some((d) => d.type === 'vmNic' && d.vmUuid === appliance.vmUuid);
  if (!running) throw new SimulatorHostError(`the appliance '${appliance.vmName}' (${appliance.vmUuid}) of ${endpoint.key} is not running on ${describeHost(rec)}`);
  const dhcp = endpoint.dhcp;
  let isolation: SimulatorServiceEndpoint['isolation'] = null;
  if (endpoint.isolation) {
    const names = l2DeviceNames(endpoint.isolation.l2);
    const uplink = names.vlanDevice ?? names.vxlanDevice ?? endpoint.isolation.l2.physicalInterface;
    isolation = { port: endpoint.isolation.port, uplink, rules: isolationRuleset(endpoint.isolation.port, uplink) };
  }
  return {
    key: endpoint.key,
    kind: endpoint.kind,
    providerType: endpoint.providerType,
    l3NetworkUuid: endpoint.l3NetworkUuid,
    applianceUuid: appliance.vmUuid,
    serveIp: endpoint.serveIp,
    leases: dhcp ? dhcp.hosts.map((h) => ({ ...h })) : [],
    dhcpOptions: dhcp
      ? { subnet: dhcp.subnet, router: dhcp.router, dnsServers: [...dhcp.dnsServers], domain: dhcp.domain, classlessRoutes: dhcp.classlessRoutes.map((r) => ({ ...r })), mtu: dhcp.mtu }
      : null,
    records: endpoint.dns ? endpoint.dns.records.map((r) => ({ ...r })) : [],
    dnsDomain: endpoint.dns?.domain ?? null,
    forwarders: endpoint.dns ? [...endpoint.dns.forwarders] : [],
    nat: endpoint.routing ? routerRuleset(endpoint.routing) : null,
    isolation,
    steering: endpoint.steering ? { ...endpoint.steering, rules: steeringRuleset(endpoint.steering) } : null,
  };
}
