/**
 * POST /v1/batch-read: many objects of any types in one request, each exactly as its own GET
 * answers it, null where none exists, in request order; bad requests are refused whole.
 * Then the client: concurrent reads share requests.
 */
import { NetforgeApiError, NetforgeClient } from '../../client';
import { MAX_BATCHES_IN_FLIGHT } from '../../client/http-client';
import { MAX_BATCH_READ } from '../../contract';
import { expectApiError, expectStatus, useServer } from './helpers';

const srv = useServer();
const MISSING = '00000000-0000-4000-8000-00000000beef';

describe('POST /v1/batch-read', () => {
  it('GIVEN objects of several types THEN each comes back as its GET answers it, in request order, null where none exists', async () => {
    const { zone, cluster, l2, attachment, l3, range } = await srv.fx.network({ vlan: 301, cidr: '10.31.0.0/24', range: ['10.31.0.10', '10.31.0.20'] });
    const asked = [
      { type: 'ipRange', uuid: range.uuid },
      { type: 'zone', uuid: MISSING },
      { type: 'l2Network', uuid: l2.uuid },
      { type: 'zone', uuid: zone.uuid },
      { type: 'l3Network', uuid: l3.uuid },
      // The right uuid under the wrong type is not that object.
      { type: 'cluster', uuid: l2.uuid },
      { type: 'cluster', uuid: cluster.uuid },
      { type: 'l2ClusterAttachment', uuid: attachment.uuid },
      { type: 'zone', uuid: zone.uuid },
    ];
    const res = await srv.ts.api('POST', '/v1/batch-read', { objects: asked });
    expectStatus(res, 200);
    const gets = await Promise.all(
      [['ip-ranges', range.uuid], ['l2-networks', l2.uuid], ['zones', zone.uuid], ['l3-networks', l3.uuid], ['clusters', cluster.uuid], ['l2-cluster-attachments', attachment.uuid]].map(
        async ([path, uuid]) => (await srv.ts.api('GET', `/v1/${path}/${uuid}`)).body,
      ),
    );
    const [rangeGet, l2Get, zoneGet, l3Get, clusterGet, attachmentGet] = gets;
    expect(l2Get.attachedClusterUuids).toEqual([cluster.uuid]); // the association is part of the answer
    expect(res.body).toEqual({ objects: [rangeGet, null, l2Get, zoneGet, l3Get, null, clusterGet, attachmentGet, zoneGet] });
  });

  it('GIVEN a bad request THEN 400 at the field, and no partial answer', async () => {
    expectApiError(await srv.ts.api('POST', '/v1/batch-read', { objects: [] }), 400, 'VALIDATION_FAILED', { path: 'objects' });
    expectApiError(await srv.ts.api('POST', '/v1/batch-read', { objects: [{ type: 'zone', uuid: MISSING }, { type: 'router', uuid: MISSING }] }), 400, 'VALIDATION_FAILED', {
      path: 'objects.1.type',
    });
    expectApiError(await srv.ts.api('POST', '/v1/batch-read', { objects: [{ type: 'zone' }] }), 400, 'VALIDATION_FAILED', { path: 'objects.0.uuid' });
    const tooMany = Array.from({ length: MAX_BATCH_READ + 1 }, () => ({ type: 'zone', uuid: MISSING }));
    expectApiError(await srv.ts.api('POST', '/v1/batch-read', { objects: tooMany }), 400, 'VALIDATION_FAILED', { path: 'objects' });
  });

  it('GIVEN 40 reads asked at once through the client THEN they share a few requests and each gets its own object', async () => {
    const zones = await Promise.all(Array.from({ length: 40 }, () => srv.fx.zone()));
    const client = new NetforgeClient(srv.ts.url, srv.ts.token);
    const requests: unknown[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    // While set, requests wait for it before going out: the test decides when slots free up.
    let hold: Promise<void> | undefined;
    const request = client.request.bind(client);
    client.request = (async (method: string, urlPath: string, body?: unknown) => {
      requests.push({ method, urlPath, body });
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      try {
        await hold;
        return await request(method, urlPath, body);
      } finally {
        inFlight--;
      }
    }) as typeof client.request;
    const read = await Promise.all([...zones.map((z) => client.read('zone', z.uuid)), client.read('zone', MISSING)]);
    expect(read).toEqual([...zones, null]);
    // All 41 were asked in one tick: one request.
    expect(requests).toEqual([{ method: 'POST', urlPath: '/v1/batch-read', body: { objects: expect.any(Array) } }]);

    // Reads asked one after another: each goes at once while a slot is free (never waiting for
    // another batch); once every slot is busy, the rest wait and go together in the next one.
    requests.length = 0;
    mostInFlight = 0;
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    const staggered: Array<Promise<unknown>> = [];
    for (const z of zones) {
      staggered.push(client.read('zone', z.uuid));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(requests).toHaveLength(MAX_BATCHES_IN_FLIGHT);
    hold = undefined;
    release();
    expect(await Promise.all(staggered)).toEqual(zones);
    expect(requests).toHaveLength(MAX_BATCHES_IN_FLIGHT + 1);
    expect(mostInFlight).toBe(MAX_BATCHES_IN_FLIGHT);

    // An id no object can have resolves to nothing without failing the batch it would have joined.
    requests.length = 0;
    const mixed = await Promise.all([client.read('zone', zones[0].uuid), client.read('zone', 'x'.repeat(200)), client.read('zone', ''), client.read('zone', zones[1].uuid)]);
    expect(mixed).toEqual([zones[0], null, null, zones[1]]);
    expect(requests).toHaveLength(1);

    // More reads than one batch holds, asked while a batch is on its way: every one settles.
    requests.length = 0;
    const first = client.read('zone', zones[0].uuid);
    await new Promise((resolve) => setImmediate(resolve));
    const many = Array.from({ length: 2 * MAX_BATCH_READ + 500 }, (_, i) => client.read('zone', zones[i % zones.length].uuid));
    const all = await Promise.all([first, ...many]);
    expect(all.every((z, i) => z !== null && (i === 0 || z.uuid === zones[(i - 1) % zones.length].uuid))).toBe(true);
    expect(requests.length).toBe(4);
  });

  it('GIVEN a server without POST /v1/batch-read THEN the client reads each object with its GET', async () => {
    const zones = await Promise.all(Array.from({ length: 5 }, () => srv.fx.zone()));
    const client = new NetforgeClient(srv.ts.url, srv.ts.token);
    const asked: string[] = [];
    const request = client.request.bind(client);
    client.request = (async (method: string, urlPath: string, body?: unknown) => {
      asked.push(`${method} ${urlPath}`);
      if (urlPath === '/v1/batch-read') throw new NetforgeApiError(404, { code: 'NO_SUCH_ROUTE', message: `no route ${method} ${urlPath}`, details: [] });
      return request(method, urlPath, body);
    }) as typeof client.request;
    expect(await Promise.all([...zones.map((z) => client.read('zone', z.uuid)), client.read('zone', MISSING)])).toEqual([...zones, null]);
    expect(await client.read('zone', zones[0].uuid)).toEqual(zones[0]);
    // Asked once, then never again.
    expect(asked.filter((a) => a === 'POST /v1/batch-read')).toHaveLength(1);
    expect(asked.filter((a) => a.startsWith('GET /v1/zones/'))).toHaveLength(zones.length + 2);
  });
});
