terraform import netforge_zone.main <uuid>
