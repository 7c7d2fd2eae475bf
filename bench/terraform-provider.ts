/**
 * The real terraform CLI with the netforge provider against a real in-process server, next to
 * the same dependency graph made of Terraform's builtin `terraform_data` (no provider process,
 * no server: the floor). For each size N it prints the wall time of
 *   plan (create) | apply (create) | plan (no changes) | destroy
 * for both, their ratio, where the netforge time goes (provider process starts, requests and
 * busy time of the server, CPU), and the provider's own start-up to its go-plugin handshake.
 * It prints figures and asserts no timings; it exits non-zero only when a command fails.
 *   npm run bench:provider [-- --sizes 200,1000 --repeat 3 --repeat-large 1 --parallelism 10 --starts 10 --rpc-trace 200]
 * --repeat applies to sizes up to 200, --repeat-large to larger ones. --rpc-trace N adds an
 * untimed round at size N with TF_LOG=trace to count the provider RPCs (default: the smallest
 * size; 0 skips it).
 */
import { OBJECTS } from '../contract';
import { execFile, spawn } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installNetforgeProvider } from '../cli/provider-command';
import { createServerCertificate } from '../provider/plugin/auto-mtls';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../provider/plugin/handshake';
import { must, startBenchServer, type BenchServer } from './bench-server';

type Kind = 'terraform_data' | 'netforge';
const KINDS: readonly Kind[] = ['terraform_data', 'netforge'];
type Step = 'plan (create)' | 'apply (create)' | 'plan (no changes)' | 'destroy';
const STEPS: readonly Step[] = ['plan (create)', 'apply (create)', 'plan (no changes)', 'destroy'];

/** One timed terraform command. */
interface Sample {
  wallS: number;
  /** CPU of terraform and every provider process it started and waited for. */
  childCpuS: number;
  /** CPU of this process: the in-process server (and this harness, mostly idle). */
  selfCpuS: number;
  providerStarts: number;
  requests: number;
  /** Time at least one request was in flight on the server. */
  serverBusyS: number;
  routes: Routes;
}

// ---------------------------------------------------------------- configuration text

/** /24 number i -> "10.a.b" (i < 65536). */
const net24 = (i: number) => `10.${(i >> 8) & 255}.${i & 255}`;

/**
 * The workload: one zone; then units of four under it (cluster; VXLAN L2 with its own VNI;
 * an L3 /24 of its own on that L2; an IP range in that L3), padded with extra zones up to N.
 * The terraform_data twin has the same resources and the same edges (input refers to the
 * parent's id), so Terraform walks the same graph for both.
 */
interface Workload {
  units: number;
  extraZones: number;
}

function workload(n: number): Workload {
  if (n < 1) throw new Error(`size must be at least 1, got ${n}`);
  const units = Math.floor((n - 1) / 4);
  if (units > 65535) throw new Error(`size ${n} is too large for distinct /24s under 10.0.0.0/8`);
  return { units, extraZones: n - 1 - 4 * units };
}

function netforgeConfig(n: number, endpoint: string): string {
  const { units, extraZones } = workload(n);
  const out = [
    'terraform {',
    '  required_providers {',
    '    netforge = { source = "netforge/netforge", version = "0.1.0" }',
    '  }',
    '}',
    `provider "netforge" { endpoint = "${endpoint}" }`,
    'resource "netforge_zone" "z" { name = "bench" }',
  ];
  for (let i = 0; i < units; i++) {
    const p = net24(i);
    out.push(
      `resource "netforge_cluster" "c${i}" {`,
      `  name            = "c${i}"`,
      '  zone_uuid       = netforge_zone.z.uuid',
      '  hypervisor_type = "Simulator"',
      '}',
      `resource "netforge_l2_vxlan_network" "l2_${i}" {`,
      `  name               = "vx${i}"`,
      '  zone_uuid          = netforge_zone.z.uuid',
      '  physical_interface = "eth0"',
      `  vni                = ${10000 + i}`,
      '}',
      `resource "netforge_l3_network" "l3_${i}" {`,
      `  name            = "net${i}"`,
      `  l2_network_uuid = netforge_l2_vxlan_network.l2_${i}.uuid`,
      `  cidr            = "${p}.0/24"`,
      '}',
      `resource "netforge_ip_range" "r${i}" {`,
      `  name            = "r${i}"`,
      `  l3_network_uuid = netforge_l3_network.l3_${i}.uuid`,
      `  start_ip        = "${p}.10"`,
      `  end_ip          = "${p}.200"`,
      '}',
    );
  }
  for (let j = 0; j < extraZones; j++) out.push(`resource "netforge_zone" "x${j}" { name = "extra${j}" }`);
  return out.join('\n') + '\n';
}

