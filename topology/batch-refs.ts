/**
 * References between changes of a POST /v1/validate batch: {"$ref": "<change id>"} stands
 * for the uuid of the object another change creates. Shared by the server, which resolves
 * them, and plan review, which writes them.
 */
export interface BatchRef {
  $ref: string;
}

export function isBatchRef(value: unknown): value is BatchRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { $ref?: unknown }).$ref === 'string' &&
    Object.keys(value).length === 1
  );
}

/** Every change id referred to anywhere inside a value, in order. */
export function batchRefsIn(value: unknown, out: string[] = []): string[] {
  if (isBatchRef(value)) out.push(value.$ref);
  else if (Array.isArray(value)) value.forEach((v) => batchRefsIn(v, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => batchRefsIn(v, out));
  return out;
}
