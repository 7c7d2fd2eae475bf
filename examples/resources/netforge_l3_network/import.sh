terraform import netforge_l3_network.private <uuid>
