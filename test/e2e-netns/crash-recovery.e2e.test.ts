/**
 * Hosts are reconciled with the database when the server starts (needs root, real network
 * namespaces; FAILS, never skips, when the machine can't run it). A real `netforge server`
 * process and a 3-host lab:
 * - an attach is cut off by `kill -9` while one host's agent hangs, after the other hosts
 *   realized it: no attachment row explains their devices;
 * - a VM's namespace disappears from its host (as after a reboot) while the server is down;
 * then a new server process on the same data dir removes exactly the unexplained devices,
 * starts the VM again, and keeps what the database explains.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { labDown, labUp, readLabState, type LabState, LAB_HOST_INTERFACES } from '../../hosts/lab/lab';
import { vmNetnsName } from '../../hosts/linux/names';
import { freePort } from '../helpers/ports';
import { acquireLabLock, assertNetnsPrerequisites, bundleAgentCli, linksIn, namespaces, sh } from '../helpers/netns-lab';

jest.setTimeout(180_000);

const AGENT_PORT = 7070;
/** Where the hanging "proxy" of host 3 listens (added to the lab switch by this test). */
const PROXY_IP = '172.30.0.200';

let cli: string[] = [];
let dir: string;
let lab: LabState | undefined;
let releaseLab: (() => void) | undefined;
let server: ChildProcess | undefined;
let proxy: net.Server | undefined;
let url = '';
let token = '';


/** `netforge server` as its own process (so it can be killed), on the test's data dir. */
async function startServerProcess(port: number): Promise<ChildProcess> {
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const child = spawn(cli[0], [...cli.slice(1), 'server', '--port', String(port), '--data-dir', path.join(dir, 'data')], {
    env: { ...process.env, NETFORGE_KVM_AGENT_PORT: String(AGENT_PORT), NETFORGE_TOKEN: '' },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) {
        token = fs.readFileSync(path.join(dir, 'data', 'token'), 'utf8').trim();
        return child;
      }
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`the server did not start:\n${fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000)}`);
}

