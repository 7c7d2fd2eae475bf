/** Starts a real control server on a free port with a fresh data dir, and a small HTTP client for it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startServer, type RunningServer } from '../../server/server';
import type { ServerConfig } from '../../server/config';
import { createTestDatabase, dropTestDatabase, PG_URL_ENV, TEST_DATABASE_ENV } from './postgres';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface RecordedRequest {
  method: string;
  url: string;
  status: number;
}

export interface TestServer {
  server: RunningServer;
  /** Every request the server answered, from its request log, oldest first. */
  requests: RecordedRequest[];
  dataDir: string;
  /** The PostgreSQL database it runs on (jest project `postgres`); undefined: SQLite in the data dir. */
  databaseUrl: string | undefined;
  /** Drops that database (stop() does; for a test that restarts a server on it). */
  dropDatabase(): Promise<void>;
  url: string;
  token: string;
  /** JSON request with the bearer token. */
  api<T = any>(method: string, urlPath: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** Raw request: body sent as-is, headers as given (no token unless passed). */
  raw(method: string, urlPath: string, body?: string | Buffer, headers?: Record<string, string>): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/** In the jest project `postgres`, a fresh database of the run's cluster; else none (SQLite in the data dir). */
async function testDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  if (process.env[TEST_DATABASE_ENV] !== 'postgres') return null;
  const adminUrl = process.env[PG_URL_ENV];
  if (!adminUrl) throw new Error(`${TEST_DATABASE_ENV}=postgres but ${PG_URL_ENV} is unset: the postgres project's global setup did not run`);
  const db = await createTestDatabase(adminUrl);
  return { url: db.url, drop: () => dropTestDatabase(adminUrl, db.name) };
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-test-'));
  const database = overrides.databaseUrl === undefined ? await testDatabase() : null;
  if (database) overrides = { ...overrides, databaseUrl: database.url };
  const requests: RecordedRequest[] = [];
  // The server's own request log, kept in memory: tests count requests by route.
  const recorder = pino({ level: 'info' }, {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; method?: string; url?: string; status?: number };
      // NETFORGE_TEST_LOG=1 shows what the server logged besides requests (debugging a 500).
      if (process.env.NETFORGE_TEST_LOG && entry.msg !== 'request') process.stderr.write(line);
      if (entry.msg === 'request') requests.push({ method: entry.method!, url: entry.url!, status: entry.status! });
    },
  });
  let server: RunningServer;
  try {
    server = await startServer({ port: 0, dataDir, logLevel: 'info', ...overrides }, recorder);
  } catch (err) {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const raw = async (method: string, urlPath: string, body?: string | Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${urlPath}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep text */
    }
    return { status: res.status, body: parsed };
  };
  return {
    server,
    requests,
    dataDir,
    databaseUrl: database?.url ?? overrides.databaseUrl,
    dropDatabase: async () => database?.drop(),
    url: server.url,
    token: server.token,
    api: (method, urlPath, body, headers = {}) =>
      raw(method, urlPath, body === undefined ? undefined : JSON.stringify(body), {
        authorization: `Bearer ${server.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      }) as Promise<ApiResponse<any>>,
    raw,
    stop: async () => {
      await server.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
