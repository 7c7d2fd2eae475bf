/**
 * POST /v1/validate: applies a batch of intended changes inside a transaction that is
 * always rolled back, with hosts untouched, and reports every violation. Each change runs
 * in its own savepoint, so one failure does not hide the next. A change may refer to an
 * object another change of the batch creates with {"$ref": "<change id>"}.
 */
import { z } from 'zod';
import { batchRefsIn, isBatchRef } from '../../topology/batch-refs';
import type { Violation } from '../../topology/violation';
import { ApiError } from '../errors';
import type { ServerParts } from './context';
import { OPERATIONS_BY_TYPE } from './operations';

export const ValidateRequest = z
  .strictObject({
    changes: z
      .array(
        z.strictObject({
          id: z.string().max(512).optional(),
          action: z.enum(['create', 'update', 'delete']),
          type: z.string().max(64),
          uuid: z.string().max(64).optional(),
          attributes: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .max(10_000),
  })
  .openapi('ValidateRequest');
export type ValidateRequestInput = z.infer<typeof ValidateRequest>;
type Change = ValidateRequestInput['changes'][number];

export interface ChangeViolation extends Violation {
  /** 400 (the change itself is invalid), 404 (refers to nothing) or 409 (conflicts with state). */
  status: number;
}

export interface ChangeResult {
  index: number;
  id: string | null;
  action: Change['action'];
  type: string;
  ok: boolean;
  /** The uuid the object has (or would get: a dry-run uuid is not kept). */
  uuid: string | null;
  violations: ChangeViolation[];
}

class DryRunRollback extends Error {}

/** Replaces {"$ref": id} anywhere in a value with the uuid that change produced. */
function resolveRefs(value: unknown, uuids: Map<string, string | null>, missing: string[]): unknown {
  if (isBatchRef(value)) {
    const uuid = uuids.get(value.$ref);
    if (!uuid) missing.push(value.$ref);
    return uuid ?? '';
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, uuids, missing));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, uuids, missing)]));
  }
  return value;
}

function violationsOf(err: unknown): ChangeViolation[] {
  if (err instanceof ApiError) {
    if (err.details.length === 0) return [{ code: err.code, path: '', message: err.message, status: err.status }];
    return err.details.map((d) => ({
      code: d.code ?? err.code,
      path: d.path,
      message: d.message,
      status: err.status,
      ...(d.conflicting ? { conflicting: d.conflicting } : {}),
    }));
  }
  throw err;
}

/** Orders changes so that every $ref target runs first (stable otherwise). */
function orderByRefs(changes: Change[]): number[] {
  const ids = new Map(changes.flatMap((c, i) => (c.id ? [[c.id, i] as const] : [])));
  const deps = changes.map((c) => batchRefsIn(c.attributes).flatMap((ref) => (ids.has(ref) ? [ids.get(ref)!] : [])));
  const order: number[] = [];
  const state = new Array<0 | 1 | 2>(changes.length).fill(0);
  const visit = (i: number) => {
    if (state[i] !== 0) return; // a cycle is left to fail on its missing ref
    state[i] = 1;
    deps[i].forEach(visit);
    state[i] = 2;
    order.push(i);
  };
  changes.forEach((_, i) => visit(i));
  return order;
}

export async function validateChanges(request: ValidateRequestInput, parts: ServerParts): Promise<{ valid: boolean; results: ChangeResult[] }> {
  const results: ChangeResult[] = new Array(request.changes.length);
  try {
    await parts.db.write(async (tx) => {
      const uuids = new Map<string, string | null>();
      for (const index of orderByRefs(request.changes)) {
        const change = request.changes[index];
        const result: ChangeResult = { index, id: change.id ?? null, action: change.action, type: change.type, ok: false, uuid: change.uuid ?? null, violations: [] };
        results[index] = result;
        const ops = OPERATIONS_BY_TYPE.get(change.type);
        const missing: string[] = [];
        const attributes = resolveRefs(change.attributes ?? {}, uuids, missing) as Record<string, unknown>;
        const uuid = change.uuid;
        if (!ops) {
          result.violations.push({ code: 'UNKNOWN_TYPE', path: 'type', message: `unknown object type ${JSON.stringify(change.type)}`, status: 400 });
        } else if (missing.length > 0) {
          result.violations.push({
            code: 'DEPENDS_ON_FAILED_CHANGE',
            path: 'attributes',
            message: `refers to ${missing.map((m) => JSON.stringify(m)).join(', ')}, which is not in the batch or did not validate`,
            status: 409,
          });
        } else if (change.action !== 'create' && !uuid) {
          result.violations.push({ code: 'VALIDATION_FAILED', path: 'uuid', message: `${change.action} needs the object's uuid`, status: 400 });
        } else if (change.action === 'update' && !ops.update) {
          result.violations.push({ code: 'NOT_UPDATABLE', path: 'action', message: `${change.type} can't be updated in place; replace it`, status: 400 });
        } else {
          const schema = change.action === 'create' ? ops.createSchema : change.action === 'update' ? ops.updateSchema! : null;
          const parsed = schema ? schema.safeParse(attributes) : null;
          if (parsed && !parsed.success) {
            for (const issue of parsed.error.issues) {
              result.violations.push({ code: 'VALIDATION_FAILED', path: issue.path.join('.'), message: issue.message, status: 400 });
            }
          } else {
            try {
              await parts.db.sequelize.transaction({ transaction: tx }, async (savepoint) => {
                const op = { parts, tx: savepoint, dryRun: true };
                if (change.action === 'create') result.uuid = (await ops.create(parsed!.data as never, op)).uuid;
                else if (change.action === 'update') await ops.update!(uuid!, parsed!.data as never, op);
                else await ops.remove(uuid!, op);
              });
            } catch (err) {
              result.violations.push(...violationsOf(err));
            }
          }
        }
        result.ok = result.violations.length === 0;
        if (change.id) uuids.set(change.id, result.ok ? (result.uuid ?? null) : null);
      }
      throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  return { valid: results.every((r) => r.ok), results };
}
