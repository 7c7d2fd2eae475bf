data "netforge_zone" "main" {
  name = "zone-a"
}

output "zone_uuid" {
  value = data.netforge_zone.main.uuid
}
