/**
 * Attribute validators: small functions returning an error message (or nothing). The
 * framework runs them on known, non-null values during validation and reports failures as
 * diagnostics on the attribute, so Terraform shows them on the offending source line.
 */
import { CtyNumber, CtyValue } from '../cty';

export interface AttributeValidator {
  /** Returns a problem description, or undefined when the value is acceptable. */
  (value: CtyValue): string | undefined;
}

export function matches(pattern: RegExp, description = `must match ${pattern}`): AttributeValidator {
  return (value) => (typeof value === 'string' && !pattern.test(value) ? `${JSON.stringify(value)} ${description}` : undefined);
}

export function oneOf(...allowed: readonly string[]): AttributeValidator {
  return (value) =>
    typeof value === 'string' && !allowed.includes(value)
      ? `${JSON.stringify(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`
      : undefined;
}

export function lengthBetween(min: number, max: number): AttributeValidator {
  return (value) => {
    const length = typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : undefined;
    if (length === undefined || (length >= min && length <= max)) return undefined;
    return `length must be between ${min} and ${max}, got ${length}`;
  };
}

export function numberBetween(min: number | bigint | string, max: number | bigint | string): AttributeValidator {
  return (value) => {
    if (!(value instanceof CtyNumber)) return undefined;
    const n = value.toNumber();
    const lo = CtyNumber.from(min).toNumber();
    const hi = CtyNumber.from(max).toNumber();
    return n < lo || n > hi ? `must be between ${min} and ${max}, got ${value.toString()}` : undefined;
  };
}

/** A validator from a predicate, for one-off rules. */
export function check(predicate: (value: CtyValue) => boolean, message: string): AttributeValidator {
  return (value) => (predicate(value) ? undefined : message);
}
