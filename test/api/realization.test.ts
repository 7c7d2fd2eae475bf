/**
 * L2 realization on Simulator hosts over HTTP (topology-rules.md 5): check then realize on
 * every connected host, rollback on failure, Disconnected hosts skipped, detach and host
 * add/delete keep devices in step with attachments.
 *
 * The server realizes 2 hosts at a time here, so a failure mid-cluster leaves hosts that
 * were realized, one in flight and some never started: rollback must handle all three.
 */
import type { SimulatorOpLogEntry } from '../../server/hypervisors/simulator/state';
import { devicesOf, expectApiError, expectNothingWritten, expectStatus, l2DevicesOn, list, snapshot, useServer } from './helpers';

const srv = useServer({ realizeConcurrency: 2 });

function opLog(hostUuid: string, l2Uuid?: string): SimulatorOpLogEntry[] {
  return srv.ts.server.simulator.getOpLog(hostUuid).filter((e) => l2Uuid === undefined || e.l2NetworkUuid === l2Uuid);
}

async function configureSimHost(hostUuid: string, patch: Record<string, unknown>) {
  const res = await srv.ts.api('PATCH', `/v1/simulator/hosts/${hostUuid}`, patch);
  expectStatus(res, 200);
  return res.body;
}

/** A zone and a cluster with `n` Connected Simulator hosts, sorted as the server orders them (by name). */
async function cluster(n: number) {
  const zone = await srv.fx.zone();
  const c = await srv.fx.cluster(zone.uuid);
  const hosts = (await srv.fx.hosts(c.uuid, n)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { zone, cluster: c, hosts };
}

describe('attach rollback (rule 5)', () => {
  it('GIVEN 5 hosts, the third failing realize WHEN an L2 is attached THEN 409 naming that host and message, no attachment, and no devices on any host', async () => {
    const { zone, cluster: c, hosts } = await cluster(5);
    const l2 = await srv.fx.vlan(zone.uuid, 500);
    const bad = hosts[2];
    await configureSimHost(bad.uuid, { failures: { realize: 'ip link add eth0.500 failed: link eth0 is down' } });
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: c.uuid });

    const detail = expectApiError(res, 409, 'L2_REALIZATION_FAILED', {
      path: `hosts[${bad.uuid}]`,
      code: 'L2_REALIZE_FAILED',
      message: [bad.name, bad.uuid, bad.managementIp, 'link eth0 is down'],
    });
    expect(res.body.error.details).toEqual([detail]);
    expect(res.body.error.message).toContain(bad.name);
    expect(res.body.error.message).toContain('link eth0 is down');
    expect(res.body.error.message).toContain(l2.name);
    await expectNothingWritten(srv.ts, before);
    expect(await list(srv.ts, 'l2-cluster-attachments', { l2NetworkUuid: l2.uuid })).toEqual([]);
    expect((await srv.ts.api('GET', `/v1/l2-networks/${l2.uuid}`)).body.attachedClusterUuids).toEqual([]);
    for (const h of hosts) expect(await devicesOf(srv.ts, h.uuid)).toEqual([]);
    // The failed host left a half-made bridge behind and was cleaned up too.
    expect(opLog(bad.uuid, l2.uuid).map((e) => `${e.op}:${e.ok}`)).toEqual(['check:true', 'realize:false', 'delete:true']);

    // Once the host is healthy, the same attach succeeds everywhere.
    await configureSimHost(bad.uuid, { failures: null });
    await srv.fx.attach(l2.uuid, c.uuid);
    for (const h of hosts) expect(await l2DevicesOn(srv.ts, h.uuid, l2.uuid)).toEqual(['br_eth0_500', 'eth0.500']);
  });

  it('GIVEN hosts already carrying another L2 WHEN an attach fails on one host THEN the rollback removes only the new L2 and the old devices stay', async () => {
    const { zone, cluster: c, hosts } = await cluster(3);
    const old = await srv.fx.vlan(zone.uuid, 501);
    await srv.fx.attach(old.uuid, c.uuid);
    const l2 = await srv.fx.vlan(zone.uuid, 502);
    await configureSimHost(hosts[0].uuid, { failures: { realize: 'no space left on device' } });
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: c.uuid });

    expectApiError(res, 409, 'L2_REALIZATION_FAILED', { path: `hosts[${hosts[0].uuid}]`, message: ['no space left on device'] });
    await expectNothingWritten(srv.ts, before);
    for (const h of hosts) expect((await devicesOf(srv.ts, h.uuid)).map((d) => d.name)).toEqual(['br_eth0_501', 'eth0.501']);
    await configureSimHost(hosts[0].uuid, { failures: null });
  });

  it('GIVEN 5 hosts, one failing check WHEN an L2 is attached THEN 409 naming that host, every host was checked and none realized', async () => {
    const { zone, cluster: c, hosts } = await cluster(5);
    const l2 = await srv.fx.vlan(zone.uuid, 503);
    const bad = hosts[3];
    await configureSimHost(bad.uuid, { failures: { check: 'kernel module 8021q is not loaded' } });
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: c.uuid });

    const detail = expectApiError(res, 409, 'L2_REALIZATION_FAILED', {
      path: `hosts[${bad.uuid}]`,
      code: 'L2_CHECK_FAILED',
      message: [bad.name, 'kernel module 8021q is not loaded'],
    });
    expect(res.body.error.details).toEqual([detail]);
    expect(res.body.error.message).toContain('nothing was realized');
    await expectNothingWritten(srv.ts, before);
    for (const h of hosts) {
      expect(opLog(h.uuid, l2.uuid).map((e) => e.op)).toEqual(['check']);
      expect(await devicesOf(srv.ts, h.uuid)).toEqual([]);
    }
    await configureSimHost(bad.uuid, { failures: null });
  });

  it('GIVEN two hosts lacking the physical interface WHEN an L2 on it is attached THEN 409 names both hosts and the interface', async () => {
    const { zone, cluster: c, hosts } = await cluster(3);
    const l2 = await srv.fx.vlan(zone.uuid, 504, 'eth1');
    await configureSimHost(hosts[0].uuid, { interfaces: ['eth0'] });
    await configureSimHost(hosts[2].uuid, { interfaces: [] });
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: c.uuid });

    expectApiError(res, 409, 'L2_REALIZATION_FAILED', { path: `hosts[${hosts[0].uuid}]`, code: 'L2_CHECK_FAILED', message: ["no physical interface 'eth1'", hosts[0].name] });
    expectApiError(res, 409, 'L2_REALIZATION_FAILED', { path: `hosts[${hosts[2].uuid}]`, code: 'L2_CHECK_FAILED', message: ["no physical interface 'eth1'", hosts[2].name] });
    expect(res.body.error.details).toHaveLength(2);
    await expectNothingWritten(srv.ts, before);
    for (const h of hosts) expect(opLog(h.uuid, l2.uuid).map((e) => e.op)).toEqual(['check']);
  });

  it('GIVEN a Disconnected host with failures injected WHEN an L2 is attached THEN it is skipped: 201, devices on the connected hosts only', async () => {
    const { zone, cluster: c, hosts } = await cluster(2);
    const off = await srv.fx.host(c.uuid, { state: 'Disconnected' });
    await configureSimHost(off.uuid, { failures: { check: 'unreachable', realize: 'unreachable' } });
    const l2 = await srv.fx.vlan(zone.uuid, 505);

    await srv.fx.attach(l2.uuid, c.uuid);

    for (const h of hosts) expect(await l2DevicesOn(srv.ts, h.uuid, l2.uuid)).toEqual(['br_eth0_505', 'eth0.505']);
    expect(await devicesOf(srv.ts, off.uuid)).toEqual([]);
    expect(opLog(off.uuid)).toEqual([]);

    // Reconnecting realizes the cluster's L2s on it; while it still fails, the host stays Disconnected.
    const refused = await srv.ts.api('PATCH', `/v1/hosts/${off.uuid}`, { state: 'Connected' });
    expectApiError(refused, 409, 'L2_REALIZATION_FAILED', { path: `hosts[${off.uuid}]`, message: ['unreachable'] });
    expect((await srv.ts.api('GET', `/v1/hosts/${off.uuid}`)).body.state).toBe('Disconnected');
    expect(await devicesOf(srv.ts, off.uuid)).toEqual([]);

    await configureSimHost(off.uuid, { failures: null });
    const reconnected = await srv.ts.api('PATCH', `/v1/hosts/${off.uuid}`, { state: 'Connected' });
    expectStatus(reconnected, 200);
    expect(reconnected.body.state).toBe('Connected');
    expect(await l2DevicesOn(srv.ts, off.uuid, l2.uuid)).toEqual(['br_eth0_505', 'eth0.505']);
  });
});

