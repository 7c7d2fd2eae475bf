/** Global setup of the jest project `postgres`: one cluster for the run (test/helpers/postgres.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../../lib/postgres-cluster';
import { PG_URL_ENV } from './postgres';

export const PG_STATE_FILE = path.join(os.tmpdir(), `netforge-test-pg-${process.pid}.json`);

export default async function globalSetup(): Promise<void> {
  const pg = await startPostgres();
  process.env[PG_URL_ENV] = pg.adminUrl;
  fs.writeFileSync(PG_STATE_FILE, JSON.stringify({ pid: pg.process.pid, dir: pg.dir }));
}
