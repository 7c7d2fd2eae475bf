terraform import netforge_security_group_attachment.web <uuid>
