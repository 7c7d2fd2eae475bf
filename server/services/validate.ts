/**
 * POST /v1/validate: applies a batch of intended changes inside a transaction that is
 * always rolled back, with hosts untouched, and reports every violation. Each change runs
 * in its own savepoint, so one failure does not hide the next. A change may refer to an
 * object another change of the batch creates with {"$ref": "<change id>"}.
 *
 * The outcome does not depend on the order of independent changes: a change refused only
 * for something missing (kind 'missing': no eligible host, no free address...) is tried
 * again after the rest of the batch, as long as another change got through meanwhile.
 * Batches are bounded (changes, nesting, $ref chains) and the dry run stops at its next step
 * when the client goes away; writes wait for at most one step of it (write-queue.ts).
 */
import {
  OBJECTS,
  objectTypeOf,
  statusOf,
  type ApiErrorCode,
  type ChangeResult as WireChangeResult,
  type ChangeViolation as WireChangeViolation,
  type ErrorCode,
  type ObjectType,
  type ValidateChange,
  type ValidateRequestInput,
  type ValidateResponse,
} from '../../contract';
import { batchRefsIn, isBatchRef } from '../../topology/batch-refs';
import { violationKind } from '../../topology/violation-codes';
import { ApiError, BadRequestError } from '../errors';
import type { Op, ServerParts } from './context';
import { createObject, deleteObject, updateObject, updaterOf } from './objects';
import { realizationNotes } from './realization-notes';

/** Nesting of a change's attributes: the deepest real attribute (host routes) is 3 levels. */
export const MAX_ATTRIBUTE_DEPTH = 16;
/** Longest chain of changes referring to each other: a real topology is about 6 deep. */
export const MAX_REF_CHAIN = 64;
/** Passes over changes that wait for others (real batches settle in two or three). */
export const MAX_PASSES = 8;

type Change = ValidateChange;
type ChangeViolation = WireChangeViolation<ErrorCode>;
type ChangeResult = WireChangeResult<ErrorCode>;

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

/** Runs one change the way its request would; the uuid a create made. A schema failure throws VALIDATION_FAILED. */
async function applyChange<T extends ObjectType>(type: T, action: Change['action'], attributes: unknown, uuid: string, op: Op): Promise<string | undefined> {
  const def = OBJECTS[type];
  if (action === 'delete') {
    await deleteObject(type, uuid, op);
    return undefined;
  }
  if (action === 'create') {
    // (Read-only types were refused before: the caller checks def.create.)
    const parsed = def.create?.safeParse(attributes);
    if (!parsed) return undefined;
    if (!parsed.success) throw schemaViolations(parsed.error.issues);
    return (await createObject(type, parsed.data, op)).uuid;
  }
  // (Types that are never updated were refused before: the caller checks updaterOf.)
  const parsed = def.update?.safeParse(attributes);
  if (!parsed) return undefined;
  if (!parsed.success) throw schemaViolations(parsed.error.issues);
  await updateObject(type, uuid, parsed.data, op);
  return undefined;
}

/** Each schema issue as a violation of its own, at its path. */
function schemaViolations(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): ApiError {
  return new BadRequestError(
    'VALIDATION_FAILED',
    issues[0]?.message ?? 'invalid',
    issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: 'VALIDATION_FAILED' })),
  );
}

/** A refusal of the batch layer itself, with the status its code has. */
function changeViolation(code: ApiErrorCode, path: string, message: string): ChangeViolation {
  return { code, path, message, status: statusOf(code) };
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

/** How deep a JSON value nests, counted without recursion (a hostile body may nest thousands deep). */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_ATTRIBUTE_DEPTH) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Orders changes so that every $ref target runs first (stable otherwise), without recursion.
 * A cycle is left to fail on its missing refs. Throws a 400 when a chain of refs is longer
 * than MAX_REF_CHAIN.
 */
function orderByRefs(changes: Change[]): number[] {
  const ids = new Map(changes.flatMap((c, i) => (c.id ? [[c.id, i] as const] : [])));
  const deps = changes.map((c) => batchRefsIn(c.attributes).flatMap((ref) => (ids.has(ref) ? [ids.get(ref)!] : [])));
  const order: number[] = [];
  const state = new Array<0 | 1 | 2>(changes.length).fill(0);
  const chain = new Array<number>(changes.length).fill(1);
  for (let root = 0; root < changes.length; root++) {
    if (state[root] !== 0) continue;
    // Iterative depth-first walk: [change, index of the next dependency to visit].
    const stack: Array<[number, number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [i, next] = top;
      if (next < deps[i].length) {
        top[1]++;
        const d = deps[i][next];
        if (state[d] === 0) {
          state[d] = 1;
          stack.push([d, 0]);
        }
        continue;
      }
      stack.pop();
      state[i] = 2;
      chain[i] = 1 + Math.max(0, ...deps[i].filter((d) => state[d] === 2 && d !== i).map((d) => chain[d]));
      if (chain[i] > MAX_REF_CHAIN) {
        throw new BadRequestError('REF_CHAIN_TOO_LONG', `changes refer to each other in a chain longer than ${MAX_REF_CHAIN}`, [
          { path: `changes[${i}].attributes`, message: `this change ends a chain of more than ${MAX_REF_CHAIN} $refs` },
        ]);
      }
      order.push(i);
    }
  }
  return order;
}

