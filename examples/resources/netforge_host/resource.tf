resource "netforge_zone" "main" {
  name = "zone-a"
}

resource "netforge_cluster" "kvm" {
  name            = "cluster-1"
  zone_uuid       = netforge_zone.main.uuid
  hypervisor_type = "KVM"
}

# The fingerprint is what `netforge agent` prints on the host: the server only talks to
# the agent that presents that certificate.
resource "netforge_host" "host1" {
  name              = "host1"
  cluster_uuid      = netforge_cluster.kvm.uuid
  management_ip     = "10.0.1.11"
  agent_fingerprint = "sha256:7f3a3c1de0b9c2a4e5f60718293a4b5c6d7e8f90112233445566778899aabbcc"
}
