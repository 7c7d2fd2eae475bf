/**
 * A KVM lab on one machine (root): N "hosts" that are network namespaces, wired like a
 * small rack, each running a netforge agent, optionally registered with a control server.
 *
 *                root namespace
 *   nflab-sw   (bridge, 172.30.0.1/24)  management + VXLAN underlay switch
 *   nflab-data (bridge, no address)     data-plane switch
 *   nflab-ext  (bridge, no address)     external switch: the public network
 *        |  nflab-h<i>m                  |  nflab-h<i>d        |  nflab-h<i>x     (veth, root side)
 *   nf-lab-h<i>: eth0 172.30.0.<10+i>/24  eth1 (no address)    eth2 (no address)
 *   nf-lab-outside: eth0 203.0.113.1/24 on nflab-ext (via nflab-out): "the internet", the
 *                   public network's gateway, where SNAT traffic of virtual routers arrives
 *
 * Interface layout (and why): eth0 carries the management address the server reaches the
 * agent on, and is the VXLAN underlay (L2VxlanNetwork physicalInterface eth0: VXLAN needs
 * an address and does not take the interface over). eth1 is the data plane for
 * L2NoVlanNetwork/L2VlanNetwork (physicalInterface eth1): a NoVlan network makes its
 * interface a bridge port, which would cut off an address on it, so that interface carries
 * none. eth2 carries the public network virtual routers leave through (a NoVlan L2 on
 * eth2, an L3 on 203.0.113.0/24 with the outside as its gateway). The Simulator's default
 * interfaces, ['eth0', 'eth1', 'eth2'], match this layout. The switches have IGMP snooping
 * off, so they flood multicast like a dumb switch and VXLAN's multicast learning works
 * (see l2-plans.ts).
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
 * lab down removes exactly that (plus the VM namespaces in the agents' journals, after
 * stopping the dnsmasq instances the agents run in them) and nothing else. A failed lab up
 * tears down what it had made. The state dir is traversable by others (0711): the agents'
 * dnsmasq runs as nobody and reads its files under it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FINGERPRINT_PATTERN } from '../../lib/x509';
import { loadOrCreateIdentity } from '../../lib/tls-identity';
import { cmd, formatArgv } from '../linux/commands';
import { execArgv } from '../linux/executors';
import { listDnsmasq, stopDnsmasq } from '../services/dnsmasq';
import { defaultCliCommand, findProgram, isLabAgent, journalNamespaces, startAgents, stopProcess, waitForAgent } from './agents';
import { LabError } from './errors';
import {
  DEFAULT_LAB_AGENT_PORT,
  DEFAULT_LAB_STATE_DIR,
  LAB_DATA_INTERFACE,
  LAB_DATA_SWITCH,
  LAB_EXT_SWITCH,
  LAB_EXTERNAL_INTERFACE,
  LAB_OUTSIDE_IP,
  LAB_OUTSIDE_LINK,
  LAB_OUTSIDE_NETNS,
  LAB_PUBLIC_CIDR,
  LAB_GATEWAY_IP,
  LAB_LINK_PREFIX,
  LAB_MAX_HOSTS,
  LAB_MGMT_INTERFACE,
  LAB_MGMT_SWITCH,
  LAB_NETNS_PREFIX,
  LAB_PREFIX_LENGTH,
  LAB_SUBNET_PREFIX,
  labHostPlan,
} from './layout';
import { deregisterIfAsked, register, serverIdentity, type ServerTarget } from './registration';
import { readLabState, saveState, statePath, type LabRegistration, type LabState } from './state';

export * from './layout';
export { LabError } from './errors';
export { readLabState, type LabRegistration, type LabState } from './state';
export type { ServerTarget } from './registration';

/** How long lab down waits for the kernel to remove the veths of deleted namespaces. */
const LINK_GONE_TIMEOUT_MS = 10_000;

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
  /** dnsmasq instances the agents ran. */
  stoppedProcesses: number[];
  warnings: string[];
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
  const cli = options.cliCommand ?? defaultCliCommand();

  const createdStateDir = !fs.existsSync(stateDir);
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o711 });
  fs.chmodSync(stateDir, 0o711);
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
    for (const sw of [LAB_MGMT_SWITCH, LAB_DATA_SWITCH, LAB_EXT_SWITCH]) {
      state.switches.push(sw);
      saveState(state);
      await run('ip', 'link', 'add', 'name', sw, 'type', 'bridge', 'mcast_snooping', '0');
    }
    await run('ip', 'addr', 'add', `${LAB_GATEWAY_IP}/${LAB_PREFIX_LENGTH}`, 'dev', LAB_MGMT_SWITCH);
    for (const sw of [LAB_MGMT_SWITCH, LAB_DATA_SWITCH, LAB_EXT_SWITCH]) await run('ip', 'link', 'set', 'dev', sw, 'up');

    // The outside: the public network's gateway.
    state.namespaces.push(LAB_OUTSIDE_NETNS);
    saveState(state);
    await run('ip', 'netns', 'add', LAB_OUTSIDE_NETNS);
    state.rootLinks.push(LAB_OUTSIDE_LINK);
    saveState(state);
    await run('ip', 'link', 'add', 'name', LAB_OUTSIDE_LINK, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', LAB_OUTSIDE_NETNS);
    await run('ip', 'link', 'set', 'dev', LAB_OUTSIDE_LINK, 'master', LAB_EXT_SWITCH);
    await run('ip', 'link', 'set', 'dev', LAB_OUTSIDE_LINK, 'up');
    await run('ip', '-n', LAB_OUTSIDE_NETNS, 'addr', 'add', `${LAB_OUTSIDE_IP}/${LAB_PUBLIC_CIDR.split('/')[1]}`, 'dev', 'eth0');
    await run('ip', '-n', LAB_OUTSIDE_NETNS, 'link', 'set', 'dev', 'eth0', 'up');
    await run('ip', '-n', LAB_OUTSIDE_NETNS, 'link', 'set', 'dev', 'lo', 'up');

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
        [h.extVeth, LAB_EXTERNAL_INTERFACE, LAB_EXT_SWITCH],
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
        cmd('ip', '-n', h.netns, 'link', 'set', 'dev', LAB_EXTERNAL_INTERFACE, 'up'),
      ]) {
        await run(...c.argv);
      }
    }

    startAgents(state.hosts, {
      agentPort,
      serverFingerprint,
      cli,
      onStarted: (h) => {
        saveState(state);
        log(`started agent of ${h.netns} (pid ${String(h.agentPid)}) on ${h.agentUrl}`);
      },
    });
    await Promise.all(state.hosts.map((h) => waitForAgent(h, agentPort)));

    if (options.server) {
      const reg: LabRegistration = { url: options.server.url, zoneUuid: null, clusterUuids: [], hostUuids: [] };
      state.registration = reg;
      await register(options.server, reg, 'nf-lab', clusters, state.hosts.map((h) => ({ ...h, name: h.netns })), () => saveState(state));
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

/** Removes what lab up recorded in the state dir, and the VM namespaces its agents created. */
export async function labDown(options: LabDownOptions = {}): Promise<LabDownReport> {
  const log = options.log ?? (() => undefined);
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_LAB_STATE_DIR);
  const report: LabDownReport = { found: false, removedNamespaces: [], removedLinks: [], stoppedAgents: [], stoppedProcesses: [], warnings: [] };
  const state = readLabState(stateDir);
  if (!state) return report;
  report.found = true;

  await deregisterIfAsked(state.registration, options.server, report.warnings);

  // dnsmasq the agents run (deleting a namespace does not end its processes), VM namespaces
  // the agents created, then the agents, then the hosts and the wiring.
  for (const h of state.hosts) {
    for (const { netns, pid } of listDnsmasq(h.agentStateDir)) {
      if (pid === null) continue;
      await stopDnsmasq({ stateDir: h.agentStateDir, run: execArgv }, netns);
      report.stoppedProcesses.push(pid);
    }
  }
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
    await stopProcess(h.agentPid);
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
    `lab down: removed ${report.removedNamespaces.length} namespaces, ${report.removedLinks.length} links, stopped ${report.stoppedAgents.length} agents and ${report.stoppedProcesses.length} dnsmasq`,
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
