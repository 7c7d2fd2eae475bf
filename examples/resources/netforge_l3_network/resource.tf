resource "netforge_zone" "main" {
  name = "zone-a"
}

resource "netforge_l2_vxlan_network" "overlay" {
  name               = "overlay"
  zone_uuid          = netforge_zone.main.uuid
  physical_interface = "eth1"
  vni                = 5001
}

resource "netforge_l3_network" "private" {
  name            = "private"
  l2_network_uuid = netforge_l2_vxlan_network.overlay.uuid
  cidr            = "192.168.10.0/24"
  dns_servers     = ["192.168.10.1"]
  dns_domain      = "internal.example"

  host_routes {
    prefix   = "10.20.0.0/16"
    next_hop = "192.168.10.254"
  }
}
