/**
 * Synth-time checks with the shared topology rules. Values that are tokens (references,
 * variables) are not known at synth and are left to plan time.
 */
import { Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { uniqueViolations } from '../topology/evaluator';
import { rootField, type Violation } from '../topology/violation';

/** True when a value (or anything inside it) is an unresolved cdktf token. */
export function isUnresolved(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some(isUnresolved);
  if (typeof value === 'object') return Token.isUnresolved(value) || Object.values(value).some(isUnresolved);
  return Token.isUnresolved(value);
}

/** Drops violations about fields whose values are tokens (checked at plan time instead). */
export function withoutUnresolved<T extends { path: string }>(violations: readonly T[], fields: Record<string, unknown>): T[] {
  return violations.filter((v) => !isUnresolved(fields[rootField(v)]));
}

export function formatViolations(construct: IConstruct, violations: readonly Violation[]): string {
  const lines = violations.map((v) => `  ${v.path ? `${v.path}: ` : ''}${v.message} [${v.code}]`);
  return `${construct.node.path}: invalid ${construct.constructor.name}\n${lines.join('\n')}`;
}

export class NetforgeValidationError extends Error {
  constructor(
    readonly construct: IConstruct,
    readonly violations: readonly Violation[],
  ) {
    super(formatViolations(construct, violations));
    this.name = 'NetforgeValidationError';
  }
}

/**
 * Names violations after a construct's props (l3NetworkUuid -> l3Network) instead of the API's
 * fields; each once, as two fields of one prop (vipPortStart, vipPortEnd) may say the same.
 */
export function withPropNames(violations: readonly Violation[], propOf: Readonly<Record<string, string>>): Violation[] {
  return uniqueViolations(
    violations.map((v) => {
      const root = rootField(v);
      const prop = propOf[root];
      return prop === undefined ? v : { ...v, path: prop + v.path.slice(root.length) };
    }),
  );
}

/** Throws naming the construct when there are violations (checks that can run at construction). */
export function assertValid(construct: IConstruct, violations: readonly Violation[]): void {
  if (violations.length > 0) throw new NetforgeValidationError(construct, violations);
}

/**
 * Registers checks that must wait for the whole stack (ranges added later, other
 * attachments): they run at synth and fail it naming the construct.
 */
export function validateAtSynth(construct: IConstruct, check: () => readonly Violation[]): void {
  construct.node.addValidation({ validate: () => check().map((v) => `${v.path ? `${v.path}: ` : ''}${v.message} [${v.code}]`) });
}
