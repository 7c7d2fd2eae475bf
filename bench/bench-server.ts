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
