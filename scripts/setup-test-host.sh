#!/usr/bin/env bash
# Prerequisites of the test suite on a fresh Debian machine: `npm test` runs this first, so
# README's test command works alone and .ci/run runs exactly that command.
# Installs missing programs with apt-get when it can (root); otherwise names what is missing
# and fails. Terraform can't be installed from any registry here: it is checked, never skipped.
set -euo pipefail

# program -> Debian package (network services: dnsmasq without its system service, its
# dhcp_release, nftables, a DHCP client for VM namespaces, busybox's nslookup, ps; the QEMU
# lab: QEMU, the guest agent its guests run, cpio for their initramfs, tcpdump on the trunk;
# the topology page is tested in Debian's headless Chromium)
declare -A PACKAGE_OF=(
  [ping]=iputils-ping
  [nsenter]=util-linux
  [ip]=iproute2
  [dnsmasq]=dnsmasq-base
  [dhcp_release]=dnsmasq-utils
  [nft]=nftables
  [udhcpc]=udhcpc
  [busybox]=busybox-static
  [ps]=procps
  [tcpdump]=tcpdump
  [qemu-system-x86_64]=qemu-system-x86
  [qemu-ga]=qemu-guest-agent
  [cpio]=cpio
  [chromium]=chromium
)

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

if ! have terraform && [ ! -x /usr/local/bin/terraform ]; then
  echo "setup: the terraform CLI is required (expected at /usr/local/bin/terraform) and is missing" >&2
  exit 1
fi

missing=()
for program in "${!PACKAGE_OF[@]}"; do
  have "$program" || missing+=("${PACKAGE_OF[$program]}")
done
# The PostgreSQL suites run a throwaway cluster of Debian's server (initdb, postgres).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# The QEMU lab's guests boot Debian's kernel (it has 802.1Q) with its modules.
compgen -G '/boot/vmlinuz-*' >/dev/null && compgen -G '/lib/modules/*/kernel/net/8021q' >/dev/null || missing+=(linux-image-amd64)
[ ${#missing[@]} -eq 0 ] && exit 0

# Deduplicate, keep a stable order for the log.
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
  echo "setup: the tests need these Debian packages: ${packages[*]}" >&2
  echo "setup: install them (as root: apt-get install ${packages[*]}) and run the tests again" >&2
  exit 1
fi
echo "setup: installing ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
