/**
 * The example stack (stacks/example-stack.ts, the README's main job) deployed with the
 * real `cdktf deploy` onto a 4-host KVM lab (needs root; FAILS, never skips, when the
 * machine can't run it): the lab is brought up trusting the server without registering
 * anything, and the stack (NETFORGE_LAB_STATE) registers the lab's hosts as its own. On the
 * hosts, the public L3's services work: the VMs lease their addresses from the virtual
 * router, resolve each other in public.example, and reach the lab's outside through SNAT
 * with the router's uplink address. `cdktf destroy` then leaves no router, dnsmasq or VM.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labDown, labUp, LAB_OUTSIDE_IP, LAB_OUTSIDE_NETNS, readLabState, type LabState } from '../../hosts/lab/lab';
import { vmNetnsName } from '../../hosts/linux/names';
import { cdktfProject, cdktfRunner, type CdktfRunner } from '../helpers/cdktf';
import { acquireLabLock, assertNetnsPrerequisites, bundleAgentCli, dnsmasqProcesses, ipJson, namespaces, nftMatch, packetCounters, pingEventually, REPO_ROOT, sh } from '../helpers/netns-lab';
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformBinary } from '../helpers/terraform';

jest.setTimeout(120_000);

const AGENT_PORT = 7072;
const APP = path.join(REPO_ROOT, 'stacks', 'main.ts');
const CDKTF_TIMEOUT_MS = 110_000;

let ts: TestServer | undefined;
let stateDir = '';
let cli: string[] = [];
let lab: LabState;
let runner: CdktfRunner | undefined;
let releaseLab: (() => void) | undefined;

async function list(p: string): Promise<any[]> {
  const res = await ts!.api('GET', `/v1/${p}`);
  if (res.status !== 200) throw new Error(`GET /v1/${p} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as any[];
}

async function dnsmasqCount(): Promise<number> {
  return (await dnsmasqProcesses()).length;
}

beforeAll(async () => {
  await assertNetnsPrerequisites();
  terraformBinary();
  releaseLab = await acquireLabLock();
  cli = await bundleAgentCli();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-example-lab-'));
  fs.chmodSync(stateDir, 0o711); // the agents' dnsmasq (nobody) reads its files below
  ts = await startTestServer({ kvmAgentPort: AGENT_PORT });
  const identity = await ts.api('GET', '/v1/identity');
  lab = await labUp({ hosts: 4, clusters: 2, stateDir: path.join(stateDir, 'lab'), agentPort: AGENT_PORT, serverFingerprint: identity.body.agentClient.fingerprint, cliCommand: cli });
  const project = path.join(stateDir, 'project');
  cdktfProject(project, APP);
  runner = cdktfRunner(project, () => ({ url: ts!.url, token: ts!.token }), CDKTF_TIMEOUT_MS, { NETFORGE_LAB_STATE: path.join(stateDir, 'lab') }, 'NETFORGE_EXAMPLE_');
}, 240_000);

afterAll(async () => {
  try {
    runner?.killAll();
    if (stateDir && readLabState(path.join(stateDir, 'lab'))) await labDown({ stateDir: path.join(stateDir, 'lab') });
    await ts?.stop();
    if (cli[1]) fs.rmSync(cli[1], { force: true });
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  } finally {
    releaseLab?.();
  }
});

describe('the example stack on the KVM lab', () => {
  const vms: Record<string, { ns: string; host: number; ips: string[]; hostname: string }> = {};
  let routerPublicIp = '';

  it('deploys: a virtual router serves the public L3 from a host carrying it and the uplink', async () => {
    const deploy = await runner!.run(['deploy', '--auto-approve']);
    expect(deploy.out).toMatch(/Apply complete! Resources: 25 added/);
    expect(deploy.code).toBe(0);
    const [router] = await list('virtual-routers');
    expect(router).toMatchObject({ state: 'Running', guestIp: '192.168.100.1', publicIp: '203.0.113.50' });
    routerPublicIp = router.publicIp;
    expect(deploy.out).toMatch(/router-public-ip = 203\.0\.113\.50/);
    expect(await namespaces()).toContain(vmNetnsName(router.uuid));
    const hostIndex = new Map((await list('hosts')).map((h) => [h.uuid, lab.hosts.findIndex((l) => l.managementIp === h.managementIp) + 1]));
    for (const vm of await list('vm-instances')) vms[vm.name] = { ns: vmNetnsName(vm.uuid), host: hostIndex.get(vm.hostUuid)!, ips: vm.nics.map((n: any) => n.ip), hostname: vm.hostname };
    expect(Object.keys(vms).sort()).toEqual(['vm-db', 'vm-web']);
  });

  it("the VMs leased their public addresses from the router, with the L3's gateway, DNS and domain", async () => {
    for (const vm of Object.values(vms)) {
      const lease = JSON.parse(fs.readFileSync(path.join(lab.hosts[vm.host - 1].agentStateDir, 'services', 'leases', vm.ns, 'eth0.json'), 'utf8'));
      expect(lease).toMatchObject({ ip: vm.ips[0], routers: ['192.168.100.1'], dnsServers: ['192.168.100.1'], domain: 'public.example', serverId: '192.168.100.1', mtu: 1500 });
      const [eth0] = await ipJson<{ addr_info: { local: string }[] }>(['addr', 'show', 'dev', 'eth0'], vm.ns);
      expect(eth0.addr_info.map((a) => a.local)).toContain(vm.ips[0]);
    }
    // vm-db's second NIC (the private L3 has no services) is configured statically.
    const [eth1] = await ipJson<{ addr_info: { local: string }[] }>(['addr', 'show', 'dev', 'eth1'], vms['vm-db'].ns);
    expect(eth1.addr_info.map((a) => a.local)).toContain(vms['vm-db'].ips[1]);
  });

  it('the VMs resolve each other in public.example through the router', async () => {
    const r = await sh(['ip', 'netns', 'exec', vms['vm-web'].ns, 'busybox', 'nslookup', '-type=a', `${vms['vm-db'].hostname}.public.example`, '192.168.100.1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Address: ${vms['vm-db'].ips[0]}`);
  });

  it("a VM reaches the lab's outside through SNAT, seen from the router's uplink address", async () => {
    const fromRouter = await packetCounters(LAB_OUTSIDE_NETNS, 'snat', [[nftMatch.icmpEchoRequest(), nftMatch.source(routerPublicIp)]]);
    expect(await pingEventually(vms['vm-web'].ns, LAB_OUTSIDE_IP)).toBe(true);
    expect((await fromRouter())[0]).toBeGreaterThan(0);
  });

  it('destroys: no router, dnsmasq or VM namespace is left', async () => {
    const destroy = await runner!.run(['destroy', '--auto-approve']);
    expect(destroy.out).toMatch(/Destroy complete!/);
    expect(await list('virtual-routers')).toEqual([]);
    expect((await namespaces()).filter((n) => n.startsWith('nfvm-'))).toEqual([]);
    expect(await dnsmasqCount()).toBe(0);
  });
});
