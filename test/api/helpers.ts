/**
 * Shared pieces of the API suite: one real server per test file, builders that create
 * objects over HTTP with unique names, error assertions and "nothing was written" snapshots.
 */
import { randomBytes } from 'node:crypto';
import { startTestServer, type ApiResponse, type TestServer } from '../helpers/server';
import { OBJECT_TYPES, OBJECTS } from '../../contract';
import type { ServerConfig } from '../../server/config';
import type { SimulatorDevice, SimulatorHostState } from '../../server/hypervisors/simulator/state';

export type { ApiResponse, TestServer };

/** Every collection the API serves, by URL segment under /v1 (the catalog's paths). */
export const COLLECTIONS: readonly string[] = OBJECT_TYPES.map((type) => OBJECTS[type].path);
/** A URL segment under /v1; checked against COLLECTIONS where a helper takes one, so a typo fails the test. */
export type Collection = string;

function collection(c: Collection): Collection {
  if (!COLLECTIONS.includes(c)) throw new Error(`${JSON.stringify(c)} is no collection of the API (${COLLECTIONS.join(', ')})`);
  return c;
}

/**
 * Starts one server for the whole file (beforeAll) and stops it (afterAll).
 * Use as `const srv = useServer(); ... srv.ts.api(...)`.
 */
export function useServer(overrides: Partial<ServerConfig> = {}): { readonly ts: TestServer; readonly fx: Fixtures } {
  let ts: TestServer | undefined;
  let fx: Fixtures | undefined;
  beforeAll(async () => {
    ts = await startTestServer(overrides);
    fx = new Fixtures(ts);
  });
  afterAll(async () => {
    await ts?.stop();
  });
  return {
    get ts() {
      if (!ts) throw new Error('server not started');
      return ts;
    },
    get fx() {
      if (!fx) throw new Error('server not started');
      return fx;
    },
  };
}

let counter = 0;
const run = randomBytes(3).toString('hex');
/** A name no other test (in this process) uses. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${run}-${counter}`;
}

let ipCounter = 0;
/** A management IP no other host (in this process) has. */
export function uniqueManagementIp(): string {
  ipCounter++;
  return `172.16.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

/** Fails with the response body when the status is not the expected one, so failures explain themselves. */
export function expectStatus(res: ApiResponse, status: number): void {
  if (res.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body, null, 2)}`);
  }
}

export interface ExpectedDetail {
  path?: string;
  code?: string;
  conflicting?: { type: string; uuid?: string; name?: string };
  /** Substrings the detail message must contain. */
  message?: string[];
}

export interface ErrorDetailBody {
  path: string;
  message: string;
  code?: string;
  conflicting?: { type: string; uuid?: string; name?: string };
}

/**
 * Asserts the API error format `{ error: { code, message, details } }` with this status and
 * code, and that one detail matches `detail` (when given). Returns the matching detail.
 */
export function expectApiError(res: ApiResponse, status: number, code: string, detail?: ExpectedDetail): ErrorDetailBody {
  expectStatus(res, status);
  expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } });
  expect(res.body.error.code).toBe(code);
  const details: ErrorDetailBody[] = res.body.error.details;
  if (!detail) return details[0];
  const match = details.find(
    (d) =>
      (detail.path === undefined || d.path === detail.path) &&
      (detail.code === undefined || d.code === detail.code) &&
      (detail.conflicting === undefined || (d.conflicting !== undefined && matches(d.conflicting, detail.conflicting))) &&
      (detail.message ?? []).every((m) => d.message.includes(m)),
  );
  if (!match) throw new Error(`no error detail matching ${JSON.stringify(detail)} in ${JSON.stringify(res.body.error, null, 2)}`);
  return match;
}

/** Exactly these keys and values: extra keys (e.g. leaked ORM internals) don't match. */
function matches(actual: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  const keys = Object.keys(actual);
  return keys.length === Object.keys(expected).length && keys.every((k) => actual[k] === expected[k]);
}

/** Every collection plus the simulator's hosts (devices) and applied services. */
export async function snapshot(ts: TestServer): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const paths = [...COLLECTIONS.map((c) => `/v1/${c}`), '/v1/simulator/hosts', '/v1/simulator/services'];
  const responses = await Promise.all(paths.map((p) => ts.api('GET', p)));
  paths.forEach((p, i) => {
    expectStatus(responses[i], 200);
    out[p] = responses[i].body;
  });
  // The simulator learns a host's name when an operation first reaches it; what matters is devices.
  out['/v1/simulator/hosts'] = simulatorDevices(out['/v1/simulator/hosts'] as SimulatorHostState[]);
  return out;
}

/** Devices per simulator host, for hosts that have any. */
export function simulatorDevices(hosts: SimulatorHostState[]): Array<{ hostUuid: string; devices: SimulatorDevice[] }> {
  return hosts.filter((h) => h.devices.length > 0).map((h) => ({ hostUuid: h.hostUuid, devices: h.devices }));
}

/** Asserts nothing at all changed since `before` (rows, timestamps, simulator devices). */
export async function expectNothingWritten(ts: TestServer, before: Record<string, unknown>): Promise<void> {
  expect(await snapshot(ts)).toEqual(before);
}

export async function list<T = any>(ts: TestServer, c: Collection, query: Record<string, string> = {}): Promise<T[]> {
  const qs = new URLSearchParams(query).toString();
  const res = await ts.api('GET', `/v1/${collection(c)}${qs ? `?${qs}` : ''}`);
  expectStatus(res, 200);
  return res.body as T[];
}

