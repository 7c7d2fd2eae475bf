/**
 * A throwaway PostgreSQL cluster for tests and benchmarks, from Debian's postgresql package:
 * initdb into a temp directory owned by the `postgres` user, the server run as that user
 * (never root) on a free loopback port with its socket in the same directory, databases
 * created and dropped by name. stopPostgres removes it all.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { freePort } from './free-port';

const PG_USER = 'postgres';
const READY_TIMEOUT_MS = 30_000;

export interface LocalPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  adminUrl: string;
  process: ChildProcess;
  dir: string;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (!newest) throw new Error(`no PostgreSQL server under ${root} (Debian's postgresql package; scripts/setup-test-host.sh installs it)`);
  return path.join(root, newest, 'bin');
}

function userIds(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no user ${name} (Debian's postgresql package creates it)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<LocalPostgres> {
  const bin = binDir();
  const ids = userIds(PG_USER);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-pg-'));
  fs.chownSync(dir, ids.uid, ids.gid);
  const data = path.join(dir, 'data');
  try {
    execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', PG_USER, '-A', 'trust', '-E', 'UTF8', '--no-sync'], { ...ids, stdio: 'pipe', cwd: dir });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  fs.fchownSync(log, ids.uid, ids.gid);
  // fsync stays on: acknowledged writes survive, as on a real database.
  const child = spawn(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'], {
    ...ids,
    cwd: dir,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const adminUrl = `postgres://${PG_USER}@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const client = new Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        const log = fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000);
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start on port ${port}: ${(err as Error).message}\n${log}`);
      }
      await sleep(100);
    }
  }
  return { adminUrl, process: child, dir };
}

/** Fast shutdown, then the directory goes. */
export async function stopPostgres(pg: { pid: number; dir: string }): Promise<void> {
  try {
    process.kill(pg.pid, 'SIGINT');
  } catch {
    // gone already
  }
  const alive = () => {
    try {
      process.kill(pg.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 200 && alive(); i++) await sleep(50);
  if (alive()) process.kill(pg.pid, 'SIGKILL');
  fs.rmSync(pg.dir, { recursive: true, force: true });
}

/** URL of database `name` on the cluster whose admin URL is `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a database with a fresh name; returns its URL. */
export async function createDatabase(adminUrl: string): Promise<{ url: string; name: string }> {
  const name = `netforge_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return { url: databaseUrl(adminUrl, name), name };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
