data "netforge_security_group" "admin" {
  name = "admin"
}
