terraform import netforge_cluster.kvm <uuid>
