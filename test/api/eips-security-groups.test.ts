/**
 * VIPs, EIPs, port forwarding rules and security groups over HTTP, realized by the
 * Simulator: every rule with a passing and a failing case, what the virtual router and the
 * hosts are given (the same nftables rulesets KVM loads), and what deletes are refused for.
 */
import { devicesOf, expectApiError, expectNothingWritten, expectStatus, list, snapshot, uniqueName, useServer, type ApiResponse } from './helpers';

/** A refusal with `status` carrying a detail with `code` at `path` (several at once answer RULE_VIOLATIONS or CONFLICTS). */
function expectRefusal(res: ApiResponse, status: number, code: string, path: string): void {
  expectStatus(res, status);
  const details: Array<{ code?: string; path: string }> = res.body.error.details;
  expect(details.map((d) => `${d.code ?? res.body.error.code}@${d.path}`)).toContain(`${code}@${path}`);
}

const srv = useServer();

let vni = 7400;
let subnet = 80;

/** A cluster of two hosts, a guest L3 (VXLAN) and a public L3 (203.0.113.0/24, .20-.40) attached; the router with `services`. */
async function topology(services: string[] = ['DHCP', 'SNAT', 'EIP', 'PortForwarding']) {
  const zone = await srv.fx.zone();
  const cluster = await srv.fx.cluster(zone.uuid);
  const hosts = await srv.fx.hosts(cluster.uuid, 2);
  const guestL2 = await srv.fx.l2(zone.uuid, { type: 'L2VxlanNetwork', vni: vni++, physicalInterface: 'eth0' });
  const publicL2 = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth2' });
  await srv.fx.attach(guestL2.uuid, cluster.uuid);
  await srv.fx.attach(publicL2.uuid, cluster.uuid);
  const base = `10.${subnet++}.0`;
  const guest = await srv.fx.l3(guestL2.uuid, `${base}.0/24`);
  await srv.fx.range(guest.uuid, `${base}.10`, `${base}.99`);
  const pub = await srv.fx.l3(publicL2.uuid, '203.0.113.0/24', { gateway: '203.0.113.1' });
  await srv.fx.range(pub.uuid, '203.0.113.20', '203.0.113.40');
  const vrouter = await srv.fx.builtinProvider('vrouter');
  if (services.length > 0) {
    await srv.fx.create('network-service-attachments', { l3NetworkUuid: guest.uuid, providerUuid: vrouter.uuid, services, publicL3NetworkUuid: pub.uuid });
  }
  return { zone, cluster, hosts, guestL2, publicL2, guest, pub, vrouter };
}

async function routerNat(l3Uuid: string): Promise<string> {
  const res = await srv.ts.api('GET', `/v1/simulator/services?l3NetworkUuid=${l3Uuid}`);
  expectStatus(res, 200);
  return JSON.stringify(res.body.endpoints.find((e: any) => e.kind === 'virtualRouter')?.nat ?? null);
}

async function firewallOf(hostUuid: string): Promise<string | null> {
  const res = await srv.ts.api('GET', '/v1/simulator/services');
  const fw = res.body.firewalls.find((f: any) => f.hostUuid === hostUuid);
  return fw && fw.firewall.filter.nftables.some((c: any) => c.add?.chain) ? JSON.stringify(fw.firewall.filter) : null;
}

const vip = (l3NetworkUuid: string, extra: Record<string, unknown> = {}) => srv.fx.create('vips', { name: uniqueName('vip'), l3NetworkUuid, ...extra });

