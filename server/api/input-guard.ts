/**
 * Refuses input no rule should ever see: NUL bytes in the URL (path parameters, filters) or
 * anywhere in a JSON body. Databases reject or truncate them (SQLite answered "unrecognized
 * token"), so they stop here with a 400 naming where they were.
 */
import type { RequestHandler } from 'express';
import { BadRequestError } from '../errors';

/** Percent-encoded NUL in the raw URL (before any decoding). */
const ENCODED_NUL = /%00/i;

/** The path of the first string holding a NUL, walked without recursion (bodies may nest deep). */
export function firstNulPath(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v).reverse()) {
        const at = path ? `${path}.${k}` : k;
        if (k.includes('\u0000')) return at;
        stack.push([child, at]);
      }
    }
  }
  return null;
}

export const refuseNulBytes: RequestHandler = (req, _res, next) => {
  if (ENCODED_NUL.test(req.originalUrl) || req.originalUrl.includes('\u0000')) {
    next(new BadRequestError('INVALID_CHARACTER', 'the URL contains a NUL byte (%00)', [{ path: 'url', message: 'NUL bytes are not allowed' }]));
    return;
  }
  const at = firstNulPath(req.body);
  if (at !== null) {
    next(new BadRequestError('INVALID_CHARACTER', `${at || 'the body'} contains a NUL byte`, [{ path: at, message: 'NUL bytes are not allowed' }]));
    return;
  }
  next();
};
