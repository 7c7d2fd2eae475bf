/**
 * VM placement and IP allocation over HTTP (topology-rules.md 19-21): hosts in clusters
 * attached to every L2 under the VM's L3s, non-overlapping L3s, IPs never the gateway or twice.
 */
import { devicesOf, expectApiError, expectNothingWritten, expectStatus, inRange, list, snapshot, uniqueName, useServer } from './helpers';

const srv = useServer();

/**
 * Zone with L2s X and Y. Cluster A (hosts a1, a2, aOff Disconnected) has X and Y,
 * cluster B (b1) has only X, cluster C (c1) has none. L3x on X, L3y on Y.
 */
async function topology() {
  const zone = await srv.fx.zone();
  const [clusterA, clusterB, clusterC] = [await srv.fx.cluster(zone.uuid), await srv.fx.cluster(zone.uuid), await srv.fx.cluster(zone.uuid)];
  const a1 = await srv.fx.host(clusterA.uuid, { name: uniqueName('a1') });
  const a2 = await srv.fx.host(clusterA.uuid, { name: uniqueName('a2') });
  const aOff = await srv.fx.host(clusterA.uuid, { name: uniqueName('aoff'), state: 'Disconnected' });
  const b1 = await srv.fx.host(clusterB.uuid);
  const c1 = await srv.fx.host(clusterC.uuid);
  const x = await srv.fx.vlan(zone.uuid, 300);
  const y = await srv.fx.vlan(zone.uuid, 301);
  await srv.fx.attach(x.uuid, clusterA.uuid);
  await srv.fx.attach(y.uuid, clusterA.uuid);
  await srv.fx.attach(x.uuid, clusterB.uuid);
  const l3x = await srv.fx.l3(x.uuid, '10.110.0.0/24');
  await srv.fx.range(l3x.uuid, '10.110.0.10', '10.110.0.100');
  const l3y = await srv.fx.l3(y.uuid, '10.111.0.0/24');
  await srv.fx.range(l3y.uuid, '10.111.0.10', '10.111.0.100');
  return { zone, clusterA, clusterB, clusterC, a1, a2, aOff, b1, c1, x, y, l3x, l3y };
}

async function refusedVm(body: Record<string, unknown>) {
  const before = await snapshot(srv.ts);
  const res = await srv.ts.api('POST', '/v1/vm-instances', { name: uniqueName('vm'), ...body });
  await expectNothingWritten(srv.ts, before);
  return res;
}

