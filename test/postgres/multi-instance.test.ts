/**
 * Several `netforge server` processes on one PostgreSQL database (jest project `postgres`):
 *
 * - three started at once on an empty database migrate it once (the migration lock);
 * - 64 clients spread over the three allocate IPs until the range is exhausted: every
 *   address of the range exactly once, none twice, the rest answered 409;
 * - 20 concurrent attaches of conflicting L2 networks (same VLAN and interface, one
 *   cluster) spread over the three: exactly one succeeds;
 * - realization on one host never overlaps across instances (each instance's simulator logs
 *   when its ops on the host start and end), also for an instance that starts meanwhile
 *   and reconciles the host at start-up;
 * - kill -9 of one instance in the middle of VM creations: every acknowledged VM is there
 *   with its NIC and address, and nothing is half written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { VM_NIC_OWNER_PREFIX } from '../../topology/rules/allocation';
import { bundleAgentCli } from '../helpers/netns-lab';
import { freePort } from '../helpers/ports';
import { createTestDatabase, dropTestDatabase, PG_URL_ENV } from '../helpers/postgres';

jest.setTimeout(120_000);

const TOKEN = 'multi-instance-test-token-0123456789abcdef';

interface Instance {
  name: string;
  url: string;
  process: ChildProcess;
  dataDir: string;
  log: string;
}

let cli: string[] = [];
let workDir = '';
let database: { url: string; name: string };
const adminUrl = () => process.env[PG_URL_ENV]!;
const instances: Instance[] = [];

async function call(i: Instance, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${i.url}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function create(i: Instance, collection: string, body: Record<string, unknown>): Promise<any> {
  const res = await call(i, 'POST', `/v1/${collection}`, body);
  if (res.status !== 201) throw new Error(`POST /v1/${collection} on ${i.name} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Starts `netforge server` as its own process on the shared database; resolves once it answers. */
