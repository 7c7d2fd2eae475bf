/**
 * Bad input over HTTP: malformed JSON, wrong types, missing and unknown fields, oversized
 * bodies, hostile names and uuids, unknown filters, uuids and routes. Every refusal is a
 * 4xx in the API error format and writes nothing.
 */
import { expectApiError, expectNothingWritten, expectStatus, list, snapshot, uniqueName, useServer, type ApiResponse } from './helpers';

const srv = useServer();
const MISSING = '00000000-0000-4000-8000-00000000dead';

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return srv.ts.raw('POST', path, body, { authorization: `Bearer ${srv.ts.token}`, 'content-type': 'application/json', ...headers });
}

let zone: { uuid: string; name: string };
let cluster: { uuid: string; name: string };
let l2: { uuid: string; name: string; physicalInterface: string };
beforeAll(async () => {
  zone = await srv.fx.zone();
  cluster = await srv.fx.cluster(zone.uuid);
  l2 = await srv.fx.vlan(zone.uuid, 700);
});

describe('malformed bodies', () => {
  it.each([
    ['truncated JSON', '{"name": '],
    ['single quotes', "{'name': 'z'}"],
    ['a trailing comma', '{"name": "z",}'],
    ['a bare string (strict JSON)', '"zone"'],
    ['NaN', '{"name": NaN}'],
  ])('GIVEN %s WHEN POSTed THEN 400 MALFORMED_JSON and nothing is written', async (_what, body) => {
    const before = await snapshot(srv.ts);
    expectApiError(await post('/v1/zones', body), 400, 'MALFORMED_JSON');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a JSON array body WHEN POSTed THEN 400 VALIDATION_FAILED', async () => {
    const before = await snapshot(srv.ts);
    expectApiError(await post('/v1/zones', '[{"name":"z"}]'), 400, 'VALIDATION_FAILED');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a JSON body sent as text/plain WHEN POSTed THEN 400 VALIDATION_FAILED (it is not read as JSON)', async () => {
    const before = await snapshot(srv.ts);
    expectApiError(await post('/v1/zones', JSON.stringify({ name: uniqueName('zone') }), { 'content-type': 'text/plain' }), 400, 'VALIDATION_FAILED');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an unsupported content encoding or charset WHEN POSTed THEN 415 and nothing is written', async () => {
    const before = await snapshot(srv.ts);
    const body = JSON.stringify({ name: uniqueName('zone') });
    expectApiError(await post('/v1/zones', body, { 'content-encoding': 'compress' }), 415, 'UNSUPPORTED_ENCODING');
    expectApiError(await post('/v1/zones', body, { 'content-type': 'application/json; charset=iso-8859-1' }), 415, 'UNSUPPORTED_ENCODING');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a body over 1 MB WHEN POSTed THEN 413 PAYLOAD_TOO_LARGE and nothing is written', async () => {
    const before = await snapshot(srv.ts);
    const body = JSON.stringify({ name: uniqueName('zone'), description: 'x'.repeat(1024 * 1024 + 10) });
    expectApiError(await post('/v1/zones', body), 413, 'PAYLOAD_TOO_LARGE');
    expectApiError(await post('/v1/validate', JSON.stringify({ changes: [], pad: 'y'.repeat(1100 * 1024) })), 413, 'PAYLOAD_TOO_LARGE');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a body just under 1 MB with an over-long description WHEN POSTed THEN 400 VALIDATION_FAILED (read, then refused by the schema)', async () => {
    const before = await snapshot(srv.ts);
    const res = await post('/v1/zones', JSON.stringify({ name: uniqueName('zone'), description: 'x'.repeat(1000 * 1000) }));
    expectApiError(res, 400, 'VALIDATION_FAILED', { path: 'description' });
    await expectNothingWritten(srv.ts, before);
  });
});

