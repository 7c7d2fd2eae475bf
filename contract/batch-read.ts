/**
 * POST /v1/batch-read: many objects of any types by uuid in one request, each as its own
 * GET would answer, or null where none exists. The provider reads through it so that
 * Terraform's refresh of N resources costs a handful of requests instead of N.
 */
import { z } from './zod';
import { OBJECT_TYPES, type Inventory, type ObjectType } from '../topology/model';

/** Objects per request: Terraform's refresh runs -parallelism (10) reads at once; a state of thousands still fits. */
export const MAX_BATCH_READ = 1_000;
/** Longest uuid a read may name (netforge's are 36 characters; nothing longer exists). */
export const MAX_READ_UUID_LENGTH = 64;

export const BatchReadRequest = z
  .strictObject({
    objects: z
      .array(z.strictObject({ type: z.enum(OBJECT_TYPES), uuid: z.string().min(1).max(MAX_READ_UUID_LENGTH) }))
      .min(1)
      .max(MAX_BATCH_READ),
  })
  .openapi('BatchReadRequest');
export type BatchReadRequestInput = z.infer<typeof BatchReadRequest>;
export type BatchReadItem = BatchReadRequestInput['objects'][number];

/**
 * In request order: the object, or null when there is no object of that type with that uuid.
 * The server answers inventories; a generic client reads them as plain records.
 */
export interface BatchReadResponse<O = Inventory<ObjectType>> {
  objects: Array<O | null>;
}

/** An object as a client that handles every type alike reads it. */
export type ObjectRecord = Readonly<Record<string, unknown>>;
