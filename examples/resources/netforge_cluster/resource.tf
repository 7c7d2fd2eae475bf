resource "netforge_zone" "main" {
  name = "zone-a"
}

resource "netforge_cluster" "kvm" {
  name            = "cluster-1"
  zone_uuid       = netforge_zone.main.uuid
  hypervisor_type = "KVM"
}
