/**
 * Terraform values and API values of the catalog's fields, both ways: what the provider
 * sends and reads back, and what review derives from a plan, through one mapping.
 * Callers say how their values mark "known after apply" and carry numbers (the provider's
 * cty values, a plan's JSON), so neither depends on the other.
 */
import type { Field } from './fields';

export interface ValueCodec {
  isUnknown(value: unknown): boolean;
  /** A number attribute's value as a JS number. */
  toNumber(value: unknown): number;
}

/** Terraform value to API value: undefined when unknown anywhere inside, null when absent. */
function apiValueOf(f: Field, value: unknown, codec: ValueCodec): unknown {
  if (codec.isUnknown(value)) return undefined;
  if (value === null || value === undefined) return null;
  switch (f.kind) {
    case 'int':
      return codec.toNumber(value);
    case 'stringList':
    case 'stringSet': {
      if (!Array.isArray(value)) return null;
      return value.some((v) => codec.isUnknown(v)) ? undefined : [...value];
    }
    case 'hostRoutes': {
      if (!Array.isArray(value)) return null;
      const routes: Array<{ prefix: unknown; nextHop: unknown }> = [];
      for (const r of value) {
        if (codec.isUnknown(r) || typeof r !== 'object' || r === null) return undefined;
        const { prefix, next_hop: nextHop } = r as { prefix?: unknown; next_hop?: unknown };
        if (codec.isUnknown(prefix) || codec.isUnknown(nextHop)) return undefined;
        routes.push({ prefix, nextHop });
      }
      return routes;
    }
    default:
      return value;
  }
}

export interface ApiBody {
  /** Known API fields (null values left out). */
  body: Record<string, unknown>;
  /** API fields whose values are known only after apply. */
  unknown: Set<string>;
}

/** An API body from Terraform attribute values. */
export function apiBodyOf(fields: readonly Field[], values: Readonly<Record<string, unknown>>, codec: ValueCodec): ApiBody {
  const body: Record<string, unknown> = {};
  const unknown = new Set<string>();
  for (const f of fields) {
    const converted = apiValueOf(f, values[f.tf], codec);
    if (converted === undefined) unknown.add(f.api);
    else if (converted !== null) body[f.api] = converted;
  }
  return { body, unknown };
}

/** API value to Terraform value (plain JSON). */
function terraformValueOf(f: Field, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (f.kind === 'hostRoutes' && Array.isArray(value)) {
    return value.map((r: { prefix?: unknown; nextHop?: unknown }) => ({ prefix: r.prefix, next_hop: r.nextHop }));
  }
  return value;
}

/** An API object as Terraform attributes: `id` and `uuid` (the same), then each field. */
export function terraformAttributesOf(fields: readonly Field[], obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: obj.uuid, uuid: obj.uuid };
  for (const f of fields) out[f.tf] = terraformValueOf(f, obj[f.api]);
  return out;
}

/** Fields a create sends. */
export const creatableFields = (fields: readonly Field[]): Field[] => fields.filter((f) => f.mode !== 'computed');
/** Fields a PATCH sends. */
export const updatableFields = (fields: readonly Field[]): Field[] => fields.filter((f) => f.updatable);

/**
 * The PATCH body: every updatable field, an emptied one as its empty value ('' for a string
 * that always has one, else null) so that removing it from the configuration clears it.
 */
export function updateBodyOf(fields: readonly Field[], body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const f of updatableFields(fields)) if (!(f.api in out)) out[f.api] = f.kind === 'string' && f.mode !== 'optional' ? '' : null;
  return out;
}

/** API field name -> Terraform attribute name. */
export function attributeNames(fields: readonly Field[]): ReadonlyMap<string, string> {
  return new Map(fields.map((f) => [f.api, f.tf]));
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * An API field path ("hostRoutes[1].nextHop") as a Terraform attribute path
 * (['host_routes', 1, 'next_hop']); undefined when it names no attribute of the resource.
 */
export function attributePathOf(apiPath: string, names: ReadonlyMap<string, string>): (string | number)[] | undefined {
  const steps: (string | number)[] = [];
  for (const part of apiPath.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) steps.push(steps.length === 0 ? (names.get(m[1]) ?? '') : snakeCase(m[1]));
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  if (steps.length === 0 || steps[0] === '') return undefined;
  return steps;
}

/** "host_routes[1].next_hop": an attribute path as plan review prints it. */
export function formatAttributePath(steps: readonly (string | number)[]): string {
  return steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
