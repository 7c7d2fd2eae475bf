data "netforge_zone" "main" {
  name = "zone-a"
}

# Names are unique within a zone: give the zone when several zones have a cluster-1.
data "netforge_cluster" "kvm" {
  name      = "cluster-1"
  zone_uuid = data.netforge_zone.main.uuid
}
