/**
 * The guests' boot image, from Debian's packages on this machine: the kernel of
 * linux-image-amd64 (/boot/vmlinuz-<version>, with the 8021q module our machines' own kernel
 * lacks) and an initramfs holding busybox-static, the modules that reach the machine's root
 * (virtio PCI, 9p, virtio-net, the guest agent's virtio console) and /init.
 *
 * /init mounts the machine's root read-only over 9p, tmpfs on /run (`ip netns` names
 * namespaces there; /tmp stays the machine's, where a checkout or test bundle may live), the guest's own
 * directory of the lab's state dir read-write at the same path, loads 802.1Q, bridge and
 * veth from the machine's /lib/modules, addresses eth0, starts the agent from the argv the
 * lab wrote (NUL-separated: data, never shell text) and runs the QEMU guest agent. It reads
 * its two parameters from the kernel command line, which the lab builds from checked values.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { LabError } from '../errors';

export interface GuestKernel {
  version: string;
  /** /boot/vmlinuz-<version>. */
  image: string;
  /** /lib/modules/<version>. */
  modulesDir: string;
}

/** Modules /init loads before the root is reachable (their dependencies are found in modules.dep). */
export const BOOT_MODULES = ['virtio_pci', 'virtio_net', '9pnet_virtio', '9p', 'virtio_console'] as const;
/** Modules /init loads from the machine's root: what the KVM realizer uses in a guest. */
export const GUEST_MODULES = ['8021q', 'bridge', 'veth'] as const;

const BUSYBOX = '/bin/busybox';
/** Tag of the machine's root and of the guest's directory on the 9p transport. */
export const ROOT_TAG = 'hostroot';
export const GUEST_DIR_TAG = 'guestdir';
/** The file in the guest's directory holding the agent's argv, NUL-separated. */
export const AGENT_ARGV_FILE = 'agent.argv';
const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const SAFE_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** The newest kernel of linux-image-amd64 with its modules (throws naming the package when absent). */
export function findGuestKernel(boot = '/boot', modulesRoot = '/lib/modules'): GuestKernel {
  let names: string[] = [];
  try {
    names = fs.readdirSync(boot).filter((n) => n.startsWith('vmlinuz-'));
  } catch {
    // no /boot
  }
  const versions = names
    .map((n) => n.slice('vmlinuz-'.length))
    .filter((v) => fs.existsSync(path.join(modulesRoot, v, 'modules.dep')))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const version = versions.at(-1);
  if (!version) throw new LabError(`no guest kernel: ${boot}/vmlinuz-* with ${modulesRoot}/<version>/modules.dep is missing (install Debian's linux-image-amd64)`);
  return { version, image: path.join(boot, `vmlinuz-${version}`), modulesDir: path.join(modulesRoot, version) };
}

/**
 * Module files (relative to the modules dir) that load `wanted` and everything they need,
 * dependencies first, each once, from a modules.dep text ("kernel/a.ko: kernel/b.ko ...").
 */
export function moduleLoadOrder(modulesDep: string, wanted: readonly string[]): string[] {
  const deps = new Map<string, string[]>();
  for (const line of modulesDep.split('\n')) {
    const [file, rest] = line.split(':');
    if (file && rest !== undefined) deps.set(file.trim(), rest.trim().split(/\s+/).filter(Boolean));
  }
  const byName = new Map([...deps.keys()].map((f) => [path.basename(f).replace(/\.ko(\.[a-z]+)?$/, '').replace(/-/g, '_'), f]));
  const order: string[] = [];
  const visit = (file: string, trail: string[]) => {
    if (order.includes(file)) return;
    if (trail.includes(file)) throw new LabError(`modules.dep has a cycle: ${[...trail, file].join(' -> ')}`);
    for (const d of deps.get(file) ?? []) visit(d, [...trail, file]);
    order.push(file);
  };
  for (const name of wanted) {
    const file = byName.get(name.replace(/-/g, '_'));
    if (!file) throw new LabError(`module ${name} is not in modules.dep`);
    visit(file, []);
  }
  return order;
}

