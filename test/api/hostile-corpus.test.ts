/**
 * A hostile client against every route the OpenAPI document lists: malformed URLs and
 * percent-encodings, NUL bytes in paths, filters and bodies, every body field replaced by a
 * value its schema refuses (wrong types, over-long strings, out-of-range and fractional
 * numbers, oversized arrays), unknown fields, bad and unsupported Content-Encodings, wrong
 * content types, oversized bodies, deep nesting and long $ref chains, and conflicting writes
 * against a populated topology. Nothing may answer 500, every refusal uses the error format,
 * and no refused request changes the database or a (simulated) host.
 */
import zlib from 'node:zlib';
import { expectStatus, snapshot, uniqueManagementIp, uniqueName, useServer, type ApiResponse, list } from './helpers';

jest.setTimeout(300_000);

const srv = useServer();

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  maxLength?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  enum?: unknown[];
  anyOf?: Schema[];
  $ref?: string;
}

interface Probe {
  label: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** A well-formed request the route may accept (e.g. configuring a simulated host before it exists). */
  mayAccept?: boolean;
}

/** Values the schema of one field refuses, whatever the rest of the body. */
function refusedValues(schema: Schema): unknown[] {
  const out: unknown[] = [{ nested: 'object' }];
  if (schema.anyOf) return [...out, 123, true, 'none-of-the-alternatives', [123]];
  if (!schema.nullable) out.push(null);
  switch (schema.type) {
    case 'string':
      out.push(123, true, [], 'x'.repeat((schema.maxLength ?? 4096) + 1), 'a\u0000b', '\u0000');
      if (schema.enum) out.push('NotAnEnumValue', String(schema.enum[0]).toLowerCase() + '!');
      break;
    case 'integer':
    case 'number':
      out.push(1.5, '7', 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, true, []);
      if (schema.minimum !== undefined) out.push(schema.minimum - 1);
      if (schema.maximum !== undefined) out.push(schema.maximum + 1);
      break;
    case 'array':
      out.push('not-an-array', 7, [123], [null], Array.from({ length: (schema.maxItems ?? 1000) + 1 }, () => 'x'), ['\u0000']);
      break;
    case 'boolean':
      out.push('true', 0);
      break;
    case 'object':
      out.push('not-an-object', [], { unknownField: 1 });
      break;
    default:
      break;
  }
  return out;
}

function resolve(doc: { components: { schemas: Record<string, Schema> } }, s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  return doc.components.schemas[s.$ref.split('/').pop()!];
}

const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

