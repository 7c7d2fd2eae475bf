/**
 * Declarative means order-independent: plain HCL without a single depends_on applies the
 * same way whatever Terraform creates first. Real terraform against a real server:
 * - ranges applied first with -target, then the rest: the plan does not refuse the VMs whose
 *   hosts and attachments come in the same plan (a warning says the check was left for
 *   apply), the apply succeeds and the next plan is empty;
 * - the service attachment applied before any range: DHCP is accepted as Pending, becomes
 *   Applied when the ranges arrive, and the next plan is empty.
 */
import { startTestServer, type TestServer } from '../helpers/server';
import { netforgeHclHeader, terraformWorkspace, type TerraformWorkspace } from '../helpers/terraform';

jest.setTimeout(240_000);

function config(endpoint: string): string {
  return `
${netforgeHclHeader(endpoint)}
data "netforge_network_service_provider" "flat" { type = "Flat" }

resource "netforge_zone" "z" { name = "order-zone" }
resource "netforge_cluster" "c" {
  name            = "order-cluster"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_host" "h" {
  count         = 2
  name          = "order-h\${count.index}"
  cluster_uuid  = netforge_cluster.c.uuid
  management_ip = "10.44.0.\${count.index + 11}"
}
resource "netforge_l2_novlan_network" "l2" {
  name               = "order-l2"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth1"
}
# The cluster comes from a host, so the attachment is made after the hosts (slow below).
resource "netforge_l2_network_cluster_attachment" "a" {
  l2_network_uuid = netforge_l2_novlan_network.l2.uuid
  cluster_uuid    = netforge_host.h[1].cluster_uuid
}
resource "netforge_l3_network" "app" {
  name            = "order-app"
  l2_network_uuid = netforge_l2_novlan_network.l2.uuid
  cidr            = "10.45.0.0/24"
}
resource "netforge_ip_range" "r1" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "order-r1"
  start_ip        = "10.45.0.10"
  end_ip          = "10.45.0.20"
}
resource "netforge_network_service_attachment" "svc" {
  l3_network_uuid = netforge_l3_network.app.uuid
  provider_uuid   = data.netforge_network_service_provider.flat.uuid
  services        = ["DHCP", "DNS"]
}
# The hostname names the cluster, so the VMs are created right after it, long before the
# (slow) hosts and the attachment: they reach the server before any host is eligible.
resource "netforge_vm_instance" "vm" {
  count            = 3
  name             = "order-vm\${count.index}"
  hostname         = "vm\${count.index}-\${netforge_cluster.c.name}"
  l3_network_uuids = [netforge_l3_network.app.uuid]
}
`;
}