describe('placement (rule 19)', () => {
  it('GIVEN VMs on L3s of X and Y WHEN created THEN each lands on a connected host of cluster A only, spread by load', async () => {
    const t = await topology();
    const hosts = [];
    for (let i = 0; i < 4; i++) hosts.push((await srv.fx.vm([t.l3x.uuid, t.l3y.uuid])).hostUuid);
    expect(hosts.sort()).toEqual([t.a1.uuid, t.a1.uuid, t.a2.uuid, t.a2.uuid].sort());
  });

  it('GIVEN VMs only on L3x WHEN created THEN they land on hosts of A or B, never C or the Disconnected host', async () => {
    const t = await topology();
    const hosts = new Set<string>();
    for (let i = 0; i < 6; i++) hosts.add((await srv.fx.vm([t.l3x.uuid])).hostUuid);
    expect([...hosts].sort()).toEqual([t.a1.uuid, t.a2.uuid, t.b1.uuid].sort());
  });

  it('GIVEN a VM WHEN started THEN its NICs are plugged into the L2 bridges of its host with the allocated IP and MAC; deleting it unplugs them and frees the IPs', async () => {
    const t = await topology();
    const vm = await srv.fx.vm([t.l3x.uuid, t.l3y.uuid], { hostUuid: t.a2.uuid });
    expect(vm).toMatchObject({ hostUuid: t.a2.uuid, state: 'Running', l3NetworkUuids: [t.l3x.uuid, t.l3y.uuid] });
    const nics = (await devicesOf(srv.ts, t.a2.uuid)).filter((d) => d.type === 'vmNic');
    expect(nics).toEqual(
      expect.arrayContaining(
        vm.nics.map((n: { deviceName: string; ip: string; mac: string; l3NetworkUuid: string }) =>
          expect.objectContaining({ name: n.deviceName, ip: n.ip, mac: n.mac, vmUuid: vm.uuid, l3NetworkUuid: n.l3NetworkUuid }),
        ),
      ),
    );
    expect(nics).toHaveLength(2);
    expect(nics.map((n) => (n as { bridge: string }).bridge).sort()).toEqual(['br_eth0_300', 'br_eth0_301']);

    expectStatus(await srv.ts.api('DELETE', `/v1/vm-instances/${vm.uuid}`), 204);
    expect((await devicesOf(srv.ts, t.a2.uuid)).filter((d) => d.type === 'vmNic')).toEqual([]);
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: t.l3x.uuid })).toEqual([]);
    expectApiError(await srv.ts.api('GET', `/v1/vm-instances/${vm.uuid}`), 404, 'NOT_FOUND');
  });

  it('GIVEN an explicit host in cluster B (no Y) WHEN a VM on X and Y is created there THEN 409 HOST_NOT_ELIGIBLE naming b1 and nothing is written', async () => {
    const t = await topology();
    const res = await refusedVm({ l3NetworkUuids: [t.l3x.uuid, t.l3y.uuid], hostUuid: t.b1.uuid });
    expectApiError(res, 409, 'HOST_NOT_ELIGIBLE', { path: 'hostUuid', conflicting: { type: 'Host', uuid: t.b1.uuid, name: t.b1.name }, message: [t.b1.name] });
  });

  it('GIVEN an explicit Disconnected host in cluster A WHEN a VM is created there THEN 409 HOST_NOT_ELIGIBLE saying it is Disconnected', async () => {
    const t = await topology();
    const res = await refusedVm({ l3NetworkUuids: [t.l3x.uuid], hostUuid: t.aOff.uuid });
    expectApiError(res, 409, 'HOST_NOT_ELIGIBLE', { path: 'hostUuid', conflicting: { type: 'Host', uuid: t.aOff.uuid, name: t.aOff.name }, message: ['Disconnected'] });
  });

  it('GIVEN an unknown explicit host WHEN a VM is created THEN 404 at hostUuid', async () => {
    const t = await topology();
    expectApiError(await refusedVm({ l3NetworkUuids: [t.l3x.uuid], hostUuid: '00000000-0000-4000-8000-0000000000aa' }), 404, 'NOT_FOUND', { path: 'hostUuid' });
  });

  it('GIVEN an L3 whose L2 is attached nowhere WHEN a VM is created on it THEN 409 NO_ELIGIBLE_HOST and nothing is written', async () => {
    const t = await topology();
    const z = await srv.fx.vlan(t.zone.uuid, 302);
    const l3z = await srv.fx.l3(z.uuid, '10.112.0.0/24');
    await srv.fx.range(l3z.uuid, '10.112.0.10', '10.112.0.20');
    expectApiError(await refusedVm({ l3NetworkUuids: [l3z.uuid] }), 409, 'NO_ELIGIBLE_HOST', { path: 'l3NetworkUuids', message: [z.uuid] });
  });

  it('GIVEN an L2 attached only to a cluster whose host is Disconnected WHEN a VM is created THEN 409 NO_ELIGIBLE_HOST', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    await srv.fx.host(cluster.uuid, { state: 'Disconnected' });
    const l2 = await srv.fx.vlan(zone.uuid, 303);
    await srv.fx.attach(l2.uuid, cluster.uuid);
    const l3 = await srv.fx.l3(l2.uuid, '10.113.0.0/24');
    await srv.fx.range(l3.uuid, '10.113.0.10', '10.113.0.20');
    expectApiError(await refusedVm({ l3NetworkUuids: [l3.uuid] }), 409, 'NO_ELIGIBLE_HOST', { path: 'l3NetworkUuids' });
  });

  it('GIVEN an unknown L3 in the list WHEN a VM is created THEN 404 at its index', async () => {
    const t = await topology();
    expectApiError(await refusedVm({ l3NetworkUuids: [t.l3x.uuid, '00000000-0000-4000-8000-0000000000bb'] }), 404, 'NOT_FOUND', { path: 'l3NetworkUuids[1]' });
  });
});

