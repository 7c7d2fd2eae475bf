/**
 * The generic parts of planning and applying that every resource shares:
 * - planResourceChange: computed attributes the configuration leaves null become unknown on
 *   create and keep their prior value on update (unless `unknownOnUpdate`), defaults are
 *   applied, and changed `requiresReplace` attributes are listed. A plan equal to the prior
 *   state returns the prior state itself, so Terraform sees no change whatever the set order.
 * - mergeApplyResult: what create/update returned, made consistent with the plan.
 * - mergeReadResult: what read returned, completed from and normalized against prior state.
 */
import {
  CtyPath,
  CtyType,
  CtyValue,
  decodeMsgpack,
  encodeMsgpack,
  isCtyInput,
  isPlainObject,
  isUnknown,
  newRecord,
  PathStep,
  UNKNOWN,
  valuesEqual,
} from '../cty';
import {
  AttributeMap,
  attributeType,
  BlockMap,
  blockType,
  isNestedAttribute,
  NestingMode,
  SchemaSpec,
  schemaType,
} from './schema';

type Rec = Record<string, CtyValue>;

interface ObjectSpec {
  readonly attributes: AttributeMap;
  readonly blocks?: BlockMap;
}

/** Normalizes lenient resource output (plain numbers, missing attributes) to a cty value of `type`. */
/** A value (a hook's result: checked here, then by the encoder against `type`) in canonical form. */
export function coerceValue(input: unknown, type: CtyType): CtyValue {
  if (!isCtyInput(input)) throw new Error('the provider returned a value that is not a Terraform value (a function, a class instance...)');
  return decodeMsgpack(encodeMsgpack(input, type), type);
}

/**
 * Resource output as a value of the schema's type, with absent list/set/map blocks as empty
 * collections: Terraform represents a block that is not written as empty, never null.
 */
export function coerceResult(schema: SchemaSpec, input: unknown): CtyValue {
  return fillBlocks(schema, coerceValue(input, cachedSchemaType(schema)));
}

function fillBlocks(spec: ObjectSpec, value: CtyValue): CtyValue {
  if (!isPlainObject(value) || !spec.blocks) return value;
  const obj = value as Rec;
  for (const [name, blk] of Object.entries(spec.blocks)) {
    const inner: ObjectSpec = { attributes: blk.attributes ?? {}, blocks: blk.blocks };
    const v = obj[name];
    if (v === null || v === undefined) {
      if (blk.nesting === 'list' || blk.nesting === 'set') obj[name] = [];
      else if (blk.nesting === 'map') obj[name] = newRecord<CtyValue>();
    } else if (Array.isArray(v)) {
      obj[name] = v.map((item) => fillBlocks(inner, item));
    } else if (blk.nesting === 'map') {
      for (const [k, item] of Object.entries(v as Rec)) (v as Rec)[k] = fillBlocks(inner, item);
    } else {
      obj[name] = fillBlocks(inner, v);
    }
  }
  return value;
}

export interface PlannedChange {
  readonly planned: CtyValue;
  readonly requiresReplace: CtyPath[];
}

export function planResourceChange(schema: SchemaSpec, prior: CtyValue, proposed: CtyValue, config: CtyValue): PlannedChange {
  if (proposed === null || isUnknown(proposed)) return { planned: proposed, requiresReplace: [] };
  const type = schemaType(schema);
  const priorObj = asRecord(prior);
  const updating = priorObj !== null && !valuesEqual(prior, proposed, type);
  const requiresReplace: CtyPath[] = [];
  const planned = planObject(schema, priorObj, asRecord(proposed)!, asRecord(config), updating, [], requiresReplace);
  if (priorObj !== null && valuesEqual(prior, planned, type)) return { planned: prior, requiresReplace: [] };
  return { planned, requiresReplace };
}

function asRecord(value: CtyValue): Rec | null {
  return isPlainObject(value) ? (value as Rec) : null;
}

function isNull(value: CtyValue | undefined): boolean {
  return value === null || value === undefined;
}

