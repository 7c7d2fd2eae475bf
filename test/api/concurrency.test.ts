/**
 * Concurrent writes over HTTP (topology-rules.md 21, NetBox #2519): parallel "next free
 * IP" requests never get the same address, the gateway, or an address outside the ranges;
 * parallel VM creations get distinct IPs; racing attaches realize once.
 */
import { devicesOf, expectApiError, expectStatus, inRange, list, useServer, type ApiResponse } from './helpers';

const srv = useServer();

/** Runs `total` calls of `fn` from `clients` concurrent clients, each issuing its share in sequence. */
async function fromClients<T>(clients: number, total: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

const RANGES: Array<[string, string]> = [
  ['10.130.0.10', '10.130.0.120'],
  ['10.130.1.10', '10.130.1.120'],
];

async function bigL3() {
  const zone = await srv.fx.zone();
  const l2 = await srv.fx.vlan(zone.uuid, 600);
  const l3 = await srv.fx.l3(l2.uuid, '10.130.0.0/22');
  for (const [s, e] of RANGES) await srv.fx.range(l3.uuid, s, e);
  return l3;
}

describe('concurrent IP allocation (rule 21)', () => {
  it('GIVEN an L3 with 222 free addresses WHEN 50 clients allocate 200 IPs THEN all succeed, no duplicates, none the gateway, all inside the ranges', async () => {
    const l3 = await bigL3();
    expect(l3.gateway).toBe('10.130.0.1');

    const responses = await fromClients(50, 200, () => srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid }));

    for (const r of responses) expectStatus(r, 201);
    const ips = responses.map((r) => r.body.ip as string);
    expect(new Set(ips).size).toBe(200);
    expect(ips).not.toContain(l3.gateway);
    for (const ip of ips) expect(RANGES.some(([s, e]) => inRange(ip, s, e))).toBe(true);
    const stored = await list(srv.ts, 'ip-addresses', { l3NetworkUuid: l3.uuid });
    expect(stored.map((s) => s.ip).sort()).toEqual([...ips].sort());
  });

  it('GIVEN exactly 30 free addresses WHEN 50 clients each allocate one THEN exactly 30 succeed with distinct IPs and 20 get 409 NO_FREE_IP', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 601);
    const l3 = await srv.fx.l3(l2.uuid, '10.131.0.0/24');
    await srv.fx.range(l3.uuid, '10.131.0.10', '10.131.0.44');
    for (let i = 0; i < 5; i++) await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid });

    const responses = await Promise.all(Array.from({ length: 50 }, () => srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid })));

    const ok = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(30);
    expect(refused).toHaveLength(20);
    for (const r of refused) expectApiError(r, 409, 'NO_FREE_IP', { path: 'l3NetworkUuid', conflicting: { type: 'L3Network', uuid: l3.uuid, name: l3.name } });
    const ips = ok.map((r) => r.body.ip as string);
    expect(new Set(ips).size).toBe(30);
    for (const ip of ips) expect(inRange(ip, '10.131.0.15', '10.131.0.44')).toBe(true);
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: l3.uuid })).toHaveLength(35);
  });

  it('GIVEN 10 clients asking for the same explicit IP at once THEN exactly one gets it and the rest 409 IP_IN_USE', async () => {
    const zone = await srv.fx.zone();
    const l2 = await srv.fx.vlan(zone.uuid, 602);
    const l3 = await srv.fx.l3(l2.uuid, '10.132.0.0/24');
    await srv.fx.range(l3.uuid, '10.132.0.10', '10.132.0.20');

    const responses = await Promise.all(Array.from({ length: 10 }, () => srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid, ip: '10.132.0.15' })));

    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of responses.filter((x) => x.status !== 201)) expectApiError(r, 409, 'IP_IN_USE', { path: 'ip' });
    expect((await list(srv.ts, 'ip-addresses', { l3NetworkUuid: l3.uuid })).map((i) => i.ip)).toEqual(['10.132.0.15']);
  });
});

describe('concurrent VM creation', () => {
  it('GIVEN a 3-host cluster WHEN 20 VMs on one L3 are created concurrently THEN all get distinct IPs inside the range, never the gateway, each NIC plugged once', async () => {
    const net = await srv.fx.network({ hosts: 3, vlan: 603, cidr: '10.133.0.0/24', range: ['10.133.0.10', '10.133.0.60'] });

    const responses: ApiResponse[] = await fromClients(20, 20, (i) => srv.ts.api('POST', '/v1/vm-instances', { name: `cvm-${net.l3.uuid.slice(0, 8)}-${i}`, l3NetworkUuids: [net.l3.uuid] }));

    for (const r of responses) expectStatus(r, 201);
    const ips = responses.map((r) => r.body.nics[0].ip as string);
    expect(new Set(ips).size).toBe(20);
    expect(ips).not.toContain(net.l3.gateway);
    for (const ip of ips) expect(inRange(ip, '10.133.0.10', '10.133.0.60')).toBe(true);
    const pluggedIps = [];
    for (const h of net.hosts) {
      for (const d of await devicesOf(srv.ts, h.uuid)) if (d.type === 'vmNic') pluggedIps.push(d.ip);
    }
    expect(pluggedIps.sort()).toEqual([...ips].sort());
    // Least-loaded placement spreads them.
    const perHost = net.hosts.map((h) => responses.filter((r) => r.body.hostUuid === h.uuid).length);
    expect(Math.max(...perHost) - Math.min(...perHost)).toBeLessThanOrEqual(1);
  });
});

describe('racing attaches', () => {
  it('GIVEN 10 concurrent attaches of one L2 to one cluster THEN exactly one succeeds, the rest 409 L2_ALREADY_ATTACHED, and the L2 is realized once', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const [host] = await srv.fx.hosts(cluster.uuid, 1);
    const l2 = await srv.fx.vlan(zone.uuid, 604);

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => srv.ts.api('POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid })),
    );

    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of responses.filter((x) => x.status !== 201)) expectApiError(r, 409, 'L2_ALREADY_ATTACHED', { path: 'clusterUuid' });
    expect(await list(srv.ts, 'l2-cluster-attachments', { l2NetworkUuid: l2.uuid })).toHaveLength(1);
    expect(srv.ts.server.simulator.getOpLog(host.uuid).filter((e) => e.l2NetworkUuid === l2.uuid && e.op === 'realize')).toHaveLength(1);
  });
});
