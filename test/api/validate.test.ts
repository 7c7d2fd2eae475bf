/**
 * POST /v1/validate over HTTP: a dry run of a batch of changes against current state that
 * reports every violation per change (code, path, status, conflicting object), resolves
 * {"$ref": id} between changes, marks dependents of failed changes, and writes nothing:
 * no rows, no simulator devices, no host operations.
 */
import { expectApiError, expectNothingWritten, expectStatus, list, snapshot, uniqueManagementIp, uniqueName, useServer } from './helpers';

const srv = useServer();
const MISSING = '00000000-0000-4000-8000-00000000beef';

interface Violation {
  code: string;
  path: string;
  message: string;
  status: number;
  conflicting?: { type: string; uuid?: string; name?: string };
}
interface Result {
  index: number;
  id: string | null;
  action: string;
  type: string;
  ok: boolean;
  uuid: string | null;
  violations: Violation[];
}

async function validate(changes: unknown[]): Promise<{ valid: boolean; results: Result[] }> {
  const res = await srv.ts.api('POST', '/v1/validate', { changes });
  expectStatus(res, 200);
  return res.body;
}

/** code@path#status of each violation, sorted: exact per-change expectations. */
function summary(r: Result): string[] {
  return r.violations.map((v) => `${v.code}@${v.path}#${v.status}`).sort();
}

function opLogLength(hostUuids: string[]): number {
  return hostUuids.reduce((n, h) => n + srv.ts.server.simulator.getOpLog(h).length, 0);
}

