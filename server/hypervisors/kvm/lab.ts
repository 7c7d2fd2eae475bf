/**
 * A KVM lab on one machine (root): N "hosts" that are network namespaces, wired like a
 * small rack, each running a netforge agent, optionally registered with a control server.
 *
 *                root namespace
 *   nflab-sw   (bridge, 172.30.0.1/24)  management + VXLAN underlay switch
 *   nflab-data (bridge, no address)     data-plane switch
 *        |  nflab-h<i>m                       |  nflab-h<i>d          (veth, root side)
 *   nf-lab-h<i>: eth0 172.30.0.<10+i>/24      eth1 (no address)
 *
 * Interface layout (and why): eth0 carries the management address the server reaches the
 * agent on, and is the VXLAN underlay (L2VxlanNetwork physicalInterface eth0: VXLAN needs
 * an address and does not take the interface over). eth1 is the data plane for
 * L2NoVlanNetwork/L2VlanNetwork (physicalInterface eth1): a NoVlan network makes its
 * interface a bridge port, which would cut off an address on it, so that interface carries
 * none. The Simulator's default interfaces, ['eth0', 'eth1'], match this layout. Both
 * switches have IGMP snooping off, so they flood multicast like a dumb switch and VXLAN's
 * multicast learning works (see l2-plans.ts).
 *
 * Agents are started with `nsenter --net=/run/netns/nf-lab-h<i> -- node netforge.js agent
 * ...` (detached; pid and log in the state dir, and its own state dir with its key pair and
 * VM-namespace journal) rather than `ip netns exec`, which would give each agent a private
 * mount namespace in which the VM namespaces it creates with `ip netns add` are not visible
 * to anyone else. Lab up makes each agent's key pair first, so it knows the fingerprint to
 * register the host with; the agents trust the server whose fingerprint they are given.
 *
 * The switches live in the root namespace (its address on nflab-sw is how the server
 * reaches the agents). Where br_netfilter is loaded, bridged lab traffic passes the root
 * namespace's iptables FORWARD chain; lab up says so, since a DROP policy there would
 * cut the hosts off from each other.
 *
 * Everything lab up creates is written to <stateDir>/lab.json *before* it is created;
 * lab down removes exactly that (plus the VM namespaces in the agents' journals) and
 * nothing else. A failed lab up tears down what it had made.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { certificateFingerprint, FINGERPRINT_PATTERN } from '../../../lib/x509';
import { NETNS_JOURNAL_FILE } from './agent';
import { cmd, formatArgv } from './commands';
import { execArgv } from './executors';
import { loadOrCreateIdentity } from './identity';
import { VM_NETNS_PATTERN } from './names';

export const LAB_NETNS_PREFIX = 'nf-lab-';
export const LAB_LINK_PREFIX = 'nflab-';
export const LAB_MGMT_SWITCH = 'nflab-sw';
export const LAB_DATA_SWITCH = 'nflab-data';
export const LAB_SUBNET_PREFIX = '172.30.0.';
export const LAB_PREFIX_LENGTH = 24;
/** The root namespace's address on the management switch (the server reaches agents from it). */
export const LAB_GATEWAY_IP = `${LAB_SUBNET_PREFIX}1`;
export const LAB_MAX_HOSTS = 200;
export const DEFAULT_LAB_STATE_DIR = '/run/netforge-lab';
export const DEFAULT_LAB_AGENT_PORT = 7070;
/** Management (and VXLAN underlay) interface of a lab host. */
export const LAB_MGMT_INTERFACE = 'eth0';
/** Data-plane interface of a lab host (NoVlan/VLAN networks). */
export const LAB_DATA_INTERFACE = 'eth1';
const STATE_FILE = 'lab.json';
const AGENT_READY_TIMEOUT_MS = 20_000;
const AGENT_STOP_TIMEOUT_MS = 5_000;
const LINK_GONE_TIMEOUT_MS = 10_000;

