/**
 * Serialized topology writes with group commit, and dry runs that never hold writes back.
 *
 * Writes run one at a time, so checking rules against stored state and writing the change
 * stay atomic (rule 21, racing attaches). Writes that queue up while a transaction runs
 * share the next one, each in its own savepoint: one failure rolls back only its own
 * changes, and the batch pays for one commit (one fsync) instead of one per write. A
 * caller's promise settles only after its batch committed.
 *
 * A dry run (POST /v1/validate) runs the real operations in a transaction that is always
 * rolled back. SQLite has one writer at a time, so while a dry run runs, writes wait: to keep
 * that wait to a moment, the dry run calls `checkpoint()` between its steps, and when a
 * write is waiting the dry run is rolled back, the waiting writes run, and the dry run
 * starts again from the top (at most MAX_DRY_RUN_RESTARTS times; then it finishes first).
 * `checkpoint()` also ends a dry run whose caller went away (its AbortSignal).
 *
 * With a database that has many writers (PostgreSQL), dry runs don't queue at all: each runs
 * in a transaction of its own (READ COMMITTED), without the topology lock.
 */
import type { Sequelize, Transaction } from 'sequelize';
import { ApiError } from '../errors';

/** Enough to amortize the commit, few enough that one batch doesn't hold the lock for long. */
export const MAX_WRITES_PER_COMMIT = 32;
/** Restarts a dry run accepts for waiting writes before it runs to its end regardless. */
export const MAX_DRY_RUN_RESTARTS = 16;

/** Called by a dry run between its steps; throws when it must stop (restart or abort). */
export type Checkpoint = () => Promise<void>;

/** The client of a dry run went away: it stopped at its next step. */
export class DryRunAbortedError extends ApiError {
  constructor() {
    super(499, 'CLIENT_CLOSED_REQUEST', 'the dry run was stopped: its client closed the connection');
  }
}

/** Internal: rolls a dry run back so waiting writes can run; it is started again after them. */
class DryRunPreempted extends Error {}

interface WriteJob {
  kind: 'write';
  fn: (tx: Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface DryRunJob {
  kind: 'dryRun';
  fn: (tx: Transaction, checkpoint: Checkpoint) => Promise<unknown>;
  signal?: AbortSignal;
  restarts: number;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Job = WriteJob | DryRunJob;
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Rolls the dry run's transaction back (Sequelize rolls back when the callback throws). */
class RollbackDryRun extends Error {
  constructor(readonly value: unknown) {
    super('dry run rolled back');
  }
}

export class WriteQueue {
  private readonly queue: Job[] = [];
  private draining = false;
  private savepoints = 0;

  constructor(
    private readonly sequelize: Sequelize,
    /** Runs first in every batch transaction (e.g. PostgreSQL's advisory lock). */
    private readonly lock: (tx: Transaction) => Promise<void>,
    /** false: the database takes concurrent writers, so dry runs run beside the queue. */
    private readonly singleWriter = true,
  ) {}

  write<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.enqueue({ kind: 'write', fn, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Runs fn in a transaction that is always rolled back (see the file comment). */
  dryRun<T>(fn: (tx: Transaction, checkpoint: Checkpoint) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: DryRunJob = { kind: 'dryRun', fn, signal, restarts: 0, resolve: resolve as (value: unknown) => void, reject };
      if (this.singleWriter) this.enqueue(job);
      else void this.runDryRun(job, false);
    });
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        if (this.queue[0].kind === 'dryRun') {
          await this.runDryRun(this.queue.shift() as DryRunJob);
          continue;
        }
        const end = this.queue.findIndex((j) => j.kind !== 'write');
        const batch = this.queue.splice(0, Math.min(end < 0 ? this.queue.length : end, MAX_WRITES_PER_COMMIT)) as WriteJob[];
        await this.runBatch(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: WriteJob[]): Promise<void> {
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
      return;
    }
    batch.forEach((job, i) => {
      const o = outcomes[i];
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }

  private async runDryRun(job: DryRunJob, queued = true): Promise<void> {
    const checkpoint: Checkpoint = async () => {
      if (job.signal?.aborted) throw new DryRunAbortedError();
      if (queued && job.restarts < MAX_DRY_RUN_RESTARTS && this.queue.some((j) => j.kind === 'write')) throw new DryRunPreempted();
    };
    try {
      await checkpoint();
      await this.sequelize.transaction(async (tx) => {
        if (queued) await this.lock(tx);
        throw new RollbackDryRun(await job.fn(tx, checkpoint));
      });
    } catch (err) {
      if (err instanceof RollbackDryRun) job.resolve(err.value);
      else if (err instanceof DryRunPreempted) {
        // The writes waiting now go first; the dry run starts again after them.
        job.restarts++;
        const lastWrite = this.queue.map((j) => j.kind).lastIndexOf('write');
        this.queue.splice(lastWrite + 1, 0, job);
      } else job.reject(err);
    }
  }
}
