/**
 * Typed API errors. Everything the API refuses becomes
 * `{ error: { code, message, details: [{ path, message, code?, conflicting? }] } }`
 * in one middleware (api/error-handler.ts). Codes and their statuses are the contract's
 * (contract/error-codes.ts).
 */
import { statusOf, type ApiErrorCode, type ErrorCode } from '../contract/error-codes';
import { describeObject, type ConflictingObject, type Violation } from '../topology/violation';

export interface ErrorDetail {
  path: string;
  message: string;
  code?: ErrorCode;
  conflicting?: ConflictingObject;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** An error whose code has one status (the contract's). */
  static of(code: ApiErrorCode, message: string, details: ErrorDetail[] = []): ApiError {
    return new ApiError(statusOf(code), code, message, details);
  }
}

/** 400 for a problem of the request itself. */
export class BadRequestError extends ApiError {
  constructor(code: ApiErrorCode, message: string, details: ErrorDetail[] = []) {
    super(400, code, message, details);
  }
}

export class NotFoundError extends ApiError {
  constructor(typeName: string, uuid: string, path = 'uuid') {
    super(404, 'NOT_FOUND', `${typeName} ${uuid} does not exist`, [{ path, message: `no ${typeName} with uuid ${uuid}` }]);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message = 'a valid bearer token is required (Authorization: Bearer <token>)') {
    super(401, 'UNAUTHORIZED', message);
  }
}

function fromViolations(violations: readonly Violation[]): ErrorDetail[] {
  return violations.map((v) => ({ path: v.path, message: v.message, code: v.code, ...(v.conflicting ? { conflicting: v.conflicting } : {}) }));
}

function summarize(prefix: string, violations: readonly Violation[]): string {
  const first = violations[0]?.message ?? prefix;
  return violations.length > 1 ? `${first} (and ${violations.length - 1} more)` : first;
}

/** Violations in the request itself: 400. */
export class RuleViolationError extends ApiError {
  constructor(readonly violations: readonly Violation[]) {
    super(400, violations.length === 1 ? violations[0].code : 'RULE_VIOLATIONS', summarize('invalid request', violations), fromViolations(violations));
  }
}

/** Conflicts with stored state: 409. */
export class ConflictError extends ApiError {
  constructor(readonly violations: readonly Violation[]) {
    super(409, violations.length === 1 ? violations[0].code : 'CONFLICTS', summarize('conflict', violations), fromViolations(violations));
  }
}

/** Throws the right error for a set of violations; stateful ones (with conflicts) win. */
export function throwIfViolations(stateless: readonly Violation[], stateful: readonly Violation[] = []): void {
  if (stateless.length > 0) throw new RuleViolationError(stateless);
  if (stateful.length > 0) throw new ConflictError(stateful);
}

/** A host-side failure (realization, VM start): 409 with each host named. */
export class HostOperationError extends ApiError {
  constructor(code: ApiErrorCode, message: string, details: ErrorDetail[]) {
    super(409, code, message, details);
  }
}

export { describeObject };