export interface LabHost {
  /** 1-based. */
  index: number;
  /** Network namespace, also the host's name on the server: nf-lab-h<i>. */
  netns: string;
  managementIp: string;
  /** Root-namespace ends of eth0 and eth1. */
  mgmtVeth: string;
  dataVeth: string;
  /** 0-based index into the lab's clusters. */
  clusterIndex: number;
  agentUrl: string;
  agentPid: number | null;
  agentLog: string;
  /** The agent's own state dir: key pair and VM namespace journal. */
  agentStateDir: string;
  /** sha256:<hex> of the agent's certificate (the host is registered with it). */
  agentFingerprint: string;
}

export interface LabRegistration {
  url: string;
  zoneUuid: string | null;
  clusterUuids: string[];
  hostUuids: string[];
}

export interface LabState {
  version: 1;
  status: 'creating' | 'up';
  createdAt: string;
  stateDir: string;
  /** Whether lab up created the state dir (then lab down removes it). */
  createdStateDir: boolean;
  agentPort: number;
  /** The control server the agents trust. */
  serverFingerprint: string;
  clusters: number;
  /** Created in this order; removed in reverse. */
  switches: string[];
  namespaces: string[];
  rootLinks: string[];
  hosts: LabHost[];
  registration: LabRegistration | null;
}

export interface ServerTarget {
  url: string;
  token: string;
}

export interface LabUpOptions {
  hosts: number;
  /** Clusters the hosts are spread over, in contiguous blocks (default 1). */
  clusters?: number;
  stateDir?: string;
  agentPort?: number;
  /** Registers a zone, the clusters (KVM) and the hosts with this server; the agents trust it. */
  server?: ServerTarget;
  /** The server the agents trust when none is given to register with (its GET /v1/identity). */
  serverFingerprint?: string;
  /** argv that runs the netforge CLI (default: this node, <repo>/bin/netforge.js). */
  cliCommand?: string[];
  log?: (line: string) => void;
}

export interface LabDownOptions {
  stateDir?: string;
  /** Deregisters the lab's hosts, clusters and zone (url defaults to the one recorded). */
  server?: Partial<ServerTarget> & { token: string };
  log?: (line: string) => void;
}

export interface LabDownReport {
  found: boolean;
  removedNamespaces: string[];
  removedLinks: string[];
  stoppedAgents: number[];
  warnings: string[];
}

