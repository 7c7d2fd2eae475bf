/**
 * `netforge lab up --kind qemu`: KVM hosts that are QEMU guests (layout.ts has the picture),
 * each running a netforge agent, optionally registered with a control server. The same KVM
 * realizer as everywhere else runs in them; what they add over the netns lab is a kernel
 * with 802.1Q, so L2VlanNetwork is realized for real.
 *
 * Like the netns lab, everything up creates (bridges, taps, guests, files) is recorded in
 * <stateDir>/qemu-lab.json *before* it is created, and down removes exactly that, also after
 * the process that ran up has died (the guests run detached). A failed up tears down what it
 * had made.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateIdentity } from '../../../lib/tls-identity';
import { FINGERPRINT_PATTERN } from '../../../lib/x509';
import { defaultCliCommand, processAlive, stopProcess, waitForFingerprint } from '../agents';
import type { LabDownOptions, LabUpOptions } from '../lab';
import { DEFAULT_LAB_AGENT_PORT } from '../layout';
import { LabError } from '../errors';
import { deregisterIfAsked, register, serverIdentity } from '../registration';
import { readStateFile, writeStateFile, type LabRegistration, type LabStateBase } from '../state';
import { AGENT_ARGV_FILE, buildInitramfs, findGuestKernel, GUEST_DIR_TAG, kernelCommandLine, ROOT_TAG } from './image';
import {
  DEFAULT_QEMU_LAB_STATE_DIR,
  QEMU_LAB_GATEWAY_IP,
  QEMU_LAB_GUEST_MEMORY_MB,
  QEMU_LAB_LINK_PREFIX,
  QEMU_LAB_MAX_HOSTS,
  QEMU_LAB_MGMT_SWITCH,
  QEMU_LAB_PREFIX_LENGTH,
  QEMU_LAB_SUBNET_PREFIX,
  QEMU_LAB_TRUNK_SWITCH,
  qemuLabHostPlan,
  type QemuLabHost,
} from './layout';

export * from './layout';
export { GuestAgentClient, type GuestExecResult } from './guest-agent';

const STATE_FILE = 'qemu-lab.json';
const QEMU = 'qemu-system-x86_64';
/** Boot (~4 s under TCG) plus the agent's start, with both guests sharing two cores. */
const AGENT_READY_TIMEOUT_MS = 120_000;

export interface QemuLabState extends LabStateBase {
  kind: 'qemu';
  kernel: string;
  /** Files lab up wrote (the initramfs); the guests' directories are in `hosts`. */
  files: string[];
  /** Created in this order; removed in reverse. */
  switches: string[];
  taps: string[];
  hosts: QemuLabHost[];
}

/** The netns lab's options; `cliCommand` runs in the guests, whose root is the machine's. */
export type QemuLabUpOptions = LabUpOptions;

export interface QemuLabDownReport {
  found: boolean;
  stoppedGuests: number[];
  removedLinks: string[];
  warnings: string[];
}

const statePath = (stateDir: string) => path.join(stateDir, STATE_FILE);

function saveState(state: QemuLabState): void {
  writeStateFile(statePath(state.stateDir), state);
}

export function readQemuLabState(stateDir = DEFAULT_QEMU_LAB_STATE_DIR): QemuLabState | null {
  return readStateFile<QemuLabState>(statePath(path.resolve(stateDir)));
}

const execFileAsync = promisify(execFile);

