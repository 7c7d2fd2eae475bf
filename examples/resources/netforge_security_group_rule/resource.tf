resource "netforge_security_group" "web" {
  name = "web"
}

resource "netforge_security_group" "admin" {
  name = "admin"
}

# HTTPS from anywhere.
resource "netforge_security_group_rule" "https" {
  security_group_uuid = netforge_security_group.web.uuid
  direction           = "Ingress"
  protocol            = "TCP"
  port_start          = 443
  remote_cidr         = "0.0.0.0/0"
}

# SSH from members of the admin group only.
resource "netforge_security_group_rule" "ssh_from_admin" {
  security_group_uuid        = netforge_security_group.web.uuid
  direction                  = "Ingress"
  protocol                   = "TCP"
  port_start                 = 22
  remote_security_group_uuid = netforge_security_group.admin.uuid
}