async function startInstance(name: string): Promise<Instance> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(workDir, `${name}-`));
  const tokenFile = path.join(workDir, 'token');
  const log = path.join(dataDir, 'server.log');
  const out = fs.openSync(log, 'a');
  const child = spawn(cli[0], [...cli.slice(1), 'server', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--database', database.url, '--token-file', tokenFile, '--log-level', 'warn'], {
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const instance: Instance = { name, url: `http://127.0.0.1:${port}`, process: child, dataDir, log };
  instances.push(instance);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await call(instance, 'GET', '/v1/zones')).status === 200) return instance;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start: ${fs.readFileSync(log, 'utf8').slice(-2000)}`);
    await sleep(100);
  }
}

async function stopInstance(i: Instance): Promise<void> {
  if (i.process.exitCode === null && i.process.signalCode === null) {
    const exited = new Promise((resolve) => i.process.once('exit', resolve));
    i.process.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000, undefined, { ref: false })]);
    if (i.process.exitCode === null && i.process.signalCode === null) i.process.kill('SIGKILL');
  }
}

async function query<T = any>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  cli = await bundleAgentCli();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-multi-'));
  fs.writeFileSync(path.join(workDir, 'token'), TOKEN, { mode: 0o600 });
  database = await createTestDatabase(adminUrl());
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map(stopInstance));
  if (database) await dropTestDatabase(adminUrl(), database.name);
  if (cli[1]) fs.rmSync(cli[1], { force: true });
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('three netforge servers on one PostgreSQL database', () => {
  let zone: any;
  let cluster: any;
  let host: any;

  it('started at once on an empty database, they migrate it once and all serve', async () => {
    const started = await Promise.all(['a', 'b', 'c'].map(startInstance));
    const applied = await query<{ name: string; n: string }>('SELECT name, count(*) AS n FROM netforge_migrations GROUP BY name ORDER BY name');
    expect(applied.length).toBeGreaterThanOrEqual(5);
    expect(applied.every((m) => m.n === '1')).toBe(true);
    // What one writes, the others read.
    zone = await create(started[0], 'zones', { name: 'multi' });
    cluster = await create(started[1], 'clusters', { name: 'multi-c', zoneUuid: zone.uuid, hypervisorType: 'Simulator' });
    host = await create(started[2], 'hosts', { name: 'multi-h1', clusterUuid: cluster.uuid, managementIp: '172.29.0.11' });
    expect((await call(started[0], 'GET', `/v1/hosts/${host.uuid}`)).body).toMatchObject({ name: 'multi-h1', clusterUuid: cluster.uuid });
  });

  it('64 clients spread over the three allocate IPs until the range is exhausted: each address once, the rest 409', async () => {
    const [a] = instances;
    const l2 = await create(a, 'l2-networks', { name: 'alloc', zoneUuid: zone.uuid, type: 'L2NoVlanNetwork', physicalInterface: 'eth1' });
    const l3 = await create(a, 'l3-networks', { name: 'alloc', l2NetworkUuid: l2.uuid, cidr: '10.90.0.0/23' });
    const range = await create(a, 'ip-ranges', { name: 'alloc', l3NetworkUuid: l3.uuid, startIp: '10.90.0.10', endIp: '10.90.1.53' }); // 300 addresses
    const size = 300;
    const got: string[] = [];
    const refused: number[] = [];
    const other: string[] = [];
    await Promise.all(
      Array.from({ length: 64 }, async (_, c) => {
        const via = instances[c % 3];
        for (;;) {
          const res = await call(via, 'POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid });
          if (res.status === 201) got.push(res.body.ip);
          else if (res.status === 409) {
            refused.push(c);
            return;
          } else {
            other.push(`${res.status} ${JSON.stringify(res.body)}`);
            return;
          }
        }
      }),
    );
    expect(other).toEqual([]);
    expect(got.length).toBe(size);
    expect(new Set(got).size).toBe(size);
    expect(refused.length).toBe(64);
    const [{ n }] = await query<{ n: string }>(`SELECT count(*) AS n FROM allocated_ips WHERE ip_range_uuid = '${range.uuid}'`);
    expect(Number(n)).toBe(size);
  });

  it('20 concurrent attaches of conflicting VLAN networks (same VLAN, same interface, one cluster) over the three: exactly one succeeds', async () => {
    const l2s = [];
    for (let i = 0; i < 20; i++) l2s.push(await create(instances[i % 3], 'l2-networks', { name: `vlan-clash-${i}`, zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 300 }));
    const results = await Promise.all(l2s.map((l2, i) => call(instances[i % 3], 'POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const attached = await query(`SELECT l2_network_uuid FROM l2_cluster_attachments WHERE cluster_uuid = '${cluster.uuid}' AND l2_network_uuid IN (${l2s.map((l) => `'${l.uuid}'`).join(',')})`);
    expect(attached).toHaveLength(1);
  });

  it('realization on one host never overlaps across instances, also with an instance reconciling it at start-up', async () => {
    // Every op on the host takes 200 ms in each instance's simulator.
    for (const i of instances) expect((await call(i, 'PATCH', `/v1/simulator/hosts/${host.uuid}`, { latencyMs: 200 })).status).toBe(200);
    const l2s = [];
    for (let v = 0; v < 9; v++) l2s.push(await create(instances[0], 'l2-networks', { name: `storm-${v}`, zoneUuid: zone.uuid, type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 400 + v }));
    const storm = Promise.all(l2s.map((l2, v) => call(instances[v % 3], 'POST', '/v1/l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid })));
    await sleep(600);
    const late = await startInstance('d'); // reconciles the connected host before it serves
    expect((await storm).map((r) => r.status)).toEqual(Array(9).fill(201));
    const intervals: Array<{ who: string; op: string; start: number; end: number }> = [];
    for (const i of instances.filter((x) => x.process.exitCode === null)) {
      const log = (await call(i, 'GET', `/v1/simulator/hosts/${host.uuid}/ops`)).body as Array<{ op: string; startedAt: string; at: string }>;
      for (const e of log) intervals.push({ who: i.name, op: e.op, start: Date.parse(e.startedAt), end: Date.parse(e.at) });
    }
    expect(intervals.filter((x) => x.who === late.name).length).toBeGreaterThan(0);
    intervals.sort((x, y) => x.start - y.start);
    const overlaps = intervals.flatMap((x, k) => intervals.slice(k + 1).filter((y) => y.start < x.end && y.who !== x.who).map((y) => `${x.who}:${x.op} ${x.start}-${x.end} overlaps ${y.who}:${y.op} ${y.start}-${y.end}`));
    expect(overlaps).toEqual([]);
  });

  it('kill -9 of one instance in the middle of VM creations loses no acknowledged VM and leaves nothing half written', async () => {
    const [a, b, c] = instances;
    const l2 = await create(a, 'l2-networks', { name: 'vms', zoneUuid: zone.uuid, type: 'L2NoVlanNetwork', physicalInterface: 'eth1' });
    await create(a, 'l2-cluster-attachments', { l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid });
    const l3 = await create(b, 'l3-networks', { name: 'vms', l2NetworkUuid: l2.uuid, cidr: '10.91.0.0/24' });
    await create(b, 'ip-ranges', { name: 'vms', l3NetworkUuid: l3.uuid, startIp: '10.91.0.10', endIp: '10.91.0.250' });
    for (const i of instances) await call(i, 'PATCH', `/v1/simulator/hosts/${host.uuid}`, { latencyMs: 0 });
    const acknowledged: string[] = [];
    let stop = false;
    const clients = Array.from({ length: 8 }, async (_, k) => {
      for (let n = 0; !stop; n++) {
        try {
          const res = await call(c, 'POST', '/v1/vm-instances', { name: `vm-${k}-${n}`, l3NetworkUuids: [l3.uuid] });
          if (res.status === 201) acknowledged.push(res.body.uuid);
        } catch {
          return; // the instance is gone
        }
      }
    });
    await sleep(1_500);
    c.process.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(0);
    // Every acknowledged VM is there, read through another instance.
    const listed = (await call(a, 'GET', '/v1/vm-instances')).body as Array<{ uuid: string; nics: Array<{ ip: string; l3NetworkUuid: string }> }>;
    const onL3 = listed.filter((v) => v.nics.some((n) => n.l3NetworkUuid === l3.uuid));
    expect(onL3.map((v) => v.uuid)).toEqual(expect.arrayContaining(acknowledged));
    // Nothing half written: each VM has its NIC, each NIC its address, and no address is held for a NIC that isn't there.
    for (const vm of onL3) expect(vm.nics).toHaveLength(1);
    const nics = await query<{ uuid: string; vm: string }>(`SELECT uuid, vm_instance_uuid AS vm FROM vm_nics WHERE l3_network_uuid = '${l3.uuid}'`);
    expect(new Set(nics.map((n) => n.vm))).toEqual(new Set(onL3.map((v) => v.uuid)));
    const held = await query<{ used_for: string }>(`SELECT used_for FROM allocated_ips WHERE l3_network_uuid = '${l3.uuid}'`);
    expect(held.map((h) => h.used_for).sort()).toEqual(nics.map((n) => `${VM_NIC_OWNER_PREFIX}${n.uuid}`).sort());
  });
});
