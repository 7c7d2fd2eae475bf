/**
 * Idempotency keys on creates: a create sent again with the same Idempotency-Key (its first
 * answer was lost) gets the first answer back instead of a second object, also after a
 * server restart and when the copies race; the same key for another request is refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startServer } from '../../server/server';
import { expectApiError, expectNothingWritten, expectStatus, list, snapshot, uniqueName, useServer } from './helpers';

const srv = useServer();
const keyed = (key: string) => ({ 'idempotency-key': key });

describe('Idempotency-Key on creates', () => {
  it('GIVEN a create sent twice with one key WHEN the second arrives THEN it gets the first answer and there is one object', async () => {
    const name = uniqueName('idem');
    const first = await srv.ts.api('POST', '/v1/zones', { name }, keyed(`k-${name}`));
    const again = await srv.ts.api('POST', '/v1/zones', { name }, keyed(`k-${name}`));
    expectStatus(first, 201);
    expectStatus(again, 201);
    expect(again.body).toEqual(first.body);
    expect(await list(srv.ts, 'zones', { name })).toHaveLength(1);
  });

  it('GIVEN 20 copies of a create sent at once with one key WHEN they all land THEN exactly one object exists and every answer names it', async () => {
    const zone = await srv.fx.zone();
    const name = uniqueName('race');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => srv.ts.api('POST', '/v1/clusters', { name, zoneUuid: zone.uuid, hypervisorType: 'Simulator' }, keyed(`k-${name}`))),
    );
    for (const a of answers) expectStatus(a, 201);
    expect(new Set(answers.map((a) => a.body.uuid)).size).toBe(1);
    expect(await list(srv.ts, 'clusters', { name })).toHaveLength(1);
  });

  it('GIVEN a key already used WHEN another request comes with it THEN 422 IDEMPOTENCY_KEY_REUSED and nothing is written', async () => {
    const key = `k-${uniqueName('reuse')}`;
    const zone = await srv.fx.zone();
    expectStatus(await srv.ts.api('POST', '/v1/zones', { name: uniqueName('a') }, keyed(key)), 201);
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/zones', { name: uniqueName('b') }, keyed(key)), 422, 'IDEMPOTENCY_KEY_REUSED', { path: 'Idempotency-Key' });
    expectApiError(await srv.ts.api('POST', '/v1/clusters', { name: uniqueName('c'), zoneUuid: zone.uuid, hypervisorType: 'KVM' }, keyed(key)), 422, 'IDEMPOTENCY_KEY_REUSED');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a refused create WHEN sent again with its key once fixed THEN it is created (refusals are not remembered)', async () => {
    const key = `k-${uniqueName('fix')}`;
    expectApiError(await srv.ts.api('POST', '/v1/zones', { name: 'bad name!' }, keyed(key)), 400, 'INVALID_NAME');
    expectStatus(await srv.ts.api('POST', '/v1/zones', { name: uniqueName('good') }, keyed(key)), 201);
  });

  it.each([['too long', 'k'.repeat(256)], ['with a space', 'a b'], ['empty', ''], ['non-ASCII', 'clé']])('GIVEN a key %s WHEN sent THEN 400 INVALID_IDEMPOTENCY_KEY', async (_what, key) => {
    const before = await snapshot(srv.ts);
    const res = await srv.ts.raw('POST', '/v1/zones', JSON.stringify({ name: uniqueName('z') }), {
      authorization: `Bearer ${srv.ts.token}`,
      'content-type': 'application/json',
      'idempotency-key': encodeURI(key) === key ? key : Buffer.from(key).toString('latin1'),
    });
    expectApiError(res, 400, 'INVALID_IDEMPOTENCY_KEY');
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a create whose server restarted before the retry WHEN retried with the key THEN the stored answer comes back', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-idem-'));
    const silent = pino({ level: 'silent' });
    const post = (url: string, token: string) =>
      fetch(`${url}/v1/zones`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'restart-key' },
        body: JSON.stringify({ name: 'before-restart' }),
      });
    try {
      const first = await startServer({ port: 0, dataDir }, silent);
      const a = await post(first.url, first.token);
      await first.close();
      const second = await startServer({ port: 0, dataDir }, silent);
      try {
        const b = await post(second.url, second.token);
        expect(b.status).toBe(201);
        expect(await b.json()).toEqual(await a.json());
        const zones = await (await fetch(`${second.url}/v1/zones`, { headers: { authorization: `Bearer ${second.token}` } })).json();
        expect(zones).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