describe('VIPs', () => {
  it('GIVEN a public L3 WHEN VIPs are created THEN the next free address or the one given is allocated, and freed with the VIP', async () => {
    const net = await topology([]);
    const a = await vip(net.pub.uuid);
    const b = await vip(net.pub.uuid, { ip: '203.0.113.30' });
    expect([a.ip, b.ip, a.useFor]).toEqual(['203.0.113.20', '203.0.113.30', null]);
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: net.pub.uuid })).toEqual(
      expect.arrayContaining([expect.objectContaining({ ip: '203.0.113.30', usedFor: `Vip:${b.uuid}` })]),
    );
    // Its address can't be released on its own.
    const [held] = await list(srv.ts, 'ip-addresses', { ip: '203.0.113.30' });
    expectApiError(await srv.ts.api('DELETE', `/v1/ip-addresses/${held.uuid}`), 409, 'IP_IN_USE_BY_SERVICE');
    expectStatus(await srv.ts.api('DELETE', `/v1/vips/${b.uuid}`), 204);
    expect(await list(srv.ts, 'ip-addresses', { ip: '203.0.113.30' })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, number, string, string]>([
    ['an address in use', { ip: '203.0.113.20' }, 409, 'IP_IN_USE', 'ip'],
    ['an address outside the ranges', { ip: '203.0.113.90' }, 409, 'IP_NOT_IN_RANGE', 'ip'],
    ['not an address', { ip: '203.0.113.x' }, 400, 'INVALID_IP', 'ip'],
  ])('GIVEN %s WHEN a VIP asks for it THEN %i %s and nothing is written', async (_what, body, status, code, path) => {
    const net = await topology([]);
    await vip(net.pub.uuid);
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/vips', { name: uniqueName('vip'), l3NetworkUuid: net.pub.uuid, ...body }), status, code, { path });
    await expectNothingWritten(srv.ts, before);
  });
});

describe('EIPs on the virtual router', () => {
  it('GIVEN a VM and a VIP WHEN an EIP binds them THEN the router DNATs the VIP to the NIC and SNATs the NIC to the VIP; deleting it removes both', async () => {
    const net = await topology();
    const vm = await srv.fx.vm([net.guest.uuid]);
    const v = await vip(net.pub.uuid);
    const eip = await srv.fx.create('eips', { name: uniqueName('eip'), vipUuid: v.uuid, vmInstanceUuid: vm.uuid });
    expect(eip).toMatchObject({ vipIp: v.ip, guestIp: vm.nics[0].ip, l3NetworkUuid: net.guest.uuid });
    expect((await srv.ts.api('GET', `/v1/vips/${v.uuid}`)).body.useFor).toBe('Eip');
    const nat = await routerNat(net.guest.uuid);
    expect(nat).toContain(`"dnat":{"addr":"${vm.nics[0].ip}"}`);
    expect(nat).toContain(`"snat":{"addr":"${v.ip}"}`);
    // The VIP and the VM can't go while the EIP uses them.
    expectApiError(await srv.ts.api('DELETE', `/v1/vips/${v.uuid}`), 409, 'VIP_IN_USE', { conflicting: { type: 'Eip', uuid: eip.uuid, name: eip.name } });
    expectApiError(await srv.ts.api('DELETE', `/v1/vm-instances/${vm.uuid}`), 409, 'NIC_IN_USE', { conflicting: { type: 'Eip', uuid: eip.uuid, name: eip.name } });
    expectStatus(await srv.ts.api('DELETE', `/v1/eips/${eip.uuid}`), 204);
    expect(await routerNat(net.guest.uuid)).not.toContain('dnat');
    expect((await srv.ts.api('GET', `/v1/vips/${v.uuid}`)).body.useFor).toBeNull();
  });

  it('GIVEN the rules of EIPs WHEN each is broken THEN the API refuses naming the field and writes nothing', async () => {
    const net = await topology();
    const vm = await srv.fx.vm([net.guest.uuid]);
    const other = await srv.fx.vm([net.guest.uuid]);
    const v = await vip(net.pub.uuid);
    const spare = await vip(net.pub.uuid);
    await srv.fx.create('eips', { name: uniqueName('eip'), vipUuid: v.uuid, vmInstanceUuid: vm.uuid });
    const noService = await topology(['DHCP', 'SNAT']);
    const vmThere = await srv.fx.vm([noService.guest.uuid]);
    const elsewhere = await vip(noService.pub.uuid);
    const before = await snapshot(srv.ts);
    const eip = (body: Record<string, unknown>) => srv.ts.api('POST', '/v1/eips', { name: uniqueName('eip'), ...body });
    expectApiError(await eip({ vipUuid: v.uuid, vmInstanceUuid: other.uuid }), 409, 'VIP_IN_USE_BY_EIP', { path: 'vipUuid' });
    expectApiError(await eip({ vipUuid: spare.uuid, vmInstanceUuid: vm.uuid }), 409, 'NIC_HAS_EIP', { path: 'vmInstanceUuid' });
    expectApiError(await eip({ vipUuid: elsewhere.uuid, vmInstanceUuid: vmThere.uuid }), 409, 'SERVICE_NOT_ATTACHED', { path: 'l3NetworkUuid' });
    expectApiError(await eip({ vipUuid: spare.uuid, vmInstanceUuid: other.uuid, l3NetworkUuid: net.pub.uuid }), 409, 'NIC_NOT_FOUND', { path: 'l3NetworkUuid' });
    // A VIP on another public network than the router's.
    const wrongNet = await srv.fx.l3(noService.publicL2.uuid, '198.51.100.0/24');
    await srv.fx.range(wrongNet.uuid, '198.51.100.10', '198.51.100.20');
    const wrong = await vip(wrongNet.uuid);
    const afterSetup = await snapshot(srv.ts);
    expectApiError(await eip({ vipUuid: wrong.uuid, vmInstanceUuid: other.uuid }), 409, 'VIP_NOT_ON_PUBLIC_NETWORK', { path: 'vipUuid' });
    expectApiError(await eip({ vipUuid: '00000000-0000-0000-0000-000000000000', vmInstanceUuid: other.uuid }), 404, 'NOT_FOUND', { path: 'vipUuid' });
    await expectNothingWritten(srv.ts, afterSetup);
    expect(before).toBeDefined();
  });
});