describe('wrong types, missing and unknown fields', () => {
  it.each([
    ['zones', 'a numeric name', () => ({ name: 5 }), 'name'],
    ['zones', 'a null name', () => ({ name: null }), 'name'],
    ['zones', 'no name', () => ({}), 'name'],
    ['clusters', 'no zoneUuid', () => ({ name: uniqueName('c'), hypervisorType: 'Simulator' }), 'zoneUuid'],
    ['clusters', 'an unknown hypervisor type', () => ({ name: uniqueName('c'), zoneUuid: zone.uuid, hypervisorType: 'Xen' }), 'hypervisorType'],
    ['hosts', 'an unknown state', () => ({ name: uniqueName('h'), clusterUuid: cluster.uuid, managementIp: '172.30.0.1', state: 'Up' }), 'state'],
    ['hosts', 'a numeric managementIp', () => ({ name: uniqueName('h'), clusterUuid: cluster.uuid, managementIp: 17230001 }), 'managementIp'],
    ['l2-networks', 'a string VLAN', () => ({ name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: '10' }), 'vlan'],
    ['l2-networks', 'no type', () => ({ name: uniqueName('l2'), zoneUuid: zone.uuid, physicalInterface: 'eth0' }), 'type'],
    ['l2-networks', 'an array interface', () => ({ name: uniqueName('l2'), zoneUuid: zone.uuid, type: 'L2NoVlanNetwork', physicalInterface: ['eth0'] }), 'physicalInterface'],
    ['l3-networks', 'dnsServers as a string', () => ({ name: uniqueName('l3'), l2NetworkUuid: l2.uuid, cidr: '10.140.0.0/24', dnsServers: '8.8.8.8' }), 'dnsServers'],
    ['l3-networks', 'a host route without nextHop', () => ({ name: uniqueName('l3'), l2NetworkUuid: l2.uuid, cidr: '10.140.0.0/24', hostRoutes: [{ prefix: '1.0.0.0/8' }] }), 'hostRoutes.0.nextHop'],
    ['vm-instances', 'no L3 networks', () => ({ name: uniqueName('vm'), l3NetworkUuids: [] }), 'l3NetworkUuids'],
    ['ip-addresses', 'no l3NetworkUuid', () => ({ ip: '10.0.0.1' }), 'l3NetworkUuid'],
  ])('GIVEN a %s body with %s WHEN POSTed THEN 400 VALIDATION_FAILED at that field and nothing is written', async (collection, _what, body, path) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', `/v1/${collection}`, body()), 400, 'VALIDATION_FAILED', { path });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an unknown field WHEN a zone is created THEN 400 VALIDATION_FAILED naming the field and nothing is written', async () => {
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/zones', { name: uniqueName('zone'), color: 'red' });
    const detail = expectApiError(res, 400, 'VALIDATION_FAILED', { path: 'color' });
    expect(detail.message).toBe('unknown field "color"');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a field that exists but is not updatable WHEN PATCHed THEN 400 and the object is unchanged', async () => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('PATCH', `/v1/l2-networks/${l2.uuid}`, { physicalInterface: 'eth0;reboot' }), 400, 'VALIDATION_FAILED');
    expectApiError(await srv.ts.api('PATCH', `/v1/l2-networks/${l2.uuid}`, { vlan: 5 }), 400, 'VALIDATION_FAILED');
    expectApiError(await srv.ts.api('PATCH', `/v1/zones/${zone.uuid}`, { uuid: MISSING }), 400, 'VALIDATION_FAILED');
    await expectNothingWritten(srv.ts, before);
    expect((await srv.ts.api('GET', `/v1/l2-networks/${l2.uuid}`)).body.physicalInterface).toBe('eth0');
  });

  it('GIVEN an invalid simulator configuration WHEN PATCHed THEN 400 INVALID_SIMULATOR_CONFIG at the field and the configuration is unchanged', async () => {
    const hostBefore = (await srv.ts.api('GET', `/v1/simulator/hosts/${MISSING}`)).body;
    const defaultsBefore = (await srv.ts.api('GET', '/v1/simulator/defaults')).body;
    expectApiError(await srv.ts.api('PATCH', `/v1/simulator/hosts/${MISSING}`, { latencyMs: -1 }), 400, 'INVALID_SIMULATOR_CONFIG', { path: 'latencyMs' });
    expectApiError(await srv.ts.api('PATCH', `/v1/simulator/hosts/${MISSING}`, { failures: { reboot: 'x' } }), 400, 'INVALID_SIMULATOR_CONFIG', { path: 'failures' });
    expectApiError(await srv.ts.api('PATCH', '/v1/simulator/defaults', { interfaces: 'eth0' }), 400, 'INVALID_SIMULATOR_CONFIG', { path: 'interfaces' });
    expect((await srv.ts.api('GET', `/v1/simulator/hosts/${MISSING}`)).body).toEqual(hostBefore);
    expect((await srv.ts.api('GET', '/v1/simulator/defaults')).body).toEqual(defaultsBefore);
    expect(((await srv.ts.api('GET', '/v1/simulator/hosts')).body as Array<{ hostUuid: string }>).some((h) => h.hostUuid === MISSING)).toBe(false);
  });
});

