/**
 * Acceptance: the real terraform CLI drives the netforge provider against a real server,
 * step by step (create, empty plan, update in place, replace, import, drift, plan-time rule
 * violation, Ctrl-C mid-apply, destroy).
 */
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformWorkspace, type TerraformWorkspace, netforgeHclHeader } from '../helpers/terraform';

jest.setTimeout(180_000);

interface Knobs {
  zoneDescription?: string;
  dnsServers?: string[];
  r2Start?: string;
  vni?: number;
  extra?: string;
}

function config(endpoint: string, k: Knobs = {}): string {
  return `
${netforgeHclHeader(endpoint)}
data "netforge_network_service_provider" "vr" { type = "VirtualRouter" }

resource "netforge_zone" "z" {
  name        = "zone1"
  description = "${k.zoneDescription ?? 'first'}"
}
resource "netforge_cluster" "c1" {
  name            = "cluster1"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_cluster" "c2" {
  name            = "cluster2"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_host" "h1" {
  name          = "h1"
  cluster_uuid  = netforge_cluster.c1.uuid
  management_ip = "10.0.0.11"
}
resource "netforge_host" "h2" {
  name          = "h2"
  cluster_uuid  = netforge_cluster.c2.uuid
  management_ip = "10.0.0.12"
}
resource "netforge_l2_novlan_network" "flat" {
  name               = "flat"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth1"
}
resource "netforge_l2_vlan_network" "v10" {
  name               = "vlan10"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth0"
  vlan               = 10
}
resource "netforge_l2_vxlan_network" "vx" {
  name               = "vx5000"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth0"
  vni                = ${k.vni ?? 5000}
}
resource "netforge_l2_network_cluster_attachment" "v10_c1" {
  l2_network_uuid = netforge_l2_vlan_network.v10.uuid
  cluster_uuid    = netforge_cluster.c1.uuid
}
resource "netforge_l2_network_cluster_attachment" "vx_c2" {
  l2_network_uuid = netforge_l2_vxlan_network.vx.uuid
  cluster_uuid    = netforge_cluster.c2.uuid
}
resource "netforge_l2_novlan_network" "uplink" {
  name               = "uplink"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth2"
}
resource "netforge_l2_network_cluster_attachment" "uplink_c1" {
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cluster_uuid    = netforge_cluster.c1.uuid
}
resource "netforge_l3_network" "internet" {
  name            = "internet"
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cidr            = "203.0.113.0/24"
  gateway         = "203.0.113.1"
}
resource "netforge_ip_range" "internet" {
  l3_network_uuid = netforge_l3_network.internet.uuid
  name            = "internet-1"
  start_ip        = "203.0.113.10"
  end_ip          = "203.0.113.20"
}
resource "netforge_l3_network" "app" {
  name            = "app"
  l2_network_uuid = netforge_l2_vlan_network.v10.uuid
  cidr            = "192.168.10.0/24"
  dns_servers     = ${JSON.stringify(k.dnsServers ?? ['8.8.8.8', '1.1.1.1'])}
  dns_domain      = "app.example"
  host_routes {
    prefix   = "10.20.0.0/16"
    next_hop = "192.168.10.254"
  }
}
resource "netforge_ip_range" "r1" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "r1"
  start_ip        = "192.168.10.10"
  end_ip          = "192.168.10.50"
}
resource "netforge_ip_range" "r2" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "r2"
  start_ip        = "${k.r2Start ?? '192.168.10.100'}"
  end_ip          = "192.168.10.150"
}
resource "netforge_network_service_attachment" "svc" {
  l3_network_uuid        = netforge_l3_network.app.uuid
  provider_uuid          = data.netforge_network_service_provider.vr.uuid
  services               = ["SNAT", "DHCP", "DNS"]
  public_l3_network_uuid = netforge_l3_network.internet.uuid
}
# Read once the router can run: its networks attached where hosts are, and an address for it on the public network.
data "netforge_virtual_router" "app" {
  l3_network_uuid = netforge_network_service_attachment.svc.l3_network_uuid
  depends_on      = [netforge_l2_network_cluster_attachment.v10_c1, netforge_l2_network_cluster_attachment.uplink_c1, netforge_host.h1, netforge_ip_range.internet]
}
resource "netforge_vm_instance" "vm" {
  name             = "vm1"
  l3_network_uuids = [netforge_l3_network.app.uuid]
  depends_on       = [netforge_l2_network_cluster_attachment.v10_c1, netforge_ip_range.r1, netforge_host.h1]
}
data "netforge_l3_network" "app" {
  name       = "app"
  depends_on = [netforge_l3_network.app]
}
output "vm_ip" { value = netforge_vm_instance.vm.ip_addresses[0] }
output "vm_host" { value = netforge_vm_instance.vm.host_uuid }
output "h1" { value = netforge_host.h1.uuid }
output "app_cidr" { value = data.netforge_l3_network.app.cidr }
output "router" { value = data.netforge_virtual_router.app }
${k.extra ?? ''}
`;
}