describe('a batch with many violations', () => {
  it('GIVEN a batch mixing valid changes, broken rules, refs to failed changes and unknown objects WHEN validated THEN every violation is reported per change and nothing is written', async () => {
    // Real state the batch runs against.
    const net = await srv.fx.network({ hosts: 2, vlan: 800, cidr: '10.160.0.0/24', range: ['10.160.0.10', '10.160.0.50'] });
    const hostUuids = net.hosts.map((h: { uuid: string }) => h.uuid);
    const otherL2 = await srv.fx.vlan(net.zone.uuid, 801);
    const before = await snapshot(srv.ts);
    const opsBefore = opLogLength(hostUuids);
    const zoneName = uniqueName('vz');

    const changes = [
      /* 0 */ { id: 'c', action: 'create', type: 'cluster', attributes: { name: uniqueName('vc'), zoneUuid: { $ref: 'z' }, hypervisorType: 'Simulator' } },
      /* 1 */ { id: 'z', action: 'create', type: 'zone', attributes: { name: zoneName } },
      /* 2 */ {
        id: 'badL2',
        action: 'create',
        type: 'l2Network',
        attributes: { name: uniqueName('vl2'), zoneUuid: { $ref: 'z' }, type: 'L2VlanNetwork', physicalInterface: 'eth0;reboot', vlan: 5000 },
      },
      /* 3 */ { id: 'orphan', action: 'create', type: 'l3Network', attributes: { name: uniqueName('vl3'), l2NetworkUuid: { $ref: 'badL2' }, cidr: '10.161.0.0/24' } },
      /* 4 */ { id: 'l2', action: 'create', type: 'l2Network', attributes: { name: uniqueName('vl2'), zoneUuid: { $ref: 'z' }, type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 10 } },
      /* 5 */ {
        action: 'create',
        type: 'l3Network',
        attributes: { name: uniqueName('vl3'), l2NetworkUuid: { $ref: 'l2' }, cidr: '10.162.0.0/24', dnsServers: Array.from({ length: 9 }, (_, i) => `1.1.1.${i + 1}`) },
      },
      /* 6 */ { id: 'l3', action: 'create', type: 'l3Network', attributes: { name: uniqueName('vl3'), l2NetworkUuid: { $ref: 'l2' }, cidr: '10.163.0.0/24' } },
      /* 7 */ { action: 'create', type: 'ipRange', attributes: { name: uniqueName('vr'), l3NetworkUuid: { $ref: 'l3' }, startIp: '10.163.0.20', endIp: '10.163.0.10' } },
      /* 8 */ { id: 'r1', action: 'create', type: 'ipRange', attributes: { name: 'batch-range-1', l3NetworkUuid: { $ref: 'l3' }, startIp: '10.163.0.10', endIp: '10.163.0.50' } },
      /* 9 */ { action: 'create', type: 'ipRange', attributes: { name: uniqueName('vr'), l3NetworkUuid: { $ref: 'l3' }, startIp: '10.163.0.40', endIp: '10.163.0.60' } },
      /* 10 */ { id: 'h', action: 'create', type: 'host', attributes: { name: uniqueName('vh'), clusterUuid: { $ref: 'c' }, managementIp: '172.29.0.1' } },
      /* 11 */ { action: 'create', type: 'l2ClusterAttachment', attributes: { l2NetworkUuid: { $ref: 'l2' }, clusterUuid: { $ref: 'c' } } },
      /* 12 */ { action: 'create', type: 'vmInstance', attributes: { name: uniqueName('vvm'), l3NetworkUuids: [{ $ref: 'l3' }], hostUuid: { $ref: 'h' } } },
      /* 13 */ { action: 'delete', type: 'zone', uuid: MISSING },
      /* 14 */ { action: 'create', type: 'router', attributes: {} },
      /* 15 */ { action: 'update', type: 'zone', attributes: { description: 'x' } },
      /* 16 */ { action: 'update', type: 'l2ClusterAttachment', uuid: net.attachment.uuid, attributes: {} },
      /* 17 */ { action: 'create', type: 'zone', attributes: { name: 5, color: 'red' } },
      /* 18 */ { action: 'delete', type: 'l2Network', uuid: net.l2.uuid },
      /* 19 */ { action: 'create', type: 'l2ClusterAttachment', attributes: { l2NetworkUuid: otherL2.uuid, clusterUuid: net.cluster.uuid } },
      /* 20 */ { action: 'create', type: 'l3Network', attributes: { name: uniqueName('vl3'), l2NetworkUuid: { $ref: 'not-in-batch' }, cidr: '10.164.0.0/24' } },
    ];

    const out = await validate(changes);

    expect(out.valid).toBe(false);
    expect(out.results.map((r) => r.index)).toEqual(changes.map((_, i) => i));
    expect(out.results.map((r) => [r.action, r.type, r.id])).toEqual(changes.map((c) => [c.action, c.type, c.id ?? null]));
    const r = out.results;
    expect(r.map((x) => x.ok)).toEqual([
      true, true, false, false, true, false, true, false, true, false, true, true, true, false, false, false, false, false, false, true, false,
    ]);
    for (const i of [0, 1, 4, 6, 8, 10, 11, 12, 19]) {
      expect(r[i].violations).toEqual([]);
      expect(r[i].uuid).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(summary(r[2])).toEqual(['INVALID_INTERFACE_NAME@physicalInterface#400', 'VLAN_OUT_OF_RANGE@vlan#400']);
    expect(summary(r[3])).toEqual(['DEPENDS_ON_FAILED_CHANGE@attributes#409']);
    expect(r[3].violations[0].message).toContain('"badL2"');
    expect(summary(r[5])).toEqual(['TOO_MANY_DNS_SERVERS@dnsServers#400']);
    expect(summary(r[7])).toEqual(['START_AFTER_END@startIp#400']);
    expect(summary(r[9])).toEqual(['IP_RANGE_OVERLAP@startIp#409']);
    expect(r[9].violations[0].conflicting).toEqual({ type: 'IpRange', uuid: r[8].uuid, name: 'batch-range-1' });
    expect(summary(r[13])).toEqual(['NOT_FOUND@uuid#404']);
    expect(summary(r[14])).toEqual(['UNKNOWN_TYPE@type#400']);
    expect(summary(r[15])).toEqual(['VALIDATION_FAILED@uuid#400']);
    expect(summary(r[16])).toEqual(['NOT_UPDATABLE@action#400']);
    expect(summary(r[17])).toEqual(['VALIDATION_FAILED@#400', 'VALIDATION_FAILED@name#400']);
    expect(summary(r[18])).toEqual(['L2_ATTACHED@uuid#409', 'L2_IN_USE@uuid#409']);
    expect(r[18].violations.find((v) => v.code === 'L2_IN_USE')!.conflicting).toEqual({ type: 'L3Network', uuid: net.l3.uuid, name: net.l3.name });
    expect(summary(r[20])).toEqual(['DEPENDS_ON_FAILED_CHANGE@attributes#409']);
    expect(r[20].violations[0].message).toContain('"not-in-batch"');

    // Nothing was written: rows, simulator devices, and no host was even contacted.
    await expectNothingWritten(srv.ts, before);
    expect(opLogLength(hostUuids)).toBe(opsBefore);
    expect(await list(srv.ts, 'zones', { name: zoneName })).toEqual([]);
    expect(await list(srv.ts, 'hosts', { managementIp: '172.29.0.1' })).toEqual([]);
  });
});

describe('refs and state as it would be', () => {
  it('GIVEN a valid chain zone -> cluster -> host -> L2 -> attachment -> L3 -> range -> VM listed in reverse WHEN validated THEN valid ($ref targets run first) and nothing is written', async () => {
    const before = await snapshot(srv.ts);
    const out = await validate([
      { id: 'range', action: 'create', type: 'ipRange', attributes: { name: uniqueName('vr'), l3NetworkUuid: { $ref: 'l3' }, startIp: '10.165.0.10', endIp: '10.165.0.20' } },
      { id: 'l3', action: 'create', type: 'l3Network', attributes: { name: uniqueName('vl3'), l2NetworkUuid: { $ref: 'l2' }, cidr: '10.165.0.0/24' } },
      { id: 'att', action: 'create', type: 'l2ClusterAttachment', attributes: { l2NetworkUuid: { $ref: 'l2' }, clusterUuid: { $ref: 'cluster' } } },
      { id: 'l2', action: 'create', type: 'l2Network', attributes: { name: uniqueName('vl2'), zoneUuid: { $ref: 'zone' }, type: 'L2NoVlanNetwork', physicalInterface: 'eth1' } },
      { id: 'host', action: 'create', type: 'host', attributes: { name: uniqueName('vh'), clusterUuid: { $ref: 'cluster' }, managementIp: '172.29.0.2' } },
      { id: 'cluster', action: 'create', type: 'cluster', attributes: { name: uniqueName('vc'), zoneUuid: { $ref: 'zone' }, hypervisorType: 'Simulator' } },
      { id: 'zone', action: 'create', type: 'zone', attributes: { name: uniqueName('vz') } },
      // Placement depends on the attachment without a $ref to it, so the VM comes after it.
      { id: 'vm', action: 'create', type: 'vmInstance', attributes: { name: uniqueName('vvm'), l3NetworkUuids: [{ $ref: 'l3' }], hostUuid: { $ref: 'host' } } },
    ]);
    expect(out.results.map((x) => x.violations)).toEqual(out.results.map(() => []));
    expect(out.valid).toBe(true);
    expect(out.results.every((x) => typeof x.uuid === 'string')).toBe(true);
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a batch deleting a real range then creating an overlapping one WHEN validated THEN valid (checked against state as it would be) and the real range remains', async () => {
    const net = await srv.fx.network({ vlan: 802, cidr: '10.166.0.0/24', range: ['10.166.0.10', '10.166.0.50'] });
    const before = await snapshot(srv.ts);
    const out = await validate([
      { action: 'delete', type: 'ipRange', uuid: net.range.uuid },
      { action: 'create', type: 'ipRange', attributes: { name: uniqueName('vr'), l3NetworkUuid: net.l3.uuid, startIp: '10.166.0.20', endIp: '10.166.0.80' } },
    ]);
    expect(out.valid).toBe(true);
    await expectNothingWritten(srv.ts, before);
    expect(await list(srv.ts, 'ip-ranges', { l3NetworkUuid: net.l3.uuid })).toEqual([net.range]);

    // Without the delete, the same create conflicts with the real range, named.
    const alone = await validate([{ action: 'create', type: 'ipRange', attributes: { name: uniqueName('vr'), l3NetworkUuid: net.l3.uuid, startIp: '10.166.0.20', endIp: '10.166.0.80' } }]);
    expect(alone.valid).toBe(false);
    expect(alone.results[0].violations).toEqual([
      expect.objectContaining({ code: 'IP_RANGE_OVERLAP', path: 'startIp', status: 409, conflicting: { type: 'IpRange', uuid: net.range.uuid, name: net.range.name } }),
    ]);
  });

  it('GIVEN an attach that would fail on a host WHEN validated THEN it is valid (hosts are not contacted in a dry run) and no host operation ran', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const [host] = await srv.fx.hosts(cluster.uuid, 1);
    expectStatus(await srv.ts.api('PATCH', `/v1/simulator/hosts/${host.uuid}`, { failures: { check: 'would fail' } }), 200);
    const l2 = await srv.fx.vlan(zone.uuid, 803);
    const before = await snapshot(srv.ts);
    const opsBefore = opLogLength([host.uuid]);
    const out = await validate([{ action: 'create', type: 'l2ClusterAttachment', attributes: { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid } }]);
    expect(out.valid).toBe(true);
    await expectNothingWritten(srv.ts, before);
    expect(opLogLength([host.uuid])).toBe(opsBefore);
  });
});

