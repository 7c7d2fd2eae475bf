terraform import netforge_vip.web <uuid>
