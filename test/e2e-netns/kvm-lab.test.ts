/**
 * End to end on real network namespaces (needs root; FAILS, never skips, when the machine
 * can't run it): a control server with the KVM plugin, `lab up` with 4 hosts in 2 clusters
 * registered to it, and then, through the REST API: NoVlan (eth1) and VXLAN (eth0 underlay)
 * networks across hosts and clusters, VMs (network namespaces) pinging each other,
 * isolation between L2 networks, idempotent re-realization, detach removing exactly one
 * cluster's devices, a VLAN attach refused at check on this kernel, and a teardown that
 * leaves nothing behind. One step drives a realizer directly through the netns executor.
 *
 * One scenario, steps in order; afterAll tears the lab down even when a step failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labDown, labUp, readLabState, type LabState, LAB_HOST_INTERFACES } from '../../hosts/lab/lab';
import { vmNicDeviceName } from '../../hosts/linux/device-names';
import { KvmHosts, KvmL2Realizer } from '../../server/hypervisors/kvm';
import { NetnsExecutor } from '../../hosts/linux/executors';
import { vmNetnsName } from '../../hosts/linux/names';
import {
  acquireLabLock,
  assertNetnsPrerequisites,
  bundleAgentCli,
  ipJson,
  linksIn,
  namespaces,
  ping,
  pingEventually,
  sh,
  type LinkSummary,
} from '../helpers/netns-lab';
import { startTestServer, type TestServer } from '../helpers/server';

jest.setTimeout(60_000);

const AGENT_PORT = 7070;
/** A "foreign" machine on h3's NoVlan bridge, made by this test (not by netforge). */
const WITNESS_NS = 'nftest-witness';
const WITNESS_VETH = 'nftestwit0';
const WITNESS_IP = '10.50.0.250';

let ts: TestServer | undefined;
let stateDir: string;
let cli: string[] = [];
let lab: LabState;
let releaseLab: (() => void) | undefined;

interface Vm {
  uuid: string;
  name: string;
  ip: string;
  mac: string;
  nicUuid: string;
  netns: string;
}

const zone = () => lab.registration!.zoneUuid!;
const clusterUuid = (k: number) => lab.registration!.clusterUuids[k];
const hostUuid = (i: number) => lab.registration!.hostUuids[i - 1];
const hostNs = (i: number) => `nf-lab-h${i}`;

async function api<T = any>(method: string, urlPath: string, body?: unknown, expected?: number): Promise<T> {
  const res = await ts!.api(method, urlPath, body);
  if (expected !== undefined && res.status !== expected) {
    throw new Error(`${method} ${urlPath} answered ${res.status}, expected ${expected}: ${JSON.stringify(res.body)}`);
  }
  return res.body as T;
}

async function createVm(name: string, l3Uuid: string, hostIndex: number): Promise<Vm> {
  const vm = await api('POST', '/v1/vm-instances', { name, l3NetworkUuids: [l3Uuid], hostUuid: hostUuid(hostIndex) }, 201);
  return { uuid: vm.uuid, name, ip: vm.nics[0].ip, mac: vm.nics[0].mac, nicUuid: vm.nics[0].uuid, netns: vmNetnsName(vm.uuid) };
}

async function attach(l2Uuid: string, k: number): Promise<string> {
  return (await api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2Uuid, clusterUuid: clusterUuid(k) }, 201)).uuid;
}

function byName(links: LinkSummary[], name: string): LinkSummary | undefined {
  return links.find((l) => l.ifname === name);
}

/** "name kind master" of the links a host has besides its own interfaces (lo, eth0-eth2), sorted. */
async function extraLinks(i: number): Promise<string[]> {
  return (await linksIn(hostNs(i)))
    .filter((l) => !LAB_HOST_INTERFACES.includes(l.ifname))
    .map((l) => `${l.ifname} ${l.kind ?? '-'} ${l.master ?? '-'}`)
    .sort();
}

async function removeWitness(): Promise<void> {
  if ((await namespaces()).includes(WITNESS_NS)) await sh(['ip', 'netns', 'del', WITNESS_NS]);
}

