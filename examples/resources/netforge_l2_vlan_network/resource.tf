resource "netforge_zone" "main" {
  name = "zone-a"
}

resource "netforge_l2_vlan_network" "vlan100" {
  name               = "vlan100"
  zone_uuid          = netforge_zone.main.uuid
  physical_interface = "eth1"
  vlan               = 100
}