describe('names and descriptions', () => {
  it.each([
    ['a non-ASCII letter', 'zöne'],
    ['an RTL override', 'evil\u202etxt.exe'],
    ['an emoji', 'rocket-🚀'],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['a leading space', ' lead'],
    ['a trailing space', 'trail '],
    ['nothing', ''],
    ['129 characters', 'n'.repeat(129)],
    ['a zero-width space', 'a\u200bb'],
    ['a Cyrillic look-alike', 'раypal'],
  ])('GIVEN a name with %s WHEN a zone is created THEN 400 INVALID_NAME at name and nothing is written', async (_what, name) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/zones', { name }), 400, 'INVALID_NAME', { path: 'name', code: 'INVALID_NAME' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a name with a NUL WHEN a zone is created THEN 400 INVALID_CHARACTER at name (refused before any rule) and nothing is written', async () => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/zones', { name: 'a\u0000b' }), 400, 'INVALID_CHARACTER', { path: 'name' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN 128 characters of letters, digits, spaces and the allowed separators WHEN used as a name THEN it is accepted verbatim', async () => {
    const separators = 'a b.c_d:e@f(g)h/i+j,k-l';
    const name = `${separators}${'z'.repeat(128 - separators.length)}`;
    expect(name).toHaveLength(128);
    expect((await srv.fx.create('zones', { name })).name).toBe(name);
  });

  it.each([
    ['a quote', "app's"],
    ['a semicolon', 'a;b'],
    ['a double quote', 'say "hi"'],
    ['a backtick', 'a`b'],
    ['a dollar', 'a$b'],
    ['a bracket', 'a[0]'],
    ['a leading separator', '-lead'],
  ])('GIVEN a name with %s WHEN a zone is created THEN 400 INVALID_NAME (names are identifiers)', async (_what, name) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/zones', { name }), 400, 'INVALID_NAME', { path: 'name' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a unicode name on every kind of named object WHEN created or renamed THEN 400 INVALID_NAME and nothing is written', async () => {
    const net = await srv.fx.network({ vlan: 701, cidr: '10.141.0.0/24', range: ['10.141.0.10', '10.141.0.20'] });
    const vm = await srv.fx.vm([net.l3.uuid]);
    const bad = 'ünïcode';
    const before = await snapshot(srv.ts);
    const attempts: Array<[string, string, Record<string, unknown>]> = [
      ['POST', '/v1/clusters', { name: bad, zoneUuid: net.zone.uuid, hypervisorType: 'Simulator' }],
      ['POST', '/v1/hosts', { name: bad, clusterUuid: net.cluster.uuid, managementIp: '172.30.1.1' }],
      ['POST', '/v1/l2-networks', { name: bad, zoneUuid: net.zone.uuid, type: 'L2NoVlanNetwork', physicalInterface: 'eth1' }],
      ['POST', '/v1/l3-networks', { name: bad, l2NetworkUuid: net.l2.uuid, cidr: '10.142.0.0/24' }],
      ['POST', '/v1/ip-ranges', { name: bad, l3NetworkUuid: net.l3.uuid, startIp: '10.141.0.30', endIp: '10.141.0.40' }],
      ['POST', '/v1/network-service-providers', { name: bad, type: 'Flat' }],
      ['POST', '/v1/vm-instances', { name: bad, l3NetworkUuids: [net.l3.uuid] }],
      ['PATCH', `/v1/zones/${net.zone.uuid}`, { name: bad }],
      ['PATCH', `/v1/clusters/${net.cluster.uuid}`, { name: bad }],
      ['PATCH', `/v1/hosts/${net.hosts[0].uuid}`, { name: bad }],
      ['PATCH', `/v1/l2-networks/${net.l2.uuid}`, { name: bad }],
      ['PATCH', `/v1/l3-networks/${net.l3.uuid}`, { name: bad }],
      ['PATCH', `/v1/ip-ranges/${net.range.uuid}`, { name: bad }],
      ['PATCH', `/v1/vm-instances/${vm.uuid}`, { name: bad }],
    ];
    for (const [method, path, body] of attempts) {
      expectApiError(await srv.ts.api(method, path, body), 400, 'INVALID_NAME', { path: 'name' });
    }
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a description with accents, CJK and emoji WHEN a zone is created THEN it is stored and read back exactly', async () => {
    const description = 'Zöne für Büro — 東京 🚀 ñ';
    const created = await srv.fx.zone({ description });
    expect(created.description).toBe(description);
    expect((await srv.ts.api('GET', `/v1/zones/${created.uuid}`)).body.description).toBe(description);
    const patched = await srv.ts.api('PATCH', `/v1/zones/${created.uuid}`, { description: 'Ünïcödé ✓' });
    expectStatus(patched, 200);
    expect(patched.body.description).toBe('Ünïcödé ✓');
  });

  it.each([
    ['an RTL override', 'invoice \u202egpj.exe'],
    ['a control character', 'bell\u0007'],
  ])('GIVEN a description with %s WHEN a zone is created THEN 400 INVALID_DESCRIPTION', async (_what, description) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/zones', { name: uniqueName('zone'), description }), 400, 'INVALID_DESCRIPTION', { path: 'description' });
    await expectNothingWritten(srv.ts, before);
  });
});

