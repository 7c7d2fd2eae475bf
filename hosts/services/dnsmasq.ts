/**
 * dnsmasq instances in netforge's namespaces, one per namespace, run by the host agent
 * (through `ip netns exec <ns> dnsmasq ...`, argv built by dnsmasq-config.ts from a checked
 * configuration). sync is idempotent: the files are rewritten only when their content
 * changes and the running instance is told with SIGHUP (leases of other VMs are untouched:
 * they are static and infinite, and dnsmasq keeps no lease file); it is restarted only when
 * its command line changes. An instance is known by its pid file, and a pid is trusted only
 * while it is a dnsmasq in that namespace.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dnsmasqArgv, dnsmasqFiles, type DnsmasqConfig } from './dnsmasq-config';
import { VM_NETNS_PATTERN } from '../linux/names';
import { dnsmasqDir, ensureDir, servicesDir, writeIfChanged, type BuiltinContext } from './service-dirs';

export type DnsmasqAction = 'started' | 'restarted' | 'reloaded' | 'unchanged';

export interface DnsmasqInstance {
  netns: string;
  /** null when its files are there and it is not running. */
  pid: number | null;
}

/** How long a stopped dnsmasq gets to exit before it is killed. */
const STOP_GRACE_MS = 3000;
/** How long a started one gets to write its pid file. */
const START_WAIT_MS = 3000;

/** A file's identity (device and inode): how two namespace handles are compared. */
function identity(file: string): string | null {
  try {
    const st = fs.statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/** The pid in the instance's pid file, if that process is a dnsmasq running in `netns`. */
export function runningPid(stateDir: string, netns: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dnsmasqDir(stateDir, netns), 'pid'), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 1) return null;
  try {
    if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'dnsmasq' || exited(pid)) return null;
  } catch {
    return null;
  }
  const own = identity(`/proc/${pid}/ns/net`);
  return own !== null && own === identity(path.join('/run/netns', netns)) ? pid : null;
}

/** dnsmasq runs as nobody: every directory down to its files must be traversable by others. */
function assertReachableByNobody(dir: string): void {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(`dnsmasq runs as nobody and can't reach ${dir}: ${d} is not traversable by others (mode ${(mode & 0o777).toString(8)}); chmod o+x ${d} or use another state directory`);
    }
    if (d === path.dirname(d)) return;
  }
}

/** Gone, or a zombie (it exited; its parent, init once dnsmasq daemonized, has not reaped it yet). */
function exited(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (exited(pid)) return true;
    await sleep(20);
  }
  return exited(pid);
}

/** Stops the dnsmasq of `netns` (pid as runningPid found it); SIGKILL only if it is still that one. */
async function kill(stateDir: string, netns: string, pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitGone(pid, STOP_GRACE_MS)) return;
  if (runningPid(stateDir, netns) !== pid) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitGone(pid, 1000);
}

type LeaseKey = { mac: string; ip: string };
const leaseKey = (e: LeaseKey) => `${e.mac},${e.ip}`;

/** Leases removed from the files but not yet released in the running dnsmasq (kept across failures). */
function readToRelease(file: string): LeaseKey[] {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? parsed.flatMap((e: unknown) => (isLeaseKey(e) ? [{ mac: e.mac, ip: e.ip }] : [])) : [];
  } catch {
    return [];
  }
}

function isLeaseKey(e: unknown): e is LeaseKey {
  return typeof e === 'object' && e !== null && 'mac' in e && 'ip' in e && typeof e.mac === 'string' && typeof e.ip === 'string';
}

