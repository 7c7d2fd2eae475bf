/**
 * Network services on a real data plane (needs root; FAILS, never skips, when the machine
 * can't run it): a control server with the KVM plugin and `lab up` with 3 hosts in one
 * cluster, then through the REST API, proven with packets and processes on the hosts:
 *
 * - a virtual router (DHCP, DNS, SNAT) on a VXLAN guest network leaving through the lab's
 *   public network (eth2): VM namespaces take their address with a real DHCP client
 *   (udhcpc) and get the router, DNS server, domain and MTU the L3 declares; they resolve
 *   each other by name; a ping to the outside namespace arrives from the router's public
 *   address, never from the VM's;
 * - a second router without SNAT: its VM gets a lease but does not get out;
 * - a VM deleted: its lease and record are gone, the other VM keeps its lease;
 * - flat DHCP and DNS on a NoVlan network: a DHCP namespace on each host that runs its VMs,
 *   answering only that host's VMs (nftables keeps it off eth1);
 * - faults injected into a router start and into one host's flat DHCP: 409 naming the host,
 *   nothing left running;
 * - detaching the services removes dnsmasq, rules and the router: the hosts are as before.
 *
 * One scenario, steps in order; afterAll tears the lab down even when a step failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labDown, labUp, LAB_OUTSIDE_IP, LAB_OUTSIDE_NETNS, readLabState, type LabState, LAB_HOST_INTERFACES } from '../../hosts/lab/lab';
import { vmNicDeviceName } from '../../hosts/linux/device-names';
import { vmNetnsName } from '../../hosts/linux/names';
import { flatDhcpApplianceUuid, flatDhcpNicUuid, virtualRouterUuidOf } from '../../server/network-services';
import { acquireLabLock, assertNetnsPrerequisites, bundleAgentCli, dnsmasqProcesses, ipJson, linksIn, namespaces, nftMatch, packetCounters, pingEventually, sh } from '../helpers/netns-lab';
import { startTestServer, type TestServer } from '../helpers/server';

jest.setTimeout(90_000);

const AGENT_PORT = 7071;

let ts: TestServer | undefined;
let stateDir = '';
let cli: string[] = [];
let lab: LabState;
let releaseLab: (() => void) | undefined;

const hostUuid = (i: number) => lab.registration!.hostUuids[i - 1];
const hostNs = (i: number) => `nf-lab-h${i}`;
const agentDir = (i: number) => lab.hosts[i - 1].agentStateDir;
const dnsmasqDir = (i: number, netns: string) => path.join(agentDir(i), 'services', 'dnsmasq', netns);
const readLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);

async function api<T = any>(method: string, urlPath: string, body?: unknown, expected?: number): Promise<T> {
  const res = await ts!.api(method, urlPath, body);
  if (expected !== undefined && res.status !== expected) throw new Error(`${method} ${urlPath} answered ${res.status}, expected ${expected}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

interface Vm {
  uuid: string;
  hostname: string;
  ip: string;
  mac: string;
  netns: string;
}

async function createVm(name: string, l3Uuid: string, hostIndex: number): Promise<Vm> {
  const vm = await api('POST', '/v1/vm-instances', { name, l3NetworkUuids: [l3Uuid], hostUuid: hostUuid(hostIndex) }, 201);
  return { uuid: vm.uuid, hostname: vm.hostname, ip: vm.nics[0].ip, mac: vm.nics[0].mac, netns: vmNetnsName(vm.uuid) };
}

/** The lease the VM's DHCP client took, as the agent recorded it. */
function leaseOf(hostIndex: number, vm: Vm): Record<string, any> | null {
  const file = path.join(agentDir(hostIndex), 'services', 'leases', vm.netns, 'eth0.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

/** `busybox nslookup name server` from inside a VM: the addresses answered (empty when none). */
async function resolve(vm: Vm, name: string, server: string): Promise<string[]> {
  const r = await sh(['ip', 'netns', 'exec', vm.netns, 'busybox', 'nslookup', '-type=a', name, server], 10_000);
  if (r.code !== 0) return [];
  const answer = r.stdout.split('\n').slice(r.stdout.split('\n').findIndex((l) => l.startsWith('Name:')));
  return answer.flatMap((l) => (/^Address: ([0-9.]+)$/.exec(l.trim()) ? [/^Address: ([0-9.]+)$/.exec(l.trim())![1]] : []));
}

/** The dnsmasq running for `netns` (its files are in that namespace's directory). */
async function dnsmasqFor(netns: string): Promise<number[]> {
  return (await dnsmasqProcesses()).filter((p) => p.args.includes(`/${netns}/`)).map((p) => p.pid);
}

async function allDnsmasq(): Promise<number[]> {
  return (await dnsmasqProcesses()).map((p) => p.pid).sort();
}

/** Counts ICMP echo requests reaching the outside: [from `expected` (the router's public address), from anyone else]. */
function countOutsidePings(expected: string): Promise<() => Promise<number[]>> {
  return packetCounters(LAB_OUTSIDE_NETNS, 'pings', [
    [nftMatch.icmpEchoRequest(), nftMatch.source(expected)],
    [nftMatch.icmpEchoRequest(), nftMatch.source(expected, '!=')],
  ]);
}

/** What netforge may have put on a host besides the lab's own interfaces. */
async function hostState(i: number): Promise<{ links: string[]; tables: string[] }> {
  const links = (await linksIn(hostNs(i))).filter((l) => !LAB_HOST_INTERFACES.includes(l.ifname)).map((l) => `${l.ifname} ${l.kind ?? '-'} ${l.master ?? '-'}`);
  const tables = await sh(['ip', 'netns', 'exec', hostNs(i), 'nft', 'list', 'tables']);
  return { links: links.sort(), tables: tables.stdout.trim().split('\n').filter(Boolean).sort() };
}

beforeAll(async () => {
  await assertNetnsPrerequisites();
  releaseLab = await acquireLabLock();
  cli = await bundleAgentCli();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-services-e2e-'));
  // dnsmasq runs as nobody: the agents' state directories must be reachable.
  fs.chmodSync(stateDir, 0o711);
  ts = await startTestServer({ kvmAgentPort: AGENT_PORT });
  lab = await labUp({ hosts: 3, clusters: 1, stateDir: path.join(stateDir, 'lab'), agentPort: AGENT_PORT, server: { url: ts.url, token: ts.token }, cliCommand: cli });
}, 240_000);

afterAll(async () => {
  if (stateDir && readLabState(path.join(stateDir, 'lab'))) await labDown({ stateDir: path.join(stateDir, 'lab') });
  await ts?.stop();
  if (cli[1]) fs.rmSync(cli[1], { force: true });
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});
afterAll(() => releaseLab?.());

describe('network services on the KVM lab', () => {
  const net: Record<string, string> = {};
  const vms: Record<string, Vm> = {};
  let vrouter = '';
  let flat = '';
  let before: Record<number, { links: string[]; tables: string[] }> = {};

  it('the lab has a public network: eth2 on every host, the outside namespace at its gateway', async () => {
    const zone = lab.registration!.zoneUuid!;
    const cluster = lab.registration!.clusterUuids[0];
    for (const [key, body] of [
      ['guestL2', { name: 'guest', zoneUuid: zone, type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 6100 }],
      ['isoL2', { name: 'iso', zoneUuid: zone, type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 6101 }],
      ['publicL2', { name: 'public', zoneUuid: zone, type: 'L2NoVlanNetwork', physicalInterface: 'eth2' }],
      ['dataL2', { name: 'data', zoneUuid: zone, type: 'L2NoVlanNetwork', physicalInterface: 'eth1' }],
    ] as const) {
      net[key] = (await api('POST', '/v1/l2-networks', body, 201)).uuid;
      await api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: net[key], clusterUuid: cluster }, 201);
    }
    net.public = (await api('POST', '/v1/l3-networks', { name: 'public', l2NetworkUuid: net.publicL2, cidr: '203.0.113.0/24', gateway: LAB_OUTSIDE_IP }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'public-r', l3NetworkUuid: net.public, startIp: '203.0.113.10', endIp: '203.0.113.19' }, 201);
    net.app = (await api('POST', '/v1/l3-networks', { name: 'app', l2NetworkUuid: net.guestL2, cidr: '10.70.0.0/24', dnsDomain: 'app.example', dnsServers: [LAB_OUTSIDE_IP] }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'app-r', l3NetworkUuid: net.app, startIp: '10.70.0.10', endIp: '10.70.0.99' }, 201);
    for (let i = 1; i <= 3; i++) before[i] = await hostState(i);
    expect((await linksIn(hostNs(1))).find((l) => l.ifname === 'eth2')?.master).toBe('br_eth2');
    expect((await namespaces())).toContain(LAB_OUTSIDE_NETNS);
    vrouter = (await api<any[]>('GET', '/v1/network-service-providers?name=vrouter', undefined, 200))[0].uuid;
    flat = (await api<any[]>('GET', '/v1/network-service-providers?name=flat', undefined, 200))[0].uuid;
  });

  it('attaching DHCP, DNS and SNAT starts a virtual router with the gateway address, a public address and dnsmasq', async () => {
    net.appServices = (
      await api('POST', '/v1/network-service-attachments', { l3NetworkUuid: net.app, providerUuid: vrouter, services: ['DHCP', 'DNS', 'SNAT'], publicL3NetworkUuid: net.public }, 201)
    ).uuid;
    const [router] = await api<any[]>(`GET`, `/v1/virtual-routers?l3NetworkUuid=${net.app}`, undefined, 200);
    expect(router).toMatchObject({ state: 'Running', hostUuid: hostUuid(1), guestIp: '10.70.0.1', publicIp: '203.0.113.19', uuid: virtualRouterUuidOf(net.app) });
    const ns = vmNetnsName(router.uuid);
    const addrs = await ipJson<{ ifname: string; addr_info: { local: string }[] }>(['addr', 'show'], ns);
    expect(addrs.find((a) => a.ifname === 'eth0')?.addr_info.map((a) => a.local)).toContain('203.0.113.19');
    expect(addrs.find((a) => a.ifname === 'eth1')?.addr_info.map((a) => a.local)).toContain('10.70.0.1');
    expect(await dnsmasqFor(ns)).toHaveLength(1);
    const rules = await sh(['ip', 'netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'netforge']);
    expect(rules.stdout).toMatch(/oifname "eth0" ip saddr 10\.70\.0\.0\/24 counter packets \d+ bytes \d+ masquerade/);
  });

  it('VMs take their address by DHCP and get the router, DNS server, domain and MTU the L3 declares', async () => {
    vms.a = await createVm('web a', net.app, 2);
    vms.b = await createVm('web-b', net.app, 3);
    for (const [vm, host] of [[vms.a, 2], [vms.b, 3]] as const) {
      expect(leaseOf(host, vm)).toMatchObject({ ip: vm.ip, prefix: 24, routers: ['10.70.0.1'], dnsServers: ['10.70.0.1'], domain: 'app.example', mtu: 1450, serverId: '10.70.0.1', hostname: vm.hostname });
      const [eth0] = await ipJson<{ mtu: number; addr_info: { local: string }[] }>(['addr', 'show', 'dev', 'eth0'], vm.netns);
      expect(eth0.addr_info.map((a) => a.local)).toContain(vm.ip);
      expect(eth0.mtu).toBe(1450);
      expect(await ipJson(['route', 'show', 'default'], vm.netns)).toEqual([expect.objectContaining({ gateway: '10.70.0.1', dev: 'eth0' })]);
    }
    expect(vms.a.hostname).toBe('web-a');
    // dnsmasq answered from its static leases.
    const log = fs.readFileSync(path.join(dnsmasqDir(1, vmNetnsName(virtualRouterUuidOf(net.app))), 'log'), 'utf8');
    expect(log).toContain(`DHCPACK(eth1) ${vms.a.ip} ${vms.a.mac} web-a`);
  });

  it('two VMs resolve each other by name through the router', async () => {
    expect(await resolve(vms.a, 'web-b.app.example', '10.70.0.1')).toEqual([vms.b.ip]);
    expect(await resolve(vms.b, 'web-a.app.example', '10.70.0.1')).toEqual([vms.a.ip]);
    expect(await resolve(vms.b, 'web-a', '10.70.0.1')).toEqual([vms.a.ip]);
    expect(await resolve(vms.a, 'nothere.app.example', '10.70.0.1')).toEqual([]);
  });

  it("a VM reaches the outside through SNAT, and the outside sees the router's public address", async () => {
    const outsidePings = await countOutsidePings('203.0.113.19');
    expect(await pingEventually(vms.a.netns, LAB_OUTSIDE_IP)).toBe(true);
    const [fromRouter, fromOthers] = await outsidePings();
    expect(fromRouter).toBeGreaterThan(0);
    expect(fromOthers).toBe(0);
  });

  it("a reconnect of the router's host re-realizes its services: lost rules come back, the same dnsmasq and devices stay, traffic flows on", async () => {
    const routerNs = vmNetnsName(virtualRouterUuidOf(net.app));
    const snapshot = async () => ({
      dnsmasq: await dnsmasqFor(routerNs),
      links: (await ipJson<{ ifindex: number; ifname: string }>(['link', 'show'], routerNs)).map((l) => `${l.ifindex} ${l.ifname}`),
      rules: (await sh(['ip', 'netns', 'exec', routerNs, 'nft', 'list', 'table', 'ip', 'netforge'])).stdout.replace(/packets \d+ bytes \d+/g, ''),
      hostsFile: readLines(path.join(dnsmasqDir(1, routerNs), 'dhcp-hosts')),
    });
    const was = await snapshot();
    await api('PATCH', `/v1/hosts/${hostUuid(1)}`, { state: 'Disconnected' }, 200);
    // While it was away, someone flushed the router's rules: the reconnect puts them back.
    expect((await sh(['ip', 'netns', 'exec', routerNs, 'nft', 'delete', 'table', 'ip', 'netforge'])).code).toBe(0);
    await api('PATCH', `/v1/hosts/${hostUuid(1)}`, { state: 'Connected' }, 200);
    expect(await snapshot()).toEqual(was);
    expect((await api<any[]>(`GET`, `/v1/virtual-routers?l3NetworkUuid=${net.app}`, undefined, 200))[0].state).toBe('Running');
    expect(await pingEventually(vms.a.netns, LAB_OUTSIDE_IP)).toBe(true);
    expect(await resolve(vms.a, 'web-b.app.example', '10.70.0.1')).toEqual([vms.b.ip]);
  });

  it('a VM on an L3 served without SNAT gets its lease but does not get out', async () => {
    net.iso = (await api('POST', '/v1/l3-networks', { name: 'iso', l2NetworkUuid: net.isoL2, cidr: '10.71.0.0/24' }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'iso-r', l3NetworkUuid: net.iso, startIp: '10.71.0.10', endIp: '10.71.0.99' }, 201);
    await api('POST', '/v1/network-service-attachments', { l3NetworkUuid: net.iso, providerUuid: vrouter, services: ['DHCP', 'DNS'], publicL3NetworkUuid: net.public }, 201);
    vms.iso = await createVm('iso', net.iso, 3);
    expect(leaseOf(3, vms.iso)).toMatchObject({ ip: vms.iso.ip, routers: ['10.71.0.1'] });
    const outsidePings = await countOutsidePings('203.0.113.18');
    expect(await pingEventually(vms.iso.netns, LAB_OUTSIDE_IP, 2)).toBe(false);
    expect(await outsidePings()).toEqual([0, 0]);
    // The router itself answers: it is the gateway, it just doesn't forward.
    expect(await pingEventually(vms.iso.netns, '10.71.0.1')).toBe(true);
  });

  it("after a VM is deleted its lease and record are gone; the other VM's lease stays", async () => {
    const routerNs = vmNetnsName(virtualRouterUuidOf(net.app));
    const pid = (await dnsmasqFor(routerNs))[0];
    await api('DELETE', `/v1/vm-instances/${vms.b.uuid}`, undefined, 204);
    const hostsFile = readLines(path.join(dnsmasqDir(1, routerNs), 'dhcp-hosts'));
    expect(hostsFile).toEqual([`${vms.a.mac},${vms.a.ip},web-a,infinite`]);
    expect(readLines(path.join(dnsmasqDir(1, routerNs), 'dns-hosts'))).toEqual([`${vms.a.ip} web-a.app.example web-a`]);
    // Reloaded, not restarted: the same dnsmasq serves on.
    expect(await dnsmasqFor(routerNs)).toEqual([pid]);
    expect(await resolve(vms.a, 'web-b.app.example', '10.70.0.1')).toEqual([]);
    expect(await resolve(vms.a, 'web-a.app.example', '10.70.0.1')).toEqual([vms.a.ip]);
    expect(leaseOf(2, vms.a)).toMatchObject({ ip: vms.a.ip });
    expect(await pingEventually(vms.a.netns, '10.70.0.1')).toBe(true);
    expect(await namespaces()).not.toContain(vms.b.netns);
  });

  it("flat DHCP and DNS serve each host's VMs from that host, kept off the physical interface", async () => {
    net.flat = (await api('POST', '/v1/l3-networks', { name: 'flatnet', l2NetworkUuid: net.dataL2, cidr: '10.72.0.0/24', dnsDomain: 'flat.example', dnsServers: ['192.0.2.53'] }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'flat-r', l3NetworkUuid: net.flat, startIp: '10.72.0.10', endIp: '10.72.0.99' }, 201);
    net.flatServices = (await api('POST', '/v1/network-service-attachments', { l3NetworkUuid: net.flat, providerUuid: flat, services: ['DHCP', 'DNS'] }, 201)).uuid;
    vms.f1 = await createVm('f1', net.flat, 1);
    vms.f2 = await createVm('f2', net.flat, 2);
    const server = '10.72.0.99'; // the top of the range: the DHCP server's, the same on every host
    for (const [vm, host, other] of [[vms.f1, 1, vms.f2], [vms.f2, 2, vms.f1]] as const) {
      const ns = vmNetnsName(flatDhcpApplianceUuid(net.flat, hostUuid(host)));
      // The flat server answers the L3's names; the L3's own servers follow it for the rest.
      expect(leaseOf(host, vm)).toMatchObject({ ip: vm.ip, serverId: server, routers: ['10.72.0.1'], dnsServers: [server, '192.0.2.53'], domain: 'flat.example' });
      expect(readLines(path.join(dnsmasqDir(host, ns), 'dhcp-hosts'))).toEqual([`${vm.mac},${vm.ip},${vm.hostname},infinite`]);
      const log = fs.readFileSync(path.join(dnsmasqDir(host, ns), 'log'), 'utf8');
      expect(log).toContain(`DHCPACK(eth0) ${vm.ip} ${vm.mac}`);
      expect(log).not.toContain(other.mac);
      const tables = await sh(['ip', 'netns', 'exec', hostNs(host), 'nft', 'list', 'ruleset']);
      const port = vmNicDeviceName(flatDhcpNicUuid(flatDhcpApplianceUuid(net.flat, hostUuid(host))));
      expect(tables.stdout).toContain(`iifname "${port}" oifname "eth1" counter`);
      expect(await resolve(vm, `${other.hostname}.flat.example`, server)).toEqual([other.ip]);
      // It forwards nothing (it has no way out): an outside name is refused at once, not timed out.
      const outside = await sh(['ip', 'netns', 'exec', vm.netns, 'busybox', 'nslookup', '-type=a', 'example.org', server], 10_000);
      expect(outside.stdout + outside.stderr).toMatch(/REFUSED/);
    }
    // h3 runs no VM of the network: no DHCP namespace there.
    expect(await namespaces()).not.toContain(vmNetnsName(flatDhcpApplianceUuid(net.flat, hostUuid(3))));
    expect(await pingEventually(vms.f1.netns, vms.f2.ip)).toBe(true);
  });

  it('a fault in a router start rolls back and names the host; nothing is left running', async () => {
    const l3 = (await api('POST', '/v1/l3-networks', { name: 'faulty', l2NetworkUuid: net.isoL2, cidr: '10.73.0.0/24' }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'faulty-r', l3NetworkUuid: l3, startIp: '10.73.0.10', endIp: '10.73.0.99' }, 201);
    // Someone else's namespace with the name the router's would get.
    const ns = vmNetnsName(virtualRouterUuidOf(l3));
    await sh(['ip', 'netns', 'add', ns]);
    try {
      const dnsmasqBefore = await allDnsmasq();
      const res = await ts!.api('POST', '/v1/network-service-attachments', { l3NetworkUuid: l3, providerUuid: vrouter, services: ['DHCP', 'SNAT'], publicL3NetworkUuid: net.public });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain("host 'nf-lab-h");
      expect(res.body.error.details[0].conflicting).toMatchObject({ type: 'Host' });
      expect(await api<any[]>('GET', `/v1/network-service-attachments?l3NetworkUuid=${l3}`, undefined, 200)).toEqual([]);
      expect(await api<any[]>('GET', `/v1/virtual-routers?l3NetworkUuid=${l3}`, undefined, 200)).toEqual([]);
      expect((await allDnsmasq()).sort()).toEqual(dnsmasqBefore.sort());
      expect(await linksIn(ns)).toEqual([expect.objectContaining({ ifname: 'lo' })]);
    } finally {
      await sh(['ip', 'netns', 'del', ns]);
    }
  });

  it("a fault in one host's flat DHCP rolls back the others and names the host", async () => {
    const l3 = (await api('POST', '/v1/l3-networks', { name: 'flat2', l2NetworkUuid: net.dataL2, cidr: '10.74.0.0/24' }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'flat2-r', l3NetworkUuid: l3, startIp: '10.74.0.10', endIp: '10.74.0.99' }, 201);
    const g1 = await createVm('g1', l3, 1);
    const g2 = await createVm('g2', l3, 2);
    // h2 already has a device named like the port of its DHCP namespace.
    const port = vmNicDeviceName(flatDhcpNicUuid(flatDhcpApplianceUuid(l3, hostUuid(2))));
    const made = await sh(['ip', '-n', hostNs(2), 'link', 'add', port, 'type', 'bridge']);
    expect(made.stderr).toBe('');
    const dnsmasqBefore = await allDnsmasq();
    const res = await ts!.api('POST', '/v1/network-service-attachments', { l3NetworkUuid: l3, providerUuid: flat, services: ['DHCP'] });
    expect(res.status).toBe(409);
    expect(res.body.error.details[0]).toMatchObject({ conflicting: { type: 'Host', uuid: hostUuid(2), name: 'nf-lab-h2' } });
    expect(await api<any[]>('GET', `/v1/network-service-attachments?l3NetworkUuid=${l3}`, undefined, 200)).toEqual([]);
    expect((await allDnsmasq()).sort()).toEqual(dnsmasqBefore.sort());
    expect(await namespaces()).not.toContain(vmNetnsName(flatDhcpApplianceUuid(l3, hostUuid(1))));
    await sh(['ip', '-n', hostNs(2), 'link', 'del', port]);
    await api('DELETE', `/v1/vm-instances/${g1.uuid}`, undefined, 204);
    await api('DELETE', `/v1/vm-instances/${g2.uuid}`, undefined, 204);
  });

  it('detaching the services removes dnsmasq, rules and routers, leaving the hosts as before', async () => {
    for (const vm of Object.values(vms)) if ((await namespaces()).includes(vm.netns)) await api('DELETE', `/v1/vm-instances/${vm.uuid}`, undefined, 204);
    for (const a of await api<any[]>('GET', '/v1/network-service-attachments', undefined, 200)) await api('DELETE', `/v1/network-service-attachments/${a.uuid}`, undefined, 204);
    expect(await api<any[]>('GET', '/v1/virtual-routers', undefined, 200)).toEqual([]);
    expect(await allDnsmasq()).toEqual([]);
    expect((await namespaces()).filter((n) => n.startsWith('nfvm-'))).toEqual([]);
    for (let i = 1; i <= 3; i++) {
      const now = await hostState(i);
      // VXLAN devices a VM realized on demand stay with their attachment; nothing of the services is left.
      expect(now.tables).toEqual(before[i].tables);
      expect(now.links.filter((l) => !/^(vxlan|br_vx_)/.test(l))).toEqual(before[i].links.filter((l) => !/^(vxlan|br_vx_)/.test(l)));
    }
  });
});