describe('SQL fragments', () => {
  const fragments = ["' OR 1=1 --", '"; DROP TABLE zones; --', "x'); DELETE FROM zones; --"];

  it.each(fragments)('GIVEN %j as a uuid in the path WHEN GET, PATCH or DELETE THEN 404 naming it and every table is intact', async (fragment) => {
    const before = await snapshot(srv.ts);
    const path = `/v1/zones/${encodeURIComponent(fragment)}`;
    for (const method of ['GET', 'DELETE']) {
      const detail = expectApiError(await srv.ts.api(method, path), 404, 'NOT_FOUND', { path: 'uuid' });
      expect(detail.message).toContain(fragment);
    }
    expectApiError(await srv.ts.api('PATCH', path, { description: 'x' }), 404, 'NOT_FOUND', { path: 'uuid' });
    expectApiError(await srv.ts.api('DELETE', `/v1/l2-networks/${encodeURIComponent(fragment)}`), 404, 'NOT_FOUND', { path: 'uuid' });
    await expectNothingWritten(srv.ts, before);
  });

  it.each(fragments)('GIVEN %j as a filter value WHEN listing THEN it matches nothing and every table is intact', async (fragment) => {
    const before = await snapshot(srv.ts);
    expect(await list(srv.ts, 'clusters', { zoneUuid: fragment })).toEqual([]);
    expect(await list(srv.ts, 'zones', { name: fragment })).toEqual([]);
    expect(await list(srv.ts, 'ip-addresses', { ip: fragment })).toEqual([]);
    await expectNothingWritten(srv.ts, before);
  });

  it.each(fragments)('GIVEN %j as a uuid in a body WHEN a cluster is created in that zone THEN 404 at zoneUuid and nothing is written', async (fragment) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/clusters', { name: uniqueName('c'), zoneUuid: fragment, hypervisorType: 'Simulator' }), 404, 'NOT_FOUND', {
      path: 'zoneUuid',
    });
    await expectNothingWritten(srv.ts, before);
  });

  it.each(fragments)('GIVEN %j as a name WHEN a zone is created THEN 400 INVALID_NAME and every table is intact', async (fragment) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/zones', { name: fragment }), 400, 'INVALID_NAME', { path: 'name' });
    await expectNothingWritten(srv.ts, before);
  });
});