describe('a VM\'s L3 networks (rule 20)', () => {
  it('GIVEN two L3s with overlapping CIDRs on different L2s WHEN a VM uses both THEN 409 VM_L3_CIDR_OVERLAP naming the first', async () => {
    const t = await topology();
    const w = await srv.fx.vlan(t.zone.uuid, 304);
    await srv.fx.attach(w.uuid, t.clusterA.uuid);
    const l3w = await srv.fx.l3(w.uuid, '10.110.0.0/25', { gateway: '10.110.0.126' });
    await srv.fx.range(l3w.uuid, '10.110.0.10', '10.110.0.20');
    const res = await refusedVm({ l3NetworkUuids: [t.l3x.uuid, l3w.uuid] });
    expectApiError(res, 409, 'VM_L3_CIDR_OVERLAP', {
      path: 'l3NetworkUuids[1]',
      conflicting: { type: 'L3Network', uuid: t.l3x.uuid, name: t.l3x.name },
      message: [l3w.name, t.l3x.name],
    });
  });

  it('GIVEN the same L3 listed twice WHEN a VM is created THEN 409 DUPLICATE_L3_NETWORK', async () => {
    const t = await topology();
    expectApiError(await refusedVm({ l3NetworkUuids: [t.l3x.uuid, t.l3x.uuid] }), 409, 'DUPLICATE_L3_NETWORK', {
      path: 'l3NetworkUuids[1]',
      conflicting: { type: 'L3Network', uuid: t.l3x.uuid, name: t.l3x.name },
    });
  });
});

describe('IP allocation (rule 21)', () => {
  async function allocL3(range: [string, string] = ['10.120.0.10', '10.120.0.12']) {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 400);
    const l3 = await srv.fx.l3(l2.uuid, '10.120.0.0/24');
    const r = await srv.fx.range(l3.uuid, range[0], range[1]);
    return { l3, range: r };
  }

  it('GIVEN a 3-address range WHEN 3 IPs are allocated THEN they are the range in order; a 4th is 409 NO_FREE_IP and nothing is written', async () => {
    const { l3, range } = await allocL3();
    const ips = [];
    for (let i = 0; i < 3; i++) ips.push(await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid }));
    expect(ips.map((i) => i.ip)).toEqual(['10.120.0.10', '10.120.0.11', '10.120.0.12']);
    expect(ips.every((i) => i.ipRangeUuid === range.uuid && i.l3NetworkUuid === l3.uuid)).toBe(true);
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid }), 409, 'NO_FREE_IP', {
      path: 'l3NetworkUuid',
      conflicting: { type: 'L3Network', uuid: l3.uuid, name: l3.name },
    });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an allocated IP WHEN it is released and another allocated THEN the freed address is reused', async () => {
    const { l3 } = await allocL3();
    const a = await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid });
    await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid });
    expectStatus(await srv.ts.api('DELETE', `/v1/ip-addresses/${a.uuid}`), 204);
    expect((await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid })).ip).toBe(a.ip);
  });

  it('GIVEN an explicit IP WHEN it is free and in a range THEN it is allocated; WHEN asked again THEN 409 IP_IN_USE at ip', async () => {
    const { l3 } = await allocL3();
    expect(await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid, ip: '10.120.0.11', usedFor: 'vip' })).toMatchObject({ ip: '10.120.0.11', usedFor: 'vip' });
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid, ip: '10.120.0.11' }), 409, 'IP_IN_USE', {
      path: 'ip',
      conflicting: { type: 'L3Network', uuid: l3.uuid, name: l3.name },
    });
    await expectNothingWritten(srv.ts, before);
    // The automatic allocator skips it too.
    expect((await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid })).ip).toBe('10.120.0.10');
    expect((await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid })).ip).toBe('10.120.0.12');
  });

  it('GIVEN the gateway as explicit IP WHEN allocated THEN 409 with IP_IS_GATEWAY and nothing is written', async () => {
    const { l3 } = await allocL3();
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid, ip: '10.120.0.1' });
    expectApiError(res, 409, 'CONFLICTS', { path: 'ip', code: 'IP_IS_GATEWAY', message: ['gateway'] });
    expectApiError(res, 409, 'CONFLICTS', { path: 'ip', code: 'IP_NOT_IN_RANGE' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an explicit IP outside every range WHEN allocated THEN 409 IP_NOT_IN_RANGE; a malformed one THEN 400 INVALID_IP', async () => {
    const { l3 } = await allocL3();
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid, ip: '10.120.0.50' }), 409, 'IP_NOT_IN_RANGE', { path: 'ip' });
    expectApiError(await srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid, ip: '10.120.0.500' }), 400, 'INVALID_IP', { path: 'ip' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an IP owned by a VM NIC WHEN released directly THEN 409 IP_IN_USE_BY_VM naming the VM', async () => {
    const net = await srv.fx.network({ vlan: 401, cidr: '10.121.0.0/24', range: ['10.121.0.10', '10.121.0.20'] });
    const vm = await srv.fx.vm([net.l3.uuid]);
    const [ip] = await list(srv.ts, 'ip-addresses', { l3NetworkUuid: net.l3.uuid });
    expect(ip).toMatchObject({ ip: vm.nics[0].ip, usedFor: `VmNic:${vm.nics[0].uuid}` });
    expect(inRange(ip.ip, '10.121.0.10', '10.121.0.20')).toBe(true);
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('DELETE', `/v1/ip-addresses/${ip.uuid}`), 409, 'IP_IN_USE_BY_VM', {
      path: 'uuid',
      conflicting: { type: 'VmInstance', uuid: vm.uuid },
      message: [vm.uuid],
    });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a one-address range WHEN a second VM is created THEN 409 NO_FREE_IP at its L3 index and no VM, IP or NIC device is left', async () => {
    const net = await srv.fx.network({ vlan: 402, cidr: '10.122.0.0/24', range: ['10.122.0.10', '10.122.0.10'] });
    await srv.fx.vm([net.l3.uuid]);
    const res = await refusedVm({ l3NetworkUuids: [net.l3.uuid] });
    expectApiError(res, 409, 'NO_FREE_IP', { path: 'l3NetworkUuids[0]' });
  });
});

