/**
 * The HCL the review golden tests plan with the real terraform: one zone, two clusters
 * (one host and two hosts), a VLAN L2 attached to both, a spare VLAN L2, an uplink L2 on
 * cluster1 with a public L3, an L3 with two ranges and virtual-router services leaving
 * through the uplink, and a VM. Knobs change it the way a pull request would.
 */
import { netforgeHclHeader } from '../helpers/terraform';

export interface ScenarioKnobs {
  zoneDescription?: string;
  dnsServers?: string[];
  /** VLAN id of the spare L2 network. */
  spareVlan?: number;
  /** Start of IP range app-2. */
  app2Start?: string;
  /** Drop the attachment of vlan-10 to cluster2 and the range app-2. */
  shrink?: boolean;
  /** Extra resources. */
  extra?: string;
}

export function scenarioHcl(endpoint: string, k: ScenarioKnobs = {}): string {
  return `
${netforgeHclHeader(endpoint)}
data "netforge_network_service_provider" "vr" { type = "VirtualRouter" }

resource "netforge_zone" "z" {
  name        = "zone1"
  description = "${k.zoneDescription ?? 'first'}"
}
resource "netforge_cluster" "c1" {
  name            = "cluster1"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_cluster" "c2" {
  name            = "cluster2"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_host" "h11" {
  name          = "host1-1"
  cluster_uuid  = netforge_cluster.c1.uuid
  management_ip = "10.0.1.11"
}
resource "netforge_host" "h21" {
  name          = "host2-1"
  cluster_uuid  = netforge_cluster.c2.uuid
  management_ip = "10.0.2.11"
}
resource "netforge_host" "h22" {
  name          = "host2-2"
  cluster_uuid  = netforge_cluster.c2.uuid
  management_ip = "10.0.2.12"
}
resource "netforge_l2_vlan_network" "v10" {
  name               = "vlan-10"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth0"
  vlan               = 10
}
resource "netforge_l2_vlan_network" "spare" {
  name               = "vlan-spare"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth0"
  vlan               = ${k.spareVlan ?? 30}
}
resource "netforge_l2_network_cluster_attachment" "v10_c1" {
  l2_network_uuid = netforge_l2_vlan_network.v10.uuid
  cluster_uuid    = netforge_cluster.c1.uuid
}
${
  k.shrink
    ? ''
    : `resource "netforge_l2_network_cluster_attachment" "v10_c2" {
  l2_network_uuid = netforge_l2_vlan_network.v10.uuid
  cluster_uuid    = netforge_cluster.c2.uuid
}`
}
resource "netforge_l2_novlan_network" "uplink" {
  name               = "uplink"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth2"
}
resource "netforge_l2_network_cluster_attachment" "uplink_c1" {
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cluster_uuid    = netforge_cluster.c1.uuid
}
resource "netforge_l3_network" "internet" {
  name            = "internet"
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cidr            = "203.0.113.0/24"
  gateway         = "203.0.113.1"
}
resource "netforge_ip_range" "internet" {
  l3_network_uuid = netforge_l3_network.internet.uuid
  name            = "internet-1"
  start_ip        = "203.0.113.10"
  end_ip          = "203.0.113.20"
}
resource "netforge_l3_network" "app" {
  name            = "app"
  l2_network_uuid = netforge_l2_vlan_network.v10.uuid
  cidr            = "192.168.10.0/24"
  dns_servers     = ${JSON.stringify(k.dnsServers ?? ['192.168.10.1'])}
  dns_domain      = "app.example"
}
resource "netforge_ip_range" "app1" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "app-1"
  start_ip        = "192.168.10.10"
  end_ip          = "192.168.10.50"
}
${
  k.shrink
    ? ''
    : `resource "netforge_ip_range" "app2" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "app-2"
  start_ip        = "${k.app2Start ?? '192.168.10.100'}"
  end_ip          = "192.168.10.150"
}`
}
resource "netforge_network_service_attachment" "app_services" {
  l3_network_uuid        = netforge_l3_network.app.uuid
  provider_uuid          = data.netforge_network_service_provider.vr.uuid
  services               = ["DHCP", "DNS", "SNAT"]
  public_l3_network_uuid = netforge_l3_network.internet.uuid
}
resource "netforge_vm_instance" "web" {
  name             = "web-1"
  l3_network_uuids = [netforge_l3_network.app.uuid]
  # Pinned: left to placement, it would go to the least loaded host, which depends on
  # whether the virtual router (a VM too) was placed first.
  host_uuid        = netforge_host.h11.uuid
  depends_on       = [netforge_l2_network_cluster_attachment.v10_c1, netforge_ip_range.app1]
}
${k.extra ?? ''}
`;
}
