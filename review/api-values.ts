/**
 * Terraform attribute values of a planned resource as API fields, through the provider's
 * own field tables and conversion (provider/netforge/fields.ts, resource-builder.ts), so
 * the review maps attributes exactly as the provider does.
 */
import { CtyNumber, UNKNOWN } from '../provider/cty';
import { toApiBody } from '../provider/netforge/resource-builder';
import type { Field } from '../provider/netforge/fields';
import type { ResourceSpec } from '../provider/netforge/resource-builder';
import type { PlannedResource } from './plan';

/** Plan JSON value -> framework value: numbers as CtyNumber, unknown markers as UNKNOWN. */
function toFramework(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value)) return value.map((v, i) => toFramework(v, Array.isArray(unknown) ? unknown[i] : undefined));
  if (typeof value === 'number') return CtyNumber.from(value);
  if (value && typeof value === 'object') {
    const u = (unknown && typeof unknown === 'object' ? unknown : {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toFramework(v, u[k])]));
  }
  return value ?? null;
}

export interface ApiValues {
  /** Known API fields (constants such as the L2 type included). */
  body: Record<string, unknown>;
  /** API fields whose values are known only after apply. */
  unknown: Set<string>;
}

/** API view of a resource's values, before or after the change, over the given fields (default: all). */
export function apiValues(r: PlannedResource, which: 'before' | 'after', fields?: Field[]): ApiValues {
  const spec = r.spec as ResourceSpec;
  const values = (which === 'before' ? r.before : r.after) ?? {};
  const unknownMarks = which === 'after' ? r.afterUnknown : {};
  const framework: Record<string, unknown> = {};
  const selected = fields ?? spec.fields;
  for (const f of selected) framework[f.tf] = unknownMarks[f.tf] === true ? UNKNOWN : toFramework(values[f.tf], unknownMarks[f.tf]);
  const { body, unknown } = toApiBody(selected, framework);
  return { body: { ...spec.constants, ...body }, unknown };
}

export const creatableFields = (spec: ResourceSpec): Field[] => spec.fields.filter((f) => f.mode !== 'computed');
export const updatableFields = (spec: ResourceSpec): Field[] => spec.fields.filter((f) => f.updatable);

/** The Terraform attribute of an API field of this resource type. */
export function attributeOf(spec: ResourceSpec | undefined, apiField: string): string {
  return spec?.fields.find((f) => f.api === apiField)?.tf ?? apiField;
}

/** The API field of a Terraform attribute. */
export function apiFieldOf(spec: ResourceSpec, attribute: string): string | undefined {
  return spec.fields.find((f) => f.tf === attribute)?.api;
}
