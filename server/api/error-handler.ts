/** The one place errors become HTTP responses: `{ error: { code, message, details } }`. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ApiError, BadRequestError } from '../errors';

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

/** body-parser's errors carry a `type`; turn the common ones into our codes. */
function fromBodyParser(err: { type?: string; status?: number; message?: string }): ApiError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new BadRequestError('MALFORMED_JSON', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the 1 MB limit');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'UNSUPPORTED_ENCODING', err.message ?? 'unsupported encoding');
    default:
      return null;
  }
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    void _next;
    const apiError =
      err instanceof ApiError ? err : err instanceof ZodError ? zodToApiError(err) : typeof err === 'object' && err ? fromBodyParser(err) : null;
    if (!apiError) {
      log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
      res.status(500).json({ error: { code: 'INTERNAL', message: 'internal server error', details: [] } });
      return;
    }
    res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message, details: apiError.details } });
  };
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'NO_SUCH_ROUTE', `no route ${req.method} ${req.path}`));
};
