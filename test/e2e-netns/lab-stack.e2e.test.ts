/**
 * A stack deployed with the real `cdktf deploy` onto a KVM lab (needs root; FAILS, never
 * skips, when the machine can't run it): a control server with the KVM plugin, `lab up`
 * with 4 network-namespace hosts in 2 clusters registered to it, and the stack in
 * fixtures/lab-app.ts, which looks the lab's zone and clusters up by name and adds a NoVlan
 * L2 (eth1) and a VXLAN L2 (eth0 underlay) on both clusters, an L3 with a range on each,
 * and VMs that placement spreads one per host per L3. Then, on the hosts themselves:
 *
 * - VMs of one L3 on different hosts and clusters ping each other; across L2s they don't;
 * - an edit detaching the NoVlan L2 from cluster 2 while its VMs run there is refused by the
 *   server (Terraform fails at apply, nothing changes);
 * - an edit detaching the VXLAN L2 from cluster 2 that also drops the VMs on it there
 *   applies, VMs first, and the VXLAN devices leave exactly h3/h4;
 * - a VLAN L2 attached by the stack is refused at check (no 802.1Q here), naming the hosts,
 *   with nothing realized;
 * - `cdktf destroy` then `lab down` leave no namespaces, links or agent processes.
 *
 * Why the refusal is shown on the other L2: a failed apply still rewrites the surviving
 * resources' dependencies in the Terraform state from the edited configuration, so after a
 * refused "detach the VXLAN, keep its VMs" the VMs no longer depend on that attachment in
 * the state, and a follow-up "drop those VMs and detach" would destroy VMs and attachment
 * in parallel (the detach then loses the race, or not). On untouched state the edit is ordered.
 *
 * One scenario, steps in order; afterAll tears the lab down even when a step failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labDown, labUp, readLabState, type LabState, LAB_HOST_INTERFACES } from '../../hosts/lab/lab';
import { vmNetnsName } from '../../hosts/linux/names';
import { acquireLabLock, assertNetnsPrerequisites, bundleAgentCli, linksIn, namespaces, ping, pingEventually, type LinkSummary } from '../helpers/netns-lab';
import { cdktfProject, cdktfRunner, type CdktfRunner } from '../helpers/cdktf';
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformBinary } from '../helpers/terraform';

jest.setTimeout(60_000);

const AGENT_PORT = 7070;
const APP = path.join(__dirname, 'fixtures', 'lab-app.ts');
const CDKTF_TIMEOUT_MS = 55_000;
/** Output with Terraform's diagnostic frame (│ ╷ ╵) and its line wrapping undone, for matching messages. */
// cdktf prefixes every output line with the stack name, also where it wraps a long error
// line, so the prefix can land mid-sentence: drop it with the box characters.
const flat = (out: string) => out.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ').replace(/ netforge-lab(?= )/g, '');

const HOSTS = ['nf-lab-h1', 'nf-lab-h2', 'nf-lab-h3', 'nf-lab-h4'];
const CLUSTER2_HOSTS = ['nf-lab-h3', 'nf-lab-h4'];

let ts: TestServer | undefined;
let stateDir = '';
let project = '';
let cli: string[] = [];
let lab: LabState;
let releaseLab: (() => void) | undefined;
let runner: CdktfRunner | undefined;
const cdktf = (args: string[], edit: Record<string, string> = {}) => runner!.run(args, edit);