async function api<T = any>(method: string, urlPath: string, body?: unknown, expected?: number): Promise<T> {
  const res = await fetch(`${url}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (expected !== undefined && res.status !== expected) throw new Error(`${method} ${urlPath} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * A TCP proxy in front of host 3's agent (TLS passes through untouched, so the server still
 * authenticates the real agent): it forwards the first `forward` connections, then holds
 * every later one open without forwarding, like an agent that hangs.
 */
function hangingProxy(target: string, forward: () => boolean): Promise<net.Server> {
  const server = net.createServer((client) => {
    if (!forward()) {
      client.on('error', () => undefined);
      return; // held open, never answered
    }
    const upstream = net.connect(AGENT_PORT, target);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve) => server.listen(AGENT_PORT, PROXY_IP, () => resolve(server)));
}

const extra = async (ns: string) => (await linksIn(ns)).filter((l) => !LAB_HOST_INTERFACES.includes(l.ifname)).map((l) => l.ifname).sort();

beforeAll(async () => {
  await assertNetnsPrerequisites();
  releaseLab = await acquireLabLock();
  cli = await bundleAgentCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-crash-'));
  server = await startServerProcess(await freePort());
  lab = await labUp({ hosts: 3, clusters: 1, stateDir: path.join(dir, 'lab'), agentPort: AGENT_PORT, server: { url, token }, cliCommand: cli });
}, 240_000);

afterAll(async () => {
  proxy?.close();
  await sh(['ip', 'addr', 'del', `${PROXY_IP}/32`, 'dev', 'nflab-sw']);
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (dir && readLabState(path.join(dir, 'lab'))) await labDown({ stateDir: path.join(dir, 'lab') });
  if (cli[1]) fs.rmSync(cli[1], { force: true });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  releaseLab?.();
});

test('GIVEN an attach killed mid-way and a VM lost from its host WHEN a new server starts on the same data THEN the unexplained devices go, the VM is back, and the rest is untouched', async () => {
  const reg = lab!.registration!;
  const [h1, , h3] = reg.hostUuids;
  // Host 3 goes through the proxy: re-registered at the proxy's address with its own agent's fingerprint.
  let forwarded = 0;
  let passThrough = true;
  expect((await sh(['ip', 'addr', 'add', `${PROXY_IP}/32`, 'dev', 'nflab-sw'])).code).toBe(0);
  proxy = await hangingProxy(lab!.hosts[2].managementIp, () => passThrough || ++forwarded <= 2);
  await api('DELETE', `/v1/hosts/${h3}`, undefined, 204);
  const h3proxied = (await api('POST', '/v1/hosts', { name: 'nf-lab-h3-proxied', clusterUuid: reg.clusterUuids[0], managementIp: PROXY_IP, agentFingerprint: lab!.hosts[2].agentFingerprint }, 201)).uuid;

  // What the database explains: a NoVlan network on every host, and a VM on host 1.
  const flat = await api('POST', '/v1/l2-networks', { name: 'crash-flat', zoneUuid: reg.zoneUuid, type: 'L2NoVlanNetwork', physicalInterface: 'eth1' }, 201);
  await api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: flat.uuid, clusterUuid: reg.clusterUuids[0] }, 201);
  const l3 = await api('POST', '/v1/l3-networks', { name: 'crash-l3', l2NetworkUuid: flat.uuid, cidr: '10.60.0.0/24' }, 201);
  await api('POST', '/v1/ip-ranges', { name: 'crash-r', l3NetworkUuid: l3.uuid, startIp: '10.60.0.10', endIp: '10.60.0.20' }, 201);
  const vm = await api('POST', '/v1/vm-instances', { name: 'crash-vm', l3NetworkUuids: [l3.uuid], hostUuid: h1 }, 201);
  const vmNs = vmNetnsName(vm.uuid);
  expect(await namespaces()).toContain(vmNs);
  for (const ns of ['nf-lab-h1', 'nf-lab-h2', 'nf-lab-h3']) expect(await extra(ns)).toContain('br_eth1');

  // An attach that host 3 never answers: check passes everywhere (the proxy forwards the
  // check's inspection and the realize's), hosts 1 and 2 realize, host 3's plan hangs.
  passThrough = false;
  forwarded = 0;
  const vx = await api('POST', '/v1/l2-networks', { name: 'crash-vx', zoneUuid: reg.zoneUuid, type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 7001 }, 201);
  const attach = api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: vx.uuid, clusterUuid: reg.clusterUuids[0] }).catch((e: unknown) => e);
  for (let i = 0; i < 200 && !((await extra('nf-lab-h1')).includes('br_vx_7001') && (await extra('nf-lab-h2')).includes('br_vx_7001')); i++) await sleep(50);
  expect(await extra('nf-lab-h1')).toEqual(expect.arrayContaining(['br_vx_7001', 'vxlan7001']));
  server!.kill('SIGKILL');
  await new Promise((resolve) => server!.once('exit', resolve));
  await attach;
  // While the server is down, host 1 "reboots": its VM namespace is gone.
  expect((await sh(['ip', 'netns', 'del', vmNs])).code).toBe(0);

  // A new server on the same data: host 3 answers again.
  passThrough = true;
  server = await startServerProcess(await freePort());

  // No attachment row explains the VXLAN devices: gone from hosts 1 and 2; the NoVlan bridge stays everywhere.
  expect(await api('GET', `/v1/l2-cluster-attachments?l2NetworkUuid=${vx.uuid}`, undefined, 200)).toEqual([]);
  for (const ns of ['nf-lab-h1', 'nf-lab-h2']) expect(await extra(ns)).not.toContain('br_vx_7001');
  expect(await extra('nf-lab-h2')).toEqual(['br_eth1']);
  expect(await extra('nf-lab-h3')).toEqual(['br_eth1']);
  // The VM is started again on host 1, with its address, plugged into the bridge.
  expect(await namespaces()).toContain(vmNs);
  const addrs = (await sh(['ip', '-n', vmNs, '-json', 'addr', 'show', 'dev', 'eth0'])).stdout;
  expect(addrs).toContain(vm.nics[0].ip);
  const h1links = await linksIn('nf-lab-h1');
  expect(h1links.filter((l) => l.master === 'br_eth1').map((l) => l.ifname)).toEqual(expect.arrayContaining(['eth1', expect.stringMatching(/^vnic/)]));
  // The log says what was removed, host by host.
  expect(fs.readFileSync(path.join(dir, 'server.log'), 'utf8')).toMatch(/"removed":\["vxlan7001","br_vx_7001"\].*"msg":"removed what no database row explains"/);

  // Clean up what the test registered outside the lab's own registration.
  await api('DELETE', `/v1/vm-instances/${vm.uuid}`, undefined, 204);
  await api('DELETE', `/v1/hosts/${h3proxied}`, undefined, 204);
});
