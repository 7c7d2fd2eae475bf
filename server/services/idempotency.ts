/**
 * Idempotency keys on creates (after the IETF Idempotency-Key header draft): a client whose
 * create lost its response (server crash, network cut) sends it again with the same key and
 * gets the first answer instead of a second object. The key and the answer are stored in
 * the transaction of the create itself, so either both exist or neither does. Refusals are
 * not stored: the same key may be retried once the cause is gone. Keys expire after a day.
 */
import { createHash } from 'node:crypto';
import { Op as Sq } from 'sequelize';
import { ApiError, BadRequestError } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** The key of a request, validated; undefined when none was sent. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY.test(header)) {
    throw new BadRequestError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-255 visible ASCII characters', [{ path: 'Idempotency-Key', message: 'invalid key' }]);
  }
  return header;
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(JSON.stringify([method, path, body ?? null])).digest('hex');
}

/**
 * Inside the create's write transaction: the stored answer for `key`, or the answer `run`
 * gives, stored under `key` before the transaction commits.
 */
export async function onceForKey(key: string | undefined, fingerprint: string, op: Op, run: () => Promise<StoredResponse>): Promise<StoredResponse> {
  if (key === undefined) return run();
  const found = await M.IdempotencyKeyRow.findByPk(key, { transaction: op.tx });
  if (found && Date.now() - new Date(found.createdAt).getTime() < IDEMPOTENCY_TTL_MS) {
    if (found.fingerprint !== fingerprint) {
      throw ApiError.of('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for a different request', [
        { path: 'Idempotency-Key', message: 'send a new key for a new request' },
      ]);
    }
    return { status: found.status, body: JSON.parse(found.body) as unknown };
  }
  if (found) await found.destroy({ transaction: op.tx });
  const response = await run();
  await M.IdempotencyKeyRow.create({ key, fingerprint, status: response.status, body: JSON.stringify(response.body) }, { transaction: op.tx });
  if (Date.now() - lastSweep > SWEEP_EVERY_MS) await forgetExpiredKeys(op);
  return response;
}

/** How often expired keys are swept while the server runs (and once at start-up). */
const SWEEP_EVERY_MS = 60 * 60 * 1000;
let lastSweep = 0;

/** Forgets expired keys. */
export async function forgetExpiredKeys(op: Op): Promise<void> {
  lastSweep = Date.now();
  await M.IdempotencyKeyRow.destroy({ where: { createdAt: { [Sq.lt]: new Date(Date.now() - IDEMPOTENCY_TTL_MS) } }, transaction: op.tx });
}
