terraform import netforge_eip.web <uuid>
