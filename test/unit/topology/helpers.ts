/** Small helpers shared by the topology rule tests. */
import type { Violation } from '../../../topology';

/** `code@path` for every violation, in order: compact, exact assertions. */
export function codesAt(vs: readonly Violation[]): string[] {
  return vs.map((v) => `${v.code}@${v.path}`);
}

/** The one violation with `code`; fails the test when there is none or more than one. */
export function only(vs: readonly Violation[], code: string): Violation {
  const hits = vs.filter((v) => v.code === code);
  if (hits.length !== 1) throw new Error(`expected exactly one ${code}, got ${JSON.stringify(vs, null, 2)}`);
  return hits[0];
}

/** Asserts a message names an object by both name and uuid, as describeObject does. */
export function expectNames(message: string, o: { name: string; uuid: string }): void {
  expect(message).toContain(`'${o.name}'`);
  expect(message).toContain(`(${o.uuid})`);
}

/** Every violation is a well-formed, machine-readable record. */
export function expectWellFormed(vs: readonly Violation[]): void {
  for (const v of vs) {
    expect(v.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(typeof v.path).toBe('string');
    expect(v.message.length).toBeGreaterThan(0);
  }
}
