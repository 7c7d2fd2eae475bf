/**
 * Terraform attribute values of a planned resource as API fields, through the catalog's
 * field tables and the contract's value mapping (contract/terraform.ts), so the review
 * maps attributes exactly as the provider does.
 */
import { apiBodyOf, type Field, type ValueCodec } from '../contract';
import type { PlannedResource } from './plan';

/** Marks a value known only after apply, in plan JSON read through PLAN_CODEC. */
const UNKNOWN = Symbol('known after apply');

const PLAN_CODEC: ValueCodec = { isUnknown: (v) => v === UNKNOWN, toNumber: (v) => Number(v) };

/** Plan JSON value with Terraform's after_unknown marks applied. */
function marked(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value)) return value.map((v, i) => marked(v, Array.isArray(unknown) ? unknown[i] : undefined));
  if (value && typeof value === 'object') {
    const u = (unknown && typeof unknown === 'object' ? unknown : {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marked(v, u[k])]));
  }
  return value ?? null;
}

export interface ApiValues {
  /** Known API fields (constants such as the L2 type included). */
  body: Record<string, unknown>;
  /** API fields whose values are known only after apply. */
  unknown: Set<string>;
  /** API fields known to be empty (null in the plan). */
  empty: Set<string>;
}

/** API view of a managed netforge resource's values, before or after the change, over the given fields (default: all). */
export function apiValues(r: PlannedResource, which: 'before' | 'after', fields?: readonly Field[]): ApiValues {
  const def = r.terraform!.def;
  const values = (which === 'before' ? r.before : r.after) ?? {};
  const marks = which === 'after' ? r.afterUnknown : {};
  const selected = fields ?? def.fields;
  const framework: Record<string, unknown> = {};
  for (const f of selected) framework[f.tf] = marked(values[f.tf], marks[f.tf]);
  const { body, unknown } = apiBodyOf(selected, framework, PLAN_CODEC);
  const empty = new Set(selected.filter((f) => !(f.api in body) && !unknown.has(f.api)).map((f) => f.api));
  return { body: { ...def.constants, ...body }, unknown, empty };
}

/** The Terraform attribute of an API field of this resource type. */
export function attributeOf(r: PlannedResource, apiField: string): string {
  return r.terraform?.def.fields.find((f) => f.api === apiField)?.tf ?? apiField;
}
