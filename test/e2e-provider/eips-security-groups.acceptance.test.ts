/**
 * VIPs, EIPs, port forwarding and security groups from plain HCL, with real terraform and the
 * packaged provider against a real server (Simulator hosts): everything applies without a
 * depends_on, the next plan is empty, the data sources read them back, bad input is an
 * error on the attribute at plan time, and destroy removes all of it.
 */
import { startTestServer, type TestServer } from '../helpers/server';
import { netforgeHclHeader, terraformWorkspace, type TerraformWorkspace } from '../helpers/terraform';

jest.setTimeout(240_000);

function config(endpoint: string, o: { sshPort?: number } = {}): string {
  return `
${netforgeHclHeader(endpoint)}
data "netforge_network_service_provider" "vrouter" { type = "VirtualRouter" }
data "netforge_network_service_provider" "sg" { type = "SecurityGroup" }

resource "netforge_zone" "z" { name = "nat-zone" }
resource "netforge_cluster" "c" {
  name            = "nat-cluster"
  zone_uuid       = netforge_zone.z.uuid
  hypervisor_type = "Simulator"
}
resource "netforge_host" "h" {
  count         = 2
  name          = "nat-h\${count.index}"
  cluster_uuid  = netforge_cluster.c.uuid
  management_ip = "10.46.0.\${count.index + 11}"
}
resource "netforge_l2_vxlan_network" "guest" {
  name               = "nat-guest"
  zone_uuid          = netforge_zone.z.uuid
  physical_interface = "eth0"
  vni                = 4600
}
resource "netforge_l2_novlan_network" "uplink" {
  name               = "nat-uplink"
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
  name            = "nat-app"
  l2_network_uuid = netforge_l2_vxlan_network.guest.uuid
  cidr            = "10.47.0.0/24"
}
resource "netforge_ip_range" "app" {
  l3_network_uuid = netforge_l3_network.app.uuid
  name            = "nat-app-r"
  start_ip        = "10.47.0.10"
  end_ip          = "10.47.0.50"
}
resource "netforge_l3_network" "internet" {
  name            = "nat-internet"
  l2_network_uuid = netforge_l2_novlan_network.uplink.uuid
  cidr            = "203.0.113.0/24"
  gateway         = "203.0.113.1"
}
resource "netforge_ip_range" "internet" {
  l3_network_uuid = netforge_l3_network.internet.uuid
  name            = "nat-internet-r"
  start_ip        = "203.0.113.10"
  end_ip          = "203.0.113.30"
}
resource "netforge_network_service_attachment" "router" {
  l3_network_uuid        = netforge_l3_network.app.uuid
  provider_uuid          = data.netforge_network_service_provider.vrouter.uuid
  services               = ["DHCP", "SNAT", "EIP", "PortForwarding"]
  public_l3_network_uuid = netforge_l3_network.internet.uuid
}
resource "netforge_network_service_attachment" "sg" {
  l3_network_uuid = netforge_l3_network.app.uuid
  provider_uuid   = data.netforge_network_service_provider.sg.uuid
  services        = ["SecurityGroup"]
}
resource "netforge_vm_instance" "web" {
  name             = "nat-web"
  l3_network_uuids = [netforge_l3_network.app.uuid]
}
resource "netforge_vm_instance" "lb" {
  name             = "nat-lb"
  l3_network_uuids = [netforge_l3_network.app.uuid]
}
resource "netforge_vip" "web" {
  name            = "nat-web-vip"
  l3_network_uuid = netforge_l3_network.internet.uuid
}
resource "netforge_eip" "web" {
  name             = "nat-web-eip"
  vip_uuid         = netforge_vip.web.uuid
  vm_instance_uuid = netforge_vm_instance.web.uuid
}
resource "netforge_vip" "ssh" {
  name            = "nat-ssh-vip"
  l3_network_uuid = netforge_l3_network.internet.uuid
}
resource "netforge_port_forwarding_rule" "ssh" {
  name             = "nat-ssh"
  vip_uuid         = netforge_vip.ssh.uuid
  protocol         = "TCP"
  vip_port_start   = ${o.sshPort ?? 8022}
  guest_port_start = 22
  vm_instance_uuid = netforge_vm_instance.web.uuid
  allowed_cidr     = "198.51.100.0/24"
}
resource "netforge_security_group" "web" { name = "nat-web-sg" }
resource "netforge_security_group" "lb" { name = "nat-lb-sg" }
resource "netforge_security_group_rule" "https_from_lb" {
  security_group_uuid        = netforge_security_group.web.uuid
  direction                  = "Ingress"
  protocol                   = "TCP"
  port_start                 = 443
  remote_security_group_uuid = netforge_security_group.lb.uuid
}
resource "netforge_security_group_rule" "ping" {
  security_group_uuid = netforge_security_group.web.uuid
  direction           = "Ingress"
  protocol            = "ICMP"
}
resource "netforge_security_group_attachment" "web" {
  security_group_uuid = netforge_security_group.web.uuid
  vm_instance_uuid    = netforge_vm_instance.web.uuid
}
resource "netforge_security_group_attachment" "lb" {
  security_group_uuid = netforge_security_group.lb.uuid
  vm_instance_uuid    = netforge_vm_instance.lb.uuid
}
`;
}

