/**
 * Terraform deletes unrelated resources in parallel. When nothing orders a VM's delete before
 * its L2 attachment's, the server refuses the detach while the VM still runs; the provider
 * retries such "in use" conflicts for a while instead of failing the apply.
 */
import { startTestServer, type TestServer } from '../helpers/server';
import { terraformWorkspace, type TerraformWorkspace, netforgeHclHeader } from '../helpers/terraform';

jest.setTimeout(120_000);

const base = (endpoint: string, withVm: boolean, withAttachment: boolean) => `
${netforgeHclHeader(endpoint)}resource "netforge_zone" "z" { name = "z" }
resource "netforge_cluster" "c" {
  name            = "c"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_host" "h" {
  name          = "h"
  cluster_uuid  = netforge_cluster.c.uuid
  management_ip = "10.0.0.21"
}
resource "netforge_l2_novlan_network" "l2" {
  name               = "flat"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth1"
}
${withAttachment ? `resource "netforge_l2_network_cluster_attachment" "a" {
  l2_network_uuid = netforge_l2_novlan_network.l2.uuid
  cluster_uuid    = netforge_cluster.c.uuid
  depends_on      = [netforge_host.h]
}` : ''}
resource "netforge_l3_network" "l3" {
  name            = "net"
  l2_network_uuid = netforge_l2_novlan_network.l2.uuid
  cidr            = "10.77.0.0/24"
}
resource "netforge_ip_range" "r" {
  l3_network_uuid = netforge_l3_network.l3.uuid
  name            = "r"
  start_ip        = "10.77.0.10"
  end_ip          = "10.77.0.20"
}
${withVm ? `resource "netforge_vm_instance" "vm" {
  name             = "vm"
  l3_network_uuids = [netforge_l3_network.l3.uuid]
}` : ''}
`;

describe('deletes that Terraform runs in parallel', () => {
  let s: TestServer;
  let w: TerraformWorkspace;
  beforeAll(async () => {
    s = await startTestServer();
    w = await terraformWorkspace({ NETFORGE_TOKEN: s.token, NETFORGE_DELETE_RETRY_MS: '5000' });
    w.write(base(s.url, false, true));
    expect((await w.tf('init', '-no-color')).code).toBe(0);
  });
  afterAll(async () => {
    w?.cleanup();
    await s?.stop();
  });

  test('GIVEN a VM with no dependency on its attachment WHEN both are removed in one apply THEN the detach waits for the VM and the apply succeeds', async () => {
    expect((await w.tf('apply', '-auto-approve', '-no-color')).code).toBe(0);
    // Created in a second apply, so no depends_on edge ties the VM to the attachment.
    w.write(base(s.url, true, true));
    expect((await w.tf('apply', '-auto-approve', '-no-color')).code).toBe(0);
    const host = (await s.api('GET', '/v1/hosts?name=h')).body[0];
    // A slow VM teardown makes the attachment delete meet the running VM first.
    expect((await s.api('PATCH', `/v1/simulator/hosts/${host.uuid}`, { latencyMs: 1500 })).status).toBe(200);
    w.write(base(s.url, false, false));
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toMatch(/Resources: 0 added, 0 changed, 2 destroyed/);
    expect((await s.api('GET', '/v1/l2-cluster-attachments')).body).toEqual([]);
    expect((await s.api('GET', '/v1/vm-instances')).body).toEqual([]);
    const ops = s.server.simulator.getOpLog(host.uuid).map((e) => e.op);
    expect(ops.lastIndexOf('delete')).toBeGreaterThan(ops.lastIndexOf('destroy'));
  });

  test('GIVEN an attachment whose VM stays WHEN only the attachment is removed THEN the apply fails after the retry window naming the VM', async () => {
    w.write(base(s.url, false, true));
    expect((await w.tf('apply', '-auto-approve', '-no-color')).code).toBe(0);
    w.write(base(s.url, true, true));
    expect((await w.tf('apply', '-auto-approve', '-no-color')).code).toBe(0);
    w.write(base(s.url, true, false));
    const started = Date.now();
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.code).not.toBe(0);
    expect(apply.stderr).toMatch(/VmInstance 'vm' .* uses L2Network 'flat'/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });
});
