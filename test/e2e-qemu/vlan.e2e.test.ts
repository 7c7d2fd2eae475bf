/**
 * L2VlanNetwork proven with packets: KVM hosts that are QEMU guests (TCG) booting Debian's
 * kernel with 802.1Q (`netforge lab up --kind qemu`), two of them in one cluster, their eth1
 * on one trunk bridge of the machine. The same KVM realizer as everywhere realizes the VLANs
 * inside the guests; the test looks inside through the QEMU guest agent (argv, no shell).
 * Needs root, QEMU, Debian's kernel and qemu-guest-agent; FAILS, never skips, without them.
 *
 * - VLAN 10 and VLAN 20 on eth1: VMs of VLAN 10 on different guests ping each other; a VM of
 *   VLAN 20 with an address in the same subnet reaches neither them nor a VLAN 10 VM on its
 *   own guest; a capture on the trunk shows tags 10 and 20.
 * - Detaching VLAN 10 is refused while its VMs run; without them, it removes VLAN 10's
 *   devices from both guests and leaves VLAN 20 working.
 * - A cdktf stack with L2VlanNetwork (fixtures/vlan-app.ts) deploys with `cdktf deploy` and
 *   destroys cleanly.
 * - `lab down` leaves no QEMU process, tap, bridge or file.
 *
 * The lab's state dir is fixed, so a run that crashed (guests left running) is cleaned by
 * the next one's first step.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GuestAgentClient, QEMU_LAB_LINK_PREFIX, QEMU_LAB_TRUNK_SWITCH, qemuLabDown, qemuLabUp, readQemuLabState, type QemuLabState } from '../../hosts/lab/qemu/qemu-lab';
import { l2DeviceNames } from '../../hosts/linux/device-names';
import { vmNetnsName } from '../../hosts/linux/names';
import { cdktfProject, cdktfRunner, type CdktfRunner } from '../helpers/cdktf';
import { assertNetnsPrerequisites, bundleAgentCli, sh } from '../helpers/netns-lab';
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformBinary } from '../helpers/terraform';

jest.setTimeout(120_000);

const AGENT_PORT = 7074;
const STATE_DIR = path.join(os.tmpdir(), 'netforge-qemu-vlan-e2e');
const APP = path.join(__dirname, 'fixtures', 'vlan-app.ts');

let ts: TestServer | undefined;
let cli: string[] = [];
let lab: QemuLabState;
let guests: GuestAgentClient[] = [];
let workDir = '';
let runner: CdktfRunner | undefined;
let capture: ChildProcess | undefined;

async function api<T = any>(method: string, urlPath: string, body?: unknown, expected?: number): Promise<T> {
  const res = await ts!.api(method, urlPath, body);
  if (expected !== undefined && res.status !== expected) throw new Error(`${method} ${urlPath} answered ${res.status}, expected ${expected}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/** Runs argv in guest `i` (1-based); fails the test when the guest agent does. */
const inGuest = (i: number, argv: string[]) => guests[i - 1].exec(argv, 30_000);

interface Vm {
  name: string;
  uuid: string;
  ip: string;
  guest: number;
}

async function createVm(name: string, l3Uuid: string, guest: number): Promise<Vm> {
  const vm = await api('POST', '/v1/vm-instances', { name, l3NetworkUuids: [l3Uuid], hostUuid: lab.registration!.hostUuids[guest - 1] }, 201);
  return { name, uuid: vm.uuid, ip: vm.nics[0].ip, guest };
}

/** One echo request from `from` to `to` and its reply within 2 s, in `from`'s guest. */
async function pings(from: Vm, to: Vm): Promise<boolean> {
  return (await inGuest(from.guest, ['ip', 'netns', 'exec', vmNetnsName(from.uuid), 'ping', '-c', '1', '-W', '2', to.ip])).code === 0;
}

/** A few tries (ARP on a fresh bridge under TCG can eat the first). */
async function pingsEventually(from: Vm, to: Vm): Promise<boolean> {
  for (let i = 0; i < 3; i++) if (await pings(from, to)) return true;
  return false;
}

/** Names and kinds of guest `i`'s links besides lo, eth0 and eth1. */
async function guestLinks(i: number): Promise<string[]> {
  const r = await inGuest(i, ['ip', '-json', '-d', 'link', 'show']);
  const links = JSON.parse(r.stdout) as Array<{ ifname: string; linkinfo?: { info_kind?: string } }>;
  return links.filter((l) => !['lo', 'eth0', 'eth1'].includes(l.ifname)).map((l) => `${l.ifname} ${l.linkinfo?.info_kind ?? '-'}`);
}

