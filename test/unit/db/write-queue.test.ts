import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../../server/db/database';
import * as M from '../../../server/db/models';
import { Transaction } from 'sequelize';
import { DryRunAbortedError, MAX_DRY_RUN_RESTARTS, MAX_WRITES_PER_COMMIT } from '../../../server/db/write-queue';

describe('topology writes (group commit)', () => {
  let dir: string;
  let db: Database;
  const zone = (name: string) => ({ uuid: `uuid-${name}`, name, description: '' });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-wq-'));
    db = await openDatabase({ dataDir: dir });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN 100 concurrent writes, one failing WHEN they run THEN the others are all stored, the failed one left nothing, in fewer commits than writes', async () => {
    const begin = jest.spyOn(db.sequelize, 'transaction');
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        db.write(async (tx) => {
          await M.ZoneRow.create(zone(`z${i}`), { transaction: tx });
          if (i === 42) throw new Error('rule broken after a partial write');
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(99);
    expect(results[42]).toMatchObject({ status: 'rejected', reason: new Error('rule broken after a partial write') });
    const names = (await M.ZoneRow.findAll()).map((z) => z.name);
    expect(names).toHaveLength(99);
    expect(names).not.toContain('z42');
    // The first write runs alone; the rest queue up and share commits.
    expect(begin.mock.calls.length).toBeLessThanOrEqual(1 + Math.ceil(99 / MAX_WRITES_PER_COMMIT));
  });

  it('GIVEN writes that see each other WHEN batched THEN each runs after the previous one committed to the batch (serialized)', async () => {
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        db.write(async (tx) => {
          const count = await M.ZoneRow.count({ transaction: tx });
          await M.ZoneRow.create(zone(`s${i}`), { transaction: tx });
          return count;
        }),
      ),
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('GIVEN a dry run with nested savepoints that rolls back WHEN batched with real writes THEN only the real writes stay', async () => {
    class Rollback extends Error {}
    const dryRun = db.write(async (tx) => {
      for (const i of [1, 2, 3]) {
        await db.sequelize.transaction({ transaction: tx }, (sp) => M.ZoneRow.create(zone(`dry${i}`), { transaction: sp }));
      }
      throw new Rollback();
    });
    const real = db.write((tx) => M.ZoneRow.create(zone('real'), { transaction: tx }));
    await expect(dryRun).rejects.toBeInstanceOf(Rollback);
    await real;
    expect((await M.ZoneRow.findAll()).map((z) => z.name)).toEqual(['real']);
  });

  it('GIVEN a write that breaks a database constraint WHEN batched with another THEN only that write fails', async () => {
    await db.write((tx) => M.ZoneRow.create(zone('a'), { transaction: tx }));
    const results = await Promise.allSettled([
      db.write((tx) => M.ZoneRow.create(zone('b'), { transaction: tx })),
      db.write((tx) => M.ZoneRow.create(zone('a'), { transaction: tx })), // duplicate primary key
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((await M.ZoneRow.findAll({ order: [['name', 'ASC']] })).map((z) => z.name)).toEqual(['a', 'b']);
  });

  it('GIVEN a batch whose transaction fails at the end WHEN it settles THEN every write of that batch is rejected and none is stored', async () => {
    // The second batch: its jobs all succeed, then its commit fails (the transaction is rolled back).
    const commit = Transaction.prototype.commit;
    let calls = 0;
    jest.spyOn(Transaction.prototype, 'commit').mockImplementation(function (this: Transaction) {
      calls++;
      return calls === 2 ? Promise.reject(new Error('disk full')) : commit.call(this);
    });
    const results = await Promise.allSettled(['c1', 'c2', 'c3'].map((n) => db.write((tx) => M.ZoneRow.create(zone(n), { transaction: tx }))));
    // c1 runs alone in the first batch; c2 and c3 share the failed one.
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(results[1]).toMatchObject({ reason: new Error('disk full') });
    expect((await M.ZoneRow.findAll()).map((z) => z.name)).toEqual(['c1']);
  });

  it('GIVEN a dry run between its steps WHEN a write arrives THEN the write commits first and the dry run starts again from the top, seeing it', async () => {
    const order: string[] = [];
    let attempts = 0;
    let release!: () => void;
    const stepped = new Promise<void>((resolve) => (release = resolve));
    const dry = db.dryRun(async (tx, checkpoint) => {
      attempts++;
      await M.ZoneRow.create(zone(`dry-${attempts}`), { transaction: tx });
      release();
      for (let step = 0; step < 20; step++) {
        await checkpoint();
        await new Promise((r) => setTimeout(r, 5));
      }
      order.push(`dry run ${attempts} finished`);
      return (await M.ZoneRow.findAll({ transaction: tx })).map((z) => z.name).sort();
    });
    await stepped;
    await db.write(async (tx) => {
      await M.ZoneRow.create(zone('real'), { transaction: tx });
      order.push('write committed');
    });
    expect(await dry).toEqual(['dry-2', 'real']);
    expect(order).toEqual(['write committed', 'dry run 2 finished']);
    expect(attempts).toBe(2);
    expect((await M.ZoneRow.findAll()).map((z) => z.name)).toEqual(['real']);
  });

  it('GIVEN writes that keep coming WHEN a dry run is preempted again and again THEN after MAX_DRY_RUN_RESTARTS it runs to its end', async () => {
    let attempts = 0;
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) await db.write((tx) => M.ZoneRow.create(zone(`w${i}`), { transaction: tx }));
    })();
    const dry = db.dryRun(async (_tx, checkpoint) => {
      attempts++;
      for (let step = 0; step < 10; step++) {
        await checkpoint();
        await new Promise((r) => setTimeout(r, 2));
      }
      return 'answer';
    });
    await expect(dry).resolves.toBe('answer');
    stop = true;
    await writer;
    expect(attempts).toBeLessThanOrEqual(MAX_DRY_RUN_RESTARTS + 1);
  });

  it('GIVEN an aborted signal WHEN the dry run reaches a checkpoint THEN it rejects with DryRunAbortedError and keeps nothing', async () => {
    const gone = new AbortController();
    const dry = db.dryRun(async (tx, checkpoint) => {
      await M.ZoneRow.create(zone('abandoned'), { transaction: tx });
      gone.abort();
      await checkpoint();
      return 'never';
    }, gone.signal);
    await expect(dry).rejects.toBeInstanceOf(DryRunAbortedError);
    expect(await M.ZoneRow.count()).toBe(0);
    await expect(db.write((tx) => M.ZoneRow.create(zone('next'), { transaction: tx }))).resolves.toBeDefined();
  });
});
