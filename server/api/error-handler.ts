/** The one place errors become HTTP responses: `{ error: { code, message, details } }`. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ApiError, BadRequestError } from '../errors';
import { redactUrl } from './redact';

export function zodToApiError(err: ZodError, where = 'body'): ApiError {
  // An unknown field gets a detail of its own at its path, so clients can point at it.
  const details = err.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ path: [...i.path, key].join('.'), message: `unknown field ${JSON.stringify(key)}` }))
      : [{ path: i.path.join('.'), message: i.message }],
  );
  const first = details[0];
  return new BadRequestError('VALIDATION_FAILED', `invalid request ${where}${first ? `: ${first.path || '(root)'}: ${first.message}` : ''}`, details);
}

/**
 * Errors Express and body-parser raise about the request itself carry a 4xx `status` (and
 * body-parser's a `type`): each becomes a machine-readable code; none is a 500.
 */
function fromHttpLayer(err: { type?: string; status?: number; statusCode?: number; message?: string }, contentEncoding: string): ApiError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new BadRequestError('MALFORMED_JSON', 'the request body is not valid JSON');
    case 'entity.too.large':
      return ApiError.of('PAYLOAD_TOO_LARGE', 'the request body is larger than the 1 MB limit');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return ApiError.of('UNSUPPORTED_ENCODING', err.message ?? 'unsupported encoding');
    default:
      break;
  }
  const status = err.status ?? err.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  if (err instanceof URIError) return new BadRequestError('MALFORMED_URL', `the URL is not valid: ${err.message}`, [{ path: 'url', message: err.message }]);
  // A body that claims an encoding it doesn't have (Content-Encoding: gzip over plain bytes):
  // the only other 400 the body layer raises without a `type`.
  if (err.type === undefined && contentEncoding !== 'identity') {
    return new BadRequestError('MALFORMED_BODY_ENCODING', `the request body could not be decoded as Content-Encoding ${contentEncoding} (${err.message ?? 'decompression failed'})`);
  }
  return new ApiError(status, 'BAD_REQUEST', err.message ?? 'the request is malformed');
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    void _next;
    const apiError =
      err instanceof ApiError ? err : err instanceof ZodError ? zodToApiError(err) : typeof err === 'object' && err ? fromHttpLayer(err, (req.get('content-encoding') ?? 'identity').toLowerCase()) : null;
    if (!apiError) {
      log.error({ err, method: req.method, url: redactUrl(req.originalUrl) }, 'unhandled error');
      res.status(500).json({ error: { code: 'INTERNAL', message: 'internal server error', details: [] } });
      return;
    }
    res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message, details: apiError.details } });
  };
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(ApiError.of('NO_SUCH_ROUTE', `no route ${req.method} ${req.path}`));
};