describe('reconnect never damages a host', () => {
  it('GIVEN a host that carries an L2 and went Disconnected WHEN its reconnect is refused (realize fails) THEN 409, it stays Disconnected, and it keeps the devices it had', async () => {
    const { zone, cluster: c, hosts } = await cluster(1);
    const [h] = hosts;
    const vlan = await srv.fx.vlan(zone.uuid, 506);
    const noVlan = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth1' });
    await srv.fx.attach(vlan.uuid, c.uuid);
    expectStatus(await srv.ts.api('PATCH', `/v1/hosts/${h.uuid}`, { state: 'Disconnected' }), 200);
    // While it was away, a second L2 was attached (skipped for it): the reconnect must add it, and fails.
    await srv.fx.attach(noVlan.uuid, c.uuid);
    const had = await devicesOf(srv.ts, h.uuid);
    expect(had.map((d) => d.name)).toEqual(['br_eth0_506', 'eth0.506']);
    await configureSimHost(h.uuid, { failures: { realize: 'link eth1 is down' } });

    const refused = await srv.ts.api('PATCH', `/v1/hosts/${h.uuid}`, { state: 'Connected' });

    expectApiError(refused, 409, 'L2_REALIZATION_FAILED', { message: ['link eth1 is down'] });
    expect((await srv.ts.api('GET', `/v1/hosts/${h.uuid}`)).body.state).toBe('Disconnected');
    // Exactly what it had before: the VLAN network's bridge and VLAN device, and nothing half made.
    expect(await devicesOf(srv.ts, h.uuid)).toEqual(had);

    await configureSimHost(h.uuid, { failures: null });
    expectStatus(await srv.ts.api('PATCH', `/v1/hosts/${h.uuid}`, { state: 'Connected' }), 200);
    expect((await devicesOf(srv.ts, h.uuid)).map((d) => d.name)).toEqual(['br_eth0_506', 'br_eth1', 'eth0.506']);
  });

  it('GIVEN a host that carries devices nothing explains any more WHEN it reconnects THEN they are removed and what the database says is realized', async () => {
    const { zone, cluster: c, hosts } = await cluster(1);
    const [h] = hosts;
    const kept = await srv.fx.vlan(zone.uuid, 507);
    const gone = await srv.fx.vlan(zone.uuid, 508);
    await srv.fx.attach(kept.uuid, c.uuid);
    const attachment = await srv.fx.attach(gone.uuid, c.uuid);
    expectStatus(await srv.ts.api('PATCH', `/v1/hosts/${h.uuid}`, { state: 'Disconnected' }), 200);
    // Detached while the host was away: its devices stay there (the host was not reachable).
    expectStatus(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${attachment.uuid}`), 204);
    expect((await devicesOf(srv.ts, h.uuid)).map((d) => d.name)).toEqual(['br_eth0_507', 'br_eth0_508', 'eth0.507', 'eth0.508']);

    expectStatus(await srv.ts.api('PATCH', `/v1/hosts/${h.uuid}`, { state: 'Connected' }), 200);
    expect((await devicesOf(srv.ts, h.uuid)).map((d) => d.name)).toEqual(['br_eth0_507', 'eth0.507']);
  });
});

describe('detach (rule 5, reverse)', () => {
  it('GIVEN L2s A, B, C on a 3-host cluster and A also on another cluster WHEN A is detached THEN exactly A\'s devices leave that cluster\'s hosts', async () => {
    const { zone, cluster: x, hosts } = await cluster(3);
    const y = await srv.fx.cluster(zone.uuid);
    const [yHost] = await srv.fx.hosts(y.uuid, 1);
    const a = await srv.fx.vlan(zone.uuid, 510, 'eth0');
    const b = await srv.fx.vlan(zone.uuid, 511, 'eth0');
    const cNoVlan = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth1' });
    const attA = await srv.fx.attach(a.uuid, x.uuid);
    await srv.fx.attach(b.uuid, x.uuid);
    await srv.fx.attach(cNoVlan.uuid, x.uuid);
    await srv.fx.attach(a.uuid, y.uuid);
    const beforeX = await Promise.all(hosts.map((h) => devicesOf(srv.ts, h.uuid)));
    const beforeY = await devicesOf(srv.ts, yHost.uuid);
    expect(beforeX[0].map((d) => d.name)).toEqual(['br_eth0_510', 'br_eth0_511', 'br_eth1', 'eth0.510', 'eth0.511']);

    expectStatus(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${attA.uuid}`), 204);

    for (const [i, h] of hosts.entries()) {
      expect(await devicesOf(srv.ts, h.uuid)).toEqual(beforeX[i].filter((d) => d.type === 'vmNic' || d.l2NetworkUuid !== a.uuid));
      expect(opLog(h.uuid, a.uuid).at(-1)).toMatchObject({ op: 'delete', ok: true });
    }
    expect(await devicesOf(srv.ts, yHost.uuid)).toEqual(beforeY);
    expect(await list(srv.ts, 'l2-cluster-attachments', { l2NetworkUuid: a.uuid })).toEqual([expect.objectContaining({ clusterUuid: y.uuid })]);
    expectApiError(await srv.ts.api('GET', `/v1/l2-cluster-attachments/${attA.uuid}`), 404, 'NOT_FOUND');
  });

  it('GIVEN the middle of 3 hosts failing delete WHEN the L2 is detached THEN 409 naming that host, the attachment stays and every host still carries the L2', async () => {
    const { zone, cluster: c, hosts } = await cluster(3);
    const l2 = await srv.fx.vlan(zone.uuid, 512);
    const att = await srv.fx.attach(l2.uuid, c.uuid);
    await configureSimHost(hosts[1].uuid, { failures: { delete: 'device busy' } });
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${att.uuid}`);

    const detail = expectApiError(res, 409, 'L2_DELETION_FAILED', { path: `hosts[${hosts[1].uuid}]`, code: 'L2_DELETE_FAILED', message: [hosts[1].name, 'device busy'] });
    expect(res.body.error.details).toEqual([detail]);
    // Refused means unchanged: the hosts it was already deleted from got it back.
    await expectNothingWritten(srv.ts, before);
    for (const h of hosts) expect(await l2DevicesOn(srv.ts, h.uuid, l2.uuid)).toEqual(['br_eth0_512', 'eth0.512']);
    await configureSimHost(hosts[1].uuid, { failures: null });
    expectStatus(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${att.uuid}`), 204);
    for (const h of hosts) expect(await devicesOf(srv.ts, h.uuid)).toEqual([]);
  });
});

