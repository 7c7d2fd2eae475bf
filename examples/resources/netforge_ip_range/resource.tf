resource "netforge_zone" "main" {
  name = "zone-a"
}

resource "netforge_l2_novlan_network" "flat" {
  name               = "flat"
  zone_uuid          = netforge_zone.main.uuid
  physical_interface = "eth1"
}

resource "netforge_l3_network" "public" {
  name            = "public"
  l2_network_uuid = netforge_l2_novlan_network.flat.uuid
  cidr            = "10.0.0.0/24"
}

# Two ranges with a gap: 10.0.0.101-149 stays reserved.
resource "netforge_ip_range" "first" {
  name            = "first"
  l3_network_uuid = netforge_l3_network.public.uuid
  start_ip        = "10.0.0.10"
  end_ip          = "10.0.0.100"
}

resource "netforge_ip_range" "second" {
  name            = "second"
  l3_network_uuid = netforge_l3_network.public.uuid
  start_ip        = "10.0.0.150"
  end_ip          = "10.0.0.200"
}
