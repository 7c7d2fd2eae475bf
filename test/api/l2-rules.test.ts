/**
 * L2 network rules over HTTP (topology-rules.md 1-4, 6, 7): VLAN/VNI bounds, interface
 * names, attach conflicts, zones, VNI uniqueness, deleting and detaching with dependents.
 */
import { expectApiError, expectNothingWritten, expectStatus, l2DevicesOn, list, snapshot, uniqueName, useServer } from './helpers';

const srv = useServer();

describe('VLAN and VNI bounds (rule 1)', () => {
  it.each([1, 4094])('GIVEN VLAN id %i WHEN an L2VlanNetwork is created THEN it is stored with that VLAN', async (vlan) => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, vlan);
    expect(l2).toMatchObject({ type: 'L2VlanNetwork', vlan, vni: null, zoneUuid: zone.uuid });
    expect((await srv.ts.api('GET', `/v1/l2-networks/${l2.uuid}`)).body.vlan).toBe(vlan);
  });

  it.each([0, 4095, -1, 65536])('GIVEN VLAN id %i WHEN an L2VlanNetwork is created THEN 400 VLAN_OUT_OF_RANGE at vlan and nothing is written', async (vlan) => {
    const zone = await srv.fx.zone();
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/l2-networks', { name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan });
    expectApiError(res, 400, 'VLAN_OUT_OF_RANGE', { path: 'vlan', code: 'VLAN_OUT_OF_RANGE', message: [String(vlan)] });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an L2VlanNetwork without a VLAN id WHEN created THEN 400 VLAN_OUT_OF_RANGE at vlan', async () => {
    const zone = await srv.fx.zone();
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/l2-networks', { name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth0' });
    expectApiError(res, 400, 'VLAN_OUT_OF_RANGE', { path: 'vlan' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a fractional VLAN id WHEN created THEN 400 VALIDATION_FAILED at vlan', async () => {
    const zone = await srv.fx.zone();
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/l2-networks', { name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 10.5 });
    expectApiError(res, 400, 'VALIDATION_FAILED', { path: 'vlan' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a vlan on an L2NoVlanNetwork WHEN created THEN 400 FIELD_NOT_ALLOWED at vlan', async () => {
    const zone = await srv.fx.zone();
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/l2-networks', { name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2NoVlanNetwork', physicalInterface: 'eth0', vlan: 10 });
    expectApiError(res, 400, 'FIELD_NOT_ALLOWED', { path: 'vlan' });
    await expectNothingWritten(srv.ts, before);
  });

  it.each([1, 16777214])('GIVEN VNI %i WHEN an L2VxlanNetwork is created THEN it is stored with that VNI', async (vni) => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.l2(zone.uuid, { type: 'L2VxlanNetwork', vni });
    expect(l2).toMatchObject({ type: 'L2VxlanNetwork', vni, vlan: null });
  });

  it.each([0, 16777215, -5])('GIVEN VNI %i WHEN an L2VxlanNetwork is created THEN 400 VNI_OUT_OF_RANGE at vni and nothing is written', async (vni) => {
    const zone = await srv.fx.zone();
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/l2-networks', { name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni });
    expectApiError(res, 400, 'VNI_OUT_OF_RANGE', { path: 'vni', code: 'VNI_OUT_OF_RANGE' });
    await expectNothingWritten(srv.ts, before);
  });
});

describe('physical interface names (rule 2)', () => {
  it.each(['eth0', 'bond0.100', 'enp0s31f6', 'br-ex_1', 'abcdefghijklmno'])(
    'GIVEN interface %j WHEN an L2 is created THEN it is stored verbatim',
    async (physicalInterface) => {
      const zone = await srv.fx.zone();
      const l2 = await srv.fx.l2(zone.uuid, { physicalInterface });
      expect(l2.physicalInterface).toBe(physicalInterface);
    },
  );

  it.each([
    ['a shell command separator', 'eth0;reboot'],
    ['command substitution', '$(id)'],
    ['backticks', '`id`'],
    ['a space', 'eth 0'],
    ['a leading dash (read as an option)', '-eth0'],
    ['16 characters', 'abcdefghijklmnop'],
    ['a slash', 'eth0/1'],
    ['a colon', 'eth0:1'],
    ['a pipe', 'eth0|sh'],
    ['an ampersand', 'eth0&'],
    ['a newline', 'eth0\nreboot'],
    ['a quote', "eth0'"],
    ['a redirect', 'eth0>x'],
    ['nothing', ''],
    ['only a dot-dot', '..'],
    ['non-ASCII', 'ethö'],
  ])('GIVEN an interface name with %s WHEN an L2 is created THEN 400 INVALID_INTERFACE_NAME and nothing is written', async (_what, physicalInterface) => {
    const zone = await srv.fx.zone();
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/l2-networks', { name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface, vlan: 10 });
    expectApiError(res, 400, 'INVALID_INTERFACE_NAME', { path: 'physicalInterface', code: 'INVALID_INTERFACE_NAME' });
    await expectNothingWritten(srv.ts, before);
    expect(await list(srv.ts, 'l2-networks', { zoneUuid: zone.uuid })).toEqual([]);
  });
});

