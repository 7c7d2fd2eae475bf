data "netforge_l2_network" "uplink" {
  name = "uplink"
}

output "uplink_clusters" {
  value = data.netforge_l2_network.uplink.attached_cluster_uuids
}