describe('what EIPs and port forwarding rely on', () => {
  it('GIVEN an EIP on an L3 WHEN its EIP service is detached THEN 409 SERVICE_IN_USE naming the EIP; after the EIP goes, the detach works', async () => {
    const net = await topology([]);
    const attachment = await srv.fx.create('network-service-attachments', { l3NetworkUuid: net.guest.uuid, providerUuid: net.vrouter.uuid, services: ['DHCP', 'SNAT', 'EIP'], publicL3NetworkUuid: net.pub.uuid });
    const vm = await srv.fx.vm([net.guest.uuid]);
    const eip = await srv.fx.create('eips', { name: uniqueName('eip'), vipUuid: (await vip(net.pub.uuid)).uuid, vmInstanceUuid: vm.uuid });
    expectApiError(await srv.ts.api('DELETE', `/v1/network-service-attachments/${attachment.uuid}`), 409, 'SERVICE_IN_USE', { conflicting: { type: 'Eip', uuid: eip.uuid, name: eip.name } });
    expectStatus(await srv.ts.api('DELETE', `/v1/eips/${eip.uuid}`), 204);
    expectStatus(await srv.ts.api('DELETE', `/v1/network-service-attachments/${attachment.uuid}`), 204);
  });

  it("GIVEN a VIP forwarding into one guest network WHEN a rule would forward it into another router's network THEN 409 VIP_IN_USE_ON_OTHER_NETWORK", async () => {
    const net = await topology();
    const second = await srv.fx.l3(net.guestL2.uuid, '10.99.0.0/24');
    await srv.fx.range(second.uuid, '10.99.0.10', '10.99.0.20');
    await srv.fx.create('network-service-attachments', { l3NetworkUuid: second.uuid, providerUuid: net.vrouter.uuid, services: ['DHCP', 'PortForwarding'], publicL3NetworkUuid: net.pub.uuid });
    const a = await srv.fx.vm([net.guest.uuid]);
    const b = await srv.fx.vm([second.uuid]);
    const v = await vip(net.pub.uuid);
    await srv.fx.create('port-forwarding-rules', { name: uniqueName('pf'), vipUuid: v.uuid, protocol: 'TCP', vipPortStart: 80, vmInstanceUuid: a.uuid });
    const res = await srv.ts.api('POST', '/v1/port-forwarding-rules', { name: uniqueName('pf'), vipUuid: v.uuid, protocol: 'TCP', vipPortStart: 81, vmInstanceUuid: b.uuid });
    expectApiError(res, 409, 'VIP_IN_USE_ON_OTHER_NETWORK', { path: 'vipUuid' });
  });
});

