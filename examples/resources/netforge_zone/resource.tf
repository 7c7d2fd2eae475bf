resource "netforge_zone" "main" {
  name        = "zone-a"
  description = "Rack row A"
}