async function run(...argv: string[]): Promise<string> {
  try {
    return (await execFileAsync(argv[0], argv.slice(1), { timeout: 30_000 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new LabError(`\`${argv.join(' ')}\` failed: ${e.stderr?.trim() || e.message}`);
  }
}

async function rootLinks(): Promise<string[]> {
  return (JSON.parse(await run('ip', '-json', 'link', 'show')) as Array<{ ifname: string }>).map((l) => l.ifname);
}

async function assertPrerequisites(stateDir: string): Promise<void> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new LabError('the QEMU lab needs root (taps, bridges)');
  await run(QEMU, '--version').catch(() => {
    throw new LabError(`${QEMU} is not installed (Debian's qemu-system-x86)`);
  });
  if (!fs.existsSync('/usr/sbin/qemu-ga')) throw new LabError("the guests run the machine's /usr/sbin/qemu-ga, which is missing (Debian's qemu-guest-agent)");
  if (!fs.existsSync('/dev/net/tun')) throw new LabError('/dev/net/tun is missing: the guests are wired with taps');
  if (fs.existsSync(statePath(stateDir))) throw new LabError(`a QEMU lab is already up (state in ${statePath(stateDir)}); run \`netforge lab down --kind qemu\` first`);
  const foreign = (await rootLinks()).filter((l) => l.startsWith(QEMU_LAB_LINK_PREFIX));
  if (foreign.length > 0) throw new LabError(`QEMU lab links exist without a lab state in ${stateDir}: ${foreign.join(', ')}; remove them first`);
  const addrs = JSON.parse(await run('ip', '-json', 'addr', 'show')) as Array<{ ifname: string; addr_info?: Array<{ local?: string }> }>;
  for (const l of addrs) {
    const clash = (l.addr_info ?? []).find((a) => a.local?.startsWith(QEMU_LAB_SUBNET_PREFIX));
    if (clash) throw new LabError(`the QEMU lab subnet ${QEMU_LAB_SUBNET_PREFIX}0/${QEMU_LAB_PREFIX_LENGTH} is in use here (${clash.local} on ${l.ifname})`);
  }
}

/** QEMU's argv for one guest (no shell: each option one element). */
export function qemuArgv(host: QemuLabHost, kernelImage: string, initramfs: string): string[] {
  return [
    QEMU,
    '-name', host.name,
    '-accel', 'tcg',
    '-m', String(QEMU_LAB_GUEST_MEMORY_MB),
    '-smp', '1',
    '-display', 'none',
    '-monitor', 'none',
    '-no-reboot',
    '-kernel', kernelImage,
    '-initrd', initramfs,
    '-append', kernelCommandLine(host.guestDir, `${host.managementIp}/${QEMU_LAB_PREFIX_LENGTH}`),
    '-serial', `file:${host.consoleLog}`,
    '-virtfs', `local,path=/,mount_tag=${ROOT_TAG},security_model=passthrough,readonly=on,multidevs=remap`,
    '-virtfs', `local,path=${host.guestDir},mount_tag=${GUEST_DIR_TAG},security_model=passthrough`,
    '-netdev', `tap,id=mgmt,ifname=${host.mgmtTap},script=no,downscript=no`,
    '-device', `virtio-net-pci,netdev=mgmt,mac=${host.mgmtMac}`,
    '-netdev', `tap,id=trunk,ifname=${host.trunkTap},script=no,downscript=no`,
    '-device', `virtio-net-pci,netdev=trunk,mac=${host.trunkMac}`,
    '-chardev', `socket,id=qga,path=${host.guestAgentSocket},server=on,wait=off`,
    '-device', 'virtio-serial',
    '-device', 'virtserialport,chardev=qga,name=org.qemu.guest_agent.0',
  ];
}

/** The process is the QEMU guest lab up started for `host` (guards against a recycled pid). */
function isLabGuest(pid: number, host: QemuLabHost): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.endsWith(QEMU)) && argv.includes(host.name) && argv.includes(`file:${host.consoleLog}`);
  } catch {
    return false;
  }
}

function tail(file: string, lines = 12): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function waitForGuestAgent(host: QemuLabHost, agentPort: number, deadline: number): Promise<void> {
  const failure = await waitForFingerprint(host.managementIp, agentPort, host.agentFingerprint, deadline, () => host.qemuPid === null || processAlive(host.qemuPid));
  if (failure === null) return;
  throw new LabError(
    `the agent of guest ${host.name} did not come up at ${host.agentUrl} (${failure})\n--- console ---\n${tail(host.consoleLog)}\n--- agent log ---\n${tail(host.agentLog)}`,
  );
}

