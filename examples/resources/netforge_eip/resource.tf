resource "netforge_zone" "main" {
  name = "zone-a"
}

resource "netforge_cluster" "kvm" {
  name            = "cluster-1"
  zone_uuid       = netforge_zone.main.uuid
  hypervisor_type = "KVM"
}

resource "netforge_l2_vlan_network" "guests" {
  name               = "guests"
  zone_uuid          = netforge_zone.main.uuid
  physical_interface = "eth1"
  vlan               = 100
}

resource "netforge_l2_network_cluster_attachment" "guests" {
  l2_network_uuid = netforge_l2_vlan_network.guests.uuid
  cluster_uuid    = netforge_cluster.kvm.uuid
}

resource "netforge_l3_network" "guests" {
  name            = "guests"
  l2_network_uuid = netforge_l2_vlan_network.guests.uuid
  cidr            = "192.168.10.0/24"
}

resource "netforge_ip_range" "guests" {
  name            = "guests"
  l3_network_uuid = netforge_l3_network.guests.uuid
  start_ip        = "192.168.10.10"
  end_ip          = "192.168.10.200"
}

resource "netforge_l2_novlan_network" "uplink" {
  name               = "uplink"
  zone_uuid          = netforge_zone.main.uuid
  physical_interface = "eth2"
}

resource "netforge_l2_network_cluster_attachment" "uplink" {
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cluster_uuid    = netforge_cluster.kvm.uuid
}

resource "netforge_l3_network" "public" {
  name            = "public"
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cidr            = "203.0.113.0/24"
}

resource "netforge_ip_range" "public" {
  name            = "public"
  l3_network_uuid = netforge_l3_network.public.uuid
  start_ip        = "203.0.113.10"
  end_ip          = "203.0.113.100"
}

resource "netforge_vm_instance" "web" {
  name             = "web"
  l3_network_uuids = [netforge_l3_network.guests.uuid]
  hostname         = "web"

  depends_on = [netforge_ip_range.guests, netforge_l2_network_cluster_attachment.guests]
}

resource "netforge_vip" "web" {
  name            = "web"
  l3_network_uuid = netforge_l3_network.public.uuid

  depends_on = [netforge_ip_range.public]
}

# The VIP reaches the VM's address on the guest network (1:1 NAT on its host or router).
resource "netforge_eip" "web" {
  name             = "web"
  vip_uuid         = netforge_vip.web.uuid
  vm_instance_uuid = netforge_vm_instance.web.uuid
}