describe('plain HCL without depends_on, applied in different orders', () => {
  let s: TestServer;
  let w: TerraformWorkspace;
  const get = async (path: string) => (await s.api('GET', `/v1/${path}`)).body as Array<Record<string, unknown>>;

  beforeAll(async () => {
    s = await startTestServer();
    w = await terraformWorkspace({ NETFORGE_TOKEN: s.token });
    w.write(config(s.url));
    const init = await w.tf('init', '-no-color');
    expect(init.code).toBe(0);
  });
  afterAll(async () => {
    w?.cleanup();
    await s?.stop();
  });

  test('GIVEN only the ranges applied WHEN the rest is planned THEN the VMs are not refused: the placement check is left for apply with a warning', async () => {
    const first = await w.tf('apply', '-auto-approve', '-no-color', '-target=netforge_ip_range.r1');
    expect(first.code).toBe(0);
    expect(await get('hosts')).toEqual([]);

    const plan = await w.tf('plan', '-no-color');
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/Plan: 8 to add, 0 to change, 0 to destroy/);
    // Said on the attribute, as a warning: the check is not skipped silently.
    expect(plan.stdout).toMatch(/Warning: no connected host is in a cluster attached to all of the L2 networks/);
    expect(plan.stdout).toMatch(/with netforge_vm_instance\.vm\[\d\],[\s\S]*l3_network_uuids = \[netforge_l3_network\.app\.uuid\]/);
    expect(plan.stdout).toMatch(/NO_ELIGIBLE_HOST\. Left for apply/);
  });

  test('GIVEN that plan and slow hosts WHEN applied THEN VMs that come before their attachment wait for it, and the next plan is empty', async () => {
    // Hosts and the attachment take seconds (every host operation does), so Terraform's
    // parallel VM creates reach the server before any host is eligible.
    expect((await s.api('PATCH', '/v1/simulator/defaults', { latencyMs: 1500 })).status).toBe(200);
    const before = s.requests.length;
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect((await s.api('PATCH', '/v1/simulator/defaults', { latencyMs: 0 })).status).toBe(200);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const vmPosts = s.requests.slice(before).filter((r) => r.method === 'POST' && r.url === '/v1/vm-instances').map((r) => r.status);
    expect(vmPosts).toContain(409);
    expect(vmPosts.filter((st) => st === 201)).toHaveLength(3);
    const vms = await get('vm-instances');
    expect(vms).toHaveLength(3);
    const hosts = new Set((await get('hosts')).map((h) => h.uuid));
    for (const vm of vms) expect(hosts.has(vm.hostUuid)).toBe(true);
    expect((await w.tf('plan', '-detailed-exitcode', '-no-color')).code).toBe(0);
    expect((await w.tf('destroy', '-auto-approve', '-no-color')).code).toBe(0);
    expect(await get('zones')).toEqual([]);
  });

  test('GIVEN the service attachment applied before any range WHEN the rest is applied THEN DHCP goes from Pending to Applied and the next plan is empty', async () => {
    const first = await w.tf('apply', '-auto-approve', '-no-color', '-target=netforge_network_service_attachment.svc');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(await get('ip-ranges')).toEqual([]);
    const [pending] = await get('network-service-attachments');
    // Flat DHCP and DNS wait for an address of the ranges for their server.
    expect(pending).toMatchObject({ state: 'Pending', pendingServices: [{ service: 'DHCP' }, { service: 'DNS' }] });
    expect((await w.tf('state', 'show', '-no-color', 'netforge_network_service_attachment.svc')).stdout).toMatch(/state\s+= "Pending"/);

    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const [applied] = await get('network-service-attachments');
    expect(applied).toMatchObject({ uuid: pending.uuid, state: 'Applied', pendingServices: [] });
    // The flat DHCP server runs on each host with VMs of the network, serving their leases.
    const endpoints = s.server.simulator.listEndpoints(String(applied.l3NetworkUuid));
    expect(endpoints.flatMap((e) => e.leases.map((l) => l.ip)).sort()).toEqual((await get('vm-instances')).map((vm) => (vm.nics as Array<{ ip: string }>)[0].ip).sort());

    const plan = await w.tf('plan', '-detailed-exitcode', '-no-color');
    expect(plan.code).toBe(0);
    expect((await w.tf('apply', '-refresh-only', '-auto-approve', '-no-color')).code).toBe(0);
    expect((await w.tf('state', 'show', '-no-color', 'netforge_network_service_attachment.svc')).stdout).toMatch(/state\s+= "Applied"/);
    expect((await w.tf('destroy', '-auto-approve', '-no-color')).code).toBe(0);
  });
});

/**
 * The same configuration with a virtual router (DHCP, DNS, SNAT out of an uplink) and flat
 * DHCP, applied in three creation orders by plain HCL without a single depends_on: all at
 * once, the service attachments first (before ranges, cluster attachments and hosts), and
 * the VMs first (services last). Each ends with the same router, leases, records, options
 * and NAT rules; destroyed in between.
 */
