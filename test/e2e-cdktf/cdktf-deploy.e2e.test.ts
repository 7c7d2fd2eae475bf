/**
 * The example stack through the real cdktf CLI and terraform, offline, against a server
 * the test starts: deploy, inspect topology and simulated devices, diff, edit, destroy.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformBinary } from '../helpers/terraform';

jest.setTimeout(240_000);

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
const CDKTF = path.join(REPO, 'node_modules', '.bin', 'cdktf');
const TSX = path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const APP = path.join(__dirname, 'fixtures', 'example-app.ts');
// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

describe('cdktf deploy of the example stack', () => {
  let s: TestServer;
  let project: string;

  const cdktf = async (args: string[], extraEnv: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await run(CDKTF, args, {
        cwd: project,
        maxBuffer: 64 << 20,
        env: { ...process.env, CI: '1', CHECKPOINT_DISABLE: '1', NETFORGE_ENDPOINT: s.url, NETFORGE_TOKEN: s.token, TF_CLI_CONFIG_FILE: '', PATH: `${path.dirname(terraformBinary())}:${process.env.PATH}`, ...extraEnv },
      });
      return { code: 0, out: stripAnsi(stdout + stderr) };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, out: stripAnsi(`${e.stdout ?? ''}${e.stderr ?? ''}`) };
    }
  };
  const list = async (p: string) => (await s.api('GET', `/v1/${p}`)).body as Array<Record<string, any>>;
  const devicesOf = async (hostName: string) => {
    const host = (await list(`hosts?name=${hostName}`))[0];
    return ((await s.api('GET', `/v1/simulator/hosts/${host.uuid}`)).body.devices as Array<{ name: string }>).map((d) => d.name);
  };

  beforeAll(async () => {
    s = await startTestServer();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-cdktf-'));
    fs.writeFileSync(
      path.join(project, 'cdktf.json'),
      JSON.stringify({ language: 'typescript', app: `${process.execPath} ${TSX} ${APP}`, sendCrashReports: 'false', terraformProviders: [], context: {} }),
    );
  });
  afterAll(async () => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
    await s?.stop();
  });

  test('GIVEN the example stack WHEN deployed THEN the server holds its topology and simulated hosts carry the devices', async () => {
    const deploy = await cdktf(['deploy', '--auto-approve']);
    expect(deploy.out).toMatch(/Apply complete! Resources: 25 added, 0 changed, 0 destroyed/);
    // The virtual router serving the public L3 runs and leaves through the uplink (outputs read it).
    expect(deploy.out).toMatch(/router-public-ip = 203\.0\.113\.50/);
    expect(deploy.code).toBe(0);
    expect((await list('zones')).map((z) => z.name)).toEqual(['zone1']);
    expect((await list('clusters')).map((c) => c.name).sort()).toEqual(['cluster1', 'cluster2']);
    expect(await list('hosts')).toHaveLength(4);
    const l2s = await list('l2-networks');
    const clusters = Object.fromEntries((await list('clusters')).map((c) => [c.name, c.uuid]));
    const pub = l2s.find((l) => l.name === 'l2-public')!;
    const priv = l2s.find((l) => l.name === 'l2-private')!;
    expect(pub).toMatchObject({ type: 'L2NoVlanNetwork', physicalInterface: 'eth1' });
    expect(pub.attachedClusterUuids.sort()).toEqual([clusters.cluster1, clusters.cluster2].sort());
    expect(priv).toMatchObject({ type: 'L2VxlanNetwork', vni: 5000, attachedClusterUuids: [clusters.cluster2] });
    const ranges = (await list('ip-ranges')).map((r) => `${r.startIp}-${r.endIp}`).sort();
    expect(ranges).toEqual(['10.10.0.10-10.10.0.250', '192.168.100.10-192.168.100.99', '192.168.100.150-192.168.100.199', '203.0.113.10-203.0.113.50']);
    const services = await list('network-service-attachments');
    expect(services).toHaveLength(1);
    expect([...services[0].services].sort()).toEqual(['DHCP', 'DNS', 'SNAT']);
    expect(services[0].state).toBe('Applied');
    const [router] = await list('virtual-routers');
    expect(router).toMatchObject({ state: 'Running', guestIp: '192.168.100.1', publicIp: '203.0.113.50' });
    // The VMs on the public L3 took their addresses from its DHCP.
    const publicNics = s.server.simulator.listDevices().filter((d) => d.type === 'vmNic' && d.ip.startsWith('192.168.100.') && d.vmUuid !== router.uuid);
    expect(publicNics.map((d) => (d.type === 'vmNic' ? d.addressing : ''))).toEqual(['dhcp', 'dhcp']);
    // Devices: the flat L2 everywhere, the VXLAN only in cluster2.
    expect(await devicesOf('host1-1')).toEqual(expect.arrayContaining(['br_eth1']));
    expect(await devicesOf('host1-1')).not.toContain('vxlan5000');
    expect(await devicesOf('host2-2')).toEqual(expect.arrayContaining(['br_eth1', 'br_vx_5000', 'vxlan5000']));
    // Placement: vm-db needs both L2s, so it lands in cluster2.
    const vms = Object.fromEntries((await list('vm-instances')).map((v) => [v.name, v]));
    const cluster2Hosts = (await list(`hosts?clusterUuid=${clusters.cluster2}`)).map((h) => h.uuid);
    expect(cluster2Hosts).toContain(vms['vm-db'].hostUuid);
    // vm-web and vm-db are created in parallel: between them they hold the two lowest public addresses.
    const [dbPublic, dbPrivate] = vms['vm-db'].nics.map((n: { ip: string }) => n.ip);
    expect(dbPrivate).toBe('10.10.0.10');
    expect([dbPublic, vms['vm-web'].nics[0].ip].sort()).toEqual(['192.168.100.10', '192.168.100.11']);
  });

  test('GIVEN the deployed stack WHEN diffed THEN there are no changes', async () => {
    const diff = await cdktf(['diff']);
    expect(diff.out).toMatch(/No changes\. Your infrastructure matches the configuration\./);
  });

  test('GIVEN a new range and the private L2 attached to cluster1 WHEN deployed THEN both apply without replacing anything', async () => {
    const deploy = await cdktf(['deploy', '--auto-approve'], { NETFORGE_EXAMPLE_EDIT: '1' });
    expect(deploy.out).toMatch(/Apply complete! Resources: 2 added, 0 changed, 0 destroyed/);
    expect((await list('ip-ranges')).some((r) => r.startIp === '192.168.100.200' && r.endIp === '192.168.100.220')).toBe(true);
    const clusters = Object.fromEntries((await list('clusters')).map((c) => [c.name, c.uuid]));
    const priv = (await list('l2-networks?name=l2-private'))[0];
    expect(priv.attachedClusterUuids.sort()).toEqual([clusters.cluster1, clusters.cluster2].sort());
    expect(await devicesOf('host1-1')).toEqual(expect.arrayContaining(['br_vx_5000', 'vxlan5000']));
    expect((await cdktf(['diff'], { NETFORGE_EXAMPLE_EDIT: '1' })).out).toMatch(/No changes/);
  });

  test('GIVEN the deployed stack WHEN destroyed THEN the server is empty and no host carries a device', async () => {
    const destroy = await cdktf(['destroy', '--auto-approve'], { NETFORGE_EXAMPLE_EDIT: '1' });
    expect(destroy.out).toMatch(/Destroy complete! Resources: 27 destroyed/);
    for (const p of ['zones', 'clusters', 'hosts', 'l2-networks', 'l2-cluster-attachments', 'l3-networks', 'ip-ranges', 'network-service-attachments', 'vm-instances', 'ip-addresses', 'virtual-routers']) {
      expect({ p, n: (await list(p)).length }).toEqual({ p, n: 0 });
    }
    expect(s.server.simulator.listDevices()).toEqual([]);
  });
});
