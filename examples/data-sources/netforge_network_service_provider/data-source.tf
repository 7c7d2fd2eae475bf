# The built-in providers: VirtualRouter (DHCP, DNS, SNAT, EIP, port forwarding), Flat
# (DHCP, DNS, EIP on each host) and SecurityGroup.
data "netforge_network_service_provider" "flat" {
  type = "Flat"
}
