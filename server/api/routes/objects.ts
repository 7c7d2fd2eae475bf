/**
 * The REST routes of every object type in the catalog (contract/objects.ts), each under
 * its path, e.g. /v1/l2-cluster-attachments:
 *
 *   GET    /v1/<path>[?filter=...]   list, filtered by the type's filters
 *   POST   /v1/<path>                create (Idempotency-Key honoured), 201 with the object
 *   GET    /v1/<path>/:uuid          read
 *   PATCH  /v1/<path>/:uuid          update in place, or 405 for types that are replaced
 *   DELETE /v1/<path>/:uuid          delete, 204
 *
 * Types the server makes itself (virtual routers) answer POST, PATCH and DELETE with 405.
 *
 * Writes run under the topology write lock; reads see committed state.
 */
import { Router, type Request } from 'express';
import type { z } from 'zod';
import { OBJECTS, OBJECT_TYPES, type ObjectType } from '../../../contract';
import { BadRequestError } from '../../errors';
import type { Op, ServerParts } from '../../services/context';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf, onceForKey, requestFingerprint } from '../../services/idempotency';
import { getObject, listObjects } from '../../services/listing';
import { createObject, deleteObject, notCreatable, notUpdatable, updateObject } from '../../services/objects';
import { zodToApiError } from '../error-handler';

function parseFilters(req: Request, allowed: readonly string[]): Record<string, string> {
  const where: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query)) {
    if (!allowed.includes(key)) {
      throw new BadRequestError('UNKNOWN_FILTER', `unknown query parameter ${JSON.stringify(key)}`, [
        { path: key, message: `filters are: ${allowed.join(', ') || 'none'}` },
      ]);
    }
    if (typeof value !== 'string') throw new BadRequestError('VALIDATION_FAILED', `query parameter ${key} must be given once`, [{ path: key, message: 'expected a single value' }]);
    where[key] = value;
  }
  return where;
}

function parseBody<I>(type: ObjectType, schema: z.ZodType<I>, body: unknown): I {
  const parsed = schema.safeParse(body ?? undefined);
  if (!parsed.success) throw zodToApiError(parsed.error, `for ${type}`);
  return parsed.data;
}

function objectRouter<T extends ObjectType>(type: T, parts: ServerParts): Router {
  const def = OBJECTS[type];
  const router = Router();
  const read: Op = { parts, dryRun: false };
  const write = <R>(fn: (op: Op) => Promise<R>) => parts.db.write((tx) => fn({ parts, tx, dryRun: false }));

  router.get('/', async (req, res) => {
    res.json(await listObjects(type, parseFilters(req, def.filters)));
  });
  const createSchema = def.create;
  router.post('/', async (req, res) => {
    if (!createSchema) throw notCreatable(type);
    const key = idempotencyKeyOf(req.get(IDEMPOTENCY_HEADER));
    const input = parseBody(type, createSchema, req.body);
    const fingerprint = requestFingerprint('POST', req.baseUrl, req.body);
    const answer = await write((op) =>
      onceForKey(key, fingerprint, op, async () => ({ status: 201, body: await getObject(type, (await createObject(type, input, op)).uuid, op) })),
    );
    res.status(answer.status).json(answer.body);
  });
  router.get('/:uuid', async (req, res) => {
    res.json(await getObject(type, req.params.uuid, read));
  });
  const updateSchema = def.update;
  router.patch('/:uuid', async (req, res) => {
    if (!updateSchema) throw notUpdatable(type);
    const input = parseBody(type, updateSchema, req.body);
    await write((op) => updateObject(type, req.params.uuid, input, op));
    res.json(await getObject(type, req.params.uuid, read));
  });
  router.delete('/:uuid', async (req, res) => {
    if (!createSchema) throw notCreatable(type);
    await write((op) => deleteObject(type, req.params.uuid, op));
    res.status(204).end();
  });
  return router;
}

/** Mounts every object type's routes on the /v1 router. */
export function mountObjectRoutes(v1: Router, parts: ServerParts): void {
  for (const type of OBJECT_TYPES) v1.use(`/${OBJECTS[type].path}`, objectRouter(type, parts));
}
