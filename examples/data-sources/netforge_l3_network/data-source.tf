data "netforge_l3_network" "public" {
  name = "public"
}

output "public_gateway" {
  value = data.netforge_l3_network.public.gateway
}
