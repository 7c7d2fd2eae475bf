terraform import netforge_security_group.web <uuid>