export async function devicesOf(ts: TestServer, hostUuid: string): Promise<SimulatorDevice[]> {
  const res = await ts.api('GET', `/v1/simulator/hosts/${hostUuid}`);
  expectStatus(res, 200);
  return (res.body as SimulatorHostState).devices;
}

/** Device names on a host, owned by one L2 network (bridges, VLAN/VXLAN devices). */
export async function l2DevicesOn(ts: TestServer, hostUuid: string, l2Uuid: string): Promise<string[]> {
  return (await devicesOf(ts, hostUuid)).filter((d) => d.type !== 'vmNic' && d.l2NetworkUuid === l2Uuid).map((d) => d.name);
}

export interface L2Options {
  type?: 'L2NoVlanNetwork' | 'L2VlanNetwork' | 'L2VxlanNetwork';
  physicalInterface?: string;
  vlan?: number | null;
  vni?: number | null;
  name?: string;
  description?: string;
}

/** Creates objects over HTTP; each create asserts 201 and returns the stored inventory. */
export class Fixtures {
  constructor(readonly ts: TestServer) {}

  async create<T = any>(c: Collection, body: Record<string, unknown>): Promise<T> {
    const res = await this.ts.api('POST', `/v1/${collection(c)}`, body);
    expectStatus(res, 201);
    return res.body as T;
  }

  zone(extra: Record<string, unknown> = {}) {
    return this.create('zones', { name: uniqueName('zone'), ...extra });
  }

  cluster(zoneUuid: string, extra: Record<string, unknown> = {}) {
    return this.create('clusters', { name: uniqueName('cluster'), zoneUuid, hypervisorType: 'Simulator', ...extra });
  }

  host(clusterUuid: string, extra: Record<string, unknown> = {}) {
    return this.create('hosts', { name: uniqueName('host'), clusterUuid, managementIp: uniqueManagementIp(), ...extra });
  }

  async hosts(clusterUuid: string, count: number, extra: Record<string, unknown> = {}) {
    const out = [];
    for (let i = 0; i < count; i++) out.push(await this.host(clusterUuid, extra));
    return out;
  }

  l2(zoneUuid: string, o: L2Options = {}) {
    const type = o.type ?? 'L2NoVlanNetwork';
    const body: Record<string, unknown> = { name: o.name ?? uniqueName('l2'), zoneUuid, type, physicalInterface: o.physicalInterface ?? 'eth0' };
    if (o.vlan !== undefined) body.vlan = o.vlan;
    if (o.vni !== undefined) body.vni = o.vni;
    if (o.description !== undefined) body.description = o.description;
    return this.create('l2-networks', body);
  }

  vlan(zoneUuid: string, vlan: number, physicalInterface = 'eth0') {
    return this.l2(zoneUuid, { type: 'L2VlanNetwork', vlan, physicalInterface });
  }

  attach(l2NetworkUuid: string, clusterUuid: string) {
    return this.create('l2-cluster-attachments', { l2NetworkUuid, clusterUuid });
  }

  l3(l2NetworkUuid: string, cidr: string, extra: Record<string, unknown> = {}) {
    return this.create('l3-networks', { name: uniqueName('l3'), l2NetworkUuid, cidr, ...extra });
  }

  range(l3NetworkUuid: string, startIp: string, endIp: string, extra: Record<string, unknown> = {}) {
    return this.create('ip-ranges', { name: uniqueName('range'), l3NetworkUuid, startIp, endIp, ...extra });
  }

  vm(l3NetworkUuids: string[], extra: Record<string, unknown> = {}) {
    return this.create('vm-instances', { name: uniqueName('vm'), l3NetworkUuids, ...extra });
  }

  /**
   * A zone, a Simulator cluster with `hosts` Connected hosts, a VLAN L2 attached to it, an
   * L3 on `cidr` (gateway .1) and one IP range (default .10-.200 of a /24).
   */
  async network(o: { hosts?: number; vlan?: number; cidr?: string; range?: [string, string] } = {}) {
    const zone = await this.zone();
    const cluster = await this.cluster(zone.uuid);
    const hosts = await this.hosts(cluster.uuid, o.hosts ?? 1);
    const l2 = await this.vlan(zone.uuid, o.vlan ?? 100);
    const attachment = await this.attach(l2.uuid, cluster.uuid);
    const l3 = await this.l3(l2.uuid, o.cidr ?? '10.10.0.0/24');
    const [start, end] = o.range ?? ['10.10.0.10', '10.10.0.200'];
    const range = await this.range(l3.uuid, start, end);
    return { zone, cluster, hosts, l2, attachment, l3, range };
  }

  /** Looks up the built-in provider of that name (vrouter, flat, securitygroup). */
  async builtinProvider(name: 'vrouter' | 'flat' | 'securitygroup') {
    const [p] = await list(this.ts, 'network-service-providers', { name });
    if (!p) throw new Error(`built-in provider ${name} missing`);
    return p;
  }
}

/** Converts dotted-quad IPv4 to a number, for range assertions. */
export function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  expect(parts).toHaveLength(4);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function inRange(ip: string, start: string, end: string): boolean {
  const v = ipv4ToNumber(ip);
  return v >= ipv4ToNumber(start) && v <= ipv4ToNumber(end);
}
