/**
 * EIPs, port forwarding and security groups proven with packets on the KVM lab (root, real
 * network namespaces, real agents, nftables in the router and on the hosts; FAILS, never
 * skips, when the machine can't run it). The outside namespace on the public network plays
 * the internet; VMs serve with busybox httpd and fetch with busybox wget.
 *
 * - EIP: outside -> VIP reaches the VM's listener; the VM's outbound traffic arrives from
 *   the VIP; after the EIP is deleted, neither.
 * - Port forwarding: outside -> VIP:8022 reaches VM:22; a rule whose allowed CIDR leaves the
 *   outside out refuses it; other ports are closed.
 * - Security groups: tcp/5432 from group app to group db: a member of app connects, a VM
 *   outside app cannot until it joins app (the rule untouched), not even with a member's
 *   address; removing the rule cuts new connections; replies pass; ICMP follows its own rule.
 * - Deleting everything leaves the router and the hosts without a trace of them.
 * - Flat EIP (a flat network on eth1 whose gateway is outside netforge): the EIP's namespace
 *   on the VM's host answers as the VM's gateway, to that VM only; outside -> VIP reaches the
 *   VM, the VM leaves as the VIP; after the EIP is deleted, neither, and neither its
 *   namespace nor its steering table is left.
 *
 * One scenario, steps in order; afterAll kills the listeners and tears the lab down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labDown, labUp, LAB_OUTSIDE_IP, LAB_OUTSIDE_NETNS, readLabState, type LabState } from '../../hosts/lab/lab';
import { vmNetnsName } from '../../hosts/linux/names';
import { flatEipApplianceUuid, virtualRouterUuidOf } from '../../server/network-services';
import { acquireLabLock, assertNetnsPrerequisites, bundleAgentCli, ipJson, nftMatch, packetCounters, pingEventually, sh } from '../helpers/netns-lab';
import { startTestServer, type TestServer } from '../helpers/server';

jest.setTimeout(120_000);

const AGENT_PORT = 7072;

let ts: TestServer | undefined;
let stateDir = '';
let cli: string[] = [];
let lab: LabState;
let releaseLab: (() => void) | undefined;
const listeners: ChildProcess[] = [];

const hostUuid = (i: number) => lab.registration!.hostUuids[i - 1];
const hostNs = (i: number) => `nf-lab-h${i}`;

async function api<T = any>(method: string, urlPath: string, body?: unknown, expected?: number): Promise<T> {
  const res = await ts!.api(method, urlPath, body);
  if (expected !== undefined && res.status !== expected) throw new Error(`${method} ${urlPath} answered ${res.status}, expected ${expected}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

interface Vm {
  uuid: string;
  ip: string;
  netns: string;
}

async function createVm(name: string, l3Uuid: string, hostIndex: number): Promise<Vm> {
  const vm = await api('POST', '/v1/vm-instances', { name, l3NetworkUuids: [l3Uuid], hostUuid: hostUuid(hostIndex) }, 201);
  return { uuid: vm.uuid, ip: vm.nics[0].ip, netns: vmNetnsName(vm.uuid) };
}

/** busybox httpd in `netns` on `port`, answering GET / with `body`. */
async function serve(netns: string, port: number, body: string): Promise<void> {
  const root = fs.mkdtempSync(path.join(stateDir, 'www-'));
  fs.writeFileSync(path.join(root, 'index.html'), body);
  const child = spawn('ip', ['netns', 'exec', netns, 'busybox', 'httpd', '-f', '-p', String(port), '-h', root], { stdio: 'ignore' });
  listeners.push(child);
  for (let i = 0; i < 50; i++) {
    const r = await sh(['ip', 'netns', 'exec', netns, 'busybox', 'timeout', '1', 'busybox', 'wget', '-q', '-O', '-', `http://127.0.0.1:${port}/`], 5_000);
    if (r.stdout === body) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`httpd on ${netns}:${port} did not come up`);
}

/** What `netns` gets for GET http://ip:port/ (null: no answer within 2 s; busybox wget's own -T crashes, so timeout). */
async function fetchFrom(netns: string, ip: string, port: number): Promise<string | null> {
  const r = await sh(['ip', 'netns', 'exec', netns, 'busybox', 'timeout', '2', 'busybox', 'wget', '-q', '-O', '-', `http://${ip}:${port}/`], 10_000);
  return r.code === 0 ? r.stdout : null;
}

