terraform import netforge_l2_vxlan_network.overlay <uuid>
