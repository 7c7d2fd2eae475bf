terraform import netforge_security_group_rule.https <uuid>