describe('unknown filters, uuids and routes', () => {
  it('GIVEN an unknown query parameter WHEN listing THEN 400 UNKNOWN_FILTER naming it', async () => {
    expectApiError(await srv.ts.api('GET', '/v1/zones?color=red'), 400, 'UNKNOWN_FILTER', { path: 'color' });
    expectApiError(await srv.ts.api('GET', '/v1/l3-networks?zoneUuid=x'), 400, 'UNKNOWN_FILTER', { path: 'zoneUuid' });
  });

  it('GIVEN a filter given twice WHEN listing THEN 400 VALIDATION_FAILED at it', async () => {
    expectApiError(await srv.ts.api('GET', '/v1/zones?name=a&name=b'), 400, 'VALIDATION_FAILED', { path: 'name' });
  });

  it.each(['zones', 'clusters', 'hosts', 'l2-networks', 'l2-cluster-attachments', 'l3-networks', 'ip-ranges', 'network-service-providers', 'network-service-attachments', 'vm-instances', 'ip-addresses'])(
    'GIVEN an unknown uuid WHEN GET and DELETE /v1/%s/:uuid THEN 404 NOT_FOUND at uuid naming it',
    async (collection) => {
      const before = await snapshot(srv.ts);
      for (const method of ['GET', 'DELETE']) {
        const detail = expectApiError(await srv.ts.api(method, `/v1/${collection}/${MISSING}`), 404, 'NOT_FOUND', { path: 'uuid' });
        expect(detail.message).toContain(MISSING);
      }
      await expectNothingWritten(srv.ts, before);
    },
  );

  it.each([
    ['clusters', () => ({ name: uniqueName('c'), zoneUuid: MISSING, hypervisorType: 'Simulator' }), 'zoneUuid'],
    ['hosts', () => ({ name: uniqueName('h'), clusterUuid: MISSING, managementIp: '172.30.2.1' }), 'clusterUuid'],
    ['l2-networks', () => ({ name: uniqueName('l2'), zoneUuid: MISSING, type: 'L2NoVlanNetwork', physicalInterface: 'eth0' }), 'zoneUuid'],
    ['l3-networks', () => ({ name: uniqueName('l3'), l2NetworkUuid: MISSING, cidr: '10.143.0.0/24' }), 'l2NetworkUuid'],
    ['ip-ranges', () => ({ name: uniqueName('r'), l3NetworkUuid: MISSING, startIp: '10.0.0.10', endIp: '10.0.0.20' }), 'l3NetworkUuid'],
    ['ip-addresses', () => ({ l3NetworkUuid: MISSING }), 'l3NetworkUuid'],
    ['network-service-attachments', () => ({ l3NetworkUuid: MISSING, providerUuid: MISSING, services: ['DNS'] }), 'l3NetworkUuid'],
    ['vm-instances', () => ({ name: uniqueName('vm'), l3NetworkUuids: [MISSING] }), 'l3NetworkUuids[0]'],
  ])('GIVEN a reference to an unknown uuid WHEN POST /v1/%s THEN 404 at %s and nothing is written', async (collection, body, path) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', `/v1/${collection}`, body()), 404, 'NOT_FOUND', { path });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an unknown provider or L2 WHEN associating THEN 404 at uuid / l2NetworkUuid', async () => {
    const flat = await srv.fx.builtinProvider('flat');
    expectApiError(await srv.ts.api('POST', `/v1/network-service-providers/${MISSING}/l2-networks`, { l2NetworkUuid: l2.uuid }), 404, 'NOT_FOUND', { path: 'uuid' });
    expectApiError(await srv.ts.api('POST', `/v1/network-service-providers/${flat.uuid}/l2-networks`, { l2NetworkUuid: MISSING }), 404, 'NOT_FOUND', { path: 'l2NetworkUuid' });
  });

  it.each([
    ['GET', '/v1/nope'],
    ['GET', '/v1'],
    ['POST', '/v1/zones/extra/segments'],
    ['PUT', '/v1/zones/x'],
  ])('GIVEN %s %s WHEN requested THEN 404 NO_SUCH_ROUTE', async (method, path) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api(method, path, method === 'GET' ? undefined : {}), 404, 'NO_SUCH_ROUTE');
    await expectNothingWritten(srv.ts, before);
  });

  it.each([['/v1/l2-cluster-attachments/x'], ['/v1/ip-addresses/x'], ['/v1/network-service-attachments/x']])(
    'GIVEN PATCH %s (a type that is replaced, never updated) WHEN requested THEN 405 METHOD_NOT_ALLOWED',
    async (path) => {
      const before = await snapshot(srv.ts);
      expectApiError(await srv.ts.api('PATCH', path, {}), 405, 'METHOD_NOT_ALLOWED');
      await expectNothingWritten(srv.ts, before);
    },
  );

  it('GIVEN usedFor with the reserved VmNic: prefix WHEN an IP is allocated THEN 400 at usedFor and nothing is written', async () => {
    const net = await srv.fx.network({ vlan: 702, cidr: '10.143.0.0/24', range: ['10.143.0.10', '10.143.0.20'] });
    const before = await snapshot(srv.ts);
    const detail = expectApiError(await srv.ts.api('POST', '/v1/ip-addresses', { l3NetworkUuid: net.l3.uuid, usedFor: 'VmNic:spoofed' }), 400, 'VALIDATION_FAILED', { path: 'usedFor' });
    expect(detail.message).toMatch(/reserved/);
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN an unknown route outside /v1 without a token THEN 404 NO_SUCH_ROUTE', async () => {
    expectApiError(await srv.ts.raw('GET', '/nope'), 404, 'NO_SUCH_ROUTE');
  });
});