/** Refuses, before any work, batches too deep to walk safely. */
function assertBounded(request: ValidateRequestInput): void {
  request.changes.forEach((c, i) => {
    if (nestingDepth(c.attributes) > MAX_ATTRIBUTE_DEPTH) {
      throw new BadRequestError('NESTING_TOO_DEEP', `changes[${i}].attributes nests deeper than ${MAX_ATTRIBUTE_DEPTH} levels`, [
        { path: `changes[${i}].attributes`, message: `at most ${MAX_ATTRIBUTE_DEPTH} levels of nesting` },
      ]);
    }
  });
}

/** Only violations another change of the batch could cure: worth another try after the rest. */
function onlyMissing(result: ChangeResult): boolean {
  return result.violations.length > 0 && result.violations.every((v) => v.status === 409 && violationKind(v.code) === 'missing');
}

export async function validateChanges(
  request: ValidateRequestInput,
  parts: ServerParts,
  signal?: AbortSignal,
): Promise<ValidateResponse<ErrorCode>> {
  assertBounded(request);
  const order = orderByRefs(request.changes);
  const results = await parts.db.dryRun(async (tx, checkpoint) => {
    const results: ChangeResult[] = new Array(request.changes.length);
    const uuids = new Map<string, string | null>();
    /** Ids of changes that will be tried again: their dependents wait for them. */
    const retrying = new Set<string>();

    const attempt = async (index: number): Promise<ChangeResult> => {
      const change = request.changes[index];
      const result: ChangeResult = { index, id: change.id ?? null, action: change.action, type: change.type, ok: false, uuid: change.uuid ?? null, violations: [] };
      const type = objectTypeOf(change.type);
      const missing: string[] = [];
      const attributes = resolveRefs(change.attributes ?? {}, uuids, missing);
      const uuid = change.uuid;
      if (!type) {
        result.violations.push(changeViolation('UNKNOWN_TYPE', 'type', `unknown object type ${JSON.stringify(change.type)}`));
      } else if (missing.length > 0) {
        result.violations.push(
          changeViolation('DEPENDS_ON_FAILED_CHANGE', 'attributes', `refers to ${missing.map((m) => JSON.stringify(m)).join(', ')}, which is not in the batch or did not validate`),
        );
      } else if (change.action !== 'create' && !uuid) {
        result.violations.push(changeViolation('VALIDATION_FAILED', 'uuid', `${change.action} needs the object's uuid`));
      } else if (!OBJECTS[type].create) {
        result.violations.push(changeViolation('READ_ONLY_TYPE', 'type', `${change.type} objects are made by the server; they can only be read`));
      } else if (change.action === 'update' && !updaterOf(type)) {
        result.violations.push(changeViolation('NOT_UPDATABLE', 'action', `${change.type} can't be updated in place; replace it`));
      } else {
        try {
          await parts.db.sequelize.transaction({ transaction: tx }, async (savepoint) => {
            result.uuid = (await applyChange(type, change.action, attributes, uuid ?? '', { parts, tx: savepoint, dryRun: true })) ?? result.uuid;
          });
        } catch (err) {
          result.violations.push(...violationsOf(err));
        }
      }
      result.ok = result.violations.length === 0;
      return result;
    };

    let pending = order;
    for (let pass = 1; ; pass++) {
      const again: number[] = [];
      let progress = false;
      for (const index of pending) {
        await checkpoint();
        const change = request.changes[index];
        if (batchRefsIn(change.attributes).some((ref) => retrying.has(ref))) {
          again.push(index);
          continue;
        }
        const result = await attempt(index);
        results[index] = result;
        if (change.action !== 'delete' && onlyMissing(result)) {
          again.push(index);
          if (change.id) retrying.add(change.id);
          continue;
        }
        progress = true;
        if (change.id) {
          retrying.delete(change.id);
          uuids.set(change.id, result.ok ? (result.uuid ?? null) : null);
        }
      }
      if (again.length === 0) break;
      if (!progress || pass === MAX_PASSES) {
        // Nothing else got through: what is still missing stays missing. Changes that
        // waited for one of these get the usual "depends on a failed change".
        for (const id of retrying) uuids.set(id, null);
        retrying.clear();
        for (const index of again) {
          await checkpoint();
          if (!results[index]) results[index] = await attempt(index);
        }
        break;
      }
      pending = again;
    }
    // What the whole batch would realize, read from the state it left: where routers run, what waits.
    for (const r of results) {
      const type = objectTypeOf(r.type);
      if (!r.ok || !r.uuid || !type || r.action === 'delete') continue;
      await checkpoint();
      const notes = await realizationNotes(type, r.uuid, { parts, tx, dryRun: true });
      if (notes.length > 0) r.notes = notes;
    }
    return results;
  }, signal);
  return { valid: results.every((r) => r.ok), results };
}
