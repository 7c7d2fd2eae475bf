/** Global teardown of the jest project `postgres`: the cluster and its directory go. */
import fs from 'node:fs';
import { PG_STATE_FILE } from './postgres-global-setup';
import { stopPostgres } from '../../lib/postgres-cluster';

export default async function globalTeardown(): Promise<void> {
  if (!fs.existsSync(PG_STATE_FILE)) return;
  const pg = JSON.parse(fs.readFileSync(PG_STATE_FILE, 'utf8')) as { pid: number; dir: string };
  await stopPostgres(pg);
  fs.rmSync(PG_STATE_FILE, { force: true });
}
