/**
 * GET /v1/openapi.json: an OpenAPI 3 document that lists every route the server serves
 * (and only those), with the bearer scheme, request schemas that resolve, and the error format.
 */
import { expectStatus, useServer } from './helpers';

const srv = useServer();
const MISSING = '00000000-0000-4000-8000-00000000cafe';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The collections the API serves: spelled out here, not read from the catalog, so a lost route fails this test. */
const COLLECTIONS = [
  'zones',
  'clusters',
  'hosts',
  'l2-networks',
  'l2-cluster-attachments',
  'l3-networks',
  'ip-ranges',
  'network-service-providers',
  'network-service-attachments',
  'vm-instances',
  'ip-addresses',
  'virtual-routers',
  'vips',
  'eips',
  'port-forwarding-rules',
  'security-groups',
  'security-group-rules',
  'security-group-attachments',
];

/** Made by the server: read-only. */
const READ_ONLY = new Set(['virtual-routers']);
/** Collections whose objects can be changed in place (PATCH). */
const UPDATABLE = new Set(['zones', 'clusters', 'hosts', 'l2-networks', 'l3-networks', 'ip-ranges', 'vm-instances', 'vips', 'eips', 'port-forwarding-rules', 'security-groups']);

let doc: any;
beforeAll(async () => {
  const res = await srv.ts.api('GET', '/v1/openapi.json');
  expectStatus(res, 200);
  doc = res.body;
});

function operations(): Array<[string, string, any]> {
  return Object.entries<any>(doc.paths).flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => [p, m, item[m]] as [string, string, any]));
}

describe('the OpenAPI document', () => {
  it('GIVEN the document THEN it is OpenAPI 3 with info, servers and a bearer security scheme', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toEqual({ title: expect.any(String), version: '0.1.0' });
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('GIVEN every collection THEN list/create, get/delete and (where updatable) patch are documented', () => {
    const expected = new Map<string, string[]>();
    for (const c of COLLECTIONS) {
      if (READ_ONLY.has(c)) {
        expected.set(`/v1/${c}`, ['get']);
        expected.set(`/v1/${c}/{uuid}`, ['get']);
        continue;
      }
      expected.set(`/v1/${c}`, ['get', 'post']);
      expected.set(`/v1/${c}/{uuid}`, UPDATABLE.has(c) ? ['get', 'patch', 'delete'] : ['get', 'delete']);
    }
    for (const [p, methods] of expected) {
      expect({ path: p, methods: METHODS.filter((m) => doc.paths[p]?.[m]) }).toEqual({ path: p, methods });
    }
  });

  it('GIVEN the non-CRUD routes THEN validate, batch read, provider-L2 association, simulator, openapi.json, identity and healthz are documented', () => {
    const expected: Record<string, string[]> = {
      '/v1/validate': ['post'],
      '/v1/batch-read': ['post'],
      '/v1/overview': ['get'],
      '/ui': ['get'],
      '/v1/network-service-providers/{uuid}/l2-networks': ['post'],
      '/v1/network-service-providers/{uuid}/l2-networks/{l2NetworkUuid}': ['delete'],
      '/v1/simulator/hosts': ['get'],
      '/v1/simulator/hosts/{uuid}': ['get', 'patch'],
      '/v1/simulator/hosts/{uuid}/ops': ['get'],
      '/v1/simulator/defaults': ['get', 'patch'],
      '/v1/simulator/services': ['get'],
      '/v1/service-endpoints': ['get'],
      '/v1/openapi.json': ['get'],
      '/v1/identity': ['get'],
      '/healthz': ['get'],
    };
    for (const [p, methods] of Object.entries(expected)) {
      expect({ path: p, methods: METHODS.filter((m) => doc.paths[p]?.[m]) }).toEqual({ path: p, methods });
    }
    expect(Object.keys(doc.paths)).toHaveLength(COLLECTIONS.length * 2 + Object.keys(expected).length);
  });

  it('GIVEN every documented operation WHEN called on the server THEN the route exists (never NO_SUCH_ROUTE)', async () => {
    for (const [p, method] of operations()) {
      const url = p.replace(/\{[^}]+\}/g, MISSING);
      const res = await srv.ts.api(method.toUpperCase(), url, method === 'get' || method === 'delete' ? undefined : {});
      expect({ route: `${method} ${p}`, code: res.body?.error?.code }).not.toEqual({ route: `${method} ${p}`, code: 'NO_SUCH_ROUTE' });
      expect(res.status).toBeLessThan(500);
    }
  });

  it('GIVEN every /v1 operation THEN it requires the bearer token and documents 400, 401, 404 and 409 with the Error schema', () => {
    for (const [p, method, op] of operations()) {
      if (!p.startsWith('/v1/')) continue;
      expect({ op: `${method} ${p}`, security: op.security }).toEqual({ op: `${method} ${p}`, security: [{ bearer: [] }] });
      for (const status of ['400', '401', '404', '409']) {
        expect(op.responses[status]?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
      const ok = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect(ok).toHaveLength(1);
    }
    expect(doc.paths['/healthz'].get.security).toEqual([]);
  });

  it('GIVEN every path parameter in a path THEN the operation declares it as a required path parameter', () => {
    for (const [p, method, op] of operations()) {
      const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((x: any) => x.in === 'path').map((x: any) => [x.name, x.required]);
      expect({ op: `${method} ${p}`, declared: declared.sort() }).toEqual({ op: `${method} ${p}`, declared: names.map((n) => [n, true]).sort() });
    }
  });

  it('GIVEN the list operations THEN their query parameters are exactly the server\'s filters', async () => {
    const filters = doc.paths['/v1/l2-networks'].get.parameters.filter((x: any) => x.in === 'query').map((x: any) => x.name);
    expect(filters.sort()).toEqual(['name', 'physicalInterface', 'type', 'zoneUuid']);
    for (const f of filters) expectStatus(await srv.ts.api('GET', `/v1/l2-networks?${f}=x`), 200);
  });

  it('GIVEN every $ref in the document THEN it resolves to a component', () => {
    const refs = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.add(x);
          else walk(x);
        }
      }
    };
    walk(doc.paths);
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) {
      const [, , section, name] = ref.split('/');
      expect({ ref, found: Boolean(doc.components[section]?.[name]) }).toEqual({ ref, found: true });
    }
  });

  it('GIVEN the create schemas THEN they are strict and list the required fields', () => {
    const l2 = doc.components.schemas.CreateL2Network;
    expect(l2.type).toBe('object');
    expect(l2.additionalProperties).toBe(false);
    expect([...l2.required].sort()).toEqual(['name', 'physicalInterface', 'type', 'zoneUuid']);
    expect(l2.properties.type.enum).toEqual(['L2NoVlanNetwork', 'L2VlanNetwork', 'L2VxlanNetwork']);
    expect(doc.components.schemas.CreateNetworkServiceAttachment.properties.services.items.enum).toEqual(['DHCP', 'DNS', 'SNAT', 'EIP', 'PortForwarding', 'SecurityGroup']);
  });

  it('GIVEN the Error schema THEN it documents code, message and details with path, message, code and the conflicting object', () => {
    const error = doc.components.schemas.Error.properties.error;
    expect([...error.required].sort()).toEqual(['code', 'details', 'message']);
    const detail = error.properties.details.items;
    expect(Object.keys(detail.properties).sort()).toEqual(['code', 'conflicting', 'message', 'path']);
    expect(Object.keys(detail.properties.conflicting.properties).sort()).toEqual(['name', 'type', 'uuid']);
  });
});