describe('EIPs on a flat network', () => {
  /** The topology with EIP (and DHCP) from the Flat provider on the guest network. */
  async function flatTopology() {
    const net = await topology([]);
    const flat = await srv.fx.builtinProvider('flat');
    await srv.fx.create('network-service-attachments', { l3NetworkUuid: net.guest.uuid, providerUuid: flat.uuid, services: ['DHCP', 'EIP'] });
    return net;
  }

  async function endpointsOf(l3Uuid: string): Promise<any[]> {
    const res = await srv.ts.api('GET', `/v1/simulator/services?l3NetworkUuid=${l3Uuid}`);
    expectStatus(res, 200);
    return res.body.endpoints;
  }

  it("GIVEN Flat EIP WHEN an EIP is created THEN its namespace on the VM's host holds the VIP, NATs it to the NIC and the VM's frames are steered to it; deleting it removes all of that", async () => {
    const net = await flatTopology();
    const vm = await srv.fx.vm([net.guest.uuid]);
    const v = await vip(net.pub.uuid);
    const eip = await srv.fx.create('eips', { name: uniqueName('eip'), vipUuid: v.uuid, vmInstanceUuid: vm.uuid });
    const [endpoint] = (await endpointsOf(net.guest.uuid)).filter((e) => e.kind === 'flatEip');
    expect(endpoint).toMatchObject({ key: `flatEip:${eip.uuid}`, hostUuid: vm.hostUuid, providerType: 'Flat', serveIp: net.guest.gateway, leases: [] });
    const nat = JSON.stringify(endpoint.nat);
    expect(nat).toContain(`"dnat":{"addr":"${vm.nics[0].ip}"}`);
    expect(nat).toContain(`"snat":{"addr":"${v.ip}"}`);
    // Its steering: the VM's port, off-subnet destinations, rewritten to the namespace's MAC.
    const steering = JSON.stringify(endpoint.steering.rules);
    expect(endpoint.steering).toMatchObject({ vmPort: vm.nics[0].deviceName, guestCidr: net.guest.cidr });
    expect(steering).toContain(`"mangle":{"key":{"payload":{"protocol":"ether","field":"daddr"}},"value":"${endpoint.steering.mac}"}`);
    // The API reports it, with the VIP on the public network.
    const reportedRes = await srv.ts.api('GET', `/v1/service-endpoints?l3NetworkUuid=${net.guest.uuid}`);
    expectStatus(reportedRes, 200);
    const [reported] = reportedRes.body.filter((e: any) => e.kind === 'flatEip');
    expect(reported).toMatchObject({ publicIp: v.ip, eips: [{ vip: v.ip, guestIp: vm.nics[0].ip }], hostUuid: vm.hostUuid });
    // The public L2 can't leave the VM's cluster while the EIP's namespace sits on it.
    const [publicAttachment] = await list(srv.ts, 'l2-cluster-attachments', { l2NetworkUuid: net.publicL2.uuid });
    expectApiError(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${publicAttachment.uuid}`), 409, 'L2_IN_USE_BY_EIP', { conflicting: { type: 'Eip', uuid: eip.uuid, name: eip.name } });
    expectStatus(await srv.ts.api('DELETE', `/v1/eips/${eip.uuid}`), 204);
    expect((await endpointsOf(net.guest.uuid)).filter((e) => e.kind === 'flatEip')).toEqual([]);
    expect((await devicesOf(srv.ts, vm.hostUuid)).filter((d: any) => d.vmUuid === endpoint.applianceUuid)).toEqual([]);
    expectStatus(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${publicAttachment.uuid}`), 204);
  });

  it("GIVEN the rules of Flat EIPs WHEN the VIP is on the VM's own network, or on an L2 the VM's cluster lacks THEN 409 naming the VIP, and nothing is written; attached, it works", async () => {
    const net = await flatTopology();
    const vm = await srv.fx.vm([net.guest.uuid]);
    const onGuest = await vip(net.guest.uuid);
    // A second cluster carries the guest network only.
    const lone = await srv.fx.cluster(net.zone.uuid);
    const [loneHost] = await srv.fx.hosts(lone.uuid, 1);
    await srv.fx.attach(net.guestL2.uuid, lone.uuid);
    const far = await srv.fx.vm([net.guest.uuid], { hostUuid: loneHost.uuid });
    const v = await vip(net.pub.uuid);
    const before = await snapshot(srv.ts);
    const eip = (body: Record<string, unknown>) => srv.ts.api('POST', '/v1/eips', { name: uniqueName('eip'), ...body });
    expectApiError(await eip({ vipUuid: onGuest.uuid, vmInstanceUuid: vm.uuid }), 409, 'VIP_ON_GUEST_NETWORK', { path: 'vipUuid' });
    const unreachable = await eip({ vipUuid: v.uuid, vmInstanceUuid: far.uuid });
    expectApiError(unreachable, 409, 'EIP_PUBLIC_UNREACHABLE', { path: 'vipUuid', conflicting: { type: 'L2Network', uuid: net.publicL2.uuid, name: net.publicL2.name } });
    expect(unreachable.body.error.message).toContain(loneHost.name);
    await expectNothingWritten(srv.ts, before);
    await srv.fx.attach(net.publicL2.uuid, lone.uuid);
    const made = await srv.fx.create('eips', { name: uniqueName('eip'), vipUuid: v.uuid, vmInstanceUuid: far.uuid });
    expect((await endpointsOf(net.guest.uuid)).find((e) => e.key === `flatEip:${made.uuid}`)).toMatchObject({ hostUuid: loneHost.uuid });
  });
});

