/**
 * A dry run must not stall the control plane: while a 1 MB POST /v1/validate runs, a write
 * completes within a second (the dry run steps aside and starts again after it), and a dry
 * run whose client went away stops at its next step instead of running on.
 */
import { DryRunAbortedError } from '../../server/db/write-queue';
import { expectStatus, uniqueName, useServer } from './helpers';

jest.setTimeout(120_000);

const srv = useServer();

/** ~1 MB: thousands of one-address ranges on one L3, each checked against all the others. */
function bigBatch(l3Uuid: string): string {
  const changes = Array.from({ length: 5000 }, (_, i) => ({
    action: 'create',
    type: 'ipRange',
    attributes: { name: `dry-run-range-with-a-long-name-${i}`, l3NetworkUuid: l3Uuid, startIp: `10.${210 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`, endIp: `10.${210 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}` },
  }));
  return JSON.stringify({ changes });
}

describe('a dry run beside writes', () => {
  it('GIVEN a 1 MB dry run in progress WHEN a write is sent THEN it completes within 1 s; WHEN the client goes away THEN the dry run stops', async () => {
    const { ts, fx } = srv;
    const zone = await fx.zone();
    const l2 = await fx.l2(zone.uuid, { physicalInterface: 'eth1' });
    const l3 = await fx.l3(l2.uuid, '10.208.0.0/12');
    const body = bigBatch(l3.uuid);
    expect(body.length).toBeGreaterThan(900_000);
    expect(body.length).toBeLessThan(1024 * 1024);

    const db = ts.server.parts.db;
    const runs: Array<Promise<unknown>> = [];
    const original = db.dryRun.bind(db);
    const spy = jest.spyOn(db, 'dryRun').mockImplementation((fn, signal) => {
      const p = original(fn, signal);
      runs.push(p.then(() => 'finished', (err: unknown) => err));
      return p;
    });
    try {
      const client = new AbortController();
      const dryRun = fetch(`${ts.url}/v1/validate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ts.token}`, 'content-type': 'application/json' },
        body,
        signal: client.signal,
      }).catch((err: unknown) => err);
      // Let it get well into its thousands of steps.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(runs).toHaveLength(1);

      const started = performance.now();
      const write = await ts.api('POST', '/v1/zones', { name: uniqueName('during-dry-run') });
      const ms = performance.now() - started;
      expectStatus(write, 201);
      expect(ms).toBeLessThan(1000);

      client.abort();
      await dryRun;
      // Stopped at its next step: the queue is free again at once.
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([runs[0], new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 10_000)))]);
      clearTimeout(timer);
      expect(outcome).toBeInstanceOf(DryRunAbortedError);
      const after = performance.now();
      expectStatus(await ts.api('POST', '/v1/zones', { name: uniqueName('after-dry-run') }), 201);
      expect(performance.now() - after).toBeLessThan(1000);
    } finally {
      spy.mockRestore();
    }
  });

  it('GIVEN a dry run and a stream of writes WHEN both run THEN the dry run still finishes with its answer (bounded restarts)', async () => {
    const { ts, fx } = srv;
    const zone = await fx.zone();
    const l2 = await fx.l2(zone.uuid, { physicalInterface: 'eth1' });
    const l3 = await fx.l3(l2.uuid, '10.224.0.0/16');
    const changes = Array.from({ length: 200 }, (_, i) => ({
      action: 'create',
      type: 'ipRange',
      attributes: { name: `r${i}`, l3NetworkUuid: l3.uuid, startIp: `10.224.${i}.2`, endIp: `10.224.${i}.9` },
    }));
    let writing = true;
    const writes = (async () => {
      let n = 0;
      while (writing) {
        expectStatus(await ts.api('POST', '/v1/zones', { name: uniqueName('stream') }), 201);
        n++;
      }
      return n;
    })();
    const res = await ts.api('POST', '/v1/validate', { changes });
    writing = false;
    expect(await writes).toBeGreaterThan(0);
    expectStatus(res, 200);
    expect(res.body.results.filter((r: { ok: boolean }) => !r.ok)).toEqual([]);
    expect(res.body.results).toHaveLength(200);
  });
});
