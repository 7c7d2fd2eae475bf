/**
 * Serialized topology writes with group commit. Writes run one at a time, so checking rules
 * against stored state and writing the change stay atomic (rule 21, racing attaches). Writes
 * that queue up while a transaction runs share the next one, each in its own savepoint: one
 * failure rolls back only its own changes, and the batch pays for one commit (one fsync)
 * instead of one per write. A caller's promise settles only after its batch committed.
 */
import type { Sequelize, Transaction } from 'sequelize';

/** Enough to amortize the commit, few enough that one batch doesn't hold the lock for long. */
export const MAX_WRITES_PER_COMMIT = 32;

interface Job {
  fn: (tx: Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class WriteQueue {
  private readonly queue: Job[] = [];
  private draining = false;
  private savepoints = 0;

  constructor(
    private readonly sequelize: Sequelize,
    /** Runs first in every batch transaction (e.g. PostgreSQL's advisory lock). */
    private readonly lock: (tx: Transaction) => Promise<void>,
  ) {}

  write<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_WRITES_PER_COMMIT);
        const outcomes: Outcome[] = [];
        try {
          await this.sequelize.transaction(async (tx) => {
            await this.lock(tx);
            for (const job of batch) {
              // Our own savepoint names: Sequelize names nested savepoints by position
              // (<tx>-sp-<n>), so a job's own savepoints could collide with one of ours.
              const savepoint = `netforge_write_${++this.savepoints}`;
              await this.sequelize.query(`SAVEPOINT ${savepoint}`, { transaction: tx });
              try {
                const value = await job.fn(tx);
                await this.sequelize.query(`RELEASE SAVEPOINT ${savepoint}`, { transaction: tx });
                outcomes.push({ ok: true, value });
              } catch (error) {
                await this.sequelize.query(`ROLLBACK TO SAVEPOINT ${savepoint}`, { transaction: tx });
                await this.sequelize.query(`RELEASE SAVEPOINT ${savepoint}`, { transaction: tx });
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (commitError) {
          // Nothing of the batch was kept: every write in it fails.
          for (const job of batch) job.reject(commitError);
          continue;
        }
        batch.forEach((job, i) => {
          const o = outcomes[i];
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      this.draining = false;
    }
  }
}