function terraformDataConfig(n: number): string {
  const { units, extraZones } = workload(n);
  const out = ['resource "terraform_data" "z" { input = { name = "bench" } }'];
  for (let i = 0; i < units; i++) {
    const p = net24(i);
    out.push(
      `resource "terraform_data" "c${i}" {`,
      `  input = { name = "c${i}", zone = terraform_data.z.id, hypervisor_type = "Simulator" }`,
      '}',
      `resource "terraform_data" "l2_${i}" {`,
      `  input = { name = "vx${i}", zone = terraform_data.z.id, physical_interface = "eth0", vni = ${10000 + i} }`,
      '}',
      `resource "terraform_data" "l3_${i}" {`,
      `  input = { name = "net${i}", l2 = terraform_data.l2_${i}.id, cidr = "${p}.0/24" }`,
      '}',
      `resource "terraform_data" "r${i}" {`,
      `  input = { name = "r${i}", l3 = terraform_data.l3_${i}.id, start_ip = "${p}.10", end_ip = "${p}.200" }`,
      '}',
    );
  }
  for (let j = 0; j < extraZones; j++) out.push(`resource "terraform_data" "x${j}" { input = { name = "extra${j}" } }`);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- measurement helpers

function terraformBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/local/bin')) {
    const candidate = path.join(dir, 'terraform');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('the terraform CLI was not found on PATH or in /usr/local/bin');
}

/** CPU seconds of waited-for children (cutime + cstime in /proc/self/stat); NaN off Linux. */
function childrenCpuS(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

const selfCpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

type Routes = Map<string, { count: number; ms: number }>;

/** `POST /v1/l3-networks`, `GET /v1/zones/:uuid`: method and path, ids and query dropped. */
function routeOf(request: IncomingMessage): string {
  const p = (request.url ?? '').split('?')[0].replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '/:uuid');
  return `${request.method ?? '?'} ${p}`;
}

/** Requests the in-process server handles (per route, with their latency), and the time at least one is in flight. */
class ServerActivity {
  requests = 0;
  routes: Routes = new Map();
  private inFlight = 0;
  private busySince = 0;
  private busyMs = 0;
  private readonly onStart = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const t = performance.now();
    const route = routeOf(request); // now: express rewrites request.url while routing
    const routes = this.routes;
    this.requests++;
    if (this.inFlight++ === 0) this.busySince = t;
    response.once('close', () => {
      const now = performance.now();
      if (--this.inFlight === 0) this.busyMs += now - this.busySince;
      const r = routes.get(route) ?? { count: 0, ms: 0 };
      r.count++;
      r.ms += now - t;
      routes.set(route, r);
    });
  };
  constructor() {
    diagnosticsChannel.subscribe('http.server.request.start', this.onStart);
  }
  reset(): void {
    this.requests = 0;
    this.routes = new Map();
    this.busyMs = 0;
    if (this.inFlight > 0) this.busySince = performance.now();
  }
  busyS(): number {
    return (this.busyMs + (this.inFlight > 0 ? performance.now() - this.busySince : 0)) / 1000;
  }
  close(): void {
    diagnosticsChannel.unsubscribe('http.server.request.start', this.onStart);
  }
}

