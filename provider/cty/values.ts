/**
 * JS representation of cty values:
 *   string -> string, number -> CtyNumber, bool -> boolean,
 *   list/set/tuple -> array, map/object -> plain object, dynamic -> CtyDynamic,
 *   null -> null, unknown ("known after apply") -> an Unknown instance.
 */
import { CtyNumber } from './number';
import { CtyType } from './types';

/** Optional facts Terraform may know about a value that is not yet known (cty refinements). */
export interface UnknownRefinement {
  /** true: definitely not null. */
  readonly notNull?: boolean;
  readonly stringPrefix?: string;
  readonly numberLowerBound?: { readonly value: CtyNumber; readonly inclusive: boolean };
  readonly numberUpperBound?: { readonly value: CtyNumber; readonly inclusive: boolean };
  readonly lengthLowerBound?: number;
  readonly lengthUpperBound?: number;
}

export class Unknown {
  constructor(readonly refinement?: UnknownRefinement) {}
  toJSON(): string {
    return '(known after apply)';
  }
}

/** The plain unknown value. Compare with `isUnknown`, not `===`: refined unknowns are distinct instances. */
export const UNKNOWN = new Unknown();

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** A value of a `dynamic` attribute: the value together with its concrete type. */
export class CtyDynamic {
  constructor(
    readonly type: CtyType,
    readonly value: CtyValue,
  ) {}
}

export type CtyValue =
  | null
  | Unknown
  | string
  | boolean
  | CtyNumber
  | CtyDynamic
  | readonly CtyValue[]
  | { readonly [key: string]: CtyValue };

/** Lenient input accepted by the encoders: plain JS numbers and bigints are taken for numbers. */
export type CtyInput =
  | null
  | undefined
  | Unknown
  | string
  | boolean
  | number
  | bigint
  | CtyNumber
  | CtyDynamic
  | readonly CtyInput[]
  | { readonly [key: string]: CtyInput };

/** Whether a value a hook returned can be encoded at all (the encoder then checks it against its type). */
export function isCtyInput(value: unknown): value is CtyInput {
  if (value === null || value === undefined || value instanceof Unknown || value instanceof CtyNumber || value instanceof CtyDynamic) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'number':
    case 'bigint':
      return true;
    default:
      break;
  }
  if (Array.isArray(value)) return value.every(isCtyInput);
  return isPlainObject(value) && Object.values(value).every(isCtyInput);
}

/** True when no unknown occurs anywhere inside the value. */
export function isWhollyKnown(value: unknown): boolean {
  if (value instanceof Unknown) return false;
  if (value instanceof CtyDynamic) return isWhollyKnown(value.value);
  if (Array.isArray(value)) return value.every(isWhollyKnown);
  if (isPlainObject(value)) return Object.values(value).every(isWhollyKnown);
  return true;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A new object without a prototype, so keys such as `__proto__` are ordinary keys. */
export function newRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