beforeAll(async () => {
  await assertNetnsPrerequisites();
  terraformBinary();
  // A run that crashed left its guests: they go first.
  await qemuLabDown({ stateDir: STATE_DIR });
  cli = await bundleAgentCli();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-qemu-vlan-'));
  cdktfProject(path.join(workDir, 'project'), APP);
  runner = cdktfRunner(path.join(workDir, 'project'), () => ({ url: ts!.url, token: ts!.token }), 110_000);
  ts = await startTestServer({ kvmAgentPort: AGENT_PORT });
  const started = Date.now();
  lab = await qemuLabUp({ hosts: 2, stateDir: STATE_DIR, agentPort: AGENT_PORT, server: { url: ts.url, token: ts.token }, cliCommand: cli });
  console.log(`QEMU lab up (2 guests, agents ready): ${((Date.now() - started) / 1000).toFixed(1)} s`);
  guests = lab.hosts.map((h) => new GuestAgentClient(h.guestAgentSocket, h.name));
  for (const g of guests) await g.connect(30_000);
}, 240_000);

afterAll(async () => {
  capture?.kill('SIGKILL');
  runner?.killAll();
  for (const g of guests) g.close();
  await qemuLabDown({ stateDir: STATE_DIR });
  await ts?.stop();
  if (cli[1]) fs.rmSync(cli[1], { force: true });
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('L2VlanNetwork on QEMU guests with 802.1Q', () => {
  const l2: Record<string, any> = {};
  const l3: Record<string, string> = {};
  const vms: Record<string, Vm> = {};

  it('VLAN 10 and VLAN 20 on one trunk: VLAN 10 reaches across guests, VLAN 20 in the same subnet reaches none of it; the trunk carries both tags', async () => {
    const zone = lab.registration!.zoneUuid!;
    const cluster = lab.registration!.clusterUuids[0];
    for (const vlan of [10, 20]) {
      l2[vlan] = await api('POST', '/v1/l2-networks', { name: `vlan-${vlan}`, zoneUuid: zone, type: 'L2VlanNetwork', physicalInterface: 'eth1', vlan }, 201);
      l2[`attach${vlan}`] = await api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2[vlan].uuid, clusterUuid: cluster }, 201);
    }
    // Realized in both guests: a VLAN device on eth1 in a bridge of its own.
    for (const i of [1, 2]) {
      expect((await guestLinks(i)).sort()).toEqual(['br_eth1_10 bridge', 'br_eth1_20 bridge', 'eth1.10 vlan', 'eth1.20 vlan']);
    }
    expect(l2DeviceNames(l2[10])).toEqual({ bridge: 'br_eth1_10', vlanDevice: 'eth1.10' });
    for (const vlan of [10, 20]) {
      l3[vlan] = (await api('POST', '/v1/l3-networks', { name: `l3-${vlan}`, l2NetworkUuid: l2[vlan].uuid, cidr: '10.60.0.0/24' }, 201)).uuid;
      const base = vlan === 10 ? 10 : 20;
      await api('POST', '/v1/ip-ranges', { name: `r-${vlan}`, l3NetworkUuid: l3[vlan], startIp: `10.60.0.${base}`, endIp: `10.60.0.${base + 9}` }, 201);
    }
    vms.a10 = await createVm('a10', l3[10], 1);
    vms.b10 = await createVm('b10', l3[10], 2);
    vms.c20 = await createVm('c20', l3[20], 2);
    vms.d20 = await createVm('d20', l3[20], 1);

    let captured = '';
    capture = spawn('tcpdump', ['-i', QEMU_LAB_TRUNK_SWITCH, '-e', '-nn', '-l', 'vlan'], { stdio: ['ignore', 'pipe', 'ignore'] });
    capture.stdout!.on('data', (d: Buffer) => (captured += d.toString()));
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(await pingsEventually(vms.a10, vms.b10)).toBe(true);
    expect(await pingsEventually(vms.d20, vms.c20)).toBe(true);
    // Same subnet, other VLAN: not on another guest, nor on its own.
    expect(await pings(vms.c20, vms.a10)).toBe(false);
    expect(await pings(vms.c20, vms.b10)).toBe(false);
    expect(await pings(vms.d20, vms.a10)).toBe(false);

    capture.kill('SIGINT');
    await new Promise((resolve) => capture!.once('close', resolve));
    capture = undefined;
    expect(captured).toMatch(/ethertype 802\.1Q \(0x8100\).*vlan 10,.*10\.60\.0\.10 > 10\.60\.0\.11: ICMP echo request/);
    expect(captured).toMatch(/ethertype 802\.1Q \(0x8100\).*vlan 20,.*10\.60\.0\.2\d > 10\.60\.0\.2\d: ICMP echo request/);
  });

  it('detaching VLAN 10: refused while its VMs run; then its devices leave both guests, and VLAN 20 keeps working', async () => {
    const refused = await ts!.api('DELETE', `/v1/l2-cluster-attachments/${l2.attach10.uuid}`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('L2_IN_USE_BY_VMS');
    for (const vm of [vms.a10, vms.b10]) await api('DELETE', `/v1/vm-instances/${vm.uuid}`, undefined, 204);
    await api('DELETE', `/v1/l2-cluster-attachments/${l2.attach10.uuid}`, undefined, 204);
    for (const i of [1, 2]) {
      const links = await guestLinks(i);
      expect(links.filter((l) => !l.startsWith('vnic')).sort()).toEqual(['br_eth1_20 bridge', 'eth1.20 vlan']);
    }
    expect(await pingsEventually(vms.d20, vms.c20)).toBe(true);
    expect(await pingsEventually(vms.c20, vms.d20)).toBe(true);
  });

  it('a cdktf stack with L2VlanNetwork deploys onto the guests with `cdktf deploy` and destroys cleanly', async () => {
    const deploy = await runner!.run(['deploy', '--auto-approve']);
    console.log(`cdktf deploy: ${deploy.seconds} s`);
    expect(deploy.out).toMatch(/Apply complete! Resources: 6 added, 0 changed, 0 destroyed/);
    expect(deploy.code).toBe(0);
    const hostIndex = new Map(lab.registration!.hostUuids.map((u, i) => [u, i + 1]));
    const stackVms: Vm[] = (await api<any[]>('GET', '/v1/vm-instances', undefined, 200))
      .filter((v) => v.name.startsWith('v30-'))
      .map((v) => ({ name: v.name, uuid: v.uuid, ip: v.nics[0].ip, guest: hostIndex.get(v.hostUuid)! }));
    expect(stackVms.map((v) => v.guest).sort()).toEqual([1, 2]);
    expect(await pingsEventually(stackVms[0], stackVms[1])).toBe(true);
    for (const i of [1, 2]) expect(await guestLinks(i)).toEqual(expect.arrayContaining(['br_eth1_30 bridge', 'eth1.30 vlan']));

    const destroy = await runner!.run(['destroy', '--auto-approve']);
    console.log(`cdktf destroy: ${destroy.seconds} s`);
    expect(destroy.out).toMatch(/Destroy complete! Resources: 6 destroyed/);
    expect(destroy.code).toBe(0);
    // VLAN 30's devices (br_eth1_30, eth1.30) are gone; VM NICs' hashed names may contain "30" too.
    for (const i of [1, 2]) expect((await guestLinks(i)).filter((l) => /[._]30 /.test(l))).toEqual([]);
    expect((await api<any[]>('GET', '/v1/l2-networks', undefined, 200)).map((l) => l.name).sort()).toEqual(['vlan-10', 'vlan-20']);
  });

  it('lab down leaves no QEMU process, tap, bridge or file behind', async () => {
    for (const g of guests) g.close();
    const report = await qemuLabDown({ stateDir: STATE_DIR });
    // The server is the test's own: its registrations go with it.
    expect(report.warnings).toEqual([expect.stringMatching(/stay registered with/)]);
    expect(report.stoppedGuests).toHaveLength(2);
    const processes = (await sh(['ps', '-eo', 'args='])).stdout.split('\n').filter((a) => a.includes('qemu-system') && a.includes('nf-qlab-h'));
    expect(processes).toEqual([]);
    const links = JSON.parse((await sh(['ip', '-json', 'link', 'show'])).stdout) as Array<{ ifname: string }>;
    expect(links.map((l) => l.ifname).filter((n) => n.startsWith(QEMU_LAB_LINK_PREFIX))).toEqual([]);
    expect(fs.existsSync(STATE_DIR)).toBe(false);
    expect(readQemuLabState(STATE_DIR)).toBeNull();
  });
});
