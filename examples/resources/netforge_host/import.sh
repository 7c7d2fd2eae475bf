terraform import netforge_host.host1 <uuid>