/** Makes `netns` run dnsmasq with `config`; says what it had to do. */
export async function syncDnsmasq(ctx: BuiltinContext, netns: string, config: DnsmasqConfig): Promise<{ action: DnsmasqAction; pid: number }> {
  const dir = dnsmasqDir(ctx.stateDir, netns);
  ensureDir(ctx.stateDir, dir, 0o755);
  assertReachableByNobody(path.join(dir, 'dhcp-hosts'));
  // What leaves the static leases must be released from dnsmasq's memory (it keeps an
  // infinite lease and would refuse that address to the next VM). Recorded before the files
  // change, so a release that fails is tried again by the next sync.
  const kept = new Set((config.dhcp?.hosts ?? []).map(leaseKey));
  const toReleaseFile = path.join(dir, 'to-release.json');
  const toRelease = new Map([...readToRelease(toReleaseFile), ...hostEntries(path.join(dir, 'dhcp-hosts'))].filter((e) => !kept.has(leaseKey(e))).map((e) => [leaseKey(e), e]));
  writeIfChanged(toReleaseFile, `${JSON.stringify([...toRelease.values()])}\n`, 0o644);
  let changed = false;
  for (const [name, content] of Object.entries(dnsmasqFiles(config))) changed = writeIfChanged(path.join(dir, name), content, 0o644) || changed;
  const argv = ['ip', 'netns', 'exec', netns, ...dnsmasqArgv(config, dir)];
  const argvFile = path.join(dir, 'argv.json');
  let previous: unknown = null;
  try {
    previous = JSON.parse(fs.readFileSync(argvFile, 'utf8'));
  } catch {
    // never started
  }
  const running = runningPid(ctx.stateDir, netns);
  if (running !== null && JSON.stringify(previous) === JSON.stringify(argv)) {
    if (!changed && toRelease.size === 0) return { action: 'unchanged', pid: running };
    if (changed) process.kill(running, 'SIGHUP');
    for (const [key, e] of toRelease) {
      const r = await ctx.run(['ip', 'netns', 'exec', netns, 'dhcp_release', config.interface, e.ip, e.mac]);
      if (r.code !== 0) throw new Error(`could not release the lease of ${e.mac} (${e.ip}) in ${netns}: ${(r.stderr || r.stdout).trim() || `exit code ${String(r.code)}`}`);
      toRelease.delete(key);
      writeIfChanged(toReleaseFile, `${JSON.stringify([...toRelease.values()])}\n`, 0o644);
    }
    return { action: 'reloaded', pid: running };
  }
  // A new dnsmasq starts with no leases in memory: nothing to release.
  writeIfChanged(toReleaseFile, '[]\n', 0o644);
  if (running !== null) await kill(ctx.stateDir, netns, running);
  fs.rmSync(path.join(dir, 'pid'), { force: true });
  writeIfChanged(argvFile, `${JSON.stringify(argv)}\n`, 0o644);
  const result = await ctx.run(argv);
  if (result.code !== 0) throw new Error(`dnsmasq did not start in ${netns}: ${(result.stderr || result.stdout).trim() || `exit code ${String(result.code)}`}`);
  const deadline = Date.now() + START_WAIT_MS;
  for (;;) {
    const pid = runningPid(ctx.stateDir, netns);
    if (pid !== null) return { action: running !== null ? 'restarted' : 'started', pid };
    if (Date.now() > deadline) throw new Error(`dnsmasq started in ${netns} but is not running (see ${path.join(dir, 'log')})`);
    await sleep(20);
  }
}

/** The (mac, ip) of each static lease in a dhcp-hosts file (none when absent). */
function hostEntries(file: string): LeaseKey[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    const [mac, ip] = line.split(',');
    return mac && ip ? [{ mac, ip }] : [];
  });
}

/** Stops the instance of `netns` (if running) and removes its files. */
export async function stopDnsmasq(ctx: BuiltinContext, netns: string): Promise<{ stopped: boolean }> {
  const pid = runningPid(ctx.stateDir, netns);
  if (pid !== null) await kill(ctx.stateDir, netns, pid);
  fs.rmSync(dnsmasqDir(ctx.stateDir, netns), { recursive: true, force: true });
  return { stopped: pid !== null };
}

/** Every instance the state directory knows, running or not. */
export function listDnsmasq(stateDir: string): DnsmasqInstance[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.join(servicesDir(stateDir), 'dnsmasq'));
  } catch {
    return [];
  }
  return names
    .filter((n) => VM_NETNS_PATTERN.test(n))
    .sort()
    .map((netns) => ({ netns, pid: runningPid(stateDir, netns) }));
}
