/**
 * GET /v1/overview: the whole topology in one read for the live page: per host the L2
 * networks realized on it (not on a host that is not Connected), L3 address usage over its
 * ranges, services and their state, a revision that changes exactly when the topology does,
 * and the Mermaid text of it with every label escaped.
 */
import { overviewDiagram } from '../../server/ui/overview-diagram';
import { expectApiError, expectStatus, useServer } from './helpers';

const srv = useServer();

describe('GET /v1/overview', () => {
  it('GIVEN an attached L2 with one host not Connected THEN that host waits for it; usage counts allocations over the ranges; the revision follows changes', async () => {
    const { zone, cluster, hosts, l2, l3 } = await srv.fx.network({ hosts: 2, vlan: 410, cidr: '10.41.0.0/24', range: ['10.41.0.10', '10.41.0.19'] });
    await srv.fx.range(l3.uuid, '10.41.0.100', '10.41.0.104');
    expectStatus(await srv.ts.api('PATCH', `/v1/hosts/${hosts[1].uuid}`, { state: 'Disconnected' }), 200);
    const second = await srv.fx.vlan(zone.uuid, 411);
    await srv.fx.attach(second.uuid, cluster.uuid);
    await srv.fx.vm([l3.uuid]);

    const res = await srv.ts.api('GET', '/v1/overview');
    expectStatus(res, 200);
    const o = res.body;
    const [h0, h1] = hosts.map((h: { uuid: string }) => o.hosts.find((x: { uuid: string }) => x.uuid === h.uuid));
    // Attached while both were Connected: realized on both. Attached after host 2 went away: only on host 1.
    expect(h0.l2Networks).toEqual([
      { l2NetworkUuid: l2.uuid, name: l2.name, realized: true },
      { l2NetworkUuid: second.uuid, name: second.name, realized: true },
    ]);
    expect(h1.state).toBe('Disconnected');
    expect(h1.l2Networks.every((x: { realized: boolean }) => !x.realized)).toBe(true);
    expect(o.l2Networks.find((x: { uuid: string }) => x.uuid === second.uuid).hosts).toEqual({ realized: 1, total: 2 });
    const ol3 = o.l3Networks.find((x: { uuid: string }) => x.uuid === l3.uuid);
    expect(ol3.usage).toEqual({ used: 1, total: '15' });
    expect(ol3.ranges.map((r: { startIp: string }) => r.startIp)).toEqual(['10.41.0.10', '10.41.0.100']);
    expect(o.mermaid).toMatch(/^flowchart LR\n/);
    expect(o.mermaid).toContain(`realized on 1 of 2 hosts`);

    const again = (await srv.ts.api('GET', '/v1/overview')).body;
    expect(again.revision).toBe(o.revision);
    // The revision is the ETag: asking with it gets 304 and no body while nothing changed.
    const auth = { authorization: `Bearer ${srv.ts.token}` };
    const first = await fetch(`${srv.ts.url}/v1/overview`, { headers: auth });
    expect(first.headers.get('etag')).toBe(`"${o.revision}"`);
    const unchanged = await fetch(`${srv.ts.url}/v1/overview`, { headers: { ...auth, 'if-none-match': `"${o.revision}"` } });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    await srv.fx.zone();
    expect((await srv.ts.api('GET', '/v1/overview')).body.revision).not.toBe(o.revision);
  });

  it('GIVEN no token THEN 401 and no data', async () => {
    const res = await fetch(`${srv.ts.url}/v1/overview`);
    expect(res.status).toBe(401);
    expectApiError({ status: res.status, body: await res.json() }, 401, 'UNAUTHORIZED');
  });

  it('GIVEN names with Mermaid syntax in them THEN every label is escaped and ids are generated', () => {
    const text = overviewDiagram({
      zones: [{ uuid: 'z', name: 'a"] --> x[("evil' }],
      clusters: [{ uuid: 'c', name: '<b>c</b>', zoneUuid: 'z', hypervisorType: 'Simulator' }],
      hosts: [{ uuid: 'h', name: 'h|1', clusterUuid: 'c', managementIp: '10.0.0.1', state: 'Connected', l2Networks: [] }],
      l2Networks: [],
      l3Networks: [],
      virtualRouters: [],
      vms: [],
    });
    expect(text).toContain('subgraph zone_1["zone a#34;#93; --#62; x#91;(#34;evil"]');
    expect(text).toContain('#60;b#62;c#60;/b#62;');
    expect(text).toContain('host h#124;1');
    expect(text).not.toMatch(/<b>|"\]\s*-->/);
  });
});