export class LabError extends Error {
  readonly code = 'LAB_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

async function run(...argv: string[]): Promise<string> {
  const r = await execArgv(argv);
  if (r.code !== 0) throw new LabError(`\`${formatArgv(argv)}\` failed: ${r.stderr.trim() || `exit code ${String(r.code)}`}`);
  return r.stdout;
}

async function netnsList(): Promise<string[]> {
  const out = await run('ip', '-json', 'netns', 'list');
  if (out.trim() === '') return [];
  return (JSON.parse(out) as { name: string }[]).map((n) => n.name);
}

async function rootLinks(): Promise<string[]> {
  const out = await run('ip', '-json', 'link', 'show');
  return (JSON.parse(out) as { ifname: string }[]).map((l) => l.ifname);
}

function readSysctl(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function statePath(stateDir: string): string {
  return path.join(stateDir, STATE_FILE);
}

function saveState(state: LabState): void {
  const file = statePath(state.stateDir);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

export function readLabState(stateDir = DEFAULT_LAB_STATE_DIR): LabState | null {
  try {
    return JSON.parse(fs.readFileSync(statePath(path.resolve(stateDir)), 'utf8')) as LabState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function findProgram(name: string): string {
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

/** Host i (1-based) of `hosts` goes to cluster floor((i-1) * clusters / hosts): contiguous blocks. */
export function clusterIndexOf(i: number, hosts: number, clusters: number): number {
  return Math.floor(((i - 1) * clusters) / hosts);
}

export function labHostPlan(i: number, hosts: number, clusters: number, agentPort: number, stateDir: string): LabHost {
  const ip = `${LAB_SUBNET_PREFIX}${10 + i}`;
  return {
    index: i,
    netns: `${LAB_NETNS_PREFIX}h${i}`,
    managementIp: ip,
    mgmtVeth: `${LAB_LINK_PREFIX}h${i}m`,
    dataVeth: `${LAB_LINK_PREFIX}h${i}d`,
    clusterIndex: clusterIndexOf(i, hosts, clusters),
    agentUrl: `https://${ip}:${agentPort}`,
    agentPid: null,
    agentLog: path.join(stateDir, `agent-h${i}.log`),
    agentStateDir: path.join(stateDir, `agent-h${i}`),
    agentFingerprint: '',
  };
}

/** The journal of VM namespaces the host's agent added. */
function agentJournal(host: LabHost): string {
  return path.join(host.agentStateDir, NETNS_JOURNAL_FILE);
}

async function api(server: ServerTarget, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url.replace(/\/+$/, '')}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed };
}

/** The fingerprint the server presents to agents. */
async function serverIdentity(server: ServerTarget): Promise<string> {
  const res = await api(server, 'GET', '/v1/identity');
  const fingerprint = (res.body as { agentClient?: { fingerprint?: string } } | null)?.agentClient?.fingerprint;
  if (res.status !== 200 || !fingerprint) throw new LabError(`could not read the identity of ${server.url}: GET /v1/identity answered ${res.status}`);
  return fingerprint;
}

async function mustCreate(server: ServerTarget, collection: string, body: unknown): Promise<string> {
  const res = await api(server, 'POST', `/v1/${collection}`, body);
  if (res.status !== 201 && res.status !== 200) {
    throw new LabError(`registering with ${server.url} failed: POST /v1/${collection} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return (res.body as { uuid: string }).uuid;
}

/** Running (a zombie waiting to be reaped counts as gone). */
function processAlive(pid: number): boolean {
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
function isLabAgent(pid: number, host: LabHost, agentPort: number): boolean {
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

async function waitForAgent(host: LabHost, agentPort: number): Promise<void> {
  const deadline = Date.now() + AGENT_READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (host.agentPid !== null && !processAlive(host.agentPid)) break;
    try {
      const presented = await presentedFingerprint(host.managementIp, agentPort);
      if (presented === host.agentFingerprint) return;
      last = `presented certificate ${presented}, expected ${host.agentFingerprint}`;
    } catch (err) {
      last = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    }
    await sleep(100);
  }
  let tail = '';
  try {
    tail = fs.readFileSync(host.agentLog, 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    // no log
  }
  throw new LabError(
    `the agent of ${host.netns} did not come up at ${host.agentUrl} (${last || 'process exited'})${tail ? `; its log ends:\n${tail}` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------
// lab up
// ---------------------------------------------------------------------------------------

/** Refuses to start unless root, `ip netns` works, and nothing of a lab exists already. */
export async function assertLabPrerequisites(stateDir: string): Promise<void> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new LabError('the lab needs root (network namespaces, veths, bridges)');
  const probeNs = await execArgv(['ip', '-json', 'netns', 'list']);
  if (probeNs.code !== 0) throw new LabError(`\`ip netns\` is not usable here: ${probeNs.stderr.trim()}`);
  findProgram('nsenter');
  if (fs.existsSync(statePath(stateDir)))
    throw new LabError(`a lab is already up (state in ${statePath(stateDir)}); run \`netforge lab down\` first`);
  const foreignNs = (await netnsList()).filter((n) => n.startsWith(LAB_NETNS_PREFIX));
  const foreignLinks = (await rootLinks()).filter((n) => n.startsWith(LAB_LINK_PREFIX));
  if (foreignNs.length > 0 || foreignLinks.length > 0) {
    throw new LabError(`lab objects exist without a lab state in ${stateDir}: ${[...foreignNs, ...foreignLinks].join(', ')}; remove them first`);
  }
  const addrs = JSON.parse(await run('ip', '-json', 'addr', 'show')) as { ifname: string; addr_info?: { local?: string }[] }[];
  for (const l of addrs) {
    const clash = (l.addr_info ?? []).find((a) => a.local?.startsWith(LAB_SUBNET_PREFIX));
    if (clash) throw new LabError(`the lab subnet ${LAB_SUBNET_PREFIX}0/${LAB_PREFIX_LENGTH} is in use here (${clash.local} on ${l.ifname})`);
  }
}

export async function labUp(options: LabUpOptions): Promise<LabState> {
  const log = options.log ?? (() => undefined);
  const hosts = options.hosts;
  const clusters = options.clusters ?? 1;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > LAB_MAX_HOSTS) throw new LabError(`--hosts must be 1-${LAB_MAX_HOSTS}, got ${hosts}`);
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > hosts) {
    throw new LabError(`--clusters must be 1-${hosts} (at most one per host), got ${clusters}`);
  }
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_LAB_STATE_DIR);
  const agentPort = options.agentPort ?? DEFAULT_LAB_AGENT_PORT;
  await assertLabPrerequisites(stateDir);
  const serverFingerprint = options.server ? await serverIdentity(options.server) : options.serverFingerprint;
  if (!serverFingerprint || !FINGERPRINT_PATTERN.test(serverFingerprint)) {
    throw new LabError('the lab agents must know which server to trust: give a server to register with, or its fingerprint (GET /v1/identity)');
  }
  if (readSysctl('/proc/sys/net/bridge/bridge-nf-call-iptables') === '1') {
    log(
      "note: br_netfilter is active, so frames crossing the lab switches pass this namespace's iptables FORWARD chain; " +
        "a DROP policy there (e.g. Docker's) would cut the lab hosts off from each other",
    );
  }
  const nsenter = findProgram('nsenter');
  const cli = options.cliCommand ?? defaultCliCommand();

  const createdStateDir = !fs.existsSync(stateDir);
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const state: LabState = {
    version: 1,
    status: 'creating',
    createdAt: new Date().toISOString(),
    stateDir,
    createdStateDir,
    agentPort,
    serverFingerprint,
    clusters,
    switches: [],
    namespaces: [],
    rootLinks: [],
    hosts: [],
    registration: null,
  };
  saveState(state);

  try {
    for (const sw of [LAB_MGMT_SWITCH, LAB_DATA_SWITCH]) {
      state.switches.push(sw);
      saveState(state);
      await run('ip', 'link', 'add', 'name', sw, 'type', 'bridge', 'mcast_snooping', '0');
    }
    await run('ip', 'addr', 'add', `${LAB_GATEWAY_IP}/${LAB_PREFIX_LENGTH}`, 'dev', LAB_MGMT_SWITCH);
    await run('ip', 'link', 'set', 'dev', LAB_MGMT_SWITCH, 'up');
    await run('ip', 'link', 'set', 'dev', LAB_DATA_SWITCH, 'up');

    for (let i = 1; i <= hosts; i++) {
      const h = labHostPlan(i, hosts, clusters, agentPort, stateDir);
      // The agent's key pair, made now so the host can be registered with its fingerprint.
      h.agentFingerprint = loadOrCreateIdentity(h.agentStateDir, 'agent', `netforge-agent ${h.managementIp}`).fingerprint;
      state.hosts.push(h);
      state.namespaces.push(h.netns);
      saveState(state);
      await run('ip', 'netns', 'add', h.netns);
      for (const [rootEnd, hostEnd, sw] of [
        [h.mgmtVeth, LAB_MGMT_INTERFACE, LAB_MGMT_SWITCH],
        [h.dataVeth, LAB_DATA_INTERFACE, LAB_DATA_SWITCH],
      ] as const) {
        state.rootLinks.push(rootEnd);
        saveState(state);
        await run('ip', 'link', 'add', 'name', rootEnd, 'type', 'veth', 'peer', 'name', hostEnd, 'netns', h.netns);
        await run('ip', 'link', 'set', 'dev', rootEnd, 'master', sw);
        await run('ip', 'link', 'set', 'dev', rootEnd, 'up');
      }
      for (const c of [
        cmd('ip', '-n', h.netns, 'link', 'set', 'dev', 'lo', 'up'),
        cmd('ip', '-n', h.netns, 'addr', 'add', `${h.managementIp}/${LAB_PREFIX_LENGTH}`, 'dev', LAB_MGMT_INTERFACE),
        cmd('ip', '-n', h.netns, 'link', 'set', 'dev', LAB_MGMT_INTERFACE, 'up'),
        cmd('ip', '-n', h.netns, 'link', 'set', 'dev', LAB_DATA_INTERFACE, 'up'),
      ]) {
        await run(...c.argv);
      }
    }

    for (const h of state.hosts) {
      const out = fs.openSync(h.agentLog, 'a', 0o600);
      const agentArgs = ['--listen', `${h.managementIp}:${agentPort}`, '--state-dir', h.agentStateDir, '--server-fingerprint', serverFingerprint, '--netns', h.netns];
      const argv = [`--net=/run/netns/${h.netns}`, '--', ...cli, 'agent', ...agentArgs];
      const env = { ...process.env };
      delete env.NETFORGE_SERVER_FINGERPRINT;
      const child = spawn(nsenter, argv, { detached: true, stdio: ['ignore', out, out], env });
      fs.closeSync(out);
      child.unref();
      h.agentPid = child.pid ?? null;
      saveState(state);
      log(`started agent of ${h.netns} (pid ${String(h.agentPid)}) on ${h.agentUrl}`);
    }
    await Promise.all(state.hosts.map((h) => waitForAgent(h, agentPort)));

    if (options.server) {
      const reg: LabRegistration = { url: options.server.url, zoneUuid: null, clusterUuids: [], hostUuids: [] };
      state.registration = reg;
      reg.zoneUuid = await mustCreate(options.server, 'zones', { name: 'nf-lab', description: 'netforge lab (netforge lab up)' });
      saveState(state);
      for (let c = 0; c < clusters; c++) {
        reg.clusterUuids.push(
          await mustCreate(options.server, 'clusters', { name: `nf-lab-c${c + 1}`, zoneUuid: reg.zoneUuid, hypervisorType: 'KVM' }),
        );
        saveState(state);
      }
      for (const h of state.hosts) {
        reg.hostUuids.push(
          await mustCreate(options.server, 'hosts', {
            name: h.netns,
            clusterUuid: reg.clusterUuids[h.clusterIndex],
            managementIp: h.managementIp,
            agentFingerprint: h.agentFingerprint,
          }),
        );
        saveState(state);
      }
      log(`registered zone ${reg.zoneUuid}, ${clusters} KVM clusters and ${hosts} hosts with ${options.server.url}`);
    }
    state.status = 'up';
    saveState(state);
    return state;
  } catch (err) {
    log(`lab up failed (${(err as Error).message}); removing what it created`);
    await labDown({ stateDir, ...(options.server ? { server: options.server } : {}), log }).catch((e: unknown) =>
      log(`lab down after a failed lab up: ${(e as Error).message}`),
    );
    throw err;
  }
}

// ---------------------------------------------------------------------------------------
// lab down
// ---------------------------------------------------------------------------------------

async function deregister(reg: LabRegistration, server: ServerTarget, warnings: string[]): Promise<void> {
  const del = async (what: string, urlPath: string) => {
    try {
      const res = await api(server, 'DELETE', urlPath);
      if (res.status !== 204 && res.status !== 200 && res.status !== 404) {
        warnings.push(`could not delete ${what} on ${server.url}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    } catch (err) {
      warnings.push(`could not delete ${what} on ${server.url}: ${(err as Error).message}`);
    }
  };
  for (const uuid of reg.hostUuids) await del(`host ${uuid}`, `/v1/hosts/${uuid}`);
  for (const uuid of reg.clusterUuids) await del(`cluster ${uuid}`, `/v1/clusters/${uuid}`);
  if (reg.zoneUuid) await del(`zone ${reg.zoneUuid}`, `/v1/zones/${reg.zoneUuid}`);
}

function journalNamespaces(host: LabHost): string[] {
  try {
    const names = (JSON.parse(fs.readFileSync(agentJournal(host), 'utf8')) as { netns?: unknown }).netns;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string' && VM_NETNS_PATTERN.test(n)) : [];
  } catch {
    return [];
  }
}

async function stopAgent(pid: number): Promise<void> {
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

/** Removes what lab up recorded in the state dir, and the VM namespaces its agents created. */
export async function labDown(options: LabDownOptions = {}): Promise<LabDownReport> {
  const log = options.log ?? (() => undefined);
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_LAB_STATE_DIR);
  const report: LabDownReport = { found: false, removedNamespaces: [], removedLinks: [], stoppedAgents: [], warnings: [] };
  const state = readLabState(stateDir);
  if (!state) return report;
  report.found = true;

  if (state.registration) {
    const token = options.server?.token;
    if (token) await deregister(state.registration, { url: options.server?.url ?? state.registration.url, token }, report.warnings);
    else report.warnings.push(`the lab's zone, clusters and hosts stay registered with ${state.registration.url} (pass --token to deregister them)`);
  }

  // VM namespaces the agents created, then the agents, then the hosts and the wiring.
  const existingNs = new Set(await netnsList());
  const vmNs = [...new Set(state.hosts.flatMap(journalNamespaces))].filter((n) => existingNs.has(n));
  for (const ns of vmNs) {
    const r = await execArgv(['ip', 'netns', 'del', ns]);
    if (r.code === 0) report.removedNamespaces.push(ns);
    else report.warnings.push(`could not remove VM namespace ${ns}: ${r.stderr.trim()}`);
  }
  for (const h of state.hosts) {
    if (h.agentPid === null) continue;
    if (!isLabAgent(h.agentPid, h, state.agentPort)) continue;
    await stopAgent(h.agentPid);
    report.stoppedAgents.push(h.agentPid);
  }
  for (const ns of [...state.namespaces].reverse()) {
    if (!existingNs.has(ns)) continue;
    const r = await execArgv(['ip', 'netns', 'del', ns]);
    if (r.code === 0) report.removedNamespaces.push(ns);
    else report.warnings.push(`could not remove namespace ${ns}: ${r.stderr.trim()}`);
  }
  // Deleting a namespace destroys its veth ends, and with them the root ends, asynchronously.
  const ours = [...state.rootLinks, ...state.switches];
  let present = (await rootLinks()).filter((l) => ours.includes(l));
  for (const link of [...state.rootLinks].reverse().concat([...state.switches].reverse())) {
    if (!present.includes(link)) continue;
    const r = await execArgv(['ip', 'link', 'del', 'dev', link]);
    if (r.code === 0) report.removedLinks.push(link);
    else if (!/Cannot find device/.test(r.stderr)) report.warnings.push(`could not remove ${link}: ${r.stderr.trim()}`);
  }
  const deadline = Date.now() + LINK_GONE_TIMEOUT_MS;
  for (;;) {
    present = (await rootLinks()).filter((l) => ours.includes(l));
    const nsLeft = (await netnsList()).filter((n) => state.namespaces.includes(n) || vmNs.includes(n));
    if (present.length === 0 && nsLeft.length === 0) break;
    if (Date.now() > deadline) {
      report.warnings.push(`still present after lab down: ${[...nsLeft, ...present].join(', ')}`);
      break;
    }
    await sleep(50);
  }
  log(
    `lab down: removed ${report.removedNamespaces.length} namespaces, ${report.removedLinks.length} links, stopped ${report.stoppedAgents.length} agents`,
  );

  for (const h of state.hosts) {
    fs.rmSync(h.agentLog, { force: true });
    fs.rmSync(h.agentStateDir, { recursive: true, force: true });
  }
  fs.rmSync(statePath(stateDir), { force: true });
  if (state.createdStateDir) {
    try {
      fs.rmdirSync(stateDir);
    } catch {
      // not empty: something else lives there
    }
  }
  return report;
}
