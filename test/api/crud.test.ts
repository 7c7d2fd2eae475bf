/**
 * CRUD basics for every object type over HTTP: create returns the stored inventory, get
 * and filtered list return the same, patch changes only what it says, delete answers 204
 * and then 404; deletes of objects with dependents are refused naming them.
 */
import { expectApiError, expectNothingWritten, expectStatus, list, snapshot, uniqueName, useServer, type Collection } from './helpers';

const srv = useServer();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** GET equals the created object; each filter (one at a time) finds it; a non-matching filter doesn't. */
async function expectReadable(collection: Collection, created: any, filters: Record<string, string>) {
  const got = await srv.ts.api('GET', `/v1/${collection}/${created.uuid}`);
  expectStatus(got, 200);
  expect(got.body).toEqual(created);
  for (const [k, v] of Object.entries(filters)) {
    const found = await list(srv.ts, collection, { [k]: v });
    expect({ filter: k, found: found.some((o) => o.uuid === created.uuid) }).toEqual({ filter: k, found: true });
    expect(found.every((o) => o[k] === v)).toBe(true);
    expect((await list(srv.ts, collection, { [k]: `${v}-nope` })).some((o) => o.uuid === created.uuid)).toBe(false);
  }
  expect((await list(srv.ts, collection)).filter((o) => o.uuid === created.uuid)).toEqual([created]);
}

async function expectDeleted(collection: Collection, uuid: string) {
  expectStatus(await srv.ts.api('DELETE', `/v1/${collection}/${uuid}`), 204);
  expectApiError(await srv.ts.api('GET', `/v1/${collection}/${uuid}`), 404, 'NOT_FOUND', { path: 'uuid' });
  expectApiError(await srv.ts.api('DELETE', `/v1/${collection}/${uuid}`), 404, 'NOT_FOUND', { path: 'uuid' });
  expect((await list(srv.ts, collection)).some((o) => o.uuid === uuid)).toBe(false);
}

async function patch(collection: Collection, uuid: string, body: Record<string, unknown>) {
  const res = await srv.ts.api('PATCH', `/v1/${collection}/${uuid}`, body);
  expectStatus(res, 200);
  expect(res.body).toEqual((await srv.ts.api('GET', `/v1/${collection}/${uuid}`)).body);
  return res.body;
}

describe('zones', () => {
  it('GIVEN a zone WHEN created, read, listed, patched and deleted THEN each step answers with the stored state', async () => {
    const name = uniqueName('zone');
    const zone = await srv.fx.create('zones', { name, description: 'first' });
    expect(zone).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), name, description: 'first', createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) });
    await expectReadable('zones', zone, { name });
    const renamed = await patch('zones', zone.uuid, { name: `${name}-2` });
    expect(renamed).toMatchObject({ uuid: zone.uuid, name: `${name}-2`, description: 'first', createdAt: zone.createdAt });
    expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(zone.updatedAt));
    expect(await patch('zones', zone.uuid, { description: 'second' })).toMatchObject({ name: `${name}-2`, description: 'second' });
    await expectDeleted('zones', zone.uuid);
  });

  it('GIVEN a zone with a cluster and an L2 WHEN deleted THEN 409 ZONE_IN_USE naming both and nothing is written', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const l2 = await srv.fx.l2(zone.uuid);
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('DELETE', `/v1/zones/${zone.uuid}`);
    expectApiError(res, 409, 'CONFLICTS', { code: 'ZONE_IN_USE', path: 'uuid', conflicting: { type: 'Cluster', uuid: cluster.uuid, name: cluster.name } });
    expectApiError(res, 409, 'CONFLICTS', { code: 'ZONE_IN_USE', path: 'uuid', conflicting: { type: 'L2Network', uuid: l2.uuid, name: l2.name } });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN zones created in order WHEN listed THEN they come back in creation order', async () => {
    const names = [uniqueName('za'), uniqueName('zb'), uniqueName('zc')];
    const created = [];
    for (const name of names) created.push(await srv.fx.create('zones', { name }));
    const listed = (await list(srv.ts, 'zones')).filter((z) => names.includes(z.name));
    expect(listed).toEqual(created);
  });
});

