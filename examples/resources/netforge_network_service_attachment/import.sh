terraform import netforge_network_service_attachment.guests <uuid>