export async function qemuLabUp(options: QemuLabUpOptions): Promise<QemuLabState> {
  const log = options.log ?? (() => undefined);
  const hosts = options.hosts;
  const clusters = options.clusters ?? 1;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > QEMU_LAB_MAX_HOSTS) throw new LabError(`--hosts must be 1-${QEMU_LAB_MAX_HOSTS} for QEMU guests, got ${hosts}`);
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > hosts) throw new LabError(`--clusters must be 1-${hosts} (at most one per host), got ${clusters}`);
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_QEMU_LAB_STATE_DIR);
  const agentPort = options.agentPort ?? DEFAULT_LAB_AGENT_PORT;
  await assertPrerequisites(stateDir);
  const kernel = findGuestKernel();
  const serverFingerprint = options.server ? await serverIdentity(options.server) : options.serverFingerprint;
  if (!serverFingerprint || !FINGERPRINT_PATTERN.test(serverFingerprint)) {
    throw new LabError('the lab agents must know which server to trust: give a server to register with, or its fingerprint (GET /v1/identity)');
  }
  const cli = options.cliCommand ?? defaultCliCommand();

  const createdStateDir = !fs.existsSync(stateDir);
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o711 });
  const state: QemuLabState = {
    version: 1,
    kind: 'qemu',
    status: 'creating',
    createdAt: new Date().toISOString(),
    stateDir,
    createdStateDir,
    agentPort,
    serverFingerprint,
    clusters,
    kernel: kernel.version,
    files: [],
    switches: [],
    taps: [],
    hosts: [],
    registration: null,
  };
  saveState(state);
  try {
    const initramfs = path.join(stateDir, 'initramfs.gz');
    state.files.push(initramfs);
    saveState(state);
    buildInitramfs(kernel, initramfs);

    for (const sw of [QEMU_LAB_MGMT_SWITCH, QEMU_LAB_TRUNK_SWITCH]) {
      state.switches.push(sw);
      saveState(state);
      // A bridge without VLAN filtering (our kernel has none) passes tagged frames as they are.
      await run('ip', 'link', 'add', 'name', sw, 'type', 'bridge', 'mcast_snooping', '0');
    }
    await run('ip', 'addr', 'add', `${QEMU_LAB_GATEWAY_IP}/${QEMU_LAB_PREFIX_LENGTH}`, 'dev', QEMU_LAB_MGMT_SWITCH);
    for (const sw of state.switches) await run('ip', 'link', 'set', 'dev', sw, 'up');

    for (let i = 1; i <= hosts; i++) {
      const h = qemuLabHostPlan(i, hosts, clusters, agentPort, stateDir);
      state.hosts.push(h);
      saveState(state);
      fs.mkdirSync(h.guestDir, { recursive: true, mode: 0o700 });
      h.agentFingerprint = loadOrCreateIdentity(h.agentStateDir, 'agent', `netforge-agent ${h.managementIp}`).fingerprint;
      // env(1) runs it: TMPDIR first (the guest's /tmp is the machine's, read-only).
      fs.mkdirSync(path.join(h.guestDir, 'tmp'), { mode: 0o700 });
      const agentArgv = [`TMPDIR=${path.join(h.guestDir, 'tmp')}`, ...cli, 'agent', '--listen', `${h.managementIp}:${agentPort}`, '--state-dir', h.agentStateDir, '--server-fingerprint', serverFingerprint];
      if (agentArgv.some((a) => a.includes('\0'))) throw new LabError('an agent argument contains a NUL byte');
      fs.writeFileSync(path.join(h.guestDir, AGENT_ARGV_FILE), agentArgv.join('\0'), { mode: 0o600 });
      for (const [tap, sw] of [
        [h.mgmtTap, QEMU_LAB_MGMT_SWITCH],
        [h.trunkTap, QEMU_LAB_TRUNK_SWITCH],
      ] as const) {
        state.taps.push(tap);
        saveState(state);
        await run('ip', 'tuntap', 'add', 'dev', tap, 'mode', 'tap');
        await run('ip', 'link', 'set', 'dev', tap, 'master', sw);
        await run('ip', 'link', 'set', 'dev', tap, 'up');
      }
      const [program, ...args] = qemuArgv(h, kernel.image, initramfs);
      const child = spawn(program, args, { detached: true, stdio: 'ignore' });
      child.on('error', (err) => log(`QEMU of ${h.name}: ${err.message}`));
      child.unref();
      if (child.pid === undefined) throw new LabError(`${program} could not be started for ${h.name}`);
      h.qemuPid = child.pid;
      saveState(state);
      log(`started guest ${h.name} (QEMU pid ${String(h.qemuPid)}, kernel ${kernel.version}) for agent ${h.agentUrl}`);
    }
    const deadline = Date.now() + AGENT_READY_TIMEOUT_MS;
    await Promise.all(state.hosts.map((h) => waitForGuestAgent(h, agentPort, deadline)));

    if (options.server) {
      const reg: LabRegistration = { url: options.server.url, zoneUuid: null, clusterUuids: [], hostUuids: [] };
      state.registration = reg;
      await register(options.server, reg, 'nf-qlab', clusters, state.hosts, () => saveState(state));
      log(`registered zone ${reg.zoneUuid}, ${clusters} KVM clusters and ${hosts} guests with ${options.server.url}`);
    }
    state.status = 'up';
    saveState(state);
    return state;
  } catch (err) {
    log(`QEMU lab up failed (${(err as Error).message.split('\n')[0]}); removing what it created`);
    await qemuLabDown({ stateDir, ...(options.server ? { server: options.server } : {}), log }).catch((e: unknown) => log(`lab down after a failed lab up: ${(e as Error).message}`));
    throw err;
  }
}

