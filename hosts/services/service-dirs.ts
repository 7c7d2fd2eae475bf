/**
 * Where the host-side services keep their files: under the agent's state directory, and
 * nowhere else. dnsmasq drops its privileges to `nobody` before it reads its files (also
 * on SIGHUP), so the state directory is traversable (0711: its keys stay 0600) and the
 * service directories and files are world-readable; the DHCP client's leases are root's.
 *
 *   <state>/services/dnsmasq/<netns>/   dhcp-hosts dhcp-opts dns-hosts servers argv.json pid log
 *                                       to-release.json (leases removed, not yet released)
 *   <state>/services/leases/<netns>/<interface>.json
 *   <state>/services/dhcp-hook          the DHCP client's script (prints the lease, configures nothing)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ArgvRunner } from '../linux/commands';
import { VM_NETNS_PATTERN } from '../linux/names';

export type { ArgvRunner };

export interface BuiltinContext {
  stateDir: string;
  run: ArgvRunner;
}


export function servicesDir(stateDir: string): string {
  return path.join(stateDir, 'services');
}

export function dnsmasqDir(stateDir: string, netns: string): string {
  assertNetns(netns);
  return path.join(servicesDir(stateDir), 'dnsmasq', netns);
}

export function leasesDir(stateDir: string, netns: string): string {
  assertNetns(netns);
  return path.join(servicesDir(stateDir), 'leases', netns);
}

function assertNetns(netns: string): void {
  if (!VM_NETNS_PATTERN.test(netns)) throw new Error(`${JSON.stringify(netns)} is not a netforge namespace`);
}

/** Creates `dir` (and the services tree above it) with `mode`; the state directory becomes traversable. */
export function ensureDir(stateDir: string, dir: string, mode: number): void {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o711 });
  fs.chmodSync(stateDir, 0o711);
  const root = servicesDir(stateDir);
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  fs.mkdirSync(dir, { recursive: true, mode });
  for (let d = dir; d.startsWith(root + path.sep); d = path.dirname(d)) fs.chmodSync(d, d === dir ? mode : 0o755);
}

/** Writes `content` to `file` atomically unless it holds exactly that already; true when it changed. */
export function writeIfChanged(file: string, content: string, mode: number): boolean {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return false;
  } catch {
    // absent: write it
  }
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
  return true;
}
