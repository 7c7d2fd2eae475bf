/**
 * A broken topology rule: what is wrong, where (a field path in the object being checked)
 * and, where there is one, the existing object it conflicts with.
 */
import type { ViolationCode } from './violation-codes';
export interface ConflictingObject {
  type: string;
  uuid?: string;
  name?: string;
}

export interface Violation {
  /** Machine-readable, stable: e.g. VLAN_OUT_OF_RANGE, IP_RANGE_OVERLAP. */
  code: ViolationCode;
  message: string;
  /** Field path relative to the checked object, e.g. "vlan", "hostRoutes[1].nextHop". */
  path: string;
  conflicting?: ConflictingObject;
}

export function violation(code: ViolationCode, path: string, message: string, conflicting?: ConflictingObject): Violation {
  return conflicting ? { code, path, message, conflicting } : { code, path, message };
}

/** The top-level field a violation is about: "hostRoutes" for "hostRoutes[1].nextHop". */
export function rootField(v: Pick<Violation, 'path'>): string {
  return v.path.split(/[.[]/)[0];
}

/** Prefixes every violation's path, for checks run on a nested object. */
export function underPath(prefix: string, violations: Violation[]): Violation[] {
  if (!prefix) return violations;
  return violations.map((v) => ({ ...v, path: v.path ? `${prefix}.${v.path}` : prefix }));
}

/** "l2 network 'prod-vlan10' (uuid)" — how messages name an object. */
export function describeObject(o: ConflictingObject): string {
  const name = o.name ? ` '${o.name}'` : '';
  const uuid = o.uuid ? ` (${o.uuid})` : '';
  return `${o.type}${name}${uuid}`;
}