describe('clusters', () => {
  it('GIVEN a cluster WHEN created, read, listed by name/zone/hypervisor, patched and deleted THEN each step answers with the stored state', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid, { hypervisorType: 'KVM', description: 'kvm rack' });
    expect(cluster).toMatchObject({ zoneUuid: zone.uuid, hypervisorType: 'KVM', description: 'kvm rack' });
    await expectReadable('clusters', cluster, { name: cluster.name, zoneUuid: zone.uuid, hypervisorType: 'KVM' });
    expect(await patch('clusters', cluster.uuid, { name: `${cluster.name}-x` })).toMatchObject({ name: `${cluster.name}-x`, hypervisorType: 'KVM' });
    await expectDeleted('clusters', cluster.uuid);
  });

  it('GIVEN a cluster with a host and an attached L2 WHEN deleted THEN 409 CLUSTER_IN_USE naming both', async () => {
    const net = await srv.fx.network({ vlan: 900, cidr: '10.170.0.0/24', range: ['10.170.0.10', '10.170.0.20'] });
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('DELETE', `/v1/clusters/${net.cluster.uuid}`);
    expectApiError(res, 409, 'CONFLICTS', { code: 'CLUSTER_IN_USE', conflicting: { type: 'Host', uuid: net.hosts[0].uuid, name: net.hosts[0].name } });
    expectApiError(res, 409, 'CONFLICTS', { code: 'CLUSTER_IN_USE', conflicting: { type: 'L2ClusterAttachment', uuid: net.attachment.uuid } });
    await expectNothingWritten(srv.ts, before);
  });
});

describe('hosts', () => {
  it('GIVEN a host WHEN created, read, listed by each filter, patched and deleted THEN each step answers with the stored state', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const host = await srv.fx.create('hosts', { name: uniqueName('host'), clusterUuid: cluster.uuid, managementIp: '2001:DB8::00AB', description: 'v6 host' });
    expect(host).toMatchObject({ clusterUuid: cluster.uuid, managementIp: '2001:db8::ab', state: 'Connected', description: 'v6 host' });
    await expectReadable('hosts', host, { name: host.name, clusterUuid: cluster.uuid, managementIp: '2001:db8::ab', state: 'Connected' });
    expect(await patch('hosts', host.uuid, { state: 'Maintenance', description: 'draining' })).toMatchObject({ state: 'Maintenance', description: 'draining', name: host.name });
    await expectDeleted('hosts', host.uuid);
  });

  it('GIVEN a host WHEN another host uses its management IP (any spelling) THEN 409 MANAGEMENT_IP_CONFLICT naming it; a non-IP THEN 400 INVALID_IP', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const host = await srv.fx.create('hosts', { name: uniqueName('host'), clusterUuid: cluster.uuid, managementIp: '2001:db8::cd' });
    const before = await snapshot(srv.ts);
    expectApiError(
      await srv.ts.api('POST', '/v1/hosts', { name: uniqueName('host'), clusterUuid: cluster.uuid, managementIp: '2001:0db8:0:0::CD' }),
      409,
      'MANAGEMENT_IP_CONFLICT',
      { path: 'managementIp', conflicting: { type: 'Host', uuid: host.uuid, name: host.name } },
    );
    expectApiError(await srv.ts.api('POST', '/v1/hosts', { name: uniqueName('host'), clusterUuid: cluster.uuid, managementIp: 'host.example.com' }), 400, 'INVALID_IP', {
      path: 'managementIp',
    });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a host running a VM WHEN deleted THEN 409 HOST_IN_USE naming the VM', async () => {
    const net = await srv.fx.network({ vlan: 901, cidr: '10.171.0.0/24', range: ['10.171.0.10', '10.171.0.20'] });
    const vm = await srv.fx.vm([net.l3.uuid]);
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('DELETE', `/v1/hosts/${net.hosts[0].uuid}`), 409, 'HOST_IN_USE', {
      path: 'uuid',
      conflicting: { type: 'VmInstance', uuid: vm.uuid, name: vm.name },
    });
    await expectNothingWritten(srv.ts, before);
  });
});

