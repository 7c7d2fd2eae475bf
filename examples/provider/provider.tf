terraform {
  required_providers {
    netforge = {
      source  = "netforge/netforge"
      version = "0.1.0"
    }
  }
}

# The endpoint and token default to NETFORGE_ENDPOINT and NETFORGE_TOKEN (or the server's
# token file); keep the token out of the configuration.
provider "netforge" {
  endpoint = "http://127.0.0.1:8787"
}
