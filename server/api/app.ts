/** Builds the Express app: JSON in and out, versioned under /v1, bearer token required. */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { BatchReadRequest } from '../../contract/batch-read';
import { ValidateRequest } from '../../contract/validate';
import type { ServerParts } from '../services/context';
import { batchRead } from '../services/batch-read';
import { readOverview } from '../services/overview';
import { uiRouter } from '../ui/page';
import { validateChanges } from '../services/validate';
import { requireBearerToken } from './auth';
import { refuseNulBytes } from './input-guard';
import { redactUrl } from './redact';
import { errorHandler, notFoundRoute, zodToApiError } from './error-handler';
import { buildOpenApiDocument } from './openapi';
import { mountObjectRoutes } from './routes/objects';
import { providerL2Router } from './routes/provider-l2';
import { serviceEndpointsRouter } from './routes/service-endpoints';
import { simulatorRouter } from './routes/simulator';
import type { SimulatorState } from '../hypervisors/simulator/state';

export const BODY_LIMIT = '1mb';

export interface AppOptions {
  parts: ServerParts;
  token: string;
  version: string;
  simulator: SimulatorState;
  /** What KVM agents must be told to trust (--server-fingerprint). */
  agentClientFingerprint: string;
}

function requestLog(log: Logger): express.RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ method: req.method, url: redactUrl(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}

export function buildApp({ parts, token, version, simulator, agentClientFingerprint }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestLog(parts.log));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', version });
  });
  const openapi = buildOpenApiDocument(version);
  const v1 = express.Router();
  v1.use(requireBearerToken(token));
  v1.use(express.json({ limit: BODY_LIMIT, strict: true }));
  v1.use(refuseNulBytes);
  v1.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  v1.get('/identity', (_req, res) => {
    res.json({ version, agentClient: { fingerprint: agentClientFingerprint } });
  });
  v1.post('/validate', async (req, res) => {
    const parsed = ValidateRequest.safeParse(req.body);
    if (!parsed.success) throw zodToApiError(parsed.error);
    // A dry run nobody waits for any more stops at its next step.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    res.json(await validateChanges(parsed.data, parts, gone.signal));
  });
  v1.post('/batch-read', async (req, res) => {
    const parsed = BatchReadRequest.safeParse(req.body);
    if (!parsed.success) throw zodToApiError(parsed.error);
    res.json(await batchRead(parsed.data.objects));
  });
  v1.get('/overview', async (req, res) => {
    const overview = await readOverview({ tx: undefined });
    // The revision is the entity tag: a client that has it gets 304 and no body.
    const etag = `"${overview.revision}"`;
    res.set('ETag', etag).set('Cache-Control', 'private, no-cache');
    const known = (req.get('if-none-match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
    if (known.includes(etag)) res.status(304).end();
    else res.json(overview);
  });
  v1.use('/network-service-providers', providerL2Router(parts));
  v1.use('/service-endpoints', serviceEndpointsRouter(parts));
  mountObjectRoutes(v1, parts);
  v1.use('/simulator', simulatorRouter(simulator));
  app.use('/v1', v1);
  app.use('/ui', uiRouter());
  app.use(notFoundRoute);
  app.use(errorHandler(parts.log));
  return app;
}