function planObject(
  spec: ObjectSpec,
  prior: Rec | null,
  proposed: Rec,
  config: Rec | null,
  updating: boolean,
  path: PathStep[],
  replace: CtyPath[],
): Rec {
  const planned = newRecord<CtyValue>();
  for (const [name, attr] of Object.entries(spec.attributes)) {
    const type = attributeType(attr);
    const priorValue = prior?.[name] ?? null;
    const configValue = config?.[name] ?? null;
    let value: CtyValue = proposed[name] ?? null;
    const fromProvider = attr.computed === true && isNull(configValue);
    if (fromProvider) {
      if (attr.default !== undefined) value = coerceValue(attr.default, type);
      else if (prior === null) value = UNKNOWN;
      else if (attr.unknownOnUpdate && updating) value = UNKNOWN;
      else value = priorValue;
    } else if (isNestedAttribute(attr)) {
      value = planNested(attr.nesting, attr, priorValue, value, configValue, updating, [...path, { attribute: name }], replace);
    }
    if (attr.requiresReplace && prior !== null && !fromProvider && !valuesEqual(priorValue, value, type)) {
      replace.push([...path, { attribute: name }]);
    }
    planned[name] = prior !== null && valuesEqual(priorValue, value, type) ? priorValue : value;
  }
  for (const [name, blk] of Object.entries(spec.blocks ?? {})) {
    const priorValue = prior?.[name] ?? null;
    const inner: ObjectSpec = { attributes: blk.attributes ?? {}, blocks: blk.blocks };
    const nesting = blk.nesting === 'group' ? 'single' : blk.nesting;
    const value = planNested(nesting, inner, priorValue, proposed[name] ?? null, config?.[name] ?? null, updating, [...path, { attribute: name }], replace);
    planned[name] = prior !== null && valuesEqual(priorValue, value, blockType(blk)) ? priorValue : value;
  }
  return planned;
}

/** Plans the objects inside a nested attribute or block, aligning prior and config elements. */
function planNested(
  nesting: NestingMode,
  spec: ObjectSpec,
  prior: CtyValue,
  proposed: CtyValue,
  config: CtyValue,
  updating: boolean,
  path: PathStep[],
  replace: CtyPath[],
): CtyValue {
  if (proposed === null || isUnknown(proposed)) return proposed;
  const planOne = (p: CtyValue, pr: CtyValue, c: CtyValue, at: PathStep[]): CtyValue => {
    if (!isPlainObject(p)) return p;
    return planObject(spec, asRecord(pr), p as Rec, asRecord(c), updating, at, replace);
  };
  switch (nesting) {
    case 'single':
      return planOne(proposed, prior, config, path);
    case 'list': {
      const priorList = Array.isArray(prior) ? prior : [];
      const configList = Array.isArray(config) ? config : [];
      return (proposed as CtyValue[]).map((p, index) => planOne(p, priorList[index] ?? null, configList[index] ?? null, [...path, { index }]));
    }
    case 'map': {
      const out = newRecord<CtyValue>();
      const priorMap = asRecord(prior) ?? {};
      const configMap = asRecord(config) ?? {};
      for (const [key, p] of Object.entries(proposed as Rec)) out[key] = planOne(p, priorMap[key] ?? null, configMap[key] ?? null, [...path, { key }]);
      return out;
    }
    case 'set': {
      // Set elements have no identity: pair each with the prior/config element that agrees
      // on every attribute the user sets, so computed values inside them survive updates.
      // Replacement paths cannot point into a set, so they stop at the set itself.
      const priorSet = Array.isArray(prior) ? prior : [];
      const configSet = Array.isArray(config) ? config : [];
      const setReplace: CtyPath[] = [];
      const planned = (proposed as CtyValue[]).map((p) => {
        const pr = priorSet.find((candidate) => sameConfiguredValues(spec, candidate, p)) ?? null;
        const c = configSet.find((candidate) => sameConfiguredValues(spec, candidate, p)) ?? null;
        if (!isPlainObject(p)) return p;
        return planObject(spec, asRecord(pr), p as Rec, asRecord(c), updating, path, setReplace);
      });
      if (setReplace.length > 0) replace.push(path);
      return planned;
    }
  }
}

function sameConfiguredValues(spec: ObjectSpec, a: CtyValue, b: CtyValue): boolean {
  const ra = asRecord(a);
  const rb = asRecord(b);
  if (!ra || !rb) return false;
  for (const [name, attr] of Object.entries(spec.attributes)) {
    if (attr.computed && !attr.optional) continue;
    if (!valuesEqual(ra[name], rb[name], attributeType(attr))) return false;
  }
  for (const [name, blk] of Object.entries(spec.blocks ?? {})) {
    if (!valuesEqual(ra[name], rb[name], blockType(blk))) return false;
  }
  return true;
}

/**
 * Merges what create/update returned into the plan: values the plan already knows are kept
 * (Terraform rejects an apply result that contradicts a known planned value), unknowns take
 * the returned value. Returns the paths of values that stayed unknown (set to null).
 */
export function mergeApplyResult(type: CtyType, planned: CtyValue, result: CtyValue): { value: CtyValue; leftUnknown: CtyPath[] } {
  const leftUnknown: CtyPath[] = [];
  const value = mergeApplied(type, planned, result, [], leftUnknown);
  return { value, leftUnknown };
}