async function api<T = any>(method: string, urlPath: string, body?: unknown, expected = 200): Promise<T> {
  const res = await ts!.api(method, urlPath, body);
  if (res.status !== expected) throw new Error(`${method} ${urlPath} answered ${res.status}, expected ${expected}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}
const list = <T = Record<string, any>>(p: string) => api<T[]>('GET', `/v1/${p}`);

function byName(links: LinkSummary[], name: string): LinkSummary | undefined {
  return links.find((l) => l.ifname === name);
}

/** "name kind master" of the links a host has besides its own interfaces (lo, eth0-eth2), sorted. */
async function extraLinks(host: string): Promise<string[]> {
  return (await linksIn(host))
    .filter((l) => !LAB_HOST_INTERFACES.includes(l.ifname))
    .map((l) => `${l.ifname} ${l.kind ?? '-'} ${l.master ?? '-'}`)
    .sort();
}

interface PlacedVm {
  name: string;
  uuid: string;
  host: string;
  ip: string;
  netns: string;
}

/** The stack's VMs as the server has them, with the name of the host placement chose. */
async function placedVms(): Promise<Record<string, PlacedVm>> {
  const hostNames = new Map((await list('hosts')).map((h) => [h.uuid as string, h.name as string]));
  const out: Record<string, PlacedVm> = {};
  for (const vm of await list('vm-instances')) {
    out[vm.name] = { name: vm.name, uuid: vm.uuid, host: hostNames.get(vm.hostUuid)!, ip: vm.nics[0].ip, netns: vmNetnsName(vm.uuid) };
  }
  return out;
}

/** The VM of `prefix` (data/overlay) on `host`. */
function on(vms: Record<string, PlacedVm>, prefix: string, host: string): PlacedVm {
  const vm = Object.values(vms).find((v) => v.name.startsWith(`${prefix}-`) && v.host === host);
  if (!vm) throw new Error(`no ${prefix} VM on ${host}: ${JSON.stringify(vms)}`);
  return vm;
}

const vmNamespaces = async () => (await namespaces()).filter((n) => n.startsWith('nfvm-')).sort();

beforeAll(async () => {
  await assertNetnsPrerequisites();
  terraformBinary();
  releaseLab = await acquireLabLock();
  cli = await bundleAgentCli();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-lab-stack-'));
  project = path.join(stateDir, 'project');
  cdktfProject(project, APP);
  runner = cdktfRunner(project, () => ({ url: ts!.url, token: ts!.token }), CDKTF_TIMEOUT_MS);
  ts = await startTestServer({ kvmAgentPort: AGENT_PORT });
  lab = await labUp({
    hosts: 4,
    clusters: 2,
    stateDir: path.join(stateDir, 'lab'),
    agentPort: AGENT_PORT,
    server: { url: ts.url, token: ts.token },
    cliCommand: cli,
  });
}, 240_000); // may first wait for another lab suite (acquireLabLock)

afterAll(async () => {
  try {
    runner?.killAll();
    if (stateDir && readLabState(path.join(stateDir, 'lab'))) {
      await labDown({ stateDir: path.join(stateDir, 'lab') });
    }
    await ts?.stop();
    if (cli[1]) {
      fs.rmSync(cli[1], { force: true });
      try {
        fs.rmdirSync(path.dirname(cli[1]));
      } catch {
        // another run's bundle is still there
      }
    }
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  } finally {
    releaseLab?.();
  }
});

describe('a CDKTF stack deployed with `cdktf deploy` onto a 4-host, 2-cluster KVM lab', () => {
  let vms: Record<string, PlacedVm> = {};
  let clusterUuids: Record<string, string> = {};
  let droppedVms: string[] = [];
  /** The VXLAN edit: lab-overlay on nf-lab-c1 only, and the overlay VMs that ran in nf-lab-c2 left out. */
  const EDIT_DETACH: Record<string, string> = {};

  it('lab up registered zone nf-lab and KVM clusters nf-lab-c1 (h1, h2) and nf-lab-c2 (h3, h4): the names the stack looks up', async () => {
    expect((await list('zones')).map((z) => z.name)).toEqual(['nf-lab']);
    const clusters = await list('clusters');
    expect(clusters.map((c) => [c.name, c.hypervisorType]).sort()).toEqual([
      ['nf-lab-c1', 'KVM'],
      ['nf-lab-c2', 'KVM'],
    ]);
    clusterUuids = Object.fromEntries(clusters.map((c) => [c.name, c.uuid]));
    expect(lab.registration?.clusterUuids).toEqual([clusterUuids['nf-lab-c1'], clusterUuids['nf-lab-c2']]);
    const hosts = await list('hosts');
    expect(hosts.map((h) => [h.name, h.clusterUuid]).sort()).toEqual([
      ['nf-lab-h1', clusterUuids['nf-lab-c1']],
      ['nf-lab-h2', clusterUuids['nf-lab-c1']],
      ['nf-lab-h3', clusterUuids['nf-lab-c2']],
      ['nf-lab-h4', clusterUuids['nf-lab-c2']],
    ]);
  });

  it('cdktf deploy creates both L2s on both clusters, the L3s and 8 VMs, one per host per L3, and the hosts carry the devices', async () => {
    const deploy = await cdktf(['deploy', '--auto-approve']);
    console.log(`cdktf deploy: ${deploy.seconds} s`);
    expect(deploy.out).toMatch(/Apply complete! Resources: 18 added, 0 changed, 0 destroyed/);
    expect(deploy.code).toBe(0);

    const l2s = Object.fromEntries((await list('l2-networks')).map((l) => [l.name, l]));
    const both = [clusterUuids['nf-lab-c1'], clusterUuids['nf-lab-c2']].sort();
    expect(l2s['lab-data']).toMatchObject({ type: 'L2NoVlanNetwork', physicalInterface: 'eth1', zoneUuid: lab.registration!.zoneUuid });
    expect(l2s['lab-overlay']).toMatchObject({ type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 5001 });
    expect([...l2s['lab-data'].attachedClusterUuids].sort()).toEqual(both);
    expect([...l2s['lab-overlay'].attachedClusterUuids].sort()).toEqual(both);
    expect((await list('ip-ranges')).map((r) => `${r.name} ${r.startIp}-${r.endIp}`).sort()).toEqual([
      'data-range 10.50.0.10-10.50.0.49',
      'overlay-range 10.50.0.50-10.50.0.99',
    ]);

    vms = await placedVms();
    expect(Object.keys(vms).sort()).toEqual(['data-1', 'data-2', 'data-3', 'data-4', 'overlay-1', 'overlay-2', 'overlay-3', 'overlay-4']);
    for (const prefix of ['data', 'overlay']) {
      expect({ prefix, hosts: Object.values(vms).filter((v) => v.name.startsWith(`${prefix}-`)).map((v) => v.host).sort() }).toEqual({ prefix, hosts: HOSTS });
    }
    expect(await vmNamespaces()).toEqual(Object.values(vms).map((v) => v.netns).sort());

    for (const host of HOSTS) {
      const links = await linksIn(host);
      expect(byName(links, 'br_eth1')?.kind).toBe('bridge');
      expect(byName(links, 'eth1')?.master).toBe('br_eth1');
      expect(byName(links, 'vxlan5001')).toEqual({ ifname: 'vxlan5001', kind: 'vxlan', master: 'br_vx_5001' });
      expect(byName(links, 'br_vx_5001')?.kind).toBe('bridge');
    }
  });

  it('VMs in one L3 on different hosts and clusters ping each other (NoVlan and VXLAN); across the two L2s they cannot, though both L3s are 10.50.0.0/24', async () => {
    const d = (h: number) => on(vms, 'data', `nf-lab-h${h}`);
    const o = (h: number) => on(vms, 'overlay', `nf-lab-h${h}`);
    const reachable: Array<[PlacedVm, PlacedVm]> = [
      [d(1), d(3)], // NoVlan, across clusters
      [d(4), d(2)],
      [d(1), d(2)], // NoVlan, same cluster, different hosts
      [o(1), o(3)], // VXLAN, across clusters
      [o(4), o(2)],
      [o(3), o(4)], // VXLAN, same cluster, different hosts
    ];
    const results = await Promise.all(reachable.map(async ([a, b]) => `${a.name}@${a.host} -> ${b.name}@${b.host}: ${String(await pingEventually(a.netns, b.ip))}`));
    expect(results).toEqual(reachable.map(([a, b]) => `${a.name}@${a.host} -> ${b.name}@${b.host}: true`));

    const isolated: Array<[PlacedVm, PlacedVm]> = [
      [d(1), o(1)], // same host, different L2s
      [d(1), o(3)],
      [o(4), d(2)],
    ];
    const cut = await Promise.all(isolated.map(async ([a, b]) => `${a.name}@${a.host} -> ${b.name}@${b.host}: ${String(await ping(a.netns, b.ip))}`));
    expect(cut).toEqual(isolated.map(([a, b]) => `${a.name}@${a.host} -> ${b.name}@${b.host}: false`));
  });

  it('an edit detaching the NoVlan L2 from nf-lab-c2 while its VMs run there: the server refuses the DELETE at apply, Terraform fails, nothing changes', async () => {
    const before = await Promise.all(HOSTS.map(extraLinks));
    const inC2 = CLUSTER2_HOSTS.map((h) => on(vms, 'data', h));
    const deploy = await cdktf(['deploy', '--auto-approve'], { NETFORGE_LAB_DETACH: 'lab-data' });
    console.log(`cdktf deploy (detach lab-data, VMs kept): ${deploy.seconds} s`);
    expect(deploy.code).not.toBe(0);
    expect(deploy.out).toMatch(/Plan: 0 to add, 0 to change, 1 to destroy/);
    expect(deploy.out).toMatch(/netforge_l2_network_cluster_attachment\.lab-data_Attachment-nf-lab-c2_\w+: Destroying/);
    expect(deploy.out).not.toMatch(/Apply complete!/);
    // Deletes don't go through the plan-time dry run: the server refuses the DELETE at apply.
    const text = flat(deploy.out);
    expect(text).toMatch(/Error: deleting netforge_l2_network_cluster_attachment failed: /);
    expect(text).toContain('netforge answered 409 CONFLICTS.');
    for (const vm of inC2) {
      expect(text).toMatch(new RegExp(`VmInstance '${vm.name}' \\(${vm.uuid}\\) uses L2Network 'lab-data' \\([^)]*\\) in Cluster 'nf-lab-c2' \\([^)]*\\); delete or move it first`));
    }

    const data = (await list('l2-networks?name=lab-data'))[0];
    expect([...data.attachedClusterUuids].sort()).toEqual([clusterUuids['nf-lab-c1'], clusterUuids['nf-lab-c2']].sort());
    expect(Object.keys(await placedVms())).toHaveLength(8);
    expect(await Promise.all(HOSTS.map(extraLinks))).toEqual(before);
    expect(await pingEventually(on(vms, 'data', 'nf-lab-h1').netns, on(vms, 'data', 'nf-lab-h3').ip)).toBe(true);
  });

  it('an edit detaching the VXLAN L2 from nf-lab-c2 that also drops the VMs on it there applies (VMs first, then the detach): VXLAN devices leave h3/h4 only', async () => {
    droppedVms = CLUSTER2_HOSTS.map((h) => on(vms, 'overlay', h).name).sort();
    Object.assign(EDIT_DETACH, { NETFORGE_LAB_DETACH: 'lab-overlay', NETFORGE_LAB_DROP_VMS: droppedVms.join(',') });
    const deploy = await cdktf(['deploy', '--auto-approve'], EDIT_DETACH);
    console.log(`cdktf deploy (detach lab-overlay, its VMs in nf-lab-c2 dropped): ${deploy.seconds} s`);
    expect(deploy.out).toMatch(/Plan: 0 to add, 0 to change, 3 to destroy/);
    expect(deploy.out).toMatch(/Apply complete! Resources: 0 added, 0 changed, 3 destroyed/);
    expect(deploy.code).toBe(0);
    // The VMs depend on the attachment (the constructs add it), so Terraform destroys them first.
    const detachStarts = deploy.out.search(/netforge_l2_network_cluster_attachment\.lab-overlay_Attachment-nf-lab-c2_\w+: Destroying/);
    for (const name of droppedVms) {
      const vmGone = deploy.out.search(new RegExp(`netforge_vm_instance\\.${name}_\\w+: Destruction complete`));
      expect({ name, vmGone: vmGone >= 0, beforeDetach: vmGone < detachStarts }).toEqual({ name, vmGone: true, beforeDetach: true });
    }

    const overlay = (await list('l2-networks?name=lab-overlay'))[0];
    expect(overlay.attachedClusterUuids).toEqual([clusterUuids['nf-lab-c1']]);
    const now = await placedVms();
    expect(Object.keys(now).sort()).toEqual(Object.keys(vms).filter((n) => !droppedVms.includes(n)).sort());
    expect(await vmNamespaces()).toEqual(Object.values(now).map((v) => v.netns).sort());
    for (const host of CLUSTER2_HOSTS) {
      const links = await linksIn(host);
      expect({ host, vxlan: byName(links, 'vxlan5001'), bridge: byName(links, 'br_vx_5001') }).toEqual({ host, vxlan: undefined, bridge: undefined });
      expect(byName(links, 'eth1')?.master).toBe('br_eth1');
    }
    for (const host of ['nf-lab-h1', 'nf-lab-h2']) expect(byName(await linksIn(host), 'vxlan5001')).toMatchObject({ master: 'br_vx_5001' });

    const checks: Array<[PlacedVm, PlacedVm]> = [
      [on(now, 'overlay', 'nf-lab-h1'), on(now, 'overlay', 'nf-lab-h2')],
      [on(now, 'data', 'nf-lab-h1'), on(now, 'data', 'nf-lab-h4')],
    ];
    expect(await Promise.all(checks.map(([a, b]) => pingEventually(a.netns, b.ip)))).toEqual([true, true]);
    vms = now;
  });

  it('a VLAN L2 attached by the stack is refused at check (no 802.1Q on this kernel), naming every host, with nothing realized', async () => {
    const before = await Promise.all(HOSTS.map(extraLinks));
    const deploy = await cdktf(['deploy', '--auto-approve'], { ...EDIT_DETACH, NETFORGE_LAB_VLAN: '1' });
    console.log(`cdktf deploy (VLAN): ${deploy.seconds} s`);
    expect(deploy.code).not.toBe(0);
    expect(deploy.out).toMatch(/Plan: 3 to add, 0 to change, 0 to destroy/);
    expect(deploy.out).not.toMatch(/Apply complete!/);
    // One error per attachment (cluster), each naming that cluster's hosts and why they can't carry it.
    const text = flat(deploy.out);
    // Headed by the server's summary of each attach; each host's reason follows in the detail.
    expect(
      text.match(/Error: creating netforge_l2_network_cluster_attachment failed: cannot realize L2 network 'lab-vlan' \([^)]*\): check failed on 2 of 2 hosts \(.*?\); nothing was realized/g),
    ).toHaveLength(2);
    expect(text.match(/netforge answered 409 L2_REALIZATION_FAILED\./g)).toHaveLength(2);
    for (const host of HOSTS) {
      expect(text).toMatch(
        new RegExp(`check failed on host '${host}' \\([^)]*\\): host '${host}' \\([^)]*\\) cannot carry L2 network 'lab-vlan' \\([^)]*\\): the kernel does not support 802\\.1Q VLAN devices`),
      );
    }
    for (const k of [1, 2]) expect(text).toContain(`with netforge_l2_network_cluster_attachment.lab-vlan_Attachment-nf-lab-c${k}_`);

    const vlan = (await list('l2-networks?name=lab-vlan'))[0];
    expect(vlan).toMatchObject({ type: 'L2VlanNetwork', physicalInterface: 'eth1', vlan: 100, attachedClusterUuids: [] });
    expect(await list(`l2-cluster-attachments?l2NetworkUuid=${vlan.uuid}`)).toEqual([]);
    expect(await Promise.all(HOSTS.map(extraLinks))).toEqual(before);
    for (const host of HOSTS) {
      const names = (await linksIn(host)).map((l) => l.ifname);
      expect(names.filter((n) => n === 'eth1.100' || n === 'br_eth1_100' || n.startsWith('nfchk'))).toEqual([]);
    }
  });

  it('cdktf destroy removes everything the stack made; the lab zone, clusters and hosts (looked up, not owned) stay; hosts keep exactly their own interfaces', async () => {
    const destroy = await cdktf(['destroy', '--auto-approve'], { ...EDIT_DETACH, NETFORGE_LAB_VLAN: '1' });
    console.log(`cdktf destroy: ${destroy.seconds} s`);
    // 18 deployed - 2 VMs - 1 attachment + the VLAN L2 whose attachments failed.
    expect(destroy.out).toMatch(/Destroy complete! Resources: 16 destroyed/);
    expect(destroy.code).toBe(0);
    for (const p of ['l2-networks', 'l2-cluster-attachments', 'l3-networks', 'ip-ranges', 'vm-instances', 'ip-addresses']) {
      expect({ p, n: (await list(p)).length }).toEqual({ p, n: 0 });
    }
    expect((await list('zones')).length).toBe(1);
    expect((await list('clusters')).length).toBe(2);
    expect((await list('hosts')).length).toBe(4);
    expect(await vmNamespaces()).toEqual([]);
    for (const host of HOSTS) {
      expect({ host, extra: await extraLinks(host) }).toEqual({ host, extra: [] });
      expect(byName(await linksIn(host), 'eth1')).toMatchObject({ master: null });
    }
  });

  it('lab down deregisters the lab and leaves no lab namespaces, VM namespaces, lab links or agent processes', async () => {
    const pids = lab.hosts.map((h) => h.agentPid as number);
    const report = await labDown({ stateDir: path.join(stateDir, 'lab'), server: { token: ts!.token } });
    expect(report.warnings).toEqual([]);
    expect((await namespaces()).filter((n) => n.startsWith('nf-lab-') || n.startsWith('nfvm-'))).toEqual([]);
    expect((await linksIn('')).map((l) => l.ifname).filter((n) => n.startsWith('nflab-'))).toEqual([]);
    for (const pid of pids) expect(fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')).toBe(false);
    for (const p of ['hosts', 'clusters', 'zones']) expect({ p, n: (await list(p)).length }).toEqual({ p, n: 0 });
    expect(readLabState(path.join(stateDir, 'lab'))).toBeNull();
  });
});