function servicesConfig(endpoint: string): string {
  return `
${netforgeHclHeader(endpoint)}
data "netforge_network_service_provider" "vr" { type = "VirtualRouter" }
data "netforge_network_service_provider" "flat" { type = "Flat" }

resource "netforge_zone" "z" { name = "svc-zone" }
resource "netforge_cluster" "c" {
  name            = "svc-cluster"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_host" "h" {
  count         = 2
  name          = "svc-h\${count.index}"
  cluster_uuid  = netforge_cluster.c.uuid
  management_ip = "10.46.0.\${count.index + 11}"
}
resource "netforge_l2_vxlan_network" "guest" {
  name               = "svc-guest"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth0"
  vni                = 4100
}
resource "netforge_l2_novlan_network" "uplink" {
  name               = "svc-uplink"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth2"
}
resource "netforge_l2_network_cluster_attachment" "guest" {
  l2_network_uuid = netforge_l2_vxlan_network.guest.uuid
  cluster_uuid    = netforge_cluster.c.uuid
}
resource "netforge_l2_network_cluster_attachment" "uplink" {
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cluster_uuid    = netforge_cluster.c.uuid
}
resource "netforge_l3_network" "app" {
  name            = "svc-app"
  l2_network_uuid = netforge_l2_vxlan_network.guest.uuid
  cidr            = "10.47.0.0/24"
  dns_domain      = "app.example"
  dns_servers     = ["192.0.2.53"]
}
resource "netforge_ip_range" "app" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "svc-app-r"
  start_ip        = "10.47.0.10"
  end_ip          = "10.47.0.99"
}
resource "netforge_l3_network" "internet" {
  name            = "svc-internet"
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cidr            = "203.0.113.0/24"
  gateway         = "203.0.113.1"
}
resource "netforge_ip_range" "internet" {
  l3_network_uuid = netforge_l3_network.internet.uuid
  name            = "svc-internet-r"
  start_ip        = "203.0.113.10"
  end_ip          = "203.0.113.99"
}
resource "netforge_l3_network" "edge" {
  name            = "svc-edge"
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cidr            = "198.51.100.0/24"
  dns_domain      = "edge.example"
}
resource "netforge_ip_range" "edge" {
  l3_network_uuid = netforge_l3_network.edge.uuid
  name            = "svc-edge-r"
  start_ip        = "198.51.100.10"
  end_ip          = "198.51.100.99"
}
resource "netforge_network_service_attachment" "router" {
  l3_network_uuid        = netforge_l3_network.app.uuid
  provider_uuid          = data.netforge_network_service_provider.vr.uuid
  services               = ["DHCP", "DNS", "SNAT"]
  public_l3_network_uuid = netforge_l3_network.internet.uuid
}
resource "netforge_network_service_attachment" "flat" {
  l3_network_uuid = netforge_l3_network.edge.uuid
  provider_uuid   = data.netforge_network_service_provider.flat.uuid
  services        = ["DHCP", "DNS"]
}
resource "netforge_vm_instance" "app" {
  count            = 2
  name             = "app-\${count.index}"
  l3_network_uuids = [netforge_l3_network.app.uuid]
}
resource "netforge_vm_instance" "edge" {
  name             = "edge"
  l3_network_uuids = [netforge_l3_network.edge.uuid]
}
`;
}

