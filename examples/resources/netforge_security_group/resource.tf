resource "netforge_security_group" "web" {
  name        = "web"
  description = "Web servers"
}