describe('a hostile corpus over every route', () => {
  it('GIVEN a populated topology WHEN thousands of malformed and conflicting requests hit every route THEN none answers 500, each refusal is well formed, and nothing changes', async () => {
    const { ts, fx } = srv;
    // A topology to aim at: every object type exists, and most are in use.
    const net = await fx.network({ hosts: 2, vlan: 900, cidr: '10.200.0.0/24', range: ['10.200.0.10', '10.200.0.50'] });
    const vrouter = await fx.builtinProvider('vrouter');
    const publicL2 = await fx.l2(net.zone.uuid, { physicalInterface: 'eth2' });
    await fx.attach(publicL2.uuid, net.cluster.uuid);
    const publicL3 = await fx.l3(publicL2.uuid, '203.0.113.0/24');
    await fx.range(publicL3.uuid, '203.0.113.10', '203.0.113.20');
    const services = await fx.create('network-service-attachments', {
      l3NetworkUuid: net.l3.uuid,
      providerUuid: vrouter.uuid,
      services: ['DHCP', 'DNS'],
      publicL3NetworkUuid: publicL3.uuid,
    });
    const [router] = await list(ts, 'virtual-routers', { l3NetworkUuid: net.l3.uuid });
    const vm = await fx.vm([net.l3.uuid]);
    const ip = await fx.create('ip-addresses', { l3NetworkUuid: net.l3.uuid });
    const real: Record<string, string> = {
      zones: net.zone.uuid,
      clusters: net.cluster.uuid,
      hosts: net.hosts[0].uuid,
      'l2-networks': net.l2.uuid,
      'l2-cluster-attachments': net.attachment.uuid,
      'l3-networks': net.l3.uuid,
      'ip-ranges': net.range.uuid,
      'network-service-providers': vrouter.uuid,
      'network-service-attachments': services.uuid,
      'vm-instances': vm.uuid,
      'ip-addresses': ip.uuid,
      'virtual-routers': router.uuid,
    };
    // Valid bodies: each probe breaks exactly one thing in one of them.
    const valid: Record<string, Record<string, unknown>> = {
      '/v1/zones': { name: uniqueName('hz'), description: 'ok' },
      '/v1/clusters': { name: uniqueName('hc'), zoneUuid: net.zone.uuid, hypervisorType: 'Simulator', description: 'ok' },
      '/v1/hosts': { name: uniqueName('hh'), clusterUuid: net.cluster.uuid, managementIp: uniqueManagementIp(), description: 'ok' },
      '/v1/l2-networks': { name: uniqueName('hl2'), zoneUuid: net.zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 901, description: 'ok' },
      '/v1/l2-cluster-attachments': { l2NetworkUuid: net.l2.uuid, clusterUuid: net.cluster.uuid },
      '/v1/l3-networks': {
        name: uniqueName('hl3'),
        l2NetworkUuid: net.l2.uuid,
        cidr: '10.201.0.0/24',
        gateway: '10.201.0.1',
        dnsServers: ['10.201.0.1'],
        dnsDomain: 'h.example',
        hostRoutes: [{ prefix: '10.9.0.0/16', nextHop: '10.201.0.254' }],
        description: 'ok',
      },
      '/v1/ip-ranges': { name: uniqueName('hr'), l3NetworkUuid: net.l3.uuid, startIp: '10.200.0.100', endIp: '10.200.0.110' },
      '/v1/network-service-providers': { name: uniqueName('hp'), type: 'Flat' },
      '/v1/network-service-attachments': { l3NetworkUuid: net.l3.uuid, providerUuid: vrouter.uuid, services: ['SNAT'], publicL3NetworkUuid: publicL3.uuid },
      '/v1/vm-instances': { name: uniqueName('hvm'), l3NetworkUuids: [net.l3.uuid] },
      '/v1/ip-addresses': { l3NetworkUuid: net.l3.uuid, usedFor: 'hostile' },
      '/v1/network-service-providers/{uuid}/l2-networks': { l2NetworkUuid: net.l2.uuid },
      '/v1/zones/{uuid}': { name: net.zone.name, description: 'ok' },
      '/v1/clusters/{uuid}': { name: net.cluster.name, description: 'ok' },
      '/v1/hosts/{uuid}': { name: net.hosts[0].name, description: 'ok', state: 'Connected' },
      '/v1/l2-networks/{uuid}': { name: net.l2.name, description: 'ok' },
      '/v1/l3-networks/{uuid}': { name: net.l3.name, dnsServers: ['10.200.0.1'], dnsDomain: null, hostRoutes: [], description: 'ok' },
      '/v1/ip-ranges/{uuid}': { name: net.range.name },
      '/v1/vm-instances/{uuid}': { name: vm.name },
      '/v1/simulator/hosts/{uuid}': { latencyMs: 0 },
      '/v1/simulator/defaults': { latencyMs: 0 },
      '/v1/validate': { changes: [{ action: 'create', type: 'zone', attributes: { name: uniqueName('hv') } }] },
    };

    const docRes = await ts.api('GET', '/v1/openapi.json');
    expectStatus(docRes, 200);
    const doc = docRes.body as { paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: Schema } } }; parameters?: Array<{ name: string; in: string }> }>>; components: { schemas: Record<string, Schema> } };

    const probes: Probe[] = [];
    const headers = json(ts.token);
    const noToken = { 'content-type': 'application/json' };
    const badSegments = ['%ZZ', '%E0%A4%A', '%00', 'a%00b', '%C0%AF', 'x'.repeat(4000), '..%2F..%2Fetc', '%2e%2e', '%E2%80%AE', '00000000-0000-4000-8000-000000000000', '%20', "'%20OR%201=1--", '-1', '%', '%%', '%FF', '%u0000', 'null', '%EF%BC%A1%EF%BC%A2', '%F0%9F%98%80', '%3Cscript%3E', '%0d%0aX-Injected:%201'];
    for (const [template, methods] of Object.entries(doc.paths)) {
      if (!template.startsWith('/v1/')) continue;
      const collection = template.split('/')[2];
      const fill = (p: string, value: string) => p.replace(/\{uuid\}/g, value).replace(/\{l2NetworkUuid\}/g, value);
      const realPath = fill(template, template.includes('/simulator/') ? net.hosts[0].uuid : (real[collection] ?? net.zone.uuid));
      for (const [method, op] of Object.entries(methods)) {
        const M = method.toUpperCase();
        const base = valid[template];
        // Credentials: none, wrong, malformed, or in the query string (refused, and never logged).
        for (const [what, h, q] of [
          ['no token', noToken, ''],
          ['a wrong token', { ...noToken, authorization: 'Bearer wrong' }, ''],
          ['a Basic header', { ...noToken, authorization: 'Basic dXNlcjpwYXNz' }, ''],
          ['a token in the query', noToken, `?token=${ts.token}`],
        ] as const) {
          probes.push({ label: `${M} ${template} with ${what}`, method: M, path: realPath + q, body: base && M !== 'GET' ? JSON.stringify(base) : undefined, headers: h });
        }
        const bodySchema = resolve(doc, op.requestBody?.content['application/json'].schema);
        // Malformed path parameters.
        if (template.includes('{')) {
          for (const bad of badSegments) {
            probes.push({
              label: `${M} ${template} param ${bad.slice(0, 20)}`,
              method: M,
              path: fill(template, bad),
              body: base && M !== 'GET' ? JSON.stringify(base) : undefined,
              headers,
              // The simulator may be configured for a host before the host exists.
              mayAccept: template.startsWith('/v1/simulator/') && /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(bad),
            });
          }
        }
        // Filters and query strings.
        if (M === 'GET') {
          for (const q of ['?unknownFilter=1', '?name=%00', '?name=a&name=b', '?name=%ZZ', `?name=${'x'.repeat(5000)}`, '?%00=1', '?name[]=1', '?name[a]=b', '?name=%FF', '?=', '?&&&', '?__proto__=1', '?constructor=x']) {
            probes.push({ label: `GET ${template}${q.slice(0, 24)}`, method: M, path: realPath + q, headers });
          }
        }
        if (!base || !bodySchema) continue;
        // Every field replaced by a value its schema refuses; every required field left out; unknown fields.
        for (const [field, fieldSchema] of Object.entries(bodySchema.properties ?? {})) {
          const fs = resolve(doc, fieldSchema) ?? {};
          // Tiny values: empty and blank strings where a value is required.
          const tiny = fs.type === 'string' && (bodySchema.required ?? []).includes(field) ? ['', '   ', '\t'] : [];
          for (const v of [...refusedValues(fs), ...tiny]) {
            probes.push({ label: `${M} ${template} ${field}=${JSON.stringify(v)?.slice(0, 30)}`, method: M, path: realPath, body: JSON.stringify({ ...base, [field]: v }), headers });
          }
        }
        for (const field of bodySchema.required ?? []) {
          const { [field]: _dropped, ...rest } = base;
          void _dropped;
          probes.push({ label: `${M} ${template} without ${field}`, method: M, path: realPath, body: JSON.stringify(rest), headers });
        }
        probes.push({ label: `${M} ${template} unknown field`, method: M, path: realPath, body: JSON.stringify({ ...base, __proto__x: 1, constructor: 'x' }), headers });
        probes.push({ label: `${M} ${template} NUL in a key`, method: M, path: realPath, body: JSON.stringify({ ...base, 'a\u0000': 1 }), headers });
        // Whole bodies that are not what the route takes.
        const everythingOptional = (bodySchema.required ?? []).length === 0;
        const bodyVariants: Array<[string, string | Buffer, Record<string, string>]> = [
          ['malformed JSON', '{"name": ', headers],
          ['a JSON array', '[]', headers],
          ['JSON null', 'null', headers],
          ['a JSON number', '7', headers],
          // An empty body is an empty object: a valid no-op patch where every field is optional.
          ...(everythingOptional ? [] : ([['empty', '', headers]] as Array<[string, string, Record<string, string>]>)),
          ['text/plain', JSON.stringify({ ...base, extra: 1 }), { ...headers, 'content-type': 'text/plain' }],
          ['latin7 charset', JSON.stringify(base), { ...headers, 'content-type': 'application/json; charset=latin7' }],
          ['2 MB', JSON.stringify({ ...base, pad: 'x'.repeat(2 * 1024 * 1024) }), headers],
          ['garbage gzip', Buffer.from('definitely not gzip'), { ...headers, 'content-encoding': 'gzip' }],
          ['garbage deflate', Buffer.from('definitely not deflate'), { ...headers, 'content-encoding': 'deflate' }],
          ['garbage br', Buffer.from('definitely not brotli'), { ...headers, 'content-encoding': 'br' }],
          ['truncated gzip', zlib.gzipSync(JSON.stringify(base)).subarray(0, 12), { ...headers, 'content-encoding': 'gzip' }],
          ['gzip bomb of an invalid body', zlib.gzipSync(JSON.stringify({ ...base, pad: 'x'.repeat(8 * 1024 * 1024) })), { ...headers, 'content-encoding': 'gzip' }],
          ['unsupported encoding', Buffer.from(JSON.stringify(base)), { ...headers, 'content-encoding': 'compress' }],
          ['stacked encodings', Buffer.from(JSON.stringify(base)), { ...headers, 'content-encoding': 'gzip, br' }],
          ['deep nesting', `{"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, headers],
          ['deep arrays', `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`, headers],
        ];
        for (const [what, body, h] of bodyVariants) probes.push({ label: `${M} ${template} ${what}`, method: M, path: realPath, body, headers: h });
      }
    }
    // Methods no route takes.
    for (const template of Object.keys(doc.paths)) {
      for (const M of ['PUT', 'OPTIONS', 'HEAD']) probes.push({ label: `${M} ${template}`, method: M, path: template.replace(/\{[^}]+\}/g, net.zone.uuid), headers });
    }
    // Batches built to hurt: nesting, long $ref chains, cycles, size.
    const change = (i: number, attributes: Record<string, unknown>) => ({ id: `c${i}`, action: 'create', type: 'l3Network', attributes });
    const validate = (changes: unknown[], label: string) => probes.push({ label, method: 'POST', path: '/v1/validate', body: JSON.stringify({ changes }), headers });
    // Small changes, so the 10,000 of them stay under the 1 MB body limit and reach the chain bound.
    validate(Array.from({ length: 10_000 }, (_, i) => ({ id: `${i}`, action: 'create', type: 'zone', attributes: { name: i ? { $ref: `${i - 1}` } : 'z' } })), 'validate: a $ref chain of 10,000');
    validate(Array.from({ length: 10_001 }, (_, i) => change(i, {})), 'validate: 10,001 changes');
    validate([change(0, { x: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) })], 'validate: attributes 200 deep');
    validate([{ action: 'create', type: 'zone', attributes: { name: { $ref: { $ref: 'x' } } } }], 'validate: a $ref that is an object');
    validate([{ action: 'delete', type: 'zone', uuid: 'a'.repeat(65) }], 'validate: an over-long uuid');
    validate([{ action: 'create', type: 'zone', attributes: [] }], 'validate: attributes as an array');
    // Conflicting writes against the topology: each is refused and must leave no trace.
    const conflicts: Array<[string, string, unknown?]> = [
      ['DELETE', `/v1/zones/${net.zone.uuid}`],
      ['DELETE', `/v1/clusters/${net.cluster.uuid}`],
      ['DELETE', `/v1/hosts/${vm.hostUuid}`],
      ['DELETE', `/v1/l2-networks/${net.l2.uuid}`],
      ['DELETE', `/v1/l2-cluster-attachments/${net.attachment.uuid}`],
      ['DELETE', `/v1/l3-networks/${net.l3.uuid}`],
      ['DELETE', `/v1/ip-ranges/${net.range.uuid}`],
      ['DELETE', `/v1/network-service-providers/${vrouter.uuid}`],
      ['DELETE', `/v1/ip-addresses/${vm.nics[0] ? (await ts.api('GET', `/v1/ip-addresses?ip=${vm.nics[0].ip}`)).body[0].uuid : ip.uuid}`],
      ['POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: net.l2.uuid, clusterUuid: net.cluster.uuid }],
      ['POST', '/v1/ip-ranges', { name: uniqueName('hr'), l3NetworkUuid: net.l3.uuid, startIp: '10.200.0.40', endIp: '10.200.0.60' }],
      ['POST', '/v1/hosts', { name: uniqueName('hh'), clusterUuid: net.cluster.uuid, managementIp: net.hosts[0].managementIp }],
      ['POST', '/v1/network-service-attachments', { l3NetworkUuid: net.l3.uuid, providerUuid: vrouter.uuid, services: ['DHCP'] }],
      ['POST', '/v1/ip-addresses', { l3NetworkUuid: net.l3.uuid, ip: vm.nics[0].ip }],
      ['PATCH', `/v1/l2-cluster-attachments/${net.attachment.uuid}`, {}],
    ];
    for (const [method, path, body] of conflicts) probes.push({ label: `${method} ${path} (conflict)`, method, path, body: body === undefined ? undefined : JSON.stringify(body), headers });

    const before = await snapshot(ts);
    const failures: string[] = [];
    let refused = 0;
    for (const p of probes) {
      let res: ApiResponse;
      try {
        res = await ts.raw(p.method, p.path, p.body, p.headers);
      } catch (err) {
        failures.push(`${p.label}: the request failed: ${(err as Error).message}`);
        continue;
      }
      if (res.status >= 500) failures.push(`${p.label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else if (res.status >= 400 && p.method === 'HEAD') refused++; // no body to check
      else if (res.status >= 400) {
        refused++;
        const e = (res.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
        if (typeof e?.code !== 'string' || typeof e.message !== 'string' || !Array.isArray(e.details)) failures.push(`${p.label}: ${res.status} without the error format: ${JSON.stringify(res.body).slice(0, 200)}`);
      } else if (!['GET', 'HEAD', 'OPTIONS'].includes(p.method) && !p.mayAccept && !(p.method === 'POST' && p.path === '/v1/validate')) {
        failures.push(`${p.label}: a hostile write was accepted (${res.status})`);
      }
    }
    expect(failures).toEqual([]);
    expect(probes.length).toBeGreaterThan(2300);
    expect(refused).toBeGreaterThan(2000);
    // Not one of them changed a row or a device.
    expect(await snapshot(ts)).toEqual(before);
  });
});