/**
 * Counts provider process starts: each one makes a `tfplugin-*` socket directory in its TMPDIR
 * (provider/plugin/serve.ts), and Terraform passes its environment to providers.
 */
class ProviderStarts {
  private readonly seen = new Set<string>();
  private readonly watcher: fs.FSWatcher;
  constructor(readonly dir: string) {
    this.watcher = fs.watch(dir, (_event, name) => {
      if (name && String(name).startsWith('tfplugin-')) this.seen.add(String(name));
    });
  }
  reset(): void {
    this.seen.clear();
  }
  async count(): Promise<number> {
    await new Promise((r) => setTimeout(r, 50)); // let the last inotify events arrive
    return this.seen.size;
  }
  close(): void {
    this.watcher.close();
  }
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------- workspaces

interface Workspace {
  kind: Kind;
  dir: string;
  run(step: Step, n: number, extraEnv?: NodeJS.ProcessEnv): Promise<Sample>;
}

interface Harness {
  terraform: string;
  env: NodeJS.ProcessEnv;
  parallelism: number;
  activity: ServerActivity;
  starts: ProviderStarts;
  bench: BenchServer;
}

function execTerraform(
  h: Harness,
  cwd: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(h.terraform, args, { cwd, env: { ...h.env, ...extraEnv }, maxBuffer: 512 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function argsFor(step: Step, parallelism: number): { args: string[]; expectCode: number; expect: (n: number) => RegExp } {
  const common = ['-input=false', '-no-color', `-parallelism=${parallelism}`];
  switch (step) {
    case 'plan (create)':
      return { args: ['plan', '-detailed-exitcode', ...common], expectCode: 2, expect: (n) => new RegExp(`Plan: ${n} to add, 0 to change, 0 to destroy`) };
    case 'apply (create)':
      return { args: ['apply', '-auto-approve', ...common], expectCode: 0, expect: (n) => new RegExp(`Apply complete! Resources: ${n} added, 0 changed, 0 destroyed`) };
    case 'plan (no changes)':
      return { args: ['plan', '-detailed-exitcode', ...common], expectCode: 0, expect: () => /No changes\./ };
    case 'destroy':
      return { args: ['destroy', '-auto-approve', ...common], expectCode: 0, expect: (n) => new RegExp(`Destroy complete! Resources: ${n} destroyed`) };
  }
}

function workspace(h: Harness, root: string, kind: Kind): Workspace & { write(n: number): void; init(): Promise<number> } {
  const dir = path.join(root, kind);
  fs.mkdirSync(dir);
  const ws = {
    kind,
    dir,
    write(n: number) {
      fs.writeFileSync(path.join(dir, 'main.tf'), kind === 'netforge' ? netforgeConfig(n, h.bench.server.url) : terraformDataConfig(n));
    },
    async init(): Promise<number> {
      const t = performance.now();
      const r = await execTerraform(h, dir, ['init', '-input=false', '-no-color']);
      if (r.code !== 0) throw new Error(`terraform init (${kind}) failed with exit code ${r.code}:\n${r.stderr || r.stdout}`);
      return (performance.now() - t) / 1000;
    },
    async run(step: Step, n: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<Sample> {
      const { args, expectCode, expect } = argsFor(step, h.parallelism);
      h.activity.reset();
      h.starts.reset();
      const cpu0 = childrenCpuS();
      const self0 = selfCpuS();
      const t = performance.now();
      const r = await execTerraform(h, dir, args, extraEnv);
      const wallS = (performance.now() - t) / 1000;
      const sample: Sample = {
        wallS,
        childCpuS: childrenCpuS() - cpu0,
        selfCpuS: selfCpuS() - self0,
        requests: h.activity.requests,
        serverBusyS: h.activity.busyS(),
        routes: h.activity.routes,
        providerStarts: await h.starts.count(),
      };
      if (r.code !== expectCode || !expect(n).test(r.stdout)) {
        const tail = (s: string) => s.split('\n').slice(-40).join('\n');
        throw new Error(
          `terraform ${args.join(' ')} (${kind}, N=${n}) failed: exit code ${r.code}, expected ${expectCode} and ${String(expect(n))}\n` +
            `--- stderr\n${tail(r.stderr)}\n--- stdout (tail)\n${tail(r.stdout)}`,
        );
      }
      return sample;
    },
  };
  return ws;
}

/** Objects of the workload's types on the server (a sanity check between commands). */
async function serverObjects(bench: BenchServer): Promise<number> {
  let total = 0;
  for (const type of ['zone', 'cluster', 'l2Network', 'l3Network', 'ipRange'] as const) {
    const p = `/v1/${OBJECTS[type].path}`;
    total += must(await bench.call<unknown[]>('GET', p), `GET ${p}`).length;
  }
  return total;
}

// ---------------------------------------------------------------- provider start-up

/** Spawn to first stdout line; the line must look like a go-plugin handshake unless `handshake` is false. */
function timeToFirstLine(command: string, args: string[], env: NodeJS.ProcessEnv, handshake: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let elapsed: number | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} printed no handshake within 60 s; stderr: ${err}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (elapsed === undefined && out.includes('\n')) {
        elapsed = (performance.now() - t) / 1000;
        const line = out.slice(0, out.indexOf('\n'));
        if (handshake && !/^1\|6\|(unix|tcp)\|[^|]+\|grpc\|/.test(line)) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          reject(new Error(`unexpected handshake line from ${command}: ${line}`));
          return;
        }
        // SIGTERM: the provider removes its socket directory and exits 0.
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (elapsed === undefined) reject(new Error(`${command} exited (${code ?? signal}) before its first line; stderr: ${err}`));
      else resolve(elapsed);
    });
  });
}