describe('a virtual router and flat DHCP from plain HCL, applied in three orders', () => {
  let s: TestServer;
  let w: TerraformWorkspace;
  const get = async (path: string) => (await s.api('GET', `/v1/${path}`)).body as Array<Record<string, any>>;

  beforeAll(async () => {
    s = await startTestServer();
    w = await terraformWorkspace({ NETFORGE_TOKEN: s.token });
    w.write(servicesConfig(s.url));
    expect((await w.tf('init', '-no-color')).code).toBe(0);
  });
  afterAll(async () => {
    w?.cleanup();
    await s?.stop();
  });

  /**
   * The data plane without identities. VMs of one count are created in parallel, so which
   * of them gets which address may differ between runs: leases are compared as
   * hostname -> "its VM's own address", plus the set of addresses. Where VMs and the router
   * land is scheduling (least loaded at the time), not the data plane: hosts are left out,
   * except that a flat DHCP server must be on its VMs' host.
   */
  async function dataPlane() {
    const vms = await get('vm-instances');
    const vmByMac = new Map<string, any>(vms.flatMap((v) => v.nics.map((n: any) => [n.mac, v])));
    const hosts = new Map((await get('hosts')).map((h) => [h.uuid, h.name]));
    const l3s = new Map((await get('l3-networks')).map((l) => [l.uuid, l.name]));
    const endpoints = s.server.simulator.listEndpoints().map((e) => ({
      withItsVms: e.kind === 'virtualRouter' || e.leases.every((l) => vmByMac.get(l.mac)?.hostUuid === e.hostUuid),
      kind: e.kind,
      network: l3s.get(e.l3NetworkUuid),
      serveIp: e.serveIp,
      leases: e.leases.map((l) => `${l.hostname} ${vmByMac.get(l.mac)?.nics.some((n: any) => n.ip === l.ip) ? 'own-address' : 'WRONG'}`).sort(),
      addresses: e.leases.map((l) => l.ip).sort(),
      records: e.records.map((r) => r.hostname).sort(),
      options: e.dhcpOptions,
      forwarders: e.forwarders,
      nat: JSON.stringify(e.nat),
      uplink: e.isolation?.uplink ?? null,
    }));
    const devices = s.server.simulator.listDevices().filter((d) => d.type === 'vmNic');
    const routers = (await get('virtual-routers')).map((r) => ({ state: r.state, placed: hosts.has(r.hostUuid), guestIp: r.guestIp, publicIp: r.publicIp }));
    return {
      endpoints: endpoints.sort((a, b) => `${a.kind}${a.network}`.localeCompare(`${b.kind}${b.network}`)),
      routers,
      addressing: devices.map((d) => `${d.type === 'vmNic' ? d.addressing : ''}`).sort(),
      attachments: (await get('network-service-attachments')).map((a) => a.state),
    };
  }

  async function applyInOrder(targets: string[][]) {
    for (const t of targets) {
      const r = await w.tf('apply', '-auto-approve', '-no-color', ...t.map((x) => `-target=${x}`));
      expect({ targets: t, stderr: r.stderr, code: r.code }).toEqual({ targets: t, stderr: expect.any(String), code: 0 });
    }
    const all = await w.tf('apply', '-auto-approve', '-no-color');
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    const plane = await dataPlane();
    // And Terraform is done: nothing left to change.
    expect((await w.tf('plan', '-refresh=true', '-detailed-exitcode', '-no-color')).code).toBe(0);
    expect((await w.tf('destroy', '-auto-approve', '-no-color')).code).toBe(0);
    expect(await get('virtual-routers')).toEqual([]);
    expect(s.server.simulator.listEndpoints()).toEqual([]);
    return plane;
  }

  test('GIVEN all at once, services first, and VMs first WHEN applied THEN the router, leases, records, options and NAT rules are the same', async () => {
    const atOnce = await applyInOrder([]);
    expect(atOnce.routers).toEqual([{ state: 'Running', placed: true, guestIp: '10.47.0.1', publicIp: '203.0.113.99' }]);
    expect(atOnce.attachments).toEqual(['Applied', 'Applied']);
    expect(atOnce.endpoints.map((e) => `${e.kind} ${e.network} ${e.serveIp} ${e.leases.join('|')} ${e.withItsVms}`)).toEqual([
      'flatDhcp svc-edge 198.51.100.99 edge own-address true',
      'virtualRouter svc-app 10.47.0.1 app-0 own-address|app-1 own-address true',
    ]);
    expect(atOnce.addressing.every((a) => a === 'dhcp' || a === 'static')).toBe(true);
    const servicesFirst = await applyInOrder([['netforge_network_service_attachment.router', 'netforge_network_service_attachment.flat']]);
    const vmsFirst = await applyInOrder([
      ['netforge_vm_instance.app', 'netforge_vm_instance.edge', 'netforge_l2_network_cluster_attachment.guest', 'netforge_l2_network_cluster_attachment.uplink', 'netforge_host.h', 'netforge_ip_range.app', 'netforge_ip_range.edge', 'netforge_ip_range.internet'],
    ]);
    expect(servicesFirst).toEqual(atOnce);
    expect(vmsFirst).toEqual(atOnce);
  });
});
