terraform import netforge_l2_vlan_network.vlan100 <uuid>
