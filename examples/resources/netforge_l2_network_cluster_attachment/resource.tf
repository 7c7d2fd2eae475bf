resource "netforge_zone" "main" {
  name = "zone-a"
}

resource "netforge_cluster" "kvm" {
  name            = "cluster-1"
  zone_uuid       = netforge_zone.main.uuid
  hypervisor_type = "KVM"
}

resource "netforge_l2_novlan_network" "flat" {
  name               = "flat"
  zone_uuid          = netforge_zone.main.uuid
  physical_interface = "eth1"
}

# Realizes the network on every host of the cluster; destroying it removes it from them.
resource "netforge_l2_network_cluster_attachment" "flat_on_kvm" {
  l2_network_uuid = netforge_l2_novlan_network.flat.uuid
  cluster_uuid    = netforge_cluster.kvm.uuid
}
