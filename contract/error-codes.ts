/**
 * Every error code the API answers with, and its HTTP status. Responses are
 * `{ error: { code, message, details: [{ path, message, code?, conflicting? }] } }`; a
 * response about topology rules carries the rules' own codes (topology/violation-codes.ts)
 * in its details, and in `code` when there is only one.
 */
import { VIOLATION_CODES, type ViolationCode, type ViolationKind } from '../topology/violation-codes';

export const API_ERRORS = {
  // The request itself
  VALIDATION_FAILED: { status: 400, meaning: 'the body, a query parameter or a header does not fit its schema' },
  UNKNOWN_FILTER: { status: 400, meaning: 'a list was filtered by a field it has no filter for' },
  MALFORMED_JSON: { status: 400, meaning: 'the body is not JSON' },
  MALFORMED_URL: { status: 400, meaning: 'the URL does not decode' },
  MALFORMED_BODY_ENCODING: { status: 400, meaning: 'the body does not decode as its Content-Encoding' },
  INVALID_CHARACTER: { status: 400, meaning: 'a NUL character in the body or URL' },
  INVALID_IDEMPOTENCY_KEY: { status: 400, meaning: 'the Idempotency-Key header is not 1-255 visible ASCII characters' },
  NESTING_TOO_DEEP: { status: 400, meaning: 'a validate change nests deeper than the server walks' },
  REF_CHAIN_TOO_LONG: { status: 400, meaning: 'validate changes refer to each other in too long a chain' },
  INVALID_SIMULATOR_CONFIG: { status: 400, meaning: 'a simulator setting is out of bounds' },
  BAD_REQUEST: { status: 400, meaning: 'another problem of the HTTP request (its status is the one the HTTP layer chose)' },
  UNAUTHORIZED: { status: 401, meaning: 'no bearer token, or the wrong one' },
  NOT_FOUND: { status: 404, meaning: 'no object with that uuid (the detail path names the field that referred to it)' },
  NO_SUCH_ROUTE: { status: 404, meaning: 'no such URL' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'the object type is replaced, never updated in place, or made by the server only (read-only)' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'the body is larger than 1 MB' },
  UNSUPPORTED_ENCODING: { status: 415, meaning: 'a Content-Encoding or charset the server does not read' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'the Idempotency-Key was used for a different request' },
  CLIENT_CLOSED_REQUEST: { status: 499, meaning: 'a dry run stopped because its client went away' },
  INTERNAL: { status: 500, meaning: 'a bug: the server logged it' },
  EXTENSION_NOT_FOUND: { status: 501, meaning: 'no plugin implements this for the hypervisor or provider type' },
  // Topology rules: the details carry each rule's code
  RULE_VIOLATIONS: { status: 400, meaning: 'the request breaks several rules' },
  CONFLICTS: { status: 409, meaning: 'the request conflicts with several objects' },
  // Hosts: the details name each host
  L2_REALIZATION_FAILED: { status: 409, meaning: 'an L2 network could not be realized on every host (nothing was kept)' },
  L2_DELETION_FAILED: { status: 409, meaning: 'an L2 network could not be deleted from every host' },
  L2_ROLLBACK_FAILED: { status: 409, meaning: 'undoing a realization failed on some hosts' },
  L2_DELETE_FAILED: { status: 409, meaning: 'deleting an L2 network failed on a host' },
  L2_CHECK_FAILED: { status: 409, meaning: 'a host can not carry the L2 network (a detail of L2_REALIZATION_FAILED)' },
  L2_REALIZE_FAILED: { status: 409, meaning: 'creating the L2 network failed on a host (a detail of L2_REALIZATION_FAILED)' },
  HOST_RECONCILE_FAILED: { status: 409, meaning: 'a host could not be brought in line with the database' },
  VM_START_FAILED: { status: 409, meaning: 'a VM could not be started on its host' },
  VM_DESTROY_FAILED: { status: 409, meaning: 'a VM could not be destroyed on its host' },
  SERVICE_APPLY_FAILED: { status: 409, meaning: 'a network service could not be realized' },
  SERVICE_RELEASE_FAILED: { status: 409, meaning: 'a network service could not be removed' },
  // POST /v1/validate: per change
  UNKNOWN_TYPE: { status: 400, meaning: 'a change names no object type' },
  NOT_UPDATABLE: { status: 400, meaning: 'an update of a type that is replaced, never updated' },
  READ_ONLY_TYPE: { status: 400, meaning: 'a change of a type the server makes itself (virtual routers)' },
  DEPENDS_ON_FAILED_CHANGE: { status: 409, meaning: 'a change refers to another that did not validate' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;
/** Any code in an error body: the API's own, or a topology rule's. */
export type ErrorCode = ApiErrorCode | ViolationCode;

/** The status of a code that has one fixed status. */
export function statusOf(code: ApiErrorCode): number {
  return API_ERRORS[code].status;
}

export function isApiErrorCode(code: string): code is ApiErrorCode {
  return Object.prototype.hasOwnProperty.call(API_ERRORS, code);
}

export { VIOLATION_CODES, type ViolationCode, type ViolationKind };