describe('malformed validate requests', () => {
  it.each([
    ['changes is not an array', { changes: 'x' }, 'changes'],
    ['an unknown action', { changes: [{ action: 'upsert', type: 'zone' }] }, 'changes.0.action'],
    ['an unknown field on a change', { changes: [{ action: 'create', type: 'zone', attributes: {}, extra: 1 }] }, 'changes.0.extra'],
    ['no changes field', {}, 'changes'],
  ])('GIVEN %s WHEN POST /v1/validate THEN 400 VALIDATION_FAILED at %s', async (_what, body, path) => {
    expectApiError(await srv.ts.api('POST', '/v1/validate', body), 400, 'VALIDATION_FAILED', { path });
  });

  it('GIVEN an empty batch WHEN validated THEN valid with no results', async () => {
    expect(await validate([])).toEqual({ valid: true, results: [] });
  });
});

describe('order independence of a batch', () => {
  it('GIVEN VMs listed before the host and attachment that make placement possible (no $ref between them) WHEN validated THEN the batch is valid', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 810);
    const l3 = await srv.fx.l3(l2.uuid, '10.170.0.0/24');
    const before = await snapshot(srv.ts);
    const changes = [
      { id: 'vm1', action: 'create', type: 'vmInstance', attributes: { name: uniqueName('ovm'), l3NetworkUuids: [l3.uuid] } },
      { id: 'vm2', action: 'create', type: 'vmInstance', attributes: { name: uniqueName('ovm'), l3NetworkUuids: [l3.uuid] } },
      { id: 'r', action: 'create', type: 'ipRange', attributes: { name: uniqueName('or'), l3NetworkUuid: l3.uuid, startIp: '10.170.0.10', endIp: '10.170.0.20' } },
      { id: 'c', action: 'create', type: 'cluster', attributes: { name: uniqueName('oc'), zoneUuid: zone.uuid, hypervisorType: 'Simulator' } },
      { id: 'a', action: 'create', type: 'l2ClusterAttachment', attributes: { l2NetworkUuid: l2.uuid, clusterUuid: { $ref: 'c' } } },
      { id: 'h', action: 'create', type: 'host', attributes: { name: uniqueName('oh'), clusterUuid: { $ref: 'c' }, managementIp: uniqueManagementIp() } },
    ];
    const out = await validate(changes);
    expect(out.results.map((r) => [r.id, summary(r)])).toEqual(changes.map((c) => [c.id, []]));
    expect(out.valid).toBe(true);
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a VM nothing in the batch can place WHEN validated THEN NO_ELIGIBLE_HOST is reported and the other changes still validate', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 811);
    const l3 = await srv.fx.l3(l2.uuid, '10.171.0.0/24');
    await srv.fx.range(l3.uuid, '10.171.0.10', '10.171.0.20');
    const out = await validate([
      { id: 'vm', action: 'create', type: 'vmInstance', attributes: { name: uniqueName('ovm'), l3NetworkUuids: [l3.uuid] } },
      { id: 'z', action: 'create', type: 'zone', attributes: { name: uniqueName('oz') } },
    ]);
    expect(out.valid).toBe(false);
    expect(summary(out.results[0])).toEqual(['NO_ELIGIBLE_HOST@l3NetworkUuids#409']);
    expect(out.results[1].ok).toBe(true);
  });
});
