/** Type-aware value equality: sets ignore order, numbers compare by value. */
import { CtyNumber } from './number';
import { CtyType, typeEquals } from './types';
import { CtyDynamic, CtyInput, Unknown } from './values';

/**
 * True when both values are known and equal as cty values. Any unknown makes the answer
 * false ("might differ"), which is what plan logic needs. `undefined` counts as null.
 */
export function valuesEqual(a: CtyInput, b: CtyInput, type: CtyType): boolean {
  if (a instanceof Unknown || b instanceof Unknown) return false;
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull && bNull;
  switch (type.kind) {
    case 'string':
    case 'bool':
      return a === b;
    case 'number':
      try {
        return CtyNumber.from(a as CtyNumber).equals(b as CtyNumber);
      } catch {
        return false;
      }
    case 'dynamic': {
      if (!(a instanceof CtyDynamic) || !(b instanceof CtyDynamic)) return false;
      return typeEquals(a.type, b.type) && valuesEqual(a.value, b.value, a.type);
    }
    case 'list':
    case 'tuple': {
      const xs = a as readonly CtyInput[];
      const ys = b as readonly CtyInput[];
      if (xs.length !== ys.length) return false;
      return xs.every((x, i) => valuesEqual(x, ys[i], type.kind === 'list' ? type.element : type.elements[i]));
    }
    case 'set': {
      const xs = dedupe(a as readonly CtyInput[], type.element);
      const ys = dedupe(b as readonly CtyInput[], type.element);
      if (xs.length !== ys.length) return false;
      return xs.every((x) => ys.some((y) => valuesEqual(x, y, type.element)));
    }
    case 'map': {
      const xa = a as Record<string, CtyInput>;
      const xb = b as Record<string, CtyInput>;
      const ka = Object.keys(xa).filter((k) => xa[k] !== undefined);
      const kb = Object.keys(xb).filter((k) => xb[k] !== undefined);
      if (ka.length !== kb.length) return false;
      return ka.every((k) => k in xb && valuesEqual(xa[k], xb[k], type.element));
    }
    case 'object': {
      const xa = a as Record<string, CtyInput>;
      const xb = b as Record<string, CtyInput>;
      return Object.entries(type.attributes).every(([name, t]) => valuesEqual(xa[name], xb[name], t));
    }
  }
}

function dedupe(items: readonly CtyInput[], element: CtyType): CtyInput[] {
  const out: CtyInput[] = [];
  for (const item of items) if (!out.some((o) => valuesEqual(o, item, element))) out.push(item);
  return out;
}