/** /init of the initramfs (busybox sh). Everything variable comes from the kernel command line. */
export const GUEST_INIT = `#!/bin/busybox sh
# netforge QEMU lab guest: reach the machine's root, then run the agent and the QEMU guest agent.
bb=/bin/busybox
$bb mkdir -p /proc /sys /dev /host
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
for m in $($bb cat /modules.order); do $bb insmod "/modules/$($bb basename "$m")"; done
for arg in $($bb cat /proc/cmdline); do
  case "$arg" in
    netforge.guestdir=*) guestdir="\${arg#netforge.guestdir=}" ;;
    netforge.address=*) address="\${arg#netforge.address=}" ;;
  esac
done
$bb mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 ${ROOT_TAG} /host
$bb mount -t tmpfs run /host/run
$bb mkdir -p "/host$guestdir"
$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 ${GUEST_DIR_TAG} "/host$guestdir"
$bb mount --move /proc /host/proc
$bb mount --move /sys /host/sys
$bb mount --move /dev /host/dev
exec $bb chroot /host /bin/sh -s "$guestdir" "$address" <<'GUEST'
guestdir="$1"; address="$2"
modprobe -a ${GUEST_MODULES.join(' ')} || echo "netforge guest: could not load ${GUEST_MODULES.join(', ')}"
ip link set lo up
ip addr add "$address" dev eth0
ip link set eth0 up
ip link set eth1 up
xargs -0 -a "$guestdir/${AGENT_ARGV_FILE}" env >"$guestdir/agent.log" 2>&1 &
for port in /sys/class/virtio-ports/*; do
  [ "$(cat "$port/name")" = org.qemu.guest_agent.0 ] && channel="/dev/$(basename "$port")"
done
exec /usr/sbin/qemu-ga -m virtio-serial -p "$channel"
GUEST
`;

/** The kernel command line of a guest (values checked: the init script splits it on spaces). */
export function kernelCommandLine(guestDir: string, managementAddress: string): string {
  if (!SAFE_PATH.test(guestDir)) throw new LabError(`the guest directory ${JSON.stringify(guestDir)} must be an absolute path of letters, digits and ._/- only`);
  if (!SAFE_ADDRESS.test(managementAddress)) throw new LabError(`${JSON.stringify(managementAddress)} is not an IPv4 address with a prefix length`);
  return `console=ttyS0 quiet panic=-1 netforge.guestdir=${guestDir} netforge.address=${managementAddress}`;
}

/** Writes the initramfs (gzipped newc cpio, made by Debian's cpio) to `outFile`. */
export function buildInitramfs(kernel: GuestKernel, outFile: string): void {
  if (!fs.existsSync(BUSYBOX)) throw new LabError(`${BUSYBOX} is missing (install Debian's busybox-static)`);
  const order = moduleLoadOrder(fs.readFileSync(path.join(kernel.modulesDir, 'modules.dep'), 'utf8'), BOOT_MODULES);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-initramfs-'));
  try {
    fs.mkdirSync(path.join(root, 'bin'));
    fs.mkdirSync(path.join(root, 'modules'));
    fs.copyFileSync(BUSYBOX, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const m of order) fs.copyFileSync(path.join(kernel.modulesDir, m), path.join(root, 'modules', path.basename(m)));
    fs.writeFileSync(path.join(root, 'modules.order'), `${order.join('\n')}\n`);
    fs.writeFileSync(path.join(root, 'init'), GUEST_INIT, { mode: 0o755 });
    const files = ['.', 'bin', 'bin/busybox', 'modules', ...order.map((m) => `modules/${path.basename(m)}`), 'modules.order', 'init'];
    const cpio = spawnSync('cpio', ['--quiet', '-o', '-H', 'newc'], { cwd: root, input: `${files.join('\n')}\n`, maxBuffer: 256 * 1024 * 1024 });
    if (cpio.error) throw new LabError(`cpio could not run (install Debian's cpio): ${cpio.error.message}`);
    if (cpio.status !== 0) throw new LabError(`cpio failed: ${cpio.stderr.toString().trim()}`);
    fs.writeFileSync(outFile, zlib.gzipSync(cpio.stdout, { level: 1 }), { mode: 0o644 });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