describe('hostile encodings (each answered 500 before)', () => {
  const auth = () => ({ authorization: `Bearer ${srv.ts.token}` });

  it.each(['/v1/zones/%ZZ', '/v1/l3-networks/%E0%A4%A', '/v1/hosts/%'])('GIVEN bad percent-encoding in %s WHEN requested THEN 400 MALFORMED_URL', async (path) => {
    expectApiError(await srv.ts.raw('GET', path, undefined, auth()), 400, 'MALFORMED_URL', { path: 'url' });
  });

  it.each([
    ['a filter', 'GET', '/v1/zones?name=%00', undefined],
    ['a path uuid', 'GET', '/v1/zones/a%00b', undefined],
    ['a path uuid of a delete', 'DELETE', '/v1/zones/%00', undefined],
  ])('GIVEN a NUL byte in %s WHEN requested THEN 400 INVALID_CHARACTER', async (_what, method, path) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.raw(method, path, undefined, auth()), 400, 'INVALID_CHARACTER', { path: 'url' });
    await expectNothingWritten(srv.ts, before);
  });

  it.each([
    ['a uuid field', { name: uniqueName('r'), l3NetworkUuid: 'x\u0000', startIp: '10.0.0.1', endIp: '10.0.0.2' }, '/v1/ip-ranges', 'l3NetworkUuid'],
    ['a nested field', { name: uniqueName('l3'), l2NetworkUuid: MISSING, cidr: '10.0.0.0/24', hostRoutes: [{ prefix: '10.1.0.0/16', nextHop: '10.0.0.\u00009' }] }, '/v1/l3-networks', 'hostRoutes[0].nextHop'],
  ])('GIVEN a NUL byte in %s of a body WHEN POSTed THEN 400 INVALID_CHARACTER at its path', async (_what, body, path, at) => {
    const before = await snapshot(srv.ts);
    expectApiError(await post(path, JSON.stringify(body)), 400, 'INVALID_CHARACTER', { path: at });
    await expectNothingWritten(srv.ts, before);
  });

  it.each(['gzip', 'deflate', 'br'])('GIVEN Content-Encoding %s over bytes that do not decompress WHEN POSTed THEN 400 MALFORMED_BODY_ENCODING', async (encoding) => {
    const before = await snapshot(srv.ts);
    expectApiError(await post('/v1/zones', 'not compressed at all', { 'content-encoding': encoding }), 400, 'MALFORMED_BODY_ENCODING');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN attributes nested 5,000 levels deep WHEN validated THEN 400 NESTING_TOO_DEEP at the change', async () => {
    const deep = `{"changes":[{"action":"create","type":"zone","attributes":{"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}]}`;
    expectApiError(await post('/v1/validate', deep), 400, 'NESTING_TOO_DEEP', { path: 'changes[0].attributes' });
  });

  it('GIVEN a chain of 10,000 $refs WHEN validated THEN 400 REF_CHAIN_TOO_LONG', async () => {
    const changes = Array.from({ length: 10_000 }, (_, i) => ({ id: `c${i}`, action: 'create', type: 'zone', attributes: { name: i ? { $ref: `c${i - 1}` } : 'z' } }));
    expectApiError(await post('/v1/validate', JSON.stringify({ changes })), 400, 'REF_CHAIN_TOO_LONG');
  });

  it('GIVEN a cycle of $refs WHEN validated THEN each change is reported as depending on a failed change, not a crash', async () => {
    const res = await post('/v1/validate', JSON.stringify({ changes: [
      { id: 'a', action: 'create', type: 'zone', attributes: { name: { $ref: 'b' } } },
      { id: 'b', action: 'create', type: 'zone', attributes: { name: { $ref: 'a' } } },
    ] }));
    expectStatus(res, 200);
    expect(res.body.valid).toBe(false);
  });

  it('GIVEN a simulator host id of 8 kB WHEN configured THEN 400 at hostUuid and nothing is kept', async () => {
    const before = (await srv.ts.api('GET', '/v1/simulator/hosts')).body.length;
    expectApiError(await srv.ts.api('PATCH', `/v1/simulator/hosts/${'h'.repeat(8192)}`, { latencyMs: 1 }), 400, 'INVALID_SIMULATOR_CONFIG', { path: 'hostUuid' });
    expect((await srv.ts.api('GET', '/v1/simulator/hosts')).body.length).toBe(before);
  });
});

