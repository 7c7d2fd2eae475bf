/**
 * Opens the database (embedded SQLite under the data dir by default, PostgreSQL by URL),
 * runs migrations with umzug, and provides the topology write lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Sequelize, type Transaction } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import * as initial from './migrations/0001-initial-topology';
import * as builtinProviders from './migrations/0002-builtin-providers';
import * as hardening from './migrations/0003-hardening';
import * as networkServices from './migrations/0004-network-services';
import * as vipsEipsSecurityGroups from './migrations/0005-vips-eips-security-groups';
import * as indexedAllocation from './migrations/0006-indexed-allocation';
import { initModels } from './models';
import { WriteQueue, type Checkpoint } from './write-queue';

/** Migrations are listed in code (not globbed) so a bundled server carries them. */
const MIGRATIONS = [
  { name: '0001-initial-topology', ...initial },
  { name: '0002-builtin-providers', ...builtinProviders },
  { name: '0003-hardening', ...hardening },
  { name: '0004-network-services', ...networkServices },
  { name: '0005-vips-eips-security-groups', ...vipsEipsSecurityGroups },
  { name: '0006-indexed-allocation', ...indexedAllocation },
];

/** Any fixed 64-bit key: every netforge server takes the same advisory lock. */
const PG_TOPOLOGY_LOCK_KEY = 0x6e6574666f726765n % 2n ** 63n;
/** The key several servers starting on one database take while they migrate it. */
const PG_MIGRATION_LOCK_KEY = PG_TOPOLOGY_LOCK_KEY + 1n;

export interface Database {
  sequelize: Sequelize;
  dialect: 'sqlite' | 'postgres';
  /**
   * Runs fn in a transaction while holding the topology write lock, so that checking
   * rules against stored state and writing the change are atomic (rule 21, racing attaches).
   * Serialized in-process (write-queue.ts, with group commit); a transaction-scoped advisory
   * lock across PostgreSQL servers.
   */
  write<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs fn in a transaction that is always rolled back (POST /v1/validate). It never holds
   * writes back for more than one of its steps: fn calls `checkpoint` between steps
   * (write-queue.ts). Rejects with DryRunAbortedError once `signal` is aborted.
   */
  dryRun<T>(fn: (tx: Transaction, checkpoint: Checkpoint) => Promise<T>, signal?: AbortSignal): Promise<T>;
  close(): Promise<void>;
}

/**
 * Runs the migrations once however many servers start on one database at once: on
 * PostgreSQL, a transaction holds a transaction-scoped advisory lock while umzug runs (on
 * other connections of the pool), so the second server waits, then finds them applied. A
 * session-scoped lock would be lost behind a transaction-pooling PgBouncer (netbox issue
 * 23009); a transaction keeps its server connection. SQLite has one writer anyway.
 */
async function migrate(sequelize: Sequelize, dialect: Database['dialect'], up: () => Promise<unknown>): Promise<void> {
  if (dialect !== 'postgres') {
    await up();
    return;
  }
  await sequelize.transaction(async (tx) => {
    await sequelize.query(`SELECT pg_advisory_xact_lock(${PG_MIGRATION_LOCK_KEY.toString()})`, { transaction: tx });
    await up();
  });
}

export async function openDatabase(opts: { dataDir: string; databaseUrl?: string; logging?: (sql: string) => void }): Promise<Database> {
  const url = opts.databaseUrl ?? `sqlite:${path.join(opts.dataDir, 'netforge.db')}`;
  let sequelize: Sequelize;
  let dialect: Database['dialect'];
  if (url.startsWith('sqlite:')) {
    const storage = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (storage !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(storage)), { recursive: true });
    sequelize = new Sequelize({ dialect: 'sqlite', storage, logging: opts.logging ?? false, pool: { max: 1 } });
    dialect = 'sqlite';
  } else if (/^postgres(ql)?:/.test(url)) {
    sequelize = new Sequelize(url, { dialect: 'postgres', logging: opts.logging ?? false });
    dialect = 'postgres';
  } else {
    throw new Error(`unsupported database URL ${JSON.stringify(url)}: use sqlite:<file> or postgres://...`);
  }
  if (dialect === 'sqlite') {
    // WAL lets readers proceed while a topology change is being written.
    await sequelize.query('PRAGMA journal_mode = WAL');
    await sequelize.query('PRAGMA foreign_keys = ON');
    await sequelize.query('PRAGMA busy_timeout = 5000');
  }
  initModels(sequelize);
  const umzug = new Umzug({
    migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'netforge_migrations' }),
    logger: undefined,
  });
  await migrate(sequelize, dialect, () => umzug.up());

  const writes = new WriteQueue(
    sequelize,
    async (tx) => {
      if (dialect === 'postgres') {
        await sequelize.query(`SELECT pg_advisory_xact_lock(${PG_TOPOLOGY_LOCK_KEY.toString()})`, { transaction: tx });
      }
    },
    dialect === 'sqlite',
  );
  return {
    sequelize,
    dialect,
    write: (fn) => writes.write(fn),
    dryRun: (fn, signal) => writes.dryRun(fn, signal),
    close: () => sequelize.close(),
  };
}