describe('L2 networks and their cluster attachments', () => {
  it('GIVEN an L2 WHEN created, read, listed by each filter, patched and deleted THEN each step answers with the stored state', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.l2(zone.uuid, { type: 'L2VxlanNetwork', vni: 7000, physicalInterface: 'eth1', description: 'overlay' });
    expect(l2).toMatchObject({ zoneUuid: zone.uuid, type: 'L2VxlanNetwork', vni: 7000, vlan: null, physicalInterface: 'eth1', description: 'overlay', attachedClusterUuids: [] });
    await expectReadable('l2-networks', l2, { name: l2.name, zoneUuid: zone.uuid, type: 'L2VxlanNetwork', physicalInterface: 'eth1' });
    expect(await patch('l2-networks', l2.uuid, { name: `${l2.name}-x`, description: 'renamed' })).toMatchObject({
      name: `${l2.name}-x`,
      description: 'renamed',
      vni: 7000,
      physicalInterface: 'eth1',
    });
    await expectDeleted('l2-networks', l2.uuid);
  });

  it('GIVEN an attachment WHEN created, read, listed by L2 and cluster and deleted THEN the L2 lists its clusters accordingly; it cannot be patched', async () => {
    const zone = await srv.fx.zone();
    const c1 = await srv.fx.cluster(zone.uuid);
    const c2 = await srv.fx.cluster(zone.uuid);
    const l2 = await srv.fx.vlan(zone.uuid, 902);
    const a1 = await srv.fx.attach(l2.uuid, c1.uuid);
    const a2 = await srv.fx.attach(l2.uuid, c2.uuid);
    expect(a1).toEqual({ uuid: expect.any(String), l2NetworkUuid: l2.uuid, clusterUuid: c1.uuid, createdAt: expect.stringMatching(ISO) });
    await expectReadable('l2-cluster-attachments', a1, { l2NetworkUuid: l2.uuid, clusterUuid: c1.uuid });
    expect((await srv.ts.api('GET', `/v1/l2-networks/${l2.uuid}`)).body.attachedClusterUuids).toEqual([c1.uuid, c2.uuid].sort());
    const beforePatch = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('PATCH', `/v1/l2-cluster-attachments/${a1.uuid}`, { clusterUuid: c2.uuid }), 405, 'METHOD_NOT_ALLOWED');
    await expectNothingWritten(srv.ts, beforePatch);
    await expectDeleted('l2-cluster-attachments', a1.uuid);
    expect((await srv.ts.api('GET', `/v1/l2-networks/${l2.uuid}`)).body.attachedClusterUuids).toEqual([c2.uuid]);
    await expectDeleted('l2-cluster-attachments', a2.uuid);
  });
});

describe('L3 networks and IP ranges', () => {
  it('GIVEN an L3 WHEN created, read, listed by each filter, patched and deleted THEN each step answers with the stored state', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 903);
    const l3 = await srv.fx.l3(l2.uuid, '10.172.0.0/24', { dnsDomain: 'a.example', dnsServers: ['10.172.0.2'], description: 'apps' });
    expect(l3).toMatchObject({ l2NetworkUuid: l2.uuid, cidr: '10.172.0.0/24', gateway: '10.172.0.1', ipVersion: 4, dnsDomain: 'a.example', dnsServers: ['10.172.0.2'] });
    await expectReadable('l3-networks', l3, { name: l3.name, l2NetworkUuid: l2.uuid, cidr: '10.172.0.0/24' });
    const patched = await patch('l3-networks', l3.uuid, { dnsDomain: null, hostRoutes: [{ prefix: '192.168.1.5/24', nextHop: '10.172.0.254' }] });
    expect(patched).toMatchObject({ dnsDomain: null, dnsServers: ['10.172.0.2'], cidr: '10.172.0.0/24', hostRoutes: [{ prefix: '192.168.1.0/24', nextHop: '10.172.0.254' }] });
    const beforePatch = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('PATCH', `/v1/l3-networks/${l3.uuid}`, { cidr: '10.173.0.0/24' }), 400, 'VALIDATION_FAILED');
    await expectNothingWritten(srv.ts, beforePatch);
    await expectDeleted('l3-networks', l3.uuid);
  });

  it('GIVEN an IP range WHEN created, read, listed, renamed and deleted THEN each step answers with the stored state', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 904);
    const l3 = await srv.fx.l3(l2.uuid, '10.174.0.0/24');
    const range = await srv.fx.range(l3.uuid, '10.174.0.10', '10.174.0.20');
    await expectReadable('ip-ranges', range, { name: range.name, l3NetworkUuid: l3.uuid });
    expect(await patch('ip-ranges', range.uuid, { name: `${range.name}-x` })).toMatchObject({ name: `${range.name}-x`, startIp: '10.174.0.10', endIp: '10.174.0.20' });
    const beforePatch = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('PATCH', `/v1/ip-ranges/${range.uuid}`, { endIp: '10.174.0.30' }), 400, 'VALIDATION_FAILED');
    await expectNothingWritten(srv.ts, beforePatch);
    await expectDeleted('ip-ranges', range.uuid);
  });
});