describe('management addresses', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.5', 'multicast'],
    ['::', 'unspecified'],
    ['ff02::1', 'multicast'],
    ['250.1.2.3', 'class E'],
  ])('GIVEN management IP %s (%s) WHEN a host is created THEN 400 UNUSABLE_MANAGEMENT_IP and nothing is written', async (managementIp) => {
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/hosts', { name: uniqueName('h'), clusterUuid: cluster.uuid, managementIp }), 400, 'UNUSABLE_MANAGEMENT_IP', { path: 'managementIp' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a host at 10.33.0.11 WHEN another registers ::ffff:10.33.0.11 THEN 409 MANAGEMENT_IP_CONFLICT; an IPv4-mapped address alone is stored as IPv4', async () => {
    const first = await srv.fx.create('hosts', { name: uniqueName('h'), clusterUuid: cluster.uuid, managementIp: '10.33.0.11' });
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/hosts', { name: uniqueName('h'), clusterUuid: cluster.uuid, managementIp: '::ffff:10.33.0.11' }), 409, 'MANAGEMENT_IP_CONFLICT', {
      conflicting: { type: 'Host', uuid: first.uuid, name: first.name },
    });
    await expectNothingWritten(srv.ts, before);
    const mapped = await srv.fx.create('hosts', { name: uniqueName('h'), clusterUuid: cluster.uuid, managementIp: '::FFFF:a21:c' });
    expect(mapped.managementIp).toBe('10.33.0.12');
  });
});