async function providerStartup(executable: string, tmpDir: string, starts: number): Promise<{ provider: number[]; node: number[] }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: tmpDir,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: '6',
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    // Stands in for Terraform's client certificate (the same kind: self-signed, clientAuth).
    PLUGIN_CLIENT_CERT: createServerCertificate().certPem,
  };
  const provider: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < starts; i++) {
    provider.push(await timeToFirstLine(executable, [], env, true));
    // The floor: a bare node printing one line.
    node.push(await timeToFirstLine(process.execPath, ['-e', 'console.log(1)'], env, false));
  }
  return { provider, node };
}

// ---------------------------------------------------------------- output

const pad = (s: string, w: number) => s.padStart(w);
const padEnd = (s: string, w: number) => s.padEnd(w);
const secs = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} s` : 'n/a');
const range = (xs: number[]) => (xs.length > 1 ? `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}` : '');

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '200,1000' },
      repeat: { type: 'string', default: '3' },
      'repeat-large': { type: 'string', default: '1' },
      parallelism: { type: 'string', default: '10' },
      starts: { type: 'string', default: '10' },
      /** Size of the untimed TF_LOG=trace round that counts RPCs; default the smallest size, 0 skips it. */
      'rpc-trace': { type: 'string', default: '' },
    },
  });
  const sizes = values.sizes!.split(',').map((s) => Number(s.trim()));
  const repeat = Number(values.repeat);
  const repeatLarge = Number(values['repeat-large']);
  const parallelism = Number(values.parallelism);
  const startCount = Number(values.starts);
  for (const [name, v] of Object.entries({ repeat, 'repeat-large': repeatLarge, parallelism, starts: startCount })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  }
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes must be positive integers, got ${values.sizes}`);
  const repeatsFor = (n: number) => (n <= 200 ? repeat : repeatLarge);

  const terraform = terraformBinary();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-bench-tf-'));
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(tmpDir);
  let bench: BenchServer | undefined;
  let activity: ServerActivity | undefined;
  let starts: ProviderStarts | undefined;
  try {
    let t = performance.now();
    const installed = await installNetforgeProvider({ mirrorDir: path.join(root, 'mirror'), cliConfigFile: path.join(root, 'terraformrc') });
    const installS = (performance.now() - t) / 1000;
    bench = await startBenchServer();
    activity = new ServerActivity();
    starts = new ProviderStarts(tmpDir);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: installed.cliConfigFile,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      NETFORGE_TOKEN: bench.server.token,
      // Providers inherit it: their tfplugin-* socket dirs land here (counted, then removed).
      TMPDIR: tmpDir,
    };
    for (const k of ['TF_LOG', 'TF_LOG_PATH', 'TF_LOG_PROVIDER', 'TF_PLUGIN_CACHE_DIR', 'TF_DATA_DIR']) delete env[k];
    const h: Harness = { terraform, env, parallelism, activity, starts, bench };
    const version = (await execTerraform(h, root, ['version'])).stdout.split('\n')[0];

    console.log('terraform: the netforge provider vs the builtin terraform_data (no provider process, no server)');
    console.log(
      `${version}, node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start` +
        ' (the machine is shared: figures are noisy, compare within this run only)',
    );
    console.log(
      `workload of N resources: 1 netforge_zone, then units of 4 under it (netforge_cluster; netforge_l2_vxlan_network with its own VNI;\n` +
        `  netforge_l3_network with its own /24 on that L2; netforge_ip_range in that L3), padded with extra zones up to N.\n` +
        `  Why: 5 resource types and dependency chains 4 deep like a real stack, every object cheap and conflict-free\n` +
        `  (no hosts or L2 attachments, so nothing is realized and no simulated latency), so the figures are Terraform +\n` +
        `  provider + API cost. terraform_data twin: same resources, same edges (input = { ..., parent = <parent>.id }).`,
    );
    console.log(
      `each command: terraform <cmd> -parallelism=${parallelism} -input=false -no-color; a round is plan (create), apply,\n` +
        `  plan (no changes), destroy; rounds alternate which kind goes first; wall time = spawn to exit, median of R rounds\n` +
        `  (R = --repeat ${repeat} for N <= 200, --repeat-large ${repeatLarge} above).\n` +
        `  server: SQLite in a temp dir, in this process; provider from cli/provider-command.ts installNetforgeProvider\n` +
        `  (esbuild bundle + launcher in a filesystem mirror, built in ${installS.toFixed(1)} s).`,
    );

    const wsData = workspace(h, root, 'terraform_data');
    const wsNet = workspace(h, root, 'netforge');
    const byKind: Record<Kind, ReturnType<typeof workspace>> = { terraform_data: wsData, netforge: wsNet };
    wsData.write(sizes[0]);
    wsNet.write(sizes[0]);
    const initS = { terraform_data: await wsData.init(), netforge: await wsNet.init() };
    console.log(`terraform init (once, offline): terraform_data ${secs(initS.terraform_data)}, netforge ${secs(initS.netforge)}`);

    const results = new Map<string, Sample[]>(); // `${n}|${kind}|${step}`
    const key = (n: number, kind: Kind, step: Step) => `${n}|${kind}|${step}`;
    for (const n of sizes) {
      wsData.write(n);
      wsNet.write(n);
      const rounds = repeatsFor(n);
      for (let r = 0; r < rounds; r++) {
        const order: Kind[] = r % 2 === 0 ? [...KINDS] : [...KINDS].reverse();
        for (const step of STEPS) {
          for (const kind of order) {
            const sample = await byKind[kind].run(step, n);
            const list = results.get(key(n, kind, step)) ?? [];
            list.push(sample);
            results.set(key(n, kind, step), list);
            process.stderr.write(`  N=${n} round ${r + 1}/${rounds} ${kind} ${step}: ${secs(sample.wallS)}\n`);
            if (kind === 'netforge' && (step === 'apply (create)' || step === 'destroy')) {
              const objects = await serverObjects(bench);
              const want = step === 'destroy' ? 0 : n;
              if (objects !== want) throw new Error(`after netforge ${step} at N=${n} the server holds ${objects} objects, expected ${want}`);
            }
          }
        }
      }
    }

    const med = (n: number, kind: Kind, step: Step, f: (s: Sample) => number) => median((results.get(key(n, kind, step)) ?? []).map(f));
    const wall = (s: Sample) => s.wallS;

    console.log('');
    console.log('wall time, median of R (range over rounds)');
    console.log(
      `${padEnd('N', 5)} ${padEnd('R', 2)} ${padEnd('command', 18)} | ${pad('terraform_data', 22)} | ${pad('netforge', 22)} | ${pad('ratio', 6)} | ${pad('difference', 10)}`,
    );
    for (const n of sizes) {
      for (const step of STEPS) {
        const d = med(n, 'terraform_data', step, wall);
        const p = med(n, 'netforge', step, wall);
        const dr = range((results.get(key(n, 'terraform_data', step)) ?? []).map(wall));
        const pr = range((results.get(key(n, 'netforge', step)) ?? []).map(wall));
        console.log(
          `${padEnd(String(n), 5)} ${padEnd(String(repeatsFor(n)), 2)} ${padEnd(step, 18)} | ${pad(`${secs(d)} ${dr ? `(${dr})` : ''}`, 22)} | ${pad(`${secs(p)} ${pr ? `(${pr})` : ''}`, 22)} | ${pad(`${(p / d).toFixed(1)}x`, 6)} | ${pad(`${p >= d ? '+' : ''}${(p - d).toFixed(2)} s`, 10)}`,
        );
      }
    }

    console.log('');
    console.log('where the netforge time goes (medians): provider processes Terraform started, requests the server handled,');
    console.log('time the server had >= 1 request in flight, CPU of this process (server) and of terraform + providers');
    console.log(
      `${padEnd('N', 5)} ${padEnd('command', 18)} | ${pad('provider starts', 15)} | ${pad('requests', 8)} | ${pad('server busy', 11)} | ${pad('server CPU', 10)} | ${pad('tf+provider CPU', 15)} | ${pad('tf CPU (tf_data)', 16)}`,
    );
    for (const n of sizes) {
      for (const step of STEPS) {
        const m = (f: (s: Sample) => number) => med(n, 'netforge', step, f);
        console.log(
          `${padEnd(String(n), 5)} ${padEnd(step, 18)} | ${pad(String(m((s) => s.providerStarts)), 15)} | ${pad(String(m((s) => s.requests)), 8)} | ${pad(secs(m((s) => s.serverBusyS)), 11)} | ${pad(secs(m((s) => s.selfCpuS)), 10)} | ${pad(secs(m((s) => s.childCpuS)), 15)} | ${pad(secs(med(n, 'terraform_data', step, (s) => s.childCpuS)), 16)}`,
        );
      }
    }

    if (sizes.length >= 2) {
      const [a, b] = [Math.min(...sizes), Math.max(...sizes)];
      console.log('');
      console.log(`straight line through N=${a} and N=${b} (wall = fixed + N x per-resource; two points, noisy: indicative only)`);
      console.log(`${padEnd('command', 18)} | ${pad('tf_data fixed', 13)} | ${pad('per resource', 12)} | ${pad('netforge fixed', 14)} | ${pad('per resource', 12)} | ${pad('extra per resource', 18)}`);
      for (const step of STEPS) {
        const fit = (kind: Kind) => {
          const ta = med(a, kind, step, wall);
          const tb = med(b, kind, step, wall);
          const per = (tb - ta) / (b - a);
          return { per, fixed: ta - per * a };
        };
        const d = fit('terraform_data');
        const p = fit('netforge');
        const fixed = (x: number) => `${secs(x)}${x < 0 ? '*' : ' '}`;
        console.log(
          `${padEnd(step, 18)} | ${pad(fixed(d.fixed), 13)} | ${pad(`${(d.per * 1000).toFixed(2)} ms`, 12)} | ${pad(fixed(p.fixed), 14)} | ${pad(`${(p.per * 1000).toFixed(2)} ms`, 12)} | ${pad(`${((p.per - d.per) * 1000).toFixed(2)} ms`, 18)}`,
        );
      }
      console.log('  * a negative fixed cost means the time grows faster than N (Terraform itself, see terraform_data)');
    }

    console.log('');
    console.log('netforge server requests per command by route: count x mean latency inside the server (includes waiting for');
    console.log('other requests: writes are serialized), averaged over rounds, largest total first');
    for (const n of sizes) {
      for (const step of STEPS) {
        const samples = results.get(key(n, 'netforge', step)) ?? [];
        const total: Routes = new Map();
        for (const sample of samples) {
          for (const [route, r] of sample.routes) {
            const t = total.get(route) ?? { count: 0, ms: 0 };
            t.count += r.count;
            t.ms += r.ms;
            total.set(route, t);
          }
        }
        const parts = [...total]
          .sort((x, y) => y[1].ms - x[1].ms)
          .map(([route, r]) => `${route} ${Math.round(r.count / samples.length)} x ${(r.ms / r.count).toFixed(1)} ms`);
        console.log(`  ${padEnd(String(n), 5)} ${padEnd(step, 18)} ${parts.join(', ') || '(none)'}`);
      }
    }

    const traceSize = values['rpc-trace'] ? Number(values['rpc-trace']) : Math.min(...sizes);
    if (traceSize > 0) {
      // Untimed: TF_LOG=trace slows Terraform down; only the call counts matter here.
      const logFile = path.join(root, 'terraform-trace.log');
      wsNet.write(traceSize);
      const counts: Array<[Step, Map<string, number>]> = [];
      for (const step of STEPS) {
        fs.rmSync(logFile, { force: true });
        await wsNet.run(step, traceSize, { TF_LOG: 'trace', TF_LOG_PATH: logFile });
        const byMethod = new Map<string, number>();
        for (const m of fs.readFileSync(logFile, 'utf8').matchAll(/GRPCProvider\.v6: ([A-Z][A-Za-z]+)$/gm)) {
          byMethod.set(m[1], (byMethod.get(m[1]) ?? 0) + 1);
        }
        counts.push([step, byMethod]);
      }
      console.log('');
      console.log(`tfplugin6 RPCs Terraform made to the netforge provider at N=${traceSize} (an extra untimed round with TF_LOG=trace;`);
      console.log('  Close is Terraform stopping one provider process: one per start)');
      for (const [step, byMethod] of counts) {
        const sum = [...byMethod.values()].reduce((a, b) => a + b, 0);
        const parts = [...byMethod].sort((x, y) => y[1] - x[1]).map(([m, c]) => `${m} ${c}`);
        console.log(`  ${padEnd(step, 18)} ${pad(String(sum), 5)} = ${parts.join(', ')}`);
      }
    }

    const startup = await providerStartup(installed.executable, tmpDir, startCount);
    console.log('');
    console.log(
      `provider start-up, spawn of the installed launcher (${path.basename(installed.executable)}) to the go-plugin handshake line on stdout,\n` +
        `  go-plugin environment as Terraform sets it (magic cookie, PLUGIN_PROTOCOL_VERSIONS=6, PLUGIN_MIN/MAX_PORT, PLUGIN_CLIENT_CERT):`,
    );
    console.log(`  median of ${startCount}: ${secs(median(startup.provider))} (${range(startup.provider)} s)`);
    console.log(`  floor, \`node -e 'console.log(1)'\` spawn to its line, median of ${startCount}: ${secs(median(startup.node))} (${range(startup.node)} s)`);
  } finally {
    starts?.close();
    activity?.close();
    await bench?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