export type QemuLabDownOptions = LabDownOptions;

/** Removes what lab up recorded: guests (QEMU stopped), taps, bridges, files. */
export async function qemuLabDown(options: QemuLabDownOptions = {}): Promise<QemuLabDownReport> {
  const log = options.log ?? (() => undefined);
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_QEMU_LAB_STATE_DIR);
  const report: QemuLabDownReport = { found: false, stoppedGuests: [], removedLinks: [], warnings: [] };
  const state = readQemuLabState(stateDir);
  if (!state) return report;
  report.found = true;
  await deregisterIfAsked(state.registration, options.server, report.warnings);
  // The guests first: a tap can't go while QEMU holds it open.
  for (const h of state.hosts) {
    if (h.qemuPid === null || !isLabGuest(h.qemuPid, h)) continue;
    await stopProcess(h.qemuPid);
    report.stoppedGuests.push(h.qemuPid);
  }
  const present = new Set(await rootLinks());
  for (const link of [...state.taps].reverse().concat([...state.switches].reverse())) {
    if (!present.has(link)) continue;
    try {
      await run('ip', 'link', 'del', 'dev', link);
      report.removedLinks.push(link);
    } catch (err) {
      report.warnings.push((err as Error).message);
    }
  }
  for (const h of state.hosts) {
    for (const f of [h.consoleLog, h.guestAgentSocket]) fs.rmSync(f, { force: true });
    fs.rmSync(h.guestDir, { recursive: true, force: true });
  }
  for (const f of state.files) fs.rmSync(f, { force: true });
  fs.rmSync(statePath(stateDir), { force: true });
  if (state.createdStateDir) {
    try {
      fs.rmdirSync(stateDir);
    } catch {
      // not empty: something else lives there
    }
  }
  log(`QEMU lab down: stopped ${report.stoppedGuests.length} guests, removed ${report.removedLinks.length} links`);
  return report;
}