describe('port forwarding on the virtual router', () => {
  it('GIVEN a rule with a translated range and an allowed source WHEN created THEN the router DNATs exactly those ports from that source', async () => {
    const net = await topology();
    const vm = await srv.fx.vm([net.guest.uuid]);
    const v = await vip(net.pub.uuid);
    const rule = await srv.fx.create('port-forwarding-rules', {
      name: uniqueName('pf'),
      vipUuid: v.uuid,
      protocol: 'TCP',
      vipPortStart: 8022,
      guestPortStart: 22,
      vmInstanceUuid: vm.uuid,
      allowedCidr: '198.51.100.0/24',
    });
    expect(rule).toMatchObject({ vipPortEnd: 8022, guestPortEnd: 22, vipIp: v.ip, guestIp: vm.nics[0].ip, allowedCidr: '198.51.100.0/24' });
    const nat = await routerNat(net.guest.uuid);
    expect(nat).toContain(`"dnat":{"addr":"${vm.nics[0].ip}","port":22}`);
    expect(nat).toContain('"right":8022');
    expect(nat).toContain('{"prefix":{"addr":"198.51.100.0","len":24}}');
    const range = await srv.fx.create('port-forwarding-rules', { name: uniqueName('pf'), vipUuid: v.uuid, protocol: 'UDP', vipPortStart: 5000, vipPortEnd: 5002, guestPortStart: 6000, vmInstanceUuid: vm.uuid });
    expect(range).toMatchObject({ guestPortEnd: 6002 });
    expect(await routerNat(net.guest.uuid)).toContain('"set":[[5000,6000],[5001,6001],[5002,6002]]');
    expect((await srv.ts.api('GET', `/v1/vips/${v.uuid}`)).body.useFor).toBe('PortForwarding');
  });

  it.each<[string, Record<string, unknown>, number, string, string]>([
    ['port 0', { vipPortStart: 0 }, 400, 'INVALID_PORT', 'vipPortStart'],
    ['port 65536', { vipPortStart: 22, guestPortStart: 65536 }, 400, 'INVALID_PORT', 'guestPortStart'],
    ['a reversed range', { vipPortStart: 100, vipPortEnd: 90 }, 400, 'PORT_RANGE_REVERSED', 'vipPortEnd'],
    ['ranges of different lengths', { vipPortStart: 100, vipPortEnd: 110, guestPortStart: 200, guestPortEnd: 205 }, 400, 'PORT_RANGE_LENGTH_MISMATCH', 'guestPortEnd'],
    ['a translated range over the limit', { vipPortStart: 1000, vipPortEnd: 2500, guestPortStart: 11000 }, 400, 'PORT_RANGE_TOO_LONG', 'vipPortEnd'],
    ['an IPv6 allowed source', { vipPortStart: 22, allowedCidr: '2001:db8::/32' }, 400, 'IP_FAMILY_MISMATCH', 'allowedCidr'],
    ['an unknown protocol', { vipPortStart: 22, protocol: 'SCTP' }, 400, 'VALIDATION_FAILED', 'protocol'],
    ['ports overlapping another rule of the VIP', { vipPortStart: 8020, vipPortEnd: 8030 }, 409, 'PORT_RANGE_OVERLAP', 'vipPortStart'],
  ])('GIVEN %s THEN %i %s at the field, nothing written', async (_what, body, status, code, path) => {
    const net = await topology();
    const vm = await srv.fx.vm([net.guest.uuid]);
    const v = await vip(net.pub.uuid);
    await srv.fx.create('port-forwarding-rules', { name: uniqueName('pf'), vipUuid: v.uuid, protocol: 'TCP', vipPortStart: 8022, guestPortStart: 22, vmInstanceUuid: vm.uuid });
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/port-forwarding-rules', { name: uniqueName('pf'), vipUuid: v.uuid, protocol: 'TCP', vmInstanceUuid: vm.uuid, ...body });
    expectRefusal(res, status, code, path);
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a VIP serving port forwarding WHEN an EIP wants it THEN 409 VIP_IN_USE_BY_PORT_FORWARDING; and the other way round VIP_IN_USE_BY_EIP', async () => {
    const net = await topology();
    const vm = await srv.fx.vm([net.guest.uuid]);
    const other = await srv.fx.vm([net.guest.uuid]);
    const forwarded = await vip(net.pub.uuid);
    const bound = await vip(net.pub.uuid);
    await srv.fx.create('port-forwarding-rules', { name: uniqueName('pf'), vipUuid: forwarded.uuid, protocol: 'TCP', vipPortStart: 80, vmInstanceUuid: vm.uuid });
    await srv.fx.create('eips', { name: uniqueName('eip'), vipUuid: bound.uuid, vmInstanceUuid: vm.uuid });
    expectApiError(await srv.ts.api('POST', '/v1/eips', { name: uniqueName('eip'), vipUuid: forwarded.uuid, vmInstanceUuid: other.uuid }), 409, 'VIP_IN_USE_BY_PORT_FORWARDING');
    expectApiError(
      await srv.ts.api('POST', '/v1/port-forwarding-rules', { name: uniqueName('pf'), vipUuid: bound.uuid, protocol: 'TCP', vipPortStart: 80, vmInstanceUuid: other.uuid }),
      409,
      'VIP_IN_USE_BY_EIP',
    );
  });
});