describe('hosts joining and leaving a cluster with attached L2s', () => {
  async function clusterWithTwoL2s() {
    const zone = await srv.fx.zone();
    const c = await srv.fx.cluster(zone.uuid);
    const vlan = await srv.fx.vlan(zone.uuid, 520, 'eth0');
    const noVlan = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth1' });
    await srv.fx.attach(vlan.uuid, c.uuid);
    await srv.fx.attach(noVlan.uuid, c.uuid);
    return { zone, cluster: c, vlan, noVlan };
  }

  it('GIVEN a cluster with a VLAN and a NoVlan L2 WHEN a host is added THEN both are realized on it; WHEN deleted THEN they are removed', async () => {
    const { cluster: c, vlan, noVlan } = await clusterWithTwoL2s();
    const host = await srv.fx.host(c.uuid);
    expect(await l2DevicesOn(srv.ts, host.uuid, vlan.uuid)).toEqual(['br_eth0_520', 'eth0.520']);
    expect(await l2DevicesOn(srv.ts, host.uuid, noVlan.uuid)).toEqual(['br_eth1']);
    expect(opLog(host.uuid).map((e) => e.op)).toEqual(['check', 'realize', 'check', 'realize']);

    expectStatus(await srv.ts.api('DELETE', `/v1/hosts/${host.uuid}`), 204);
    expect(await devicesOf(srv.ts, host.uuid)).toEqual([]);
    expectApiError(await srv.ts.api('GET', `/v1/hosts/${host.uuid}`), 404, 'NOT_FOUND');
  });

  it.each(['Disconnected', 'Maintenance'])('GIVEN a cluster with attached L2s WHEN a %s host is added THEN nothing is realized on it', async (state) => {
    const { cluster: c } = await clusterWithTwoL2s();
    const host = await srv.fx.host(c.uuid, { state });
    expect(host.state).toBe(state);
    expect(await devicesOf(srv.ts, host.uuid)).toEqual([]);
    expect(opLog(host.uuid)).toEqual([]);
  });

  it('GIVEN new hosts lack eth1 WHEN a host is added to a cluster with L2s on eth0 and eth1 THEN 409, no host row and no devices left on the simulator', async () => {
    const { cluster: c, noVlan } = await clusterWithTwoL2s();
    const defaults = (await srv.ts.api('GET', '/v1/simulator/defaults')).body;
    expectStatus(await srv.ts.api('PATCH', '/v1/simulator/defaults', { interfaces: ['eth0'] }), 200);
    try {
      const before = await snapshot(srv.ts);
      const managementIp = '172.31.250.7';
      const res = await srv.ts.api('POST', '/v1/hosts', { name: 'host-lacking-eth1', clusterUuid: c.uuid, managementIp });

      expectApiError(res, 409, 'L2_REALIZATION_FAILED', { code: 'L2_CHECK_FAILED', message: ['host-lacking-eth1', "no physical interface 'eth1'"] });
      expect(res.body.error.message).toContain(noVlan.name);
      expect(await list(srv.ts, 'hosts', { clusterUuid: c.uuid })).toEqual([]);
      const simHosts = (await srv.ts.api('GET', '/v1/simulator/hosts')).body as Array<{ managementIp: string | null; devices: unknown[] }>;
      expect(simHosts.filter((h) => h.managementIp === managementIp).flatMap((h) => h.devices)).toEqual([]);
      await expectNothingWritten(srv.ts, before);
    } finally {
      expectStatus(await srv.ts.api('PATCH', '/v1/simulator/defaults', defaults), 200);
    }
  });

  it('GIVEN a host whose delete fails WHEN the host is deleted THEN 409 naming it and the host stays with its devices', async () => {
    const zone = await srv.fx.zone();
    const c = await srv.fx.cluster(zone.uuid);
    const l2 = await srv.fx.vlan(zone.uuid, 521);
    await srv.fx.attach(l2.uuid, c.uuid);
    const host = await srv.fx.host(c.uuid);
    await configureSimHost(host.uuid, { failures: { delete: 'device or resource busy' } });
    const before = await snapshot(srv.ts);

    expectApiError(await srv.ts.api('DELETE', `/v1/hosts/${host.uuid}`), 409, 'L2_DELETION_FAILED', { path: `hosts[${host.uuid}]`, message: [host.name, 'busy'] });

    await expectNothingWritten(srv.ts, before);
    await configureSimHost(host.uuid, { failures: null });
  });
});
