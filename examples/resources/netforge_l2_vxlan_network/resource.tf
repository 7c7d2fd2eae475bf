resource "netforge_zone" "main" {
  name = "zone-a"
}

resource "netforge_l2_vxlan_network" "overlay" {
  name               = "overlay"
  zone_uuid          = netforge_zone.main.uuid
  physical_interface = "eth1"
  vni                = 5001
}