describe('security groups', () => {
  async function sgNetwork() {
    const net = await topology([]);
    const sgProvider = await srv.fx.builtinProvider('securitygroup');
    await srv.fx.create('network-service-attachments', { l3NetworkUuid: net.guest.uuid, providerUuid: sgProvider.uuid, services: ['SecurityGroup'] });
    return net;
  }
  const group = () => srv.fx.create('security-groups', { name: uniqueName('sg') });
  const rule = (securityGroupUuid: string, body: Record<string, unknown>) => srv.ts.api('POST', '/v1/security-group-rules', { securityGroupUuid, direction: 'Ingress', ...body });

  it('GIVEN a rule allowing tcp/5432 from group app on group db WHEN VMs join THEN db members accept exactly the app members, updated as app changes, without touching the rule', async () => {
    const net = await sgNetwork();
    const app = await group();
    const db = await group();
    const dbVm = await srv.fx.vm([net.guest.uuid], { hostUuid: net.hosts[0].uuid });
    const appVm = await srv.fx.vm([net.guest.uuid], { hostUuid: net.hosts[1].uuid });
    const late = await srv.fx.vm([net.guest.uuid], { hostUuid: net.hosts[1].uuid });
    const r = await rule(db.uuid, { protocol: 'TCP', portStart: 5432, remoteSecurityGroupUuid: app.uuid });
    expectStatus(r, 201);
    expect(r.body).toMatchObject({ portStart: 5432, portEnd: 5432, remoteCidr: null });
    expect(await firewallOf(net.hosts[0].uuid)).toBeNull(); // no members yet: nothing filtered
    await srv.fx.create('security-group-attachments', { securityGroupUuid: db.uuid, vmInstanceUuid: dbVm.uuid });
    await srv.fx.create('security-group-attachments', { securityGroupUuid: app.uuid, vmInstanceUuid: appVm.uuid });
    let fw = (await firewallOf(net.hosts[0].uuid))!;
    expect(fw).toContain(`"right":"${dbVm.nics[0].ip}"`);
    expect(fw).toContain(`"right":"${appVm.nics[0].ip}"`);
    expect(fw).not.toContain(late.nics[0].ip);
    // A new member of app is allowed in, the rule unchanged.
    await srv.fx.create('security-group-attachments', { securityGroupUuid: app.uuid, vmInstanceUuid: late.uuid });
    fw = (await firewallOf(net.hosts[0].uuid))!;
    expect(fw).toContain(`{"set":["${[appVm.nics[0].ip, late.nics[0].ip].sort().join('","')}"]}`);
    // Every VM NIC of the network is guarded on its host, member or not: it sends only as itself.
    const guard = JSON.stringify((await srv.ts.api('GET', '/v1/simulator/services')).body.firewalls.find((f: any) => f.hostUuid === net.hosts[1].uuid).firewall.portGuard);
    for (const vm of [appVm, late]) expect(guard).toContain(`"right":"${vm.nics[0].mac}"`);
    // Removing the rule leaves db's members accepting nothing but DHCP.
    expectStatus(await srv.ts.api('DELETE', `/v1/security-group-rules/${r.body.uuid}`), 204);
    fw = (await firewallOf(net.hosts[0].uuid))!;
    expect(fw).not.toContain('5432');
    expect(fw).toContain(`"right":"${dbVm.nics[0].ip}"`);
  });

  it.each<[string, Record<string, unknown>, number, string, string]>([
    ['ports with ICMP', { protocol: 'ICMP', portStart: 22 }, 400, 'PORTS_NOT_ALLOWED', 'portStart'],
    ['port 0', { protocol: 'TCP', portStart: 0 }, 400, 'INVALID_PORT', 'portStart'],
    ['port 65536', { protocol: 'UDP', portStart: 10, portEnd: 65536 }, 400, 'INVALID_PORT', 'portEnd'],
    ['a reversed range', { protocol: 'TCP', portStart: 90, portEnd: 80 }, 400, 'PORT_RANGE_REVERSED', 'portEnd'],
    ['an IPv6 CIDR on an IPv4 group', { protocol: 'TCP', portStart: 22, remoteCidr: '2001:db8::/32' }, 400, 'SECURITY_GROUP_FAMILY_MISMATCH', 'remoteCidr'],
    ['a CIDR with host bits', { protocol: 'TCP', portStart: 22, remoteCidr: '10.0.0.1/24' }, 400, 'INVALID_CIDR', 'remoteCidr'],
    ['an unknown protocol', { protocol: 'GRE' }, 400, 'VALIDATION_FAILED', 'protocol'],
    ['an unknown direction', { protocol: 'TCP', direction: 'Sideways' }, 400, 'VALIDATION_FAILED', 'direction'],
  ])('GIVEN a rule with %s THEN %i %s at the field, nothing written', async (_what, body, status, code, path) => {
    const g = await group();
    const before = await snapshot(srv.ts);
    expectRefusal(await rule(g.uuid, body), status, code, path);
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN both a remote CIDR and a remote group THEN 400 REMOTE_CONFLICT', async () => {
    const g = await group();
    const other = await group();
    expectApiError(await rule(g.uuid, { protocol: 'ALL', remoteCidr: '10.0.0.0/8', remoteSecurityGroupUuid: other.uuid }), 400, 'REMOTE_CONFLICT', { path: 'remoteSecurityGroupUuid' });
  });

  it('GIVEN membership rules WHEN broken THEN SERVICE_NOT_ATTACHED, ALREADY_MEMBER; a group in use or named by another rule is not deleted', async () => {
    const net = await sgNetwork();
    const bare = await topology([]);
    const g = await group();
    const peer = await group();
    const vm = await srv.fx.vm([net.guest.uuid]);
    const unprotected = await srv.fx.vm([bare.guest.uuid]);
    expectApiError(await srv.ts.api('POST', '/v1/security-group-attachments', { securityGroupUuid: g.uuid, vmInstanceUuid: unprotected.uuid }), 409, 'SERVICE_NOT_ATTACHED', { path: 'l3NetworkUuid' });
    const member = await srv.fx.create('security-group-attachments', { securityGroupUuid: g.uuid, vmInstanceUuid: vm.uuid });
    expectApiError(await srv.ts.api('POST', '/v1/security-group-attachments', { securityGroupUuid: g.uuid, vmInstanceUuid: vm.uuid }), 409, 'ALREADY_MEMBER');
    const named = await rule(peer.uuid, { protocol: 'ICMP', remoteSecurityGroupUuid: g.uuid });
    expectStatus(named, 201);
    const res = await srv.ts.api('DELETE', `/v1/security-groups/${g.uuid}`);
    expectStatus(res, 409);
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'SECURITY_GROUP_IN_USE', conflicting: { type: 'SecurityGroupAttachment', uuid: member.uuid } }),
        expect.objectContaining({ code: 'SECURITY_GROUP_IN_USE', conflicting: { type: 'SecurityGroupRule', uuid: named.body.uuid } }),
      ]),
    );
    expectApiError(await srv.ts.api('DELETE', `/v1/vm-instances/${vm.uuid}`), 409, 'NIC_IN_USE', { conflicting: { type: 'SecurityGroupAttachment', uuid: member.uuid } });
  });

  it('GIVEN a storm of rules on one group WHEN it passes the documented limit (500) THEN 409 TOO_MANY_RULES, and the group stays usable', async () => {
    const g = await group();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 505; i++) {
      const res = await rule(g.uuid, { protocol: 'TCP', portStart: 1 + i, description: `r${i}` });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 409) expect(res.body.error.code).toBe('TOO_MANY_RULES');
    }
    expect(Object.fromEntries(statuses)).toEqual({ 201: 500, 409: 5 });
    expect(await list(srv.ts, 'security-group-rules', { securityGroupUuid: g.uuid })).toHaveLength(500);
  }, 120_000);
});
