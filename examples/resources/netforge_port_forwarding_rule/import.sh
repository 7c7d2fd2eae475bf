terraform import netforge_port_forwarding_rule.ssh <uuid>