describe('attaching an L2 to a cluster (rules 3, 4)', () => {
  async function clusterWithHost() {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const [host] = await srv.fx.hosts(cluster.uuid, 1);
    return { zone, cluster, host };
  }

  it('GIVEN VLAN 10 on eth0 attached WHEN another VLAN 10 on eth0 is attached to the same cluster THEN 409 VLAN_CONFLICT naming the first L2 and nothing is written', async () => {
    const { zone, cluster, host } = await clusterWithHost();
    const first = await srv.fx.vlan(zone.uuid, 10, 'eth0');
    await srv.fx.attach(first.uuid, cluster.uuid);
    const second = await srv.fx.vlan(zone.uuid, 10, 'eth0');
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: second.uuid, clusterUuid: cluster.uuid });

    expectApiError(res, 409, 'VLAN_CONFLICT', {
      path: 'clusterUuid',
      code: 'VLAN_CONFLICT',
      conflicting: { type: 'L2Network', uuid: first.uuid, name: first.name },
      message: [first.name, cluster.name, 'eth0'],
    });
    await expectNothingWritten(srv.ts, before);
    expect(await l2DevicesOn(srv.ts, host.uuid, second.uuid)).toEqual([]);
    expect(await list(srv.ts, 'l2-cluster-attachments', { clusterUuid: cluster.uuid })).toHaveLength(1);
  });

  it('GIVEN VLAN 10 on eth0 attached WHEN VLAN 10 on eth1, VLAN 11 on eth0, and VLAN 10 on eth0 in another cluster are attached THEN all succeed and are realized', async () => {
    const { zone, cluster, host } = await clusterWithHost();
    const other = await srv.fx.cluster(zone.uuid);
    const [otherHost] = await srv.fx.hosts(other.uuid, 1);
    const first = await srv.fx.vlan(zone.uuid, 10, 'eth0');
    await srv.fx.attach(first.uuid, cluster.uuid);

    const otherIface = await srv.fx.vlan(zone.uuid, 10, 'eth1');
    const otherVlan = await srv.fx.vlan(zone.uuid, 11, 'eth0');
    const sameVlan = await srv.fx.vlan(zone.uuid, 10, 'eth0');
    await srv.fx.attach(otherIface.uuid, cluster.uuid);
    await srv.fx.attach(otherVlan.uuid, cluster.uuid);
    await srv.fx.attach(sameVlan.uuid, other.uuid);

    expect(await l2DevicesOn(srv.ts, host.uuid, otherIface.uuid)).toEqual(['br_eth1_10', 'eth1.10']);
    expect(await l2DevicesOn(srv.ts, host.uuid, otherVlan.uuid)).toEqual(['br_eth0_11', 'eth0.11']);
    expect(await l2DevicesOn(srv.ts, otherHost.uuid, sameVlan.uuid)).toEqual(['br_eth0_10', 'eth0.10']);
    expect(await list(srv.ts, 'l2-cluster-attachments', { clusterUuid: cluster.uuid })).toHaveLength(3);
  });

  it('GIVEN a NoVlan L2 on eth0 attached WHEN a second NoVlan L2 on eth0 is attached THEN 409 NOVLAN_INTERFACE_CONFLICT naming the first and nothing is written', async () => {
    const { zone, cluster, host } = await clusterWithHost();
    const first = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth0' });
    await srv.fx.attach(first.uuid, cluster.uuid);
    const second = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth0' });
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: second.uuid, clusterUuid: cluster.uuid });

    expectApiError(res, 409, 'NOVLAN_INTERFACE_CONFLICT', {
      path: 'clusterUuid',
      conflicting: { type: 'L2Network', uuid: first.uuid, name: first.name },
      message: [first.name],
    });
    await expectNothingWritten(srv.ts, before);
    expect(await l2DevicesOn(srv.ts, host.uuid, first.uuid)).toEqual(['br_eth0']);
  });

  it('GIVEN a NoVlan L2 on eth0 attached WHEN a NoVlan L2 on eth1 is attached THEN it succeeds', async () => {
    const { zone, cluster, host } = await clusterWithHost();
    const first = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth0' });
    await srv.fx.attach(first.uuid, cluster.uuid);
    const second = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth1' });
    const attachment = await srv.fx.attach(second.uuid, cluster.uuid);
    expect(attachment).toMatchObject({ l2NetworkUuid: second.uuid, clusterUuid: cluster.uuid });
    expect(await l2DevicesOn(srv.ts, host.uuid, second.uuid)).toEqual(['br_eth1']);
  });

  it('GIVEN an L2 attached to a cluster WHEN it is attached again THEN 409 L2_ALREADY_ATTACHED naming the cluster and nothing is written', async () => {
    const { zone, cluster } = await clusterWithHost();
    const l2 = await srv.fx.vlan(zone.uuid, 20);
    await srv.fx.attach(l2.uuid, cluster.uuid);
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid });

    expectApiError(res, 409, 'L2_ALREADY_ATTACHED', { path: 'clusterUuid', conflicting: { type: 'Cluster', uuid: cluster.uuid, name: cluster.name } });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an L2 in zone A and a cluster in zone B WHEN attached THEN 409 ZONE_MISMATCH naming the cluster and nothing is written', async () => {
    const { cluster, host } = await clusterWithHost();
    const otherZone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(otherZone.uuid, 30);
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid });

    expectApiError(res, 409, 'ZONE_MISMATCH', { path: 'clusterUuid', conflicting: { type: 'Cluster', uuid: cluster.uuid, name: cluster.name }, message: [l2.name] });
    await expectNothingWritten(srv.ts, before);
    expect(await l2DevicesOn(srv.ts, host.uuid, l2.uuid)).toEqual([]);
  });

  it('GIVEN an unknown L2 or cluster uuid WHEN attached THEN 404 at that field', async () => {
    const { zone, cluster } = await clusterWithHost();
    const l2 = await srv.fx.vlan(zone.uuid, 31);
    const before = await snapshot(srv.ts);
    expectApiError(
      await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: '00000000-0000-4000-8000-000000000000', clusterUuid: cluster.uuid }),
      404,
      'NOT_FOUND',
      { path: 'l2NetworkUuid' },
    );
    expectApiError(
      await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: '00000000-0000-4000-8000-000000000000' }),
      404,
      'NOT_FOUND',
      { path: 'clusterUuid' },
    );
    await expectNothingWritten(srv.ts, before);
  });
});

