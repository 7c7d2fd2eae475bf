/** Running the rules of one object, or of many (a whole app or plan over a Snapshot). */
import type { ObjectType } from '../model';
import type { Violation } from '../violation';
import { RULES, type Refusal, type RuleContext } from './rules';
import type { Known, TopologyView } from './view';

export interface Finding {
  readonly rule: string;
  readonly refusal: Refusal;
  readonly violations: readonly Violation[];
}

export interface EvaluateOptions {
  /** See RuleContext.counts (default: every other object counts). */
  counts?(other: { readonly uuid: string }): boolean;
  /** Only these rules (by name); default all of the type's. */
  rules?: readonly string[];
  /** Only rules with this refusal. */
  refusal?: Refusal;
}

/** Every rule of the subject's type that finds something, in the type's rule order. */
export function evaluate<T extends ObjectType>(view: TopologyView, type: T, subject: Known<T>, options: EvaluateOptions = {}): Finding[] {
  const ctx: RuleContext<T> = { view, subject, counts: options.counts ?? (() => true) };
  const out: Finding[] = [];
  for (const rule of RULES[type]) {
    if (options.rules && !options.rules.includes(rule.name)) continue;
    if (options.refusal && rule.refusal !== options.refusal) continue;
    const violations = rule.check(ctx);
    if (violations.length > 0) out.push({ rule: rule.name, refusal: rule.refusal, violations });
  }
  return out;
}

/** The findings' violations, each reported once (two rules may see the same problem). */
export function violationsOf(findings: readonly Finding[]): Violation[] {
  return uniqueViolations(findings.flatMap((f) => f.violations));
}

/** Each violation once (field rules and a rule against the parent may both see a bad value). */
export function uniqueViolations(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.code}|${v.path}|${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