describe('network service providers and attachments', () => {
  it('GIVEN a custom provider WHEN created, read, listed by name/type and deleted THEN each step answers with the stored state; it cannot be patched', async () => {
    const provider = await srv.fx.create('network-service-providers', { name: uniqueName('sg'), type: 'SecurityGroup' });
    expect(provider).toMatchObject({ type: 'SecurityGroup', serviceTypes: ['SecurityGroup'], attachedL2NetworkUuids: [] });
    await expectReadable('network-service-providers', provider, { name: provider.name, type: 'SecurityGroup' });
    const beforePatch = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('PATCH', `/v1/network-service-providers/${provider.uuid}`, { name: 'x' }), 405, 'METHOD_NOT_ALLOWED');
    await expectNothingWritten(srv.ts, beforePatch);
    await expectDeleted('network-service-providers', provider.uuid);
  });

  it('GIVEN a service attachment WHEN created, read, listed by L3/provider and deleted THEN each step answers with the stored state', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 905);
    const l3 = await srv.fx.l3(l2.uuid, '10.175.0.0/24');
    const sg = await srv.fx.builtinProvider('securitygroup');
    const att = await srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: sg.uuid, services: ['SecurityGroup'] });
    expect(att).toEqual({
      uuid: expect.any(String),
      l3NetworkUuid: l3.uuid,
      providerUuid: sg.uuid,
      services: ['SecurityGroup'],
      publicL3NetworkUuid: null,
      state: 'Applied',
      pendingServices: [],
      createdAt: expect.stringMatching(ISO),
    });
    await expectReadable('network-service-attachments', att, { l3NetworkUuid: l3.uuid, providerUuid: sg.uuid });
    await expectDeleted('network-service-attachments', att.uuid);
  });
});

describe('VM instances and IP addresses', () => {
  it('GIVEN a VM WHEN created, read, listed by name/host, renamed and deleted THEN each step answers with the stored state', async () => {
    const net = await srv.fx.network({ vlan: 906, cidr: '10.176.0.0/24', range: ['10.176.0.10', '10.176.0.20'] });
    const vm = await srv.fx.vm([net.l3.uuid]);
    expect(vm).toMatchObject({ hostUuid: net.hosts[0].uuid, state: 'Running', l3NetworkUuids: [net.l3.uuid] });
    expect(vm.nics).toEqual([
      { uuid: expect.any(String), l3NetworkUuid: net.l3.uuid, ip: '10.176.0.10', mac: expect.stringMatching(/^fa(:[0-9a-f]{2}){5}$/), deviceName: expect.stringMatching(/^vnic[0-9a-f]{11}$/) },
    ]);
    await expectReadable('vm-instances', vm, { name: vm.name, hostUuid: net.hosts[0].uuid });
    expect(await patch('vm-instances', vm.uuid, { name: `${vm.name}-x` })).toMatchObject({ name: `${vm.name}-x`, nics: vm.nics });
    await expectDeleted('vm-instances', vm.uuid);
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: net.l3.uuid })).toEqual([]);
  });

  it('GIVEN an allocated IP WHEN created, read, listed by L3/range/ip and released THEN each step answers with the stored state; it cannot be patched', async () => {
    const net = await srv.fx.network({ vlan: 907, cidr: '10.177.0.0/24', range: ['10.177.0.10', '10.177.0.20'] });
    const ip = await srv.fx.create('ip-addresses', { l3NetworkUuid: net.l3.uuid, usedFor: 'reserved-for-lb' });
    expect(ip).toEqual({
      uuid: expect.any(String),
      l3NetworkUuid: net.l3.uuid,
      ipRangeUuid: net.range.uuid,
      ip: '10.177.0.10',
      usedFor: 'reserved-for-lb',
      createdAt: expect.stringMatching(ISO),
    });
    await expectReadable('ip-addresses', ip, { l3NetworkUuid: net.l3.uuid, ipRangeUuid: net.range.uuid, ip: '10.177.0.10' });
    const beforePatch = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('PATCH', `/v1/ip-addresses/${ip.uuid}`, { usedFor: 'x' }), 405, 'METHOD_NOT_ALLOWED');
    await expectNothingWritten(srv.ts, beforePatch);
    await expectDeleted('ip-addresses', ip.uuid);
  });
});