function mergeApplied(type: CtyType, planned: CtyValue, result: CtyValue, path: PathStep[], leftUnknown: CtyPath[]): CtyValue {
  if (isUnknown(planned)) {
    if (result === undefined || isUnknown(result)) {
      leftUnknown.push([...path]);
      return null;
    }
    return stripUnknown(type, result, path, leftUnknown);
  }
  if (planned === null) return null;
  switch (type.kind) {
    case 'object': {
      const p = planned as Rec;
      const r = asRecord(result) ?? {};
      const out = newRecord<CtyValue>();
      for (const [name, t] of Object.entries(type.attributes)) {
        out[name] = mergeApplied(t, p[name] ?? null, r[name] ?? null, [...path, { attribute: name }], leftUnknown);
      }
      return out;
    }
    case 'list':
    case 'tuple': {
      const p = planned as CtyValue[];
      const r = Array.isArray(result) ? result : [];
      if (r.length !== p.length) return p.map((item, index) => mergeApplied(elementType(type, index), item, null, [...path, { index }], leftUnknown));
      return p.map((item, index) => mergeApplied(elementType(type, index), item, r[index], [...path, { index }], leftUnknown));
    }
    case 'map': {
      const p = planned as Rec;
      const r = asRecord(result) ?? {};
      const out = newRecord<CtyValue>();
      for (const [key, item] of Object.entries(p)) out[key] = mergeApplied(type.element, item, r[key] ?? null, [...path, { key }], leftUnknown);
      return out;
    }
    case 'set': {
      // Elements cannot be paired; a fully known planned set stands, otherwise the result does.
      if (!containsUnknown(planned)) return planned;
      return Array.isArray(result) ? stripUnknown(type, result, path, leftUnknown) : null;
    }
    default:
      return planned;
  }
}

function elementType(type: CtyType, index: number): CtyType {
  if (type.kind === 'list') return type.element;
  if (type.kind === 'tuple') return type.elements[index];
  return type;
}

function containsUnknown(value: CtyValue): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isPlainObject(value)) return Object.values(value as Rec).some(containsUnknown);
  return false;
}

function stripUnknown(type: CtyType, value: CtyValue, path: PathStep[], leftUnknown: CtyPath[]): CtyValue {
  if (isUnknown(value)) {
    leftUnknown.push([...path]);
    return null;
  }
  if (!containsUnknown(value)) return value;
  if (Array.isArray(value)) return value.map((v, index) => stripUnknown(elementType(type, index), v, [...path, { index }], leftUnknown));
  const out = newRecord<CtyValue>();
  for (const [k, v] of Object.entries(value as Rec)) {
    const t = type.kind === 'object' ? type.attributes[k] : type.kind === 'map' ? type.element : type;
    out[k] = stripUnknown(t, v, [...path, type.kind === 'object' ? { attribute: k } : { key: k }], leftUnknown);
  }
  return out;
}

/**
 * Completes a read result from prior state and removes noise: attributes read() left out
 * keep their prior value, an empty collection read back where the prior state had null (or
 * the reverse) keeps the prior form, and values equal to prior keep the prior encoding.
 */
export function mergeReadResult(type: CtyType, prior: CtyValue, result: CtyValue, provided: ReadonlySet<string>): CtyValue {
  if (type.kind !== 'object' || !isPlainObject(result)) return result;
  const p = asRecord(prior) ?? {};
  const r = result as Rec;
  const out = newRecord<CtyValue>();
  for (const [name, t] of Object.entries(type.attributes)) {
    const priorValue = p[name] ?? null;
    out[name] = provided.has(name) ? normalizeAgainst(t, priorValue, r[name] ?? null) : priorValue;
  }
  return out;
}

function normalizeAgainst(type: CtyType, prior: CtyValue, value: CtyValue): CtyValue {
  if (valuesEqual(prior, value, type)) return prior;
  if (isEmptyCollection(type, prior) && value === null) return prior;
  if (prior === null && isEmptyCollection(type, value)) return prior;
  if (type.kind === 'object' && isPlainObject(value) && isPlainObject(prior)) {
    const out = newRecord<CtyValue>();
    for (const [name, t] of Object.entries(type.attributes)) out[name] = normalizeAgainst(t, (prior as Rec)[name] ?? null, (value as Rec)[name] ?? null);
    return out;
  }
  if (type.kind === 'list' && Array.isArray(value) && Array.isArray(prior) && prior.length === value.length) {
    return value.map((v, i) => normalizeAgainst(type.element, prior[i], v));
  }
  return value;
}

function isEmptyCollection(type: CtyType, value: CtyValue): boolean {
  if (type.kind === 'list' || type.kind === 'set') return Array.isArray(value) && value.length === 0;
  if (type.kind === 'map') return isPlainObject(value) && Object.keys(value).length === 0;
  return false;
}

/** The schema's cty type, cached per schema object. */
const typeCache = new WeakMap<object, CtyType>();
export function cachedSchemaType(schema: SchemaSpec): CtyType {
  let t = typeCache.get(schema);
  if (!t) {
    t = schemaType(schema);
    typeCache.set(schema, t);
  }
  return t;
}