const reads = `
data "netforge_vip" "web" { name = "nat-web-vip" }
data "netforge_security_group" "web" { name = "nat-web-sg" }
output "vip_ip" { value = data.netforge_vip.web.ip }
output "sg_uuid" { value = data.netforge_security_group.web.uuid }
`;

describe('VIPs, EIPs, port forwarding and security groups from plain HCL', () => {
  let s: TestServer;
  let w: TerraformWorkspace;
  const get = async (path: string) => (await s.api('GET', `/v1/${path}`)).body as Array<Record<string, any>>;

  beforeAll(async () => {
    s = await startTestServer();
    w = await terraformWorkspace({ NETFORGE_TOKEN: s.token });
    w.write(config(s.url));
    expect((await w.tf('init', '-no-color')).code).toBe(0);
  });
  afterAll(async () => {
    w?.cleanup();
    await s?.stop();
  });

  test('GIVEN the configuration without a depends_on WHEN applied THEN every object exists, the router and hosts got their rules, and the next plan is empty', async () => {
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const [vip] = (await get('vips')).filter((v) => v.name === 'nat-web-vip');
    const [eip] = await get('eips');
    const [web] = (await get('vm-instances')).filter((v) => v.name === 'nat-web');
    expect(eip).toMatchObject({ vipIp: vip.ip, guestIp: web.nics[0].ip });
    expect(await get('port-forwarding-rules')).toEqual([expect.objectContaining({ vipPortStart: 8022, vipPortEnd: 8022, guestPortStart: 22, guestPortEnd: 22, allowedCidr: '198.51.100.0/24' })]);
    const services = (await s.api('GET', '/v1/simulator/services')).body;
    expect(JSON.stringify(services.endpoints)).toContain(`"snat":{"addr":"${vip.ip}"}`);
    expect(services.firewalls.map((f: any) => f.hostUuid).sort()).toEqual([...new Set([web.hostUuid, (await get('vm-instances')).find((v) => v.name === 'nat-lb')!.hostUuid])].sort());

    const again = await w.tf('plan', '-no-color', '-detailed-exitcode');
    expect(again.stdout).toMatch(/No changes/);
    expect(again.code).toBe(0);
  });

  test('GIVEN data sources WHEN read THEN the VIP and the group come back by name', async () => {
    w.write(config(s.url) + reads);
    const apply = await w.tf('apply', '-auto-approve', '-no-color');
    expect(apply.code).toBe(0);
    const out = await w.tf('output', '-json');
    const [vip] = (await get('vips')).filter((v) => v.name === 'nat-web-vip');
    const [group] = (await get('security-groups')).filter((g) => g.name === 'nat-web-sg');
    expect(JSON.parse(out.stdout)).toMatchObject({ vip_ip: { value: vip.ip }, sg_uuid: { value: group.uuid } });
  });

  test('GIVEN a port out of range WHEN planned THEN an error on vip_port_start, and nothing changes', async () => {
    w.write(config(s.url, { sshPort: 65536 }));
    const plan = await w.tf('plan', '-no-color');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/INVALID_PORT/);
    expect(plan.stderr).toMatch(/with netforge_port_forwarding_rule\.ssh,[\s\S]*vip_port_start/);
  });

  test('GIVEN everything WHEN destroyed THEN no VIP, EIP, rule or group is left and the hosts filter nothing', async () => {
    w.write(config(s.url));
    const destroy = await w.tf('destroy', '-auto-approve', '-no-color');
    expect(destroy.stderr).toBe('');
    expect(destroy.code).toBe(0);
    for (const c of ['vips', 'eips', 'port-forwarding-rules', 'security-groups', 'security-group-rules', 'security-group-attachments']) expect(await get(c)).toEqual([]);
    expect((await s.api('GET', '/v1/simulator/services')).body.firewalls).toEqual([]);
  });
});
