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
resource "netforge_l2_network_cluster_attachment" "a" {
  l2_network_uuid = netforge_l2_novlan_network.l2.uuid
  cluster_uuid    = netforge_cluster.c.uuid
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
resource "netforge_vm_instance" "vm" {
  count            = 3
  name             = "order-vm\${count.index}"
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
    // Realizing the attachment takes seconds, so Terraform's parallel VM creates reach the
    // server before any host is eligible.
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
    expect(pending).toMatchObject({ state: 'Pending', pendingServices: [{ service: 'DHCP' }] });
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
