/**
 * REST routes for one object type from the operations table:
 * GET /v1/<path>[?filter=...], POST, GET/PATCH/DELETE /v1/<path>/:uuid.
 * Writes run under the topology write lock; reads see committed state.
 */
import { Router, type Request } from 'express';
import { ApiError, BadRequestError } from '../../errors';
import type { ServerParts } from '../../services/context';
import type { ObjectOperations } from '../../services/operations';
import { zodToApiError } from '../error-handler';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf, onceForKey, requestFingerprint } from '../../services/idempotency';

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

function parseBody<T>(ops: ObjectOperations, schema: ObjectOperations['createSchema'], body: unknown): T {
  const parsed = schema.safeParse(body ?? undefined);
  if (!parsed.success) throw zodToApiError(parsed.error, `for ${ops.type}`);
  return parsed.data as T;
}

export function crudRouter(ops: ObjectOperations, parts: ServerParts): Router {
  const router = Router();
  const write = <T>(fn: (op: { parts: ServerParts; tx: import('sequelize').Transaction; dryRun: false }) => Promise<T>) =>
    parts.db.write((tx) => fn({ parts, tx, dryRun: false }));

  router.get('/', async (req, res) => {
    res.json(await ops.list(parseFilters(req, ops.filters)));
  });
  router.post('/', async (req, res) => {
    const key = idempotencyKeyOf(req.get(IDEMPOTENCY_HEADER));
    const input = parseBody<never>(ops, ops.createSchema, req.body);
    const fingerprint = requestFingerprint('POST', req.baseUrl, req.body);
    const answer = await write((op) =>
      onceForKey(key, fingerprint, op, async () => ({ status: 201, body: await ops.get((await ops.create(input, op)).uuid, op) })),
    );
    res.status(answer.status).json(answer.body);
  });
  router.get('/:uuid', async (req, res) => {
    res.json(await ops.get(req.params.uuid, { parts, dryRun: false }));
  });
  if (ops.update && ops.updateSchema) {
    const update = ops.update;
    const schema = ops.updateSchema;
    router.patch('/:uuid', async (req, res) => {
      const input = parseBody<never>(ops, schema, req.body);
      await write((op) => update(req.params.uuid, input, op));
      res.json(await ops.get(req.params.uuid, { parts, dryRun: false }));
    });
  }
  if (!ops.update) {
    router.patch('/:uuid', () => {
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${ops.type} can't be updated in place; delete it and create a new one`);
    });
  }
  router.delete('/:uuid', async (req, res) => {
    await write((op) => ops.remove(req.params.uuid, op));
    res.status(204).end();
  });
  return router;
}
