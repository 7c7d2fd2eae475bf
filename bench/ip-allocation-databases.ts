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
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createDatabase, startPostgres, stopPostgres } from '../lib/postgres-cluster';
import { percentile, runClients } from './bench-server';

const CLI = path.join(__dirname, '..', '..', 'bin', 'netforge.js');
const TOKEN = 'bench-ip-allocation-databases-token-0123456789';

interface Instance {
  url: string;
  child: ChildProcess;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
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
  const ips: string[] = [];
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await runClients(allocations, clients, async (n) => {
    const t = performance.now();
    const res = await call(instances[n % instances.length], 'POST', '/v1/ip-addresses', { l3NetworkUuid: l3.uuid });
    latencies.push(performance.now() - t);
    if (res.status === 201) ips.push(res.body.ip);
    else failures++;
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const duplicates = ips.length - new Set(ips).size;
  console.log(
    `${label.padEnd(23)} | ${(ips.length / seconds).toFixed(0).padStart(13)} | ${percentile(latencies, 50).toFixed(1).padStart(6)} | ${percentile(latencies, 99).toFixed(1).padStart(6)} | ${String(duplicates).padStart(10)} | ${failures}`,
  );
  if (duplicates > 0 || failures > 0) process.exitCode = 1;
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
