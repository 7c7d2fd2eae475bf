data "netforge_vip" "web" {
  name = "web"
}

output "web_address" {
  value = data.netforge_vip.web.ip
}
