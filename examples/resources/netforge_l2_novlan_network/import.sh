terraform import netforge_l2_novlan_network.flat <uuid>