describe('VM start and destroy failing on the host', () => {
  async function failOn(hostUuid: string, failures: Record<string, string | null>) {
    expectStatus(await srv.ts.api('PATCH', `/v1/simulator/hosts/${hostUuid}`, { failures }), 200);
  }

  it.each([
    ['start', 'qemu: could not open disk image'],
    ['preInstantiate', 'bridge module missing'],
  ])('GIVEN the host fails %s WHEN a VM is created THEN 409 VM_START_FAILED naming the host and message; no VM, IP or NIC device is left', async (op, message) => {
    const net = await srv.fx.network({ vlan: 410, cidr: '10.123.0.0/24', range: ['10.123.0.10', '10.123.0.20'] });
    const host = net.hosts[0];
    await failOn(host.uuid, { [op]: message });
    const res = await refusedVm({ l3NetworkUuids: [net.l3.uuid] });
    expectApiError(res, 409, 'VM_START_FAILED', {
      path: 'hostUuid',
      conflicting: { type: 'Host', uuid: host.uuid, name: host.name },
      message: [host.name, host.uuid, host.managementIp, message],
    });
    expect(res.body.error.message).toContain(message);
    expect(await list(srv.ts, 'vm-instances', { hostUuid: host.uuid })).toEqual([]);
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: net.l3.uuid })).toEqual([]);
    await failOn(host.uuid, { [op]: null });
  });

  it('GIVEN the host fails destroy WHEN the VM is deleted THEN 409 VM_DESTROY_FAILED naming the host; the VM, its IP and NIC stay until it succeeds', async () => {
    const net = await srv.fx.network({ vlan: 411, cidr: '10.124.0.0/24', range: ['10.124.0.10', '10.124.0.20'] });
    const host = net.hosts[0];
    const vm = await srv.fx.vm([net.l3.uuid]);
    await failOn(host.uuid, { destroy: 'libvirt: domain is busy' });
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('DELETE', `/v1/vm-instances/${vm.uuid}`), 409, 'VM_DESTROY_FAILED', {
      path: 'hostUuid',
      conflicting: { type: 'Host', uuid: host.uuid, name: host.name },
      message: [vm.name, host.name, 'libvirt: domain is busy'],
    });
    await expectNothingWritten(srv.ts, before);
    expect((await devicesOf(srv.ts, host.uuid)).filter((d) => d.type === 'vmNic').map((d) => d.name)).toEqual([vm.nics[0].deviceName]);
    await failOn(host.uuid, { destroy: null });
    expectStatus(await srv.ts.api('DELETE', `/v1/vm-instances/${vm.uuid}`), 204);
    expect((await devicesOf(srv.ts, host.uuid)).filter((d) => d.type === 'vmNic')).toEqual([]);
  });
});
