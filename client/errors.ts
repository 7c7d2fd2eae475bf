/** What can go wrong talking to the control server, as the client reports it. */
import { codesOfKind, violationKind } from '../topology/violation-codes';

export interface ApiErrorBody {
  error: { code: string; message: string; details: Array<{ path: string; message: string; code?: string; conflicting?: { type: string; uuid?: string; name?: string } }> };
}

/** The server answered with an error (`{ error: { code, message, details } }`). */
export class NetforgeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(body.message);
    this.name = 'NetforgeApiError';
  }

  /** The top-level code and every detail's. */
  get codes(): string[] {
    return [this.body.code, ...this.body.details.flatMap((d) => (d.code ? [d.code] : []))];
  }
}

/**
 * No answer: the server could not be reached, or the answer was lost on the way (the
 * request may or may not have been carried out). `reason` is the cause (ECONNREFUSED...).
 */
export class NetforgeUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`cannot reach the netforge server at ${endpoint}`);
    this.name = 'NetforgeUnreachableError';
  }
}

/** An answer that is not JSON (a proxy's error page, a cut-off body). */
export class NetforgeBadAnswerError extends Error {
  constructor(
    readonly endpoint: string,
    readonly text: string,
  ) {
    super(`the netforge server at ${endpoint} answered something that is not JSON`);
    this.name = 'NetforgeBadAnswerError';
  }
}

/** Worth retrying with the same idempotency key: no answer, or the server was restarting. */
export function isTransient(err: unknown): boolean {
  return (
    err instanceof NetforgeUnreachableError ||
    err instanceof NetforgeBadAnswerError ||
    (err instanceof NetforgeApiError && (err.status === 502 || err.status === 503 || err.status === 504))
  );
}

/** Delete conflicts that end when other deletes of the same apply finish (Terraform runs them in parallel). */
const IN_USE_CODES: ReadonlySet<string> = codesOfKind('inUse', 'held');

export function isInUse(err: unknown): boolean {
  return err instanceof NetforgeApiError && err.status === 409 && err.codes.some((c) => IN_USE_CODES.has(c));
}

/** A create refused for something another create of the same apply may supply (kind 'missing'). */
export function isMissing(err: unknown): boolean {
  return err instanceof NetforgeApiError && err.status === 409 && err.codes.some((c) => violationKind(c) === 'missing');
}
