/** Shared by the benchmarks: a real server on a free port in a temp dir, and a JSON client. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startServer, type RunningServer } from '../server/server';
import type { ServerConfig } from '../server/config';

export interface BenchServer {
  server: RunningServer;
  call<T = any>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export async function startBenchServer(overrides: Partial<ServerConfig> = {}): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-bench-'));
  const server = await startServer({ port: 0, dataDir, ...overrides }, pino({ level: 'silent' }));
  const call = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${server.url}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    server,
    call,
    stop: async () => {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A zone and a NoVlan L2 on eth0 in it: where the allocation and range benchmarks put their L3s. */
export async function benchL2(call: BenchServer['call']): Promise<{ zoneUuid: string; l2Uuid: string }> {
  const zone = must(await call('POST', '/v1/zones', { name: 'bench' }), 'zone');
  const l2 = must(await call('POST', '/v1/l2-networks', { name: 'flat', zoneUuid: zone.uuid, type: 'L2NoVlanNetwork', physicalInterface: 'eth0' }), 'l2');
  return { zoneUuid: zone.uuid, l2Uuid: l2.uuid };
}

export function must<T>(res: { status: number; body: T }, what: string): T {
  if (res.status >= 300) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Runs `count` tasks with at most `clients` in flight. */
export async function runClients(count: number, clients: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(clients, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

export interface AllocationFigures {
  perSecond: number;
  p50: number;
  p99: number;
  duplicates: number;
  failures: number;
}

/** `allocations` POST /v1/ip-addresses on `l3Uuid` from `clients` concurrent clients (`call(n, ...)` picks the server for the n-th). */
export async function measureAllocations(
  call: (n: number, method: string, urlPath: string, body: unknown) => Promise<{ status: number; body: any }>,
  l3Uuid: string,
  allocations: number,
  clients: number,
): Promise<AllocationFigures> {
  const ips: string[] = [];
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await runClients(allocations, clients, async (n) => {
    const t = performance.now();
    const res = await call(n, 'POST', '/v1/ip-addresses', { l3NetworkUuid: l3Uuid });
    latencies.push(performance.now() - t);
    if (res.status === 201) ips.push(res.body.ip);
    else failures++;
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: ips.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), duplicates: ips.length - new Set(ips).size, failures };
}

/** One row of the allocation tables: label | allocations/s | p50 ms | p99 ms | duplicates | failures. */
export function allocationRow(label: string, width: number, f: AllocationFigures): string {
  return `${label.padEnd(width)} | ${f.perSecond.toFixed(0).padStart(13)} | ${f.p50.toFixed(1).padStart(6)} | ${f.p99.toFixed(1).padStart(6)} | ${String(f.duplicates).padStart(10)} | ${f.failures}`;
}
