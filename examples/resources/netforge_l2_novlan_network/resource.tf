resource "netforge_zone" "main" {
  name = "zone-a"
}

# A flat network straight on eth1 of every host it is attached to.
resource "netforge_l2_novlan_network" "flat" {
  name               = "flat"
  zone_uuid          = netforge_zone.main.uuid
  physical_interface = "eth1"
}