describe('VXLAN VNI uniqueness (rule 6)', () => {
  it('GIVEN VNI 5000 in a zone WHEN another L2 with VNI 5000 is created in that zone THEN 409 VNI_CONFLICT naming it and nothing is written', async () => {
    const zone = await srv.fx.zone();
    const first = await srv.fx.l2(zone.uuid, { type: 'L2VxlanNetwork', vni: 5000 });
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-networks', { name: uniqueName('vx'), zoneUuid: zone.uuid, type: 'L2VxlanNetwork', physicalInterface: 'eth1', vni: 5000 });

    expectApiError(res, 409, 'VNI_CONFLICT', { path: 'vni', conflicting: { type: 'L2Network', uuid: first.uuid, name: first.name }, message: ['5000'] });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN VNI 5000 in zone A WHEN VNI 5000 is created in zone B, or VNI 5001 in zone A THEN both succeed', async () => {
    const zoneA = await srv.fx.zone();
    const zoneB = await srv.fx.zone();
    await srv.fx.l2(zoneA.uuid, { type: 'L2VxlanNetwork', vni: 5000 });
    await expect(srv.fx.l2(zoneB.uuid, { type: 'L2VxlanNetwork', vni: 5000 })).resolves.toMatchObject({ vni: 5000, zoneUuid: zoneB.uuid });
    await expect(srv.fx.l2(zoneA.uuid, { type: 'L2VxlanNetwork', vni: 5001 })).resolves.toMatchObject({ vni: 5001, zoneUuid: zoneA.uuid });
  });
});