describe('netforge provider with the real terraform CLI', () => {
  let s: TestServer;
  let w: TerraformWorkspace;
  const outputs = async () => JSON.parse((await w.tf('output', '-json')).stdout) as Record<string, { value: unknown }>;
  const count = async (path: string) => ((await s.api('GET', `/v1/${path}`)).body as unknown[]).length;

  beforeAll(async () => {
    s = await startTestServer();
    w = await terraformWorkspace({ NETFORGE_TOKEN: s.token });
    w.write(config(s.url));
    const init = await w.tf('init', '-no-color');
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
  });
  afterAll(async () => {
    w?.cleanup();
    await s?.stop();
  });

  test('GIVEN every resource type WHEN applied THEN the server holds them and the VM is placed by the attachments', async () => {
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toMatch(/Apply complete! Resources: 19 added, 0 changed, 0 destroyed/);
    const out = await outputs();
    expect(out.vm_ip.value).toBe('192.168.10.10');
    expect(out.vm_host.value).toBe(out.h1.value); // only cluster1 carries vlan10
    // The router runs where both networks are (cluster1); the VM took its lease from it.
    expect(out.router.value).toMatchObject({ state: 'Running', host_uuid: out.h1.value, guest_ip: '192.168.10.1', public_ip: '203.0.113.20', pending_reason: null });
    const vmNic = s.server.simulator.listDevices().find((d) => d.type === 'vmNic' && d.ip === '192.168.10.10');
    expect(vmNic).toMatchObject({ addressing: 'dhcp' });
    // Created while the router had nowhere to run yet (no depends_on): Terraform's state says
    // so; the server converged meanwhile, and a refresh reads that.
    expect((await w.tf('apply', '-refresh-only', '-auto-approve', '-no-color')).code).toBe(0);
    expect((await w.tf('state', 'show', '-no-color', 'netforge_network_service_attachment.svc')).stdout).toMatch(/state\s+= "Applied"/);
    expect(out.app_cidr.value).toBe('192.168.10.0/24');
    const l3 = (await s.api('GET', '/v1/l3-networks?name=app')).body[0];
    expect(l3).toMatchObject({ dnsServers: ['8.8.8.8', '1.1.1.1'], dnsDomain: 'app.example', hostRoutes: [{ prefix: '10.20.0.0/16', nextHop: '192.168.10.254' }] });
    const h1 = (await s.api('GET', `/v1/simulator/hosts/${String(out.h1.value)}`)).body;
    expect(h1.devices.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['br_eth0_10', 'eth0.10']));
  });

  test('GIVEN the applied configuration WHEN planned again THEN there are no changes and no dry runs', async () => {
    const before = s.requests.length;
    const plan = await w.tf('plan', '-detailed-exitcode', '-no-color');
    expect(plan.stdout).toMatch(/No changes/);
    expect(plan.code).toBe(0);
    // Nothing changes, so nothing needs the server's dry run: only reads.
    expect(s.requests.slice(before).filter((r) => r.url === '/v1/validate')).toEqual([]);
  });

  test('GIVEN changed description and DNS servers WHEN applied THEN they update in place', async () => {
    w.write(config(s.url, { zoneDescription: 'second', dnsServers: ['9.9.9.9'] }));
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.stdout).toMatch(/Resources: 0 added, 2 changed, 0 destroyed/);
    expect((await s.api('GET', '/v1/zones?name=zone1')).body[0].description).toBe('second');
    expect((await s.api('GET', '/v1/l3-networks?name=app')).body[0].dnsServers).toEqual(['9.9.9.9']);
    expect((await w.tf('plan', '-detailed-exitcode', '-no-color')).code).toBe(0);
  });

  test('GIVEN a changed start_ip WHEN planned and applied THEN the range is replaced, naming the attribute', async () => {
    const before = (await s.api('GET', '/v1/ip-ranges?name=r2')).body[0].uuid;
    w.write(config(s.url, { zoneDescription: 'second', dnsServers: ['9.9.9.9'], r2Start: '192.168.10.90' }));
    const plan = await w.tf('plan', '-no-color');
    expect(plan.stdout).toMatch(/netforge_ip_range\.r2 must be replaced/);
    expect(plan.stdout).toMatch(/~ start_ip\s+= "192\.168\.10\.100" -> "192\.168\.10\.90" # forces replacement/);
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.stdout).toMatch(/Resources: 1 added, 0 changed, 1 destroyed/);
    const after = (await s.api('GET', '/v1/ip-ranges?name=r2')).body;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ startIp: '192.168.10.90' });
    expect(after[0].uuid).not.toBe(before);
  });

  test('GIVEN a range whose addresses a VM holds WHEN its replacement is planned THEN the plan fails saying why', async () => {
    w.write(config(s.url, { zoneDescription: 'second', dnsServers: ['9.9.9.9'], r2Start: '192.168.10.90' }).replace('start_ip        = "192.168.10.10"', 'start_ip        = "192.168.10.11"'));
    const plan = await w.tf('plan', '-no-color');
    expect(plan.code).not.toBe(0);
    expect(plan.stderr).toMatch(/must be replaced, but the existing one can't be deleted: IpRange 'r1'.* has 1 allocated IP/);
    w.write(config(s.url, { zoneDescription: 'second', dnsServers: ['9.9.9.9'], r2Start: '192.168.10.90' }));
  });

  test('GIVEN an L3 removed from state WHEN imported by uuid THEN every attribute reads back and the plan is empty', async () => {
    const shown = (await w.tf('state', 'show', '-no-color', 'netforge_l3_network.app')).stdout;
    const uuid = (await s.api('GET', '/v1/l3-networks?name=app')).body[0].uuid;
    expect((await w.tf('state', 'rm', 'netforge_l3_network.app')).code).toBe(0);
    const imp = await w.tf('import', '-no-color', 'netforge_l3_network.app', uuid);
    expect(imp.stdout).toMatch(/Import successful/);
    expect((await w.tf('state', 'show', '-no-color', 'netforge_l3_network.app')).stdout).toBe(shown);
    expect((await w.tf('plan', '-detailed-exitcode', '-no-color')).code).toBe(0);
  });

  test('GIVEN an object deleted outside terraform WHEN planned THEN it is re-created', async () => {
    const r2 = (await s.api('GET', '/v1/ip-ranges?name=r2')).body[0];
    expect((await s.api('DELETE', `/v1/ip-ranges/${r2.uuid}`)).status).toBe(204);
    const plan = await w.tf('plan', '-no-color');
    expect(plan.stdout).toMatch(/netforge_ip_range\.r2 will be created/);
    expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
    expect((await w.tf('apply', '-auto-approve', '-no-color')).code).toBe(0);
  });

  test('GIVEN a range overlapping one on the server WHEN planned THEN the plan fails on start_ip naming both', async () => {
    const extra = `resource "netforge_ip_range" "bad" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "bad"
  start_ip        = "192.168.10.45"
  end_ip          = "192.168.10.60"
}`;
    w.write(config(s.url, { zoneDescription: 'second', dnsServers: ['9.9.9.9'], r2Start: '192.168.10.90', extra }));
    const plan = await w.tf('plan', '-no-color');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/range 192\.168\.10\.45-192\.168\.10\.60 overlaps IpRange 'r1'/);
    expect(plan.stderr).toMatch(/with netforge_ip_range\.bad,\s+on main\.tf line \d+, in resource "netforge_ip_range" "bad":\s+\d+:\s+start_ip\s+= "192\.168\.10\.45"/);
    expect(await count('ip-ranges?name=bad')).toBe(0);
  });

  test('GIVEN stateless violations WHEN validated THEN each is reported on its attribute before any plan', async () => {
    const extra = `resource "netforge_l2_vlan_network" "bad" {
  name               = "bad"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth0;reboot"
  vlan               = 4095
}`;
    w.write(config(s.url, { zoneDescription: 'second', dnsServers: ['9.9.9.9'], r2Start: '192.168.10.90', extra }));
    const validate = await w.tf('validate', '-no-color');
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/VLAN id must be an integer from 1 to 4094, got 4095[\s\S]*vlan\s+= 4095/);
    expect(validate.stderr).toMatch(/physical interface name "eth0;reboot"[\s\S]*physical_interface = "eth0;reboot"/);
    w.write(config(s.url, { zoneDescription: 'second', dnsServers: ['9.9.9.9'], r2Start: '192.168.10.90' }));
  });

  test('GIVEN an attached L2 WHEN its VNI changes THEN the L2 and its attachment are replaced, not refused at plan', async () => {
    const knobs = { zoneDescription: 'second', dnsServers: ['9.9.9.9'], r2Start: '192.168.10.90', vni: 5001 };
    w.write(config(s.url, knobs));
    const plan = await w.tf('plan', '-no-color');
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toMatch(/netforge_l2_vxlan_network\.vx must be replaced/);
    expect(plan.stdout).toMatch(/netforge_l2_network_cluster_attachment\.vx_c2 must be replaced/);
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.stdout).toMatch(/Resources: 2 added, 0 changed, 2 destroyed/);
    expect((await s.api('GET', '/v1/l2-networks?name=vx5000')).body[0]).toMatchObject({ vni: 5001 });
    w.write(config(s.url, { ...knobs, vni: 5000 }));
    expect((await w.tf('apply', '-auto-approve', '-no-color')).code).toBe(0);
  });

  test('GIVEN a slow attach WHEN terraform is interrupted mid-apply THEN nothing is lost and a re-apply converges', async () => {
    const hosts = (await s.api('GET', '/v1/hosts')).body as Array<{ uuid: string; name: string }>;
    const h2 = hosts.find((h) => h.name === 'h2')!;
    expect((await s.api('PATCH', `/v1/simulator/hosts/${h2.uuid}`, { latencyMs: 2500 })).status).toBe(200);
    const extra = `resource "netforge_l2_network_cluster_attachment" "flat_c2" {
  l2_network_uuid = netforge_l2_novlan_network.flat.uuid
  cluster_uuid    = netforge_cluster.c2.uuid
}
resource "netforge_zone" "quick" { name = "quick" }`;
    w.write(config(s.url, { zoneDescription: 'second', dnsServers: ['9.9.9.9'], r2Start: '192.168.10.90', extra }));
    const child = w.start('apply', '-auto-approve', '-no-color');
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 60_000;
      const timer = setInterval(() => {
        if (/netforge_l2_network_cluster_attachment\.flat_c2: Creating/.test(stdout)) {
          clearInterval(timer);
          child.kill('SIGINT');
          resolve();
        } else if (Date.now() > deadline || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGKILL');
          reject(new Error(`terraform never started the attachment:\n${stdout}`));
        }
      }, 50);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stdout).toMatch(/Interrupt received/);
    // The in-flight attach finished and was saved: the state knows what the server has.
    const list = (await w.tf('state', 'list')).stdout;
    expect(await count('l2-cluster-attachments')).toBe(4);
    expect(list).toMatch(/netforge_l2_network_cluster_attachment\.flat_c2/);
    expect((await s.api('PATCH', `/v1/simulator/hosts/${h2.uuid}`, { latencyMs: 0 })).status).toBe(200);
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.code).toBe(0);
    expect(await count('l2-cluster-attachments')).toBe(4);
    expect(await count('zones?name=quick')).toBe(1);
    expect((await w.tf('plan', '-detailed-exitcode', '-no-color')).code).toBe(0);
  });

  test('GIVEN everything applied WHEN destroyed THEN the server is empty and hosts carry no devices', async () => {
    const destroy = await w.tf('destroy', '-auto-approve', '-no-color');
    expect(destroy.stderr).toBe('');
    expect(destroy.stdout).toMatch(/Destroy complete!/);
    for (const path of ['zones', 'clusters', 'hosts', 'l2-networks', 'l2-cluster-attachments', 'l3-networks', 'ip-ranges', 'network-service-attachments', 'vm-instances', 'ip-addresses', 'virtual-routers']) {
      expect({ path, count: await count(path) }).toEqual({ path, count: 0 });
    }
    expect(s.server.simulator.listDevices()).toEqual([]);
    expect(s.server.simulator.listEndpoints()).toEqual([]);
  });
});
