/**
 * Helpers for the end-to-end suites that need root and real network namespaces: a
 * preflight that fails loudly when the machine can't run them, a bundled agent CLI for
 * the lab to start (no dependency on a fresh `npm run build`), and `ip`/`ping` wrappers.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs argv (no shell); never throws for a non-zero exit. */
export async function sh(argv: string[], timeoutMs = 20_000): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileP(argv[0], argv.slice(1), { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** Throws (the suite FAILS, it is not skipped) unless root, `ip netns` and the programs the lab and its services use are here. */
export async function assertNetnsPrerequisites(): Promise<void> {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push(`these tests need root (uid is ${String(process.getuid?.())})`);
  const ns = await sh(['ip', 'netns', 'list']);
  if (ns.code !== 0) problems.push(`\`ip netns list\` failed: ${ns.stderr.trim()}`);
  const packages: Record<string, string> = {
    nsenter: 'util-linux',
    ping: 'iputils-ping',
    dnsmasq: 'dnsmasq-base',
    dhcp_release: 'dnsmasq-utils',
    nft: 'nftables',
    udhcpc: 'udhcpc',
    busybox: 'busybox-static',
    ps: 'procps',
  };
  for (const [tool, pkg] of Object.entries(packages)) {
    const found = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'].some((d) => fs.existsSync(path.join(d, tool)));
    if (!found) problems.push(`'${tool}' is not installed (${pkg}; scripts/setup-test-host.sh installs it)`);
  }
  if (problems.length > 0) throw new Error(`network-namespace end-to-end tests cannot run here: ${problems.join('; ')}`);
}

/** Held by the suite whose lab is up: there is one lab per machine (fixed names and subnet). */
export const LAB_LOCK_FILE = path.join(os.tmpdir(), 'netforge-e2e-lab.lock');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits until no other suite holds the lab (jest runs test files in parallel workers), then
 * holds it; returns the release function, for afterAll. A lock left by a process that is
 * gone, or by this process (an earlier suite in the same worker), is taken over.
 */
export async function acquireLabLock(timeoutMs = 200_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  const mine = String(process.pid);
  for (;;) {
    try {
      fs.writeFileSync(LAB_LOCK_FILE, mine, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(LAB_LOCK_FILE, 'utf8') === mine) fs.rmSync(LAB_LOCK_FILE, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = '';
    try {
      holder = fs.readFileSync(LAB_LOCK_FILE, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    if (holder === mine || !/^\d+$/.test(holder) || !pidAlive(Number(holder))) {
      try {
        if (fs.readFileSync(LAB_LOCK_FILE, 'utf8') === holder) fs.rmSync(LAB_LOCK_FILE, { force: true });
      } catch {
        // released meanwhile
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another lab suite (pid ${holder}) still holds ${LAB_LOCK_FILE} after ${timeoutMs} ms`);
    await sleep(250);
  }
}

/**
 * Bundles a netforge CLI with the agent and server commands (esbuild, dependencies left
 * external) into node_modules/.cache so tests start agents and servers from the sources
 * under test. Returns the argv prefix to run it with.
 */
export async function bundleAgentCli(): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outfile = path.join(REPO_ROOT, 'node_modules', '.cache', 'netforge-e2e', `agent-cli-${process.pid}.js`);
  await esbuild.build({
    stdin: {
      contents: [
        "import { Command } from 'commander';",
        "import { agentCommand } from './cli/agent-command';",
        "import { serverCommand } from './cli/server-command';",
        "const program = new Command('netforge');",
        'program.addCommand(agentCommand());',
        'program.addCommand(serverCommand());',
        "program.parseAsync(process.argv).catch((err) => { console.error('netforge: ' + (err && err.message ? err.message : String(err))); process.exit(1); });",
      ].join('\n'),
      resolveDir: REPO_ROOT,
      loader: 'ts',
      sourcefile: 'e2e-agent-cli.ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  return [process.execPath, outfile];
}

export async function ipJson<T = any>(args: string[], netns?: string): Promise<T[]> {
  const argv = ['ip', ...(netns ? ['-n', netns] : []), '-json', ...args];
  const r = await sh(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim() ? (JSON.parse(r.stdout) as T[]) : [];
}

export interface LinkSummary {
  ifname: string;
  kind: string | null;
  master: string | null;
}

/** `ip -json -d link show` in a namespace, reduced to name, kind and master. */
export async function linksIn(netns: string): Promise<LinkSummary[]> {
  const links = await ipJson<{ ifname: string; master?: string; linkinfo?: { info_kind?: string } }>(['-d', 'link', 'show'], netns);
  return links.map((l) => ({ ifname: l.ifname, kind: l.linkinfo?.info_kind ?? null, master: l.master ?? null }));
}

export async function namespaces(): Promise<string[]> {
  return (await ipJson<{ name: string }>(['netns', 'list'])).map((n) => n.name);
}

/** One ping from inside `netns` (1 s timeout); true when answered. */
export async function ping(netns: string, ip: string): Promise<boolean> {
  const r = await sh(['ip', 'netns', 'exec', netns, 'ping', '-c1', '-W1', '-n', '-q', ip], 10_000);
  return r.code === 0;
}

/** Pings up to `attempts` times (VXLAN learning and ARP can drop the very first packet). */
export async function pingEventually(netns: string, ip: string, attempts = 3): Promise<boolean> {
  for (let i = 0; i < attempts; i++) if (await ping(netns, ip)) return true;
  return false;
}

/** An nftables match (JSON), for packetCounters. */
export type NftMatch = Record<string, unknown>;

/**
 * Counts packets arriving in `netns` (its input hook), one counter per list of matches, in a
 * table `ip nftest_<name>` the test owns (made again from zero). Returns a reader of the
 * counts, in the order given. What a test observes of traffic: what really arrived.
 */
export async function packetCounters(netns: string, name: string, counters: ReadonlyArray<readonly NftMatch[]>): Promise<() => Promise<number[]>> {
  const table = { family: 'ip', name: `nftest_${name}` };
  const batch = {
    nftables: [
      { add: { table } },
      { delete: { table } },
      { add: { table } },
      { add: { chain: { ...table, table: table.name, name: 'seen', type: 'filter', hook: 'input', prio: -10, policy: 'accept' } } },
      ...counters.map((expr) => ({ add: { rule: { family: 'ip', table: table.name, chain: 'seen', expr: [...expr, { counter: null }] } } })),
    ],
  };
  const made = await sh(['ip', 'netns', 'exec', netns, 'nft', '-j', JSON.stringify(batch)]);
  if (made.code !== 0) throw new Error(`could not count packets in ${netns}: ${made.stderr}`);
  return async () => {
    const r = await sh(['ip', 'netns', 'exec', netns, 'nft', '-j', 'list', 'table', 'ip', table.name]);
    const rules = (JSON.parse(r.stdout) as { nftables: Array<{ rule?: { expr: Array<{ counter?: { packets: number } }> } }> }).nftables.filter((i) => i.rule);
    return rules.map((rule) => rule.rule!.expr.find((e) => e.counter)!.counter!.packets);
  };
}

/** Matches for packetCounters. */
export const nftMatch = {
  icmpEchoRequest: (): NftMatch => ({ match: { op: '==', left: { payload: { protocol: 'icmp', field: 'type' } }, right: 'echo-request' } }),
  source: (ip: string, op: '==' | '!=' = '=='): NftMatch => ({ match: { op, left: { payload: { protocol: 'ip', field: 'saddr' } }, right: ip } }),
  tcpDestinationPort: (port: number): NftMatch => ({ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: port } }),
};

/** Live dnsmasq processes on the machine (zombies of daemonized parents aside), with their command lines. */
export async function dnsmasqProcesses(): Promise<Array<{ pid: number; args: string }>> {
  const r = await sh(['ps', '-C', 'dnsmasq', '-o', 'pid=,stat=,args=']);
  return r.stdout
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .flatMap((m) => (m && !m[2].startsWith('Z') ? [{ pid: Number(m[1]), args: m[3] }] : []));
}
