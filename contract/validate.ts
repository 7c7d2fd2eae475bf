/**
 * POST /v1/validate: a dry run of a batch of intended changes, each answered with every
 * violation it meets. The provider (one change at plan time), `netforge review` (a whole
 * plan) and the server share these shapes.
 */
import { z } from './zod';
import type { ConflictingObject } from '../topology/violation';

/** POST /v1/validate: changes in one batch (about the 1 MB body limit's worth). */
export const MAX_BATCH_CHANGES = 10_000;

/** POST /v1/validate: a batch of intended changes; {"$ref": "<id>"} refers to another change's object. */
export const ValidateRequest = z
  .strictObject({
    changes: z
      .array(
        z.strictObject({
          id: z.string().max(512).optional(),
          action: z.enum(['create', 'update', 'delete']),
          type: z.string().max(64),
          uuid: z.string().max(64).optional(),
          attributes: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .max(MAX_BATCH_CHANGES),
  })
  .openapi('ValidateRequest');
export type ValidateRequestInput = z.infer<typeof ValidateRequest>;

export type ValidateChange = ValidateRequestInput['changes'][number];

/** One violation of one change; `code` is a rule's or the API's (DEPENDS_ON_FAILED_CHANGE, NOT_FOUND...). */
export interface ChangeViolation<C extends string = string> {
  code: C;
  path: string;
  message: string;
  conflicting?: ConflictingObject;
  /** 400 (the change itself is invalid), 404 (refers to nothing) or 409 (conflicts with state). */
  status: number;
}

/** A violation as a client reads it: a rule's (topology/violation.ts) or the API's code. */
export type ReportedViolation = Omit<ChangeViolation, 'status'>;

export interface ChangeResult<C extends string = string> {
  index: number;
  id: string | null;
  action: ValidateChange['action'];
  type: string;
  ok: boolean;
  /** The uuid the object has (or would get: a dry-run uuid is not kept). */
  uuid: string | null;
  violations: ChangeViolation<C>[];
  /** What applying the batch would realize for it, in words (where its virtual router runs, what it waits for); absent when nothing to say. */
  notes?: string[];
}

export interface ValidateResponse<C extends string = string> {
  valid: boolean;
  results: ChangeResult<C>[];
}