beforeAll(async () => {
  await assertNetnsPrerequisites();
  releaseLab = await acquireLabLock();
  cli = await bundleAgentCli();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-eip-sg-e2e-'));
  fs.chmodSync(stateDir, 0o711);
  ts = await startTestServer({ kvmAgentPort: AGENT_PORT });
  lab = await labUp({ hosts: 3, clusters: 1, stateDir: path.join(stateDir, 'lab'), agentPort: AGENT_PORT, server: { url: ts.url, token: ts.token }, cliCommand: cli });
}, 240_000);

afterAll(async () => {
  for (const l of listeners) l.kill('SIGKILL');
  for (const t of ['nftest_eip', 'nftest_flateip']) await sh(['ip', 'netns', 'exec', LAB_OUTSIDE_NETNS, 'nft', 'delete', 'table', 'ip', t]);
  if (stateDir && readLabState(path.join(stateDir, 'lab'))) await labDown({ stateDir: path.join(stateDir, 'lab') });
  await ts?.stop();
  if (cli[1]) fs.rmSync(cli[1], { force: true });
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});
afterAll(() => releaseLab?.());

describe('EIP, port forwarding and security groups on the KVM lab', () => {
  const net: Record<string, string> = {};
  const vms: Record<string, Vm> = {};
  const ids: Record<string, string> = {};
  let routerNs = '';

  it('a guest network served by a virtual router with DHCP, SNAT, EIP and port forwarding, and by security groups', async () => {
    const zone = lab.registration!.zoneUuid!;
    const cluster = lab.registration!.clusterUuids[0];
    net.guestL2 = (await api('POST', '/v1/l2-networks', { name: 'guest', zoneUuid: zone, type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 6200 }, 201)).uuid;
    net.publicL2 = (await api('POST', '/v1/l2-networks', { name: 'public', zoneUuid: zone, type: 'L2NoVlanNetwork', physicalInterface: 'eth2' }, 201)).uuid;
    for (const l2 of [net.guestL2, net.publicL2]) await api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2, clusterUuid: cluster }, 201);
    net.public = (await api('POST', '/v1/l3-networks', { name: 'public', l2NetworkUuid: net.publicL2, cidr: '203.0.113.0/24', gateway: LAB_OUTSIDE_IP }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'public-r', l3NetworkUuid: net.public, startIp: '203.0.113.10', endIp: '203.0.113.29' }, 201);
    net.app = (await api('POST', '/v1/l3-networks', { name: 'app', l2NetworkUuid: net.guestL2, cidr: '10.80.0.0/24' }, 201)).uuid;
    await api('POST', '/v1/ip-ranges', { name: 'app-r', l3NetworkUuid: net.app, startIp: '10.80.0.10', endIp: '10.80.0.99' }, 201);
    const vrouter = (await api<any[]>('GET', '/v1/network-service-providers?name=vrouter', undefined, 200))[0].uuid;
    const sg = (await api<any[]>('GET', '/v1/network-service-providers?name=securitygroup', undefined, 200))[0].uuid;
    await api('POST', '/v1/network-service-attachments', { l3NetworkUuid: net.app, providerUuid: vrouter, services: ['DHCP', 'SNAT', 'EIP', 'PortForwarding'], publicL3NetworkUuid: net.public }, 201);
    await api('POST', '/v1/network-service-attachments', { l3NetworkUuid: net.app, providerUuid: sg, services: ['SecurityGroup'] }, 201);
    routerNs = vmNetnsName(virtualRouterUuidOf(net.app));
    vms.web = await createVm('web', net.app, 2);
    vms.db = await createVm('db', net.app, 3);
    vms.client = await createVm('client', net.app, 2);
    vms.other = await createVm('other', net.app, 1);
    await serve(vms.web.netns, 80, 'hello from web');
    await serve(vms.web.netns, 22, 'ssh? no, http on 22');
    await serve(vms.db.netns, 5432, 'hello from db');
    // Nothing reaches the VMs from outside yet, and they reach each other (no group yet).
    expect(await fetchFrom(vms.other.netns, vms.db.ip, 5432)).toBe('hello from db');
  });

  it('EIP: the outside reaches the VM through its VIP, and the VM leaves with the VIP as source', async () => {
    const vip = await api('POST', '/v1/vips', { name: 'web-vip', l3NetworkUuid: net.public }, 201);
    ids.vip = vip.uuid;
    ids.eip = (await api('POST', '/v1/eips', { name: 'web-eip', vipUuid: vip.uuid, vmInstanceUuid: vms.web.uuid }, 201)).uuid;
    expect(await fetchFrom(LAB_OUTSIDE_NETNS, vip.ip, 80)).toBe('hello from web');
    const pingsFromVip = await packetCounters(LAB_OUTSIDE_NETNS, 'eip', [[nftMatch.icmpEchoRequest(), nftMatch.source(vip.ip)]]);
    const fromVip = async () => (await pingsFromVip())[0];
    expect(await pingEventually(vms.web.netns, LAB_OUTSIDE_IP)).toBe(true);
    expect(await fromVip()).toBeGreaterThan(0);
    // The VIP is an address of the router's public NIC.
    const [eth0] = await ipJson<{ addr_info: { local: string }[] }>(['addr', 'show', 'dev', 'eth0'], routerNs);
    expect(eth0.addr_info.map((a) => a.local)).toContain(vip.ip);

    await api('DELETE', `/v1/eips/${ids.eip}`, undefined, 204);
    expect(await fetchFrom(LAB_OUTSIDE_NETNS, vip.ip, 80)).toBeNull();
    const before = await fromVip();
    expect(await pingEventually(vms.web.netns, LAB_OUTSIDE_IP)).toBe(true); // still out, through SNAT
    expect(await fromVip()).toBe(before);
    const [after] = await ipJson<{ addr_info: { local: string }[] }>(['addr', 'show', 'dev', 'eth0'], routerNs);
    expect(after.addr_info.map((a) => a.local)).not.toContain(vip.ip);
  });

  it('port forwarding: VIP:8022 reaches VM:22 from the allowed sources only; other ports are closed', async () => {
    const vip = await api('POST', '/v1/vips', { name: 'fwd-vip', l3NetworkUuid: net.public }, 201);
    ids.fwdVip = vip.uuid;
    const rule = (name: string, vipPortStart: number, allowedCidr: string) =>
      api('POST', '/v1/port-forwarding-rules', { name, vipUuid: vip.uuid, protocol: 'TCP', vipPortStart, guestPortStart: 22, vmInstanceUuid: vms.web.uuid, allowedCidr }, 201);
    ids.ssh = (await rule('ssh', 8022, '203.0.113.0/24')).uuid;
    ids.sshElsewhere = (await rule('ssh-partners', 8023, '198.51.100.0/24')).uuid;
    expect(await fetchFrom(LAB_OUTSIDE_NETNS, vip.ip, 8022)).toBe('ssh? no, http on 22');
    expect(await fetchFrom(LAB_OUTSIDE_NETNS, vip.ip, 8023)).toBeNull();
    expect(await fetchFrom(LAB_OUTSIDE_NETNS, vip.ip, 80)).toBeNull();
    expect(await fetchFrom(LAB_OUTSIDE_NETNS, vip.ip, 22)).toBeNull();
  });

  it('security groups: tcp/5432 from group app reaches group db; membership, not the rule, decides who; ICMP has its own rule', async () => {
    ids.app = (await api('POST', '/v1/security-groups', { name: 'app' }, 201)).uuid;
    ids.db = (await api('POST', '/v1/security-groups', { name: 'db' }, 201)).uuid;
    ids.pg = (await api('POST', '/v1/security-group-rules', { securityGroupUuid: ids.db, direction: 'Ingress', protocol: 'TCP', portStart: 5432, remoteSecurityGroupUuid: ids.app }, 201)).uuid;
    ids.dbMember = (await api('POST', '/v1/security-group-attachments', { securityGroupUuid: ids.db, vmInstanceUuid: vms.db.uuid }, 201)).uuid;
    ids.clientMember = (await api('POST', '/v1/security-group-attachments', { securityGroupUuid: ids.app, vmInstanceUuid: vms.client.uuid }, 201)).uuid;
    // A member of app connects (and the reply comes back); a VM outside app does not.
    expect(await fetchFrom(vms.client.netns, vms.db.ip, 5432)).toBe('hello from db');
    expect(await fetchFrom(vms.other.netns, vms.db.ip, 5432)).toBeNull();
    // Nor can it pass as a member: its frames with the member's address never leave its port (counted at db).
    const fromClient = await packetCounters(vms.db.netns, 'spoof', [[nftMatch.source(vms.client.ip), nftMatch.tcpDestinationPort(5432)]]);
    const synsFromClient = async () => (await fromClient())[0];
    await sh(['ip', '-n', vms.other.netns, 'addr', 'add', `${vms.client.ip}/32`, 'dev', 'eth0']);
    await sh(['ip', '-n', vms.other.netns, 'route', 'replace', `${vms.db.ip}/32`, 'dev', 'eth0', 'src', vms.client.ip]);
    expect(await fetchFrom(vms.other.netns, vms.db.ip, 5432)).toBeNull();
    expect(await synsFromClient()).toBe(0);
    await sh(['ip', '-n', vms.other.netns, 'route', 'del', `${vms.db.ip}/32`]);
    await sh(['ip', '-n', vms.other.netns, 'addr', 'del', `${vms.client.ip}/32`, 'dev', 'eth0']);
    // ICMP is not allowed by the tcp rule; a rule of its own lets it in.
    expect(await pingEventually(vms.client.netns, vms.db.ip, 1)).toBe(false);
    ids.icmp = (await api('POST', '/v1/security-group-rules', { securityGroupUuid: ids.db, direction: 'Ingress', protocol: 'ICMP' }, 201)).uuid;
    expect(await pingEventually(vms.other.netns, vms.db.ip)).toBe(true);
    // Joining app grants access, the rule untouched.
    ids.otherMember = (await api('POST', '/v1/security-group-attachments', { securityGroupUuid: ids.app, vmInstanceUuid: vms.other.uuid }, 201)).uuid;
    expect(await fetchFrom(vms.other.netns, vms.db.ip, 5432)).toBe('hello from db');
    // Removing the rule cuts new connections.
    await api('DELETE', `/v1/security-group-rules/${ids.pg}`, undefined, 204);
    expect(await fetchFrom(vms.client.netns, vms.db.ip, 5432)).toBeNull();
    // The filter is on the hosts of the members, in table inet netforge_sg.
    const tables = await sh(['ip', 'netns', 'exec', hostNs(3), 'nft', 'list', 'tables']);
    expect(tables.stdout).toContain('table inet netforge_sg');
  });

  it('deleting the EIP, port forwarding and security group objects leaves no trace on the router or the hosts', async () => {
    for (const id of [ids.ssh, ids.sshElsewhere]) await api('DELETE', `/v1/port-forwarding-rules/${id}`, undefined, 204);
    for (const id of [ids.vip, ids.fwdVip]) await api('DELETE', `/v1/vips/${id}`, undefined, 204);
    for (const id of [ids.dbMember, ids.clientMember, ids.otherMember]) await api('DELETE', `/v1/security-group-attachments/${id}`, undefined, 204);
    await api('DELETE', `/v1/security-group-rules/${ids.icmp}`, undefined, 204);
    for (const id of [ids.app, ids.db]) await api('DELETE', `/v1/security-groups/${id}`, undefined, 204);
    const rules = await sh(['ip', 'netns', 'exec', routerNs, 'nft', 'list', 'table', 'ip', 'netforge']);
    expect(rules.stdout).not.toMatch(/dnat|snat to/);
    const [eth0] = await ipJson<{ addr_info: { local: string; family: string }[] }>(['addr', 'show', 'dev', 'eth0'], routerNs);
    expect(eth0.addr_info.filter((a) => a.family === 'inet').map((a) => a.local)).toEqual(['203.0.113.29']); // the router's own
    const tables = async (i: number) => (await sh(['ip', 'netns', 'exec', hostNs(i), 'nft', 'list', 'tables'])).stdout;
    // No group filters; the ports stay guarded while the network has the SecurityGroup service.
    for (let i = 1; i <= 3; i++) expect(await tables(i)).not.toContain('table inet netforge_sg');
    expect(await tables(3)).toContain('table bridge netforge_sgport');
    expect(await fetchFrom(vms.web.netns, vms.db.ip, 5432)).toBe('hello from db');
    const [sgService] = await api<any[]>(`GET`, `/v1/network-service-attachments?l3NetworkUuid=${net.app}`, undefined, 200).then((all) => all.filter((a) => a.services.includes('SecurityGroup')));
    await api('DELETE', `/v1/network-service-attachments/${sgService.uuid}`, undefined, 204);
    for (let i = 1; i <= 3; i++) expect(await tables(i)).not.toContain('netforge_sg');
  });

  it("Flat EIP: on the VM's host, the outside reaches the VM through its VIP and the VM leaves as the VIP; deleted, neither, and nothing is left", async () => {
    const zone = lab.registration!.zoneUuid!;
    const cluster = lab.registration!.clusterUuids[0];
    net.flatL2 = (await api('POST', '/v1/l2-networks', { name: 'flat', zoneUuid: zone, type: 'L2NoVlanNetwork', physicalInterface: 'eth1' }, 201)).uuid;
    await api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: net.flatL2, clusterUuid: cluster }, 201);
    const flatL3 = await api('POST', '/v1/l3-networks', { name: 'flat', l2NetworkUuid: net.flatL2, cidr: '10.81.0.0/24' }, 201);
    await api('POST', '/v1/ip-ranges', { name: 'flat-r', l3NetworkUuid: flatL3.uuid, startIp: '10.81.0.10', endIp: '10.81.0.99' }, 201);
    const flat = (await api<any[]>('GET', '/v1/network-service-providers?name=flat', undefined, 200))[0].uuid;
    await api('POST', '/v1/network-service-attachments', { l3NetworkUuid: flatL3.uuid, providerUuid: flat, services: ['DHCP', 'EIP'] }, 201);
    vms.flatWeb = await createVm('flat-web', flatL3.uuid, 2);
    vms.flatPeer = await createVm('flat-peer', flatL3.uuid, 2);
    await serve(vms.flatWeb.netns, 80, 'hello from flat web');
    // No gateway answers on the flat network yet: the VM can't leave it.
    expect(await pingEventually(vms.flatWeb.netns, LAB_OUTSIDE_IP, 1)).toBe(false);

    const vip = await api('POST', '/v1/vips', { name: 'flat-vip', l3NetworkUuid: net.public }, 201);
    const eip = await api('POST', '/v1/eips', { name: 'flat-eip', vipUuid: vip.uuid, vmInstanceUuid: vms.flatWeb.uuid }, 201);
    const eipNs = vmNetnsName(flatEipApplianceUuid(eip.uuid));
    expect(await fetchFrom(LAB_OUTSIDE_NETNS, vip.ip, 80)).toBe('hello from flat web');
    const pingsFromVip = await packetCounters(LAB_OUTSIDE_NETNS, 'flateip', [[nftMatch.icmpEchoRequest(), nftMatch.source(vip.ip)]]);
    expect(await pingEventually(vms.flatWeb.netns, LAB_OUTSIDE_IP)).toBe(true);
    expect((await pingsFromVip())[0]).toBeGreaterThan(0);
    // The namespace holds the VIP on the public side and the gateway address on the VM's side.
    const addrs = await ipJson<{ ifname: string; addr_info: { local: string; family: string }[] }>(['addr', 'show'], eipNs);
    const inet = (dev: string) => addrs.find((l) => l.ifname === dev)!.addr_info.filter((a) => a.family === 'inet').map((a) => a.local);
    expect([inet('eth0'), inet('eth1')]).toEqual([[vip.ip], [flatL3.gateway]]);
    // That gateway is the EIP VM's alone: its neighbour on the same host gets no answer from it.
    expect(await pingEventually(vms.flatPeer.netns, flatL3.gateway, 1)).toBe(false);
    expect(await pingEventually(vms.flatWeb.netns, flatL3.gateway)).toBe(true);
    // Steered, not merely answered: with a real gateway's MAC in its neighbour table, the VM still leaves as the VIP.
    await sh(['ip', '-n', vms.flatWeb.netns, 'neigh', 'replace', flatL3.gateway, 'lladdr', '02:00:00:00:00:99', 'dev', 'eth0', 'nud', 'permanent']);
    const steered = (await pingsFromVip())[0];
    expect(await pingEventually(vms.flatWeb.netns, LAB_OUTSIDE_IP)).toBe(true);
    expect((await pingsFromVip())[0]).toBeGreaterThan(steered);
    await sh(['ip', '-n', vms.flatWeb.netns, 'neigh', 'del', flatL3.gateway, 'dev', 'eth0']);
    const steeringTables = async () => (await sh(['ip', 'netns', 'exec', hostNs(2), 'nft', 'list', 'tables'])).stdout.match(/table bridge netforge_fe[0-9a-f]{12}/g) ?? [];
    expect(await steeringTables()).toHaveLength(1);

    await api('DELETE', `/v1/eips/${eip.uuid}`, undefined, 204);
    expect(await fetchFrom(LAB_OUTSIDE_NETNS, vip.ip, 80)).toBeNull();
    const before = (await pingsFromVip())[0];
    expect(await pingEventually(vms.flatWeb.netns, LAB_OUTSIDE_IP, 1)).toBe(false);
    expect((await pingsFromVip())[0]).toBe(before);
    expect((await sh(['ip', 'netns', 'list'])).stdout).not.toContain(eipNs);
    expect(await steeringTables()).toEqual([]);
    await api('DELETE', `/v1/vips/${vip.uuid}`, undefined, 204);
  });
});
