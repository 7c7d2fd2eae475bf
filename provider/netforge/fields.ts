/**
 * How one Terraform attribute maps to one API field. Resources are declared as lists of
 * fields (resources.ts); schema, API bodies and state conversion all derive from them.
 */
import { attr, block, CtyNumber, isUnknown, types, type AttributeSpec, type BlockSpec, type CtyInput } from '../framework';

export type FieldKind = 'string' | 'int' | 'stringList' | 'stringSet' | 'hostRoutes';
export type FieldMode = 'required' | 'optional' | 'computed' | 'optionalComputed';

export interface Field {
  /** Terraform attribute name (snake_case). */
  tf: string;
  /** API field name (camelCase). */
  api: string;
  kind: FieldKind;
  mode: FieldMode;
  description: string;
  /** A change destroys and re-creates the object. */
  replace?: boolean;
  /** Sent in PATCH on update (fields that neither replace nor update are computed). */
  updatable?: boolean;
  /** Planned when the configuration leaves it null (optionalComputed only). */
  default?: CtyInput;
}

export function attributeFor(f: Field): AttributeSpec {
  const options = {
    description: f.description,
    required: f.mode === 'required' || undefined,
    optional: f.mode === 'optional' || f.mode === 'optionalComputed' || undefined,
    computed: f.mode === 'computed' || f.mode === 'optionalComputed' || undefined,
    requiresReplace: f.replace || undefined,
    default: f.default,
  };
  switch (f.kind) {
    case 'string':
      return attr.string(options);
    case 'int':
      return attr.number(options);
    case 'stringList':
      return attr.list(types.string, options);
    case 'stringSet':
      return attr.set(types.string, options);
    case 'hostRoutes':
      throw new Error(`${f.tf} is a block: use hostRoutesBlock`);
  }
}

/** `host_routes { prefix = ..., next_hop = ... }`: a list block, empty (never null) when absent. */
export function hostRoutesBlock(f: Field): BlockSpec {
  return block.list({
    description: f.description,
    attributes: {
      prefix: attr.string({ required: true, description: 'Destination CIDR' }),
      next_hop: attr.string({ required: true, description: 'Next hop IP, in the L3 network' }),
    },
  });
}

/** Terraform value to API value; undefined when unknown anywhere inside. */
export function toApiValue(f: Field, value: unknown): unknown {
  if (isUnknown(value)) return undefined;
  if (value === null || value === undefined) return null;
  switch (f.kind) {
    case 'int':
      return (value as CtyNumber).toNumber();
    case 'stringList':
    case 'stringSet': {
      const list = value as unknown[];
      return list.some(isUnknown) ? undefined : [...list];
    }
    case 'hostRoutes': {
      const routes = value as Array<{ prefix: unknown; next_hop: unknown } | unknown>;
      if (routes.some((r) => isUnknown(r) || isUnknown((r as { prefix: unknown }).prefix) || isUnknown((r as { next_hop: unknown }).next_hop))) return undefined;
      return (routes as Array<{ prefix: string; next_hop: string }>).map((r) => ({ prefix: r.prefix, nextHop: r.next_hop }));
    }
    default:
      return value;
  }
}

/** API value to Terraform value. */
export function fromApiValue(f: Field, value: unknown): CtyInput {
  if (value === null || value === undefined) return null;
  switch (f.kind) {
    case 'int':
      return value as number;
    case 'hostRoutes':
      return (value as Array<{ prefix: string; nextHop: string }>).map((r) => ({ prefix: r.prefix, next_hop: r.nextHop }));
    default:
      return value as CtyInput;
  }
}
