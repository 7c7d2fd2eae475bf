/** POST /v1/batch-read: objects of any types by uuid, one query per type (contract/batch-read.ts). */
import type { BatchReadItem, BatchReadResponse, ObjectType } from '../../contract';
import { listObjects } from './listing';

export async function batchRead(items: readonly BatchReadItem[]): Promise<BatchReadResponse> {
  const uuidsByType = new Map<ObjectType, Set<string>>();
  for (const { type, uuid } of items) uuidsByType.set(type, (uuidsByType.get(type) ?? new Set()).add(uuid));
  const found = new Map<string, BatchReadResponse['objects'][number]>();
  for (const [type, uuids] of uuidsByType) {
    for (const object of await listObjects(type, { uuid: [...uuids] })) found.set(`${type}/${object.uuid}`, object);
  }
  return { objects: items.map(({ type, uuid }) => found.get(`${type}/${uuid}`) ?? null) };
}
