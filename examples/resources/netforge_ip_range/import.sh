terraform import netforge_ip_range.first <uuid>
