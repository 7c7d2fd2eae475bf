/**
 * The lab's agents: one `netforge agent` per host namespace, started with nsenter (not `ip
 * netns exec`, whose private mount namespace would hide the VM namespaces the agent adds),
 * waited for until it presents the certificate the host was registered with, and stopped.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { certificateFingerprint } from '../../lib/x509';
import { NETNS_JOURNAL_FILE } from '../agent/journal';
import { VM_NETNS_PATTERN } from '../linux/names';
import { LabError } from './errors';
import type { LabHost } from './layout';

const AGENT_READY_TIMEOUT_MS = 20_000;
const AGENT_STOP_TIMEOUT_MS = 5_000;

export function findProgram(name: string): string {
  for (const dir of ['/usr/bin', '/usr/sbin', '/bin', '/sbin', ...(process.env.PATH ?? '').split(path.delimiter)]) {
    const p = path.join(dir, name);
    if (path.isAbsolute(p) && fs.existsSync(p)) return p;
  }
  throw new LabError(`'${name}' is not installed (util-linux); the lab needs it to start agents inside host namespaces`);
}

/** argv running this checkout's CLI: node <repo>/bin/netforge.js. */
export function defaultCliCommand(): string[] {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'netforge') {
      return [process.execPath, path.join(dir, 'bin', 'netforge.js')];
    }
    const up = path.dirname(dir);
    if (up === dir) throw new LabError('cannot find the netforge package (bin/netforge.js) above ' + __dirname);
    dir = up;
  }
}

/** The journal of VM namespaces the host's agent added. */
export function agentJournal(host: LabHost): string {
  return path.join(host.agentStateDir, NETNS_JOURNAL_FILE);
}

/** Running (a zombie waiting to be reaped counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ...": the state follows the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The process is the agent lab up started for `host` (guards against a recycled pid). */
export function isLabAgent(pid: number, host: LabHost, agentPort: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('agent') && argv.includes(`${host.managementIp}:${agentPort}`);
  } catch {
    return false;
  }
}

/** The certificate fingerprint the agent at host:port presents (a TLS handshake, nothing sent). */
function presentedFingerprint(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, timeout: 1000 });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerX509Certificate();
      socket.destroy();
      resolve(cert ? certificateFingerprint(cert.raw) : 'none');
    });
    socket.once('timeout', () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
  });
}

/**
 * Waits until the agent at ip:port presents the certificate `expected` (null), or says why it
 * did not by `deadline` or once `alive` says its process is gone.
 */
export async function waitForFingerprint(ip: string, port: number, expected: string, deadline: number, alive: () => boolean): Promise<string | null> {
  let last = '';
  while (Date.now() < deadline) {
    if (!alive()) return last ? `${last}; process exited` : 'process exited';
    try {
      const presented = await presentedFingerprint(ip, port);
      if (presented === expected) return null;
      last = `presented certificate ${presented}, expected ${expected}`;
    } catch (err) {
      last = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    }
    await sleep(100);
  }
  return last || 'timed out';
}

export async function waitForAgent(host: LabHost, agentPort: number): Promise<void> {
  const last = await waitForFingerprint(host.managementIp, agentPort, host.agentFingerprint, Date.now() + AGENT_READY_TIMEOUT_MS, () => host.agentPid === null || processAlive(host.agentPid));
  if (last === null) return;
  let tail = '';
  try {
    tail = fs.readFileSync(host.agentLog, 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    // no log
  }
  throw new LabError(
    `the agent of ${host.netns} did not come up at ${host.agentUrl} (${last})${tail ? `; its log ends:\n${tail}` : ''}`,
  );
}

/** Starts each host's agent in its namespace, detached (pid and log recorded on the host). */
export function startAgents(hosts: readonly LabHost[], options: { agentPort: number; serverFingerprint: string; cli: string[]; onStarted?: (host: LabHost) => void }): void {
  const nsenter = findProgram('nsenter');
  for (const h of hosts) {
    const out = fs.openSync(h.agentLog, 'a', 0o600);
    const agentArgs = ['--listen', `${h.managementIp}:${options.agentPort}`, '--state-dir', h.agentStateDir, '--server-fingerprint', options.serverFingerprint, '--netns', h.netns];
    const argv = [`--net=/run/netns/${h.netns}`, '--', ...options.cli, 'agent', ...agentArgs];
    const env = { ...process.env };
    delete env.NETFORGE_SERVER_FINGERPRINT;
    const child = spawn(nsenter, argv, { detached: true, stdio: ['ignore', out, out], env });
    fs.closeSync(out);
    child.unref();
    h.agentPid = child.pid ?? null;
    options.onStarted?.(h);
  }
}

export function journalNamespaces(host: LabHost): string[] {
  try {
    const names = (JSON.parse(fs.readFileSync(agentJournal(host), 'utf8')) as { netns?: unknown }).netns;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string' && VM_NETNS_PATTERN.test(n)) : [];
  } catch {
    return [];
  }
}

/** SIGTERM, then SIGKILL if it has not exited after a few seconds. */
export async function stopProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + AGENT_STOP_TIMEOUT_MS;
  while (Date.now() < deadline && processAlive(pid)) await sleep(50);
  if (processAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
