/** What every service function gets: the database transaction and the server's parts. */
import type { Logger } from 'pino';
import type { Transaction } from 'sequelize';
import type { Database } from '../db/database';
import type { ExtensionRegistry } from '../extension/registry';

export interface ServerParts {
  db: Database;
  registry: ExtensionRegistry;
  realizeConcurrency: number;
  log: Logger;
}

export interface Op {
  parts: ServerParts;
  /** Absent for plain reads. */
  tx?: Transaction;
  /**
   * True inside POST /v1/validate: every rule runs against state as it would be, but
   * hosts are not touched and the transaction is rolled back.
   */
  dryRun: boolean;
}
