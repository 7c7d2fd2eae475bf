data "netforge_l3_network" "guests" {
  name = "guests"
}

# The router the server placed for the network's virtual-router services: where it runs.
data "netforge_virtual_router" "guests" {
  l3_network_uuid = data.netforge_l3_network.guests.uuid
}

output "router_host" {
  value = data.netforge_virtual_router.guests.host_uuid
}
