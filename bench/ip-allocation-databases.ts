/**
 * IP allocation throughput by database, side by side in one run: `netforge server`
 * processes on embedded SQLite (1 instance), and on PostgreSQL (1 and 3 instances on one
 * database, a throwaway cluster from Debian's postgresql, started as the postgres user).
 * The same clients send POST /v1/ip-addresses round-robin over the instances; duplicates
 * must be 0 everywhere. Needs root (the cluster runs as user postgres).
 *   npm run bench:ip:db [-- --allocations 2000 --clients 64]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort } from '../lib/free-port';
import { createDatabase, startPostgres, stopPostgres } from '../lib/postgres-cluster';
import { allocationRow, measureAllocations } from './bench-server';

const CLI = path.join(__dirname, '..', '..', 'bin', 'netforge.js');
const TOKEN = 'bench-ip-allocation-databases-token-0123456789';

interface Instance {
  url: string;
  child: ChildProcess;
}

async function call(i: Instance, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${i.url}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function must(i: Instance, urlPath: string, body: unknown): Promise<any> {
  const res = await call(i, 'POST', urlPath, body);
  if (res.status !== 201) throw new Error(`POST ${urlPath}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function startInstance(workDir: string, database: string | undefined): Promise<Instance> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(workDir, 'server-'));
  const args = [CLI, 'server', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--token-file', path.join(workDir, 'token'), '--log-level', 'warn'];
  if (database) args.push('--database', database);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const instance = { url: `http://127.0.0.1:${port}`, child };
  for (let t = 0; t < 600; t++) {
    try {
      if ((await call(instance, 'GET', '/v1/zones')).status === 200) return instance;
    } catch {
      // not yet
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`netforge server on ${database ?? 'SQLite'} did not start`);
}

async function run(label: string, instances: Instance[], allocations: number, clients: number): Promise<void> {
  const [first] = instances;
  const zone = await must(first, '/v1/zones', { name: 'bench' });
  const l2 = await must(first, '/v1/l2-networks', { name: 'flat', zoneUuid: zone.uuid, type: 'L2NoVlanNetwork', physicalInterface: 'eth0' });
  const l3 = await must(first, '/v1/l3-networks', { name: 'net', l2NetworkUuid: l2.uuid, cidr: '10.0.0.0/16' });
  await must(first, '/v1/ip-ranges', { name: 'r', l3NetworkUuid: l3.uuid, startIp: '10.0.0.10', endIp: '10.0.255.250' });
  const figures = await measureAllocations((n, method, urlPath, body) => call(instances[n % instances.length], method, urlPath, body), l3.uuid, allocations, clients);
  console.log(allocationRow(label, 23, figures));
  if (figures.duplicates > 0 || figures.failures > 0) process.exitCode = 1;
}

async function main() {
  const { values } = parseArgs({ options: { allocations: { type: 'string', default: '2000' }, clients: { type: 'string', default: '64' } } });
  const allocations = Number(values.allocations);
  const clients = Number(values.clients);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-bench-db-'));
  fs.writeFileSync(path.join(workDir, 'token'), TOKEN, { mode: 0o600 });
  const pg = await startPostgres();
  const all: Instance[] = [];
  try {
    console.log(`IP allocation by database: POST /v1/ip-addresses, ${allocations} allocations, ${clients} clients round-robin over the instances`);
    console.log('database                | allocations/s | p50 ms | p99 ms | duplicates | failures');
    const sqlite = [await startInstance(workDir, undefined)];
    all.push(...sqlite);
    await run('SQLite, 1 instance', sqlite, allocations, clients);
    for (const count of [1, 3]) {
      const db = await createDatabase(pg.adminUrl);
      const instances = await Promise.all(Array.from({ length: count }, () => startInstance(workDir, db.url)));
      all.push(...instances);
      await run(`PostgreSQL, ${count} instance${count > 1 ? 's' : ''}`, instances, allocations, clients);
    }
  } finally {
    for (const i of all) i.child.kill('SIGTERM');
    await Promise.all(all.map((i) => (i.child.exitCode === null ? new Promise((resolve) => i.child.once('exit', resolve)) : undefined)));
    await stopPostgres({ pid: pg.process.pid!, dir: pg.dir });
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