describe('deleting and detaching an L2 with dependents (rule 7)', () => {
  it('GIVEN an L2 with one L3 WHEN it is deleted THEN 409 L2_IN_USE naming the L3 and the L2 remains', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 40);
    const l3 = await srv.fx.l3(l2.uuid, '10.40.0.0/24');
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('DELETE', `/v1/l2-networks/${l2.uuid}`);

    expectApiError(res, 409, 'L2_IN_USE', { path: 'uuid', code: 'L2_IN_USE', conflicting: { type: 'L3Network', uuid: l3.uuid, name: l3.name }, message: [l3.name] });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an attached L2 with two L3s WHEN it is deleted THEN 409 CONFLICTS naming both L3s and the attachment', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const l2 = await srv.fx.vlan(zone.uuid, 41);
    const attachment = await srv.fx.attach(l2.uuid, cluster.uuid);
    const a = await srv.fx.l3(l2.uuid, '10.41.0.0/24');
    const b = await srv.fx.l3(l2.uuid, '10.41.1.0/24');
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('DELETE', `/v1/l2-networks/${l2.uuid}`);

    expectApiError(res, 409, 'CONFLICTS', { code: 'L2_IN_USE', conflicting: { type: 'L3Network', uuid: a.uuid, name: a.name } });
    expectApiError(res, 409, 'CONFLICTS', { code: 'L2_IN_USE', conflicting: { type: 'L3Network', uuid: b.uuid, name: b.name } });
    expectApiError(res, 409, 'CONFLICTS', { code: 'L2_ATTACHED', conflicting: { type: 'L2ClusterAttachment', uuid: attachment.uuid } });
    expect(res.body.error.details).toHaveLength(3);
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an L2 whose L3s were deleted and which was detached WHEN deleted THEN 204 and then 404', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const l2 = await srv.fx.vlan(zone.uuid, 42);
    const attachment = await srv.fx.attach(l2.uuid, cluster.uuid);
    const l3 = await srv.fx.l3(l2.uuid, '10.42.0.0/24');
    expectStatus(await srv.ts.api('DELETE', `/v1/l3-networks/${l3.uuid}`), 204);
    expectStatus(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${attachment.uuid}`), 204);
    expectStatus(await srv.ts.api('DELETE', `/v1/l2-networks/${l2.uuid}`), 204);
    expectApiError(await srv.ts.api('GET', `/v1/l2-networks/${l2.uuid}`), 404, 'NOT_FOUND', { path: 'uuid' });
  });

  it('GIVEN a VM running on an L3 of the L2 in the cluster WHEN the L2 is detached THEN 409 L2_IN_USE_BY_VMS naming the VM; attachment and devices remain', async () => {
    const net = await srv.fx.network({ hosts: 2, vlan: 43, cidr: '10.43.0.0/24', range: ['10.43.0.10', '10.43.0.50'] });
    const vm = await srv.fx.vm([net.l3.uuid]);
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${net.attachment.uuid}`);

    expectApiError(res, 409, 'L2_IN_USE_BY_VMS', {
      path: 'clusterUuid',
      conflicting: { type: 'VmInstance', uuid: vm.uuid, name: vm.name },
      message: [vm.name, net.l2.name, net.cluster.name],
    });
    await expectNothingWritten(srv.ts, before);
    for (const h of net.hosts) expect(await l2DevicesOn(srv.ts, h.uuid, net.l2.uuid)).toEqual(['br_eth0_43', 'eth0.43']);

    // Once the VM is gone, the detach goes through.
    expectStatus(await srv.ts.api('DELETE', `/v1/vm-instances/${vm.uuid}`), 204);
    expectStatus(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${net.attachment.uuid}`), 204);
    for (const h of net.hosts) expect(await l2DevicesOn(srv.ts, h.uuid, net.l2.uuid)).toEqual([]);
  });

  it('GIVEN a VM on the L2 running in cluster A WHEN the L2 is detached from cluster B THEN 204 (VMs elsewhere do not block)', async () => {
    const net = await srv.fx.network({ hosts: 1, vlan: 44, cidr: '10.44.0.0/24', range: ['10.44.0.10', '10.44.0.50'] });
    const vm = await srv.fx.vm([net.l3.uuid]);
    expect(vm.hostUuid).toBe(net.hosts[0].uuid);
    const clusterB = await srv.fx.cluster(net.zone.uuid);
    const [hostB] = await srv.fx.hosts(clusterB.uuid, 1);
    const attachmentB = await srv.fx.attach(net.l2.uuid, clusterB.uuid);
    expect(await l2DevicesOn(srv.ts, hostB.uuid, net.l2.uuid)).toEqual(['br_eth0_44', 'eth0.44']);

    expectStatus(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${attachmentB.uuid}`), 204);

    expect(await l2DevicesOn(srv.ts, hostB.uuid, net.l2.uuid)).toEqual([]);
    expect(await list(srv.ts, 'l2-cluster-attachments', { l2NetworkUuid: net.l2.uuid })).toEqual([expect.objectContaining({ clusterUuid: net.cluster.uuid })]);
  });
});
