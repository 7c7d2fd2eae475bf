/** GET /v1/service-endpoints: where network services run and what they serve (contract/service-endpoints.ts). */
import { Router } from 'express';
import { SERVICE_ENDPOINT_FILTERS } from '../../../contract/service-endpoints';
import { BadRequestError } from '../../errors';
import type { ServerParts } from '../../services/context';
import { listServiceEndpoints } from '../../services/service-endpoints';

export function serviceEndpointsRouter(parts: ServerParts): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const filters: { l3NetworkUuid?: string; hostUuid?: string } = {};
    for (const [key, value] of Object.entries(req.query)) {
      if (!(SERVICE_ENDPOINT_FILTERS as readonly string[]).includes(key)) {
        throw new BadRequestError('UNKNOWN_FILTER', `unknown query parameter ${JSON.stringify(key)}`, [{ path: key, message: `filters are: ${SERVICE_ENDPOINT_FILTERS.join(', ')}` }]);
      }
      if (typeof value !== 'string') throw new BadRequestError('VALIDATION_FAILED', `query parameter ${key} must be given once`, [{ path: key, message: 'expected a single value' }]);
      filters[key as (typeof SERVICE_ENDPOINT_FILTERS)[number]] = value;
    }
    res.json(await listServiceEndpoints(filters, { parts, dryRun: false }));
  });
  return router;
}