beforeAll(async () => {
  await assertNetnsPrerequisites();
  releaseLab = await acquireLabLock();
  cli = await bundleAgentCli();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-lab-e2e-'));
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
  await removeWitness().catch(() => undefined);
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
});
afterAll(() => releaseLab?.()); // runs even when the teardown above threw

describe('KVM lab: 4 network-namespace hosts in 2 clusters behind a real control server', () => {
  const vms: Record<string, Vm> = {};
  let noVlanUuid = '';
  let vxlanUuid = '';
  let vlanUuid = '';
  const attachments: Record<string, string> = {};
  const l3s: Record<string, string> = {};

  it('lab up made 4 hosts with running agents, registered as 2 KVM clusters of 2 hosts', async () => {
    const ns = await namespaces();
    for (let i = 1; i <= 4; i++) expect(ns).toContain(hostNs(i));
    const hosts = await api<any[]>('GET', '/v1/hosts', undefined, 200);
    expect(hosts.map((h) => [h.name, h.managementIp, h.clusterUuid]).sort()).toEqual([
      ['nf-lab-h1', '172.30.0.11', clusterUuid(0)],
      ['nf-lab-h2', '172.30.0.12', clusterUuid(0)],
      ['nf-lab-h3', '172.30.0.13', clusterUuid(1)],
      ['nf-lab-h4', '172.30.0.14', clusterUuid(1)],
    ]);
    const clusters = await api<any[]>('GET', '/v1/clusters', undefined, 200);
    expect(clusters.map((c) => c.hypervisorType)).toEqual(['KVM', 'KVM']);
    for (const h of lab.hosts) expect(h.agentPid).toEqual(expect.any(Number));
  });

  it('NoVlan on eth1 attached to both clusters: br_eth1 with eth1 in it on every host; VMs on different hosts and clusters ping each other', async () => {
    noVlanUuid = (await api('POST', '/v1/l2-networks', { name: 'data', zoneUuid: zone(), type: 'L2NoVlanNetwork', physicalInterface: 'eth1' }, 201))
      .uuid;
    attachments.noVlanC1 = await attach(noVlanUuid, 0);
    attachments.noVlanC2 = await attach(noVlanUuid, 1);
    for (let i = 1; i <= 4; i++) {
      const links = await linksIn(hostNs(i));
      expect(byName(links, 'br_eth1')?.kind).toBe('bridge');
      expect(byName(links, 'eth1')?.master).toBe('br_eth1');
      expect(byName(links, 'eth0')?.master).toBeNull();
    }
    l3s.data = (await api('POST', '/v1/l3-networks', { name: 'data-l3', l2NetworkUuid: noVlanUuid, cidr: '10.50.0.0/24' }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'data-range', l3NetworkUuid: l3s.data, startIp: '10.50.0.10', endIp: '10.50.0.49' }, 201);
    vms.a1 = await createVm('a1', l3s.data, 1);
    vms.a2 = await createVm('a2', l3s.data, 2);
    vms.a3 = await createVm('a3', l3s.data, 3);
    expect((await namespaces()).filter((n) => n.startsWith('nfvm-')).sort()).toEqual([vms.a1.netns, vms.a2.netns, vms.a3.netns].sort());
    const [eth0] = await ipJson<{ address: string; addr_info: { local: string; prefixlen: number }[] }>(
      ['addr', 'show', 'dev', 'eth0'],
      vms.a1.netns,
    );
    expect(eth0.address).toBe(vms.a1.mac);
    expect(eth0.addr_info.map((a) => `${a.local}/${a.prefixlen}`)).toContain(`${vms.a1.ip}/24`);
    expect(await ipJson(['route', 'show', 'default'], vms.a1.netns)).toEqual([
      expect.objectContaining({ dst: 'default', gateway: '10.50.0.1', dev: 'eth0' }),
    ]);
    const [hostEnd] = await ipJson<{ master: string }>(['link', 'show', 'dev', vmNicDeviceName(vms.a1.nicUuid)], hostNs(1));
    expect(hostEnd.master).toBe('br_eth1');
    expect(await pingEventually(vms.a1.netns, vms.a3.ip)).toBe(true);
    expect(await pingEventually(vms.a3.netns, vms.a2.ip)).toBe(true);
    expect(await pingEventually(vms.a1.netns, vms.a2.ip)).toBe(true);
  });

  it('VXLAN 5001 over eth0 attached to both clusters; realized on demand before a VM starts on a host that lost it; VMs across clusters ping', async () => {
    vxlanUuid = (
      await api('POST', '/v1/l2-networks', { name: 'overlay', zoneUuid: zone(), type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 5001 }, 201)
    ).uuid;
    attachments.vxlanC1 = await attach(vxlanUuid, 0);
    attachments.vxlanC2 = await attach(vxlanUuid, 1);
    for (let i = 1; i <= 4; i++) {
      const links = await linksIn(hostNs(i));
      expect(byName(links, 'vxlan5001')).toEqual({ ifname: 'vxlan5001', kind: 'vxlan', master: 'br_vx_5001' });
      expect(byName(links, 'br_vx_5001')?.kind).toBe('bridge');
    }
    const [detail] = await ipJson<{ linkinfo: { info_data: unknown } }>(['-d', 'link', 'show', 'dev', 'vxlan5001'], hostNs(2));
    expect(detail.linkinfo.info_data).toMatchObject({ id: 5001, group: '239.0.19.137', local: '172.30.0.12', link: 'eth0', port: 4789 });

    // h4 loses its VXLAN devices (say, a reboot): PreVmInstantiate puts them back for the VM.
    await sh(['ip', '-n', hostNs(4), 'link', 'del', 'dev', 'vxlan5001']);
    await sh(['ip', '-n', hostNs(4), 'link', 'del', 'dev', 'br_vx_5001']);
    expect(byName(await linksIn(hostNs(4)), 'vxlan5001')).toBeUndefined();

    // Same CIDR as the NoVlan L3: allowed on a different L2, and it makes the isolation check below meaningful.
    l3s.overlay = (await api('POST', '/v1/l3-networks', { name: 'overlay-l3', l2NetworkUuid: vxlanUuid, cidr: '10.50.0.0/24' }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'overlay-range', l3NetworkUuid: l3s.overlay, startIp: '10.50.0.50', endIp: '10.50.0.99' }, 201);
    vms.b2 = await createVm('b2', l3s.overlay, 2);
    vms.b4 = await createVm('b4', l3s.overlay, 4);
    expect(byName(await linksIn(hostNs(4)), 'vxlan5001')).toEqual({ ifname: 'vxlan5001', kind: 'vxlan', master: 'br_vx_5001' });
    expect(await pingEventually(vms.b2.netns, vms.b4.ip)).toBe(true);
    expect(await pingEventually(vms.b4.netns, vms.b2.ip)).toBe(true);
  });

  it('realizing again (a host reconnect re-realizes its L2 networks) changes nothing on the host', async () => {
    const snapshot = async () =>
      (await ipJson<{ ifindex: number; ifname: string; master?: string; flags: string[] }>(['link', 'show'], hostNs(2)))
        .map((l) => `${l.ifindex} ${l.ifname} ${l.master ?? '-'} ${l.flags.includes('UP') ? 'up' : 'down'}`)
        .sort();
    const before = await snapshot();
    await api('PATCH', `/v1/hosts/${hostUuid(2)}`, { state: 'Disconnected' }, 200);
    await api('PATCH', `/v1/hosts/${hostUuid(2)}`, { state: 'Connected' }, 200);
    // Same devices with the same ifindex: nothing was recreated.
    expect(await snapshot()).toEqual(before);
  });

  it('the same realizer through the netns executor (`ip netns exec nf-lab-h1 ip ...`) realizes idempotently and deletes only its devices', async () => {
    const recorded: string[][] = [];
    const netnsExec = new NetnsExecutor(hostNs(1));
    const hosts = new KvmHosts(() => ({
      description: netnsExec.description,
      run: (plan) => {
        recorded.push(...plan.map((c) => [...c.argv]));
        return netnsExec.run(plan);
      },
    }));
    const realizer = new KvmL2Realizer(hosts, 'L2VxlanNetwork');
    const l2 = { ...(await api('GET', `/v1/l2-networks/${vxlanUuid}`, undefined, 200)), uuid: 'direct', name: 'direct', vni: 7777 };
    const h1 = (await api<any[]>('GET', '/v1/hosts', undefined, 200)).find((h) => h.name === hostNs(1));
    const before = await extraLinks(1);
    await realizer.check(l2, h1);
    await realizer.realize(l2, h1);
    const realized = await extraLinks(1);
    expect(realized).toEqual([...before, 'br_vx_7777 bridge -', 'vxlan7777 vxlan br_vx_7777'].sort());
    recorded.length = 0;
    await realizer.realize(l2, h1);
    expect(recorded.filter((a) => !a.includes('-json'))).toEqual([]);
    await realizer.delete(l2, h1);
    expect(await extraLinks(1)).toEqual(before);
  });

  it('VMs on different L2 networks cannot reach each other, though their L3s share 10.50.0.0/24', async () => {
    expect(await ping(vms.a1.netns, vms.b2.ip)).toBe(false);
    expect(await ping(vms.b4.netns, vms.a3.ip)).toBe(false);
  });

  it('detaching NoVlan from cluster 2 removes br_eth1 from h3/h4 only (eth1 stays) and cuts exactly that connectivity', async () => {
    // A foreign machine plugged into h3's br_eth1 shows what the detach cuts off.
    await sh(['ip', 'netns', 'add', WITNESS_NS]);
    for (const argv of [
      ['ip', '-n', hostNs(3), 'link', 'add', 'name', WITNESS_VETH, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', WITNESS_NS],
      ['ip', '-n', hostNs(3), 'link', 'set', 'dev', WITNESS_VETH, 'master', 'br_eth1'],
      ['ip', '-n', hostNs(3), 'link', 'set', 'dev', WITNESS_VETH, 'up'],
      ['ip', '-n', WITNESS_NS, 'addr', 'add', `${WITNESS_IP}/24`, 'dev', 'eth0'],
      ['ip', '-n', WITNESS_NS, 'link', 'set', 'dev', 'eth0', 'up'],
    ]) {
      const r = await sh(argv);
      expect({ argv, stderr: r.stderr, code: r.code }).toEqual({ argv, stderr: '', code: 0 });
    }
    expect(await pingEventually(WITNESS_NS, vms.a1.ip)).toBe(true);

    // Refused while a VM on that L2 runs in the cluster (rule 7), then allowed.
    expect((await ts!.api('DELETE', `/v1/l2-cluster-attachments/${attachments.noVlanC2}`)).status).toBe(409);
    await api('DELETE', `/v1/vm-instances/${vms.a3.uuid}`, undefined, 204);
    expect((await namespaces()).includes(vms.a3.netns)).toBe(false);
    await api('DELETE', `/v1/l2-cluster-attachments/${attachments.noVlanC2}`, undefined, 204);

    for (const i of [3, 4]) {
      const links = await linksIn(hostNs(i));
      expect(byName(links, 'br_eth1')).toBeUndefined();
      expect(byName(links, 'eth1')).toMatchObject({ master: null });
      expect(byName(links, 'vxlan5001')).toMatchObject({ master: 'br_vx_5001' });
    }
    for (const i of [1, 2]) expect(byName(await linksIn(hostNs(i)), 'eth1')?.master).toBe('br_eth1');
    expect(byName(await linksIn(hostNs(3)), WITNESS_VETH)).toMatchObject({ master: null });

    expect(await ping(WITNESS_NS, vms.a1.ip)).toBe(false);
    expect(await pingEventually(vms.a1.netns, vms.a2.ip)).toBe(true);
    expect(await pingEventually(vms.b2.netns, vms.b4.ip)).toBe(true);
    await removeWitness();
  });

  it('a VLAN attach is refused at check on this kernel (no 802.1Q), naming the hosts, with nothing realized anywhere', async () => {
    vlanUuid = (
      await api('POST', '/v1/l2-networks', { name: 'vlan100', zoneUuid: zone(), type: 'L2VlanNetwork', physicalInterface: 'eth1', vlan: 100 }, 201)
    ).uuid;
    const before = await Promise.all([1, 2, 3, 4].map(extraLinks));
    const res = await ts!.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: vlanUuid, clusterUuid: clusterUuid(0) });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('L2_REALIZATION_FAILED');
    expect(res.body.error.message).toMatch(/check failed on 2 of 2 hosts/);
    expect(res.body.error.message).toMatch(/nothing was realized/);
    expect(res.body.error.details.map((d: { code: string }) => d.code)).toEqual(['L2_CHECK_FAILED', 'L2_CHECK_FAILED']);
    for (const name of ['nf-lab-h1', 'nf-lab-h2']) expect(res.body.error.message).toContain(`host '${name}'`);
    expect(res.body.error.details[0].message).toMatch(/the kernel does not support 802\.1Q VLAN devices/);
    expect(await Promise.all([1, 2, 3, 4].map(extraLinks))).toEqual(before);
    for (let i = 1; i <= 4; i++) {
      const names = (await linksIn(hostNs(i))).map((l) => l.ifname);
      expect(names.filter((n) => n === 'eth1.100' || n === 'br_eth1_100' || n.startsWith('nfchk'))).toEqual([]);
    }
    expect(await api<any[]>('GET', `/v1/l2-cluster-attachments?l2NetworkUuid=${vlanUuid}`, undefined, 200)).toEqual([]);
  });

  it('API deletes remove every VM namespace and every device the networks created; hosts keep exactly their own interfaces', async () => {
    for (const key of ['a1', 'a2', 'b2', 'b4']) await api('DELETE', `/v1/vm-instances/${vms[key].uuid}`, undefined, 204);
    await api('DELETE', `/v1/l3-networks/${l3s.data}`, undefined, 204);
    await api('DELETE', `/v1/l3-networks/${l3s.overlay}`, undefined, 204);
    for (const key of ['noVlanC1', 'vxlanC1', 'vxlanC2']) await api('DELETE', `/v1/l2-cluster-attachments/${attachments[key]}`, undefined, 204);
    for (const uuid of [noVlanUuid, vxlanUuid, vlanUuid]) await api('DELETE', `/v1/l2-networks/${uuid}`, undefined, 204);
    expect((await namespaces()).filter((n) => n.startsWith('nfvm-'))).toEqual([]);
    for (let i = 1; i <= 4; i++) {
      expect(await extraLinks(i)).toEqual([]);
      expect(byName(await linksIn(hostNs(i)), 'eth1')).toMatchObject({ master: null });
    }
  });

  it('lab down deregisters the lab and leaves no lab namespaces, VM namespaces, lab links or agent processes', async () => {
    const pids = lab.hosts.map((h) => h.agentPid as number);
    const report = await labDown({ stateDir: path.join(stateDir, 'lab'), server: { token: ts!.token } });
    expect(report.warnings).toEqual([]);
    expect((await namespaces()).filter((n) => n.startsWith('nf-lab-') || n.startsWith('nfvm-') || n === WITNESS_NS)).toEqual([]);
    const rootLinks = (await linksIn('')).map((l) => l.ifname);
    expect(rootLinks.filter((n) => n.startsWith('nflab-'))).toEqual([]);
    for (const pid of pids) expect(fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')).toBe(false);
    expect(await api<any[]>('GET', '/v1/hosts', undefined, 200)).toEqual([]);
    expect(await api<any[]>('GET', '/v1/clusters', undefined, 200)).toEqual([]);
    expect(await api<any[]>('GET', '/v1/zones', undefined, 200)).toEqual([]);
    expect(readLabState(path.join(stateDir, 'lab'))).toBeNull();
  });
});
