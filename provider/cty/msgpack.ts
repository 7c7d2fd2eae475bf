/**
 * cty values <-> msgpack (tfplugin6 `DynamicValue.msgpack`), driven by the schema's type,
 * following go-cty's msgpack encoding:
 * - null is msgpack nil; an unknown is ext type 0 (`d4 00 00`); a refined unknown is
 *   ext type 0x0c whose payload is a map of refinements.
 * - objects carry every attribute of their type; sets and lists are arrays; maps are maps.
 * - dynamic values are `[type JSON as bin, value]`.
 *
 * The wire format is @msgpack/msgpack's; this module maps between cty values and the plain
 * JS values the library reads and writes (see `Wire`).
 */
import { Decoder, Encoder, ExtData } from '@msgpack/msgpack';
import { CtyNumber } from './number';
import { CtyPath, CtyPathError, PathStep } from './path';
import { CtyType, typeFromJson, typeToJson, types } from './types';
import { CtyDynamic, CtyInput, CtyValue, isPlainObject, newRecord, Unknown, UnknownRefinement } from './values';

/**
 * What @msgpack/msgpack reads and writes with `useBigInt64`: nil, bool, str, bin, arrays,
 * maps with string keys, ext, and numbers: int8-32 / uint8-32 / float32 / float64 as JS
 * numbers, int64 / uint64 as bigints.
 */
type Wire = null | boolean | number | bigint | string | Uint8Array | ExtData | readonly Wire[] | { readonly [key: string]: Wire };

const UNKNOWN_EXT = 0;
const REFINED_UNKNOWN_EXT = 0x0c;
/** cty's wholly unknown value: a one-byte extension of type 0 (`d4 00 00`). */
const UNKNOWN_WIRE = new ExtData(UNKNOWN_EXT, new Uint8Array([0]));

/** Beyond ±2^31 / 2^32 the encoder writes safe integers as float64 (with useBigInt64); bigints go out as int64/uint64. */
const INT32_MIN = -(2 ** 31);
const UINT32_LIMIT = 2 ** 32;

const encoder = new Encoder({
  useBigInt64: true,
  // Object attributes and map keys in sorted order, as cty writes them (and JS objects would
  // otherwise put integer-like keys such as "10" first).
  sortKeys: true,
  // The default (100) is a guard against hostile input; values nest as deeply as schemas do.
  maxDepth: 1_000,
});

const decoder = new Decoder({
  useBigInt64: true,
  mapKeyConverter: (key) => {
    if (typeof key !== 'string') throw new TypeError('map keys must be strings');
    return key;
  },
});

/** Refinement payloads are maps keyed by small integers. */
const refinementDecoder = new Decoder({ useBigInt64: true });

export function encodeMsgpack(value: CtyInput, type: CtyType): Buffer {
  const bytes = encoder.encode(toWire(value, type, []));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeMsgpack(data: Uint8Array, type: CtyType): CtyValue {
  let wire: Wire;
  try {
    wire = decoder.decode(data) as Wire;
  } catch (err) {
    throw new CtyPathError(`malformed msgpack: ${(err as Error).message}`, []);
  }
  return fromWire(wire, type, []);
}

function fail(message: string, path: CtyPath): never {
  throw new CtyPathError(message, path);
}

function toWire(value: CtyInput, type: CtyType, path: PathStep[]): Wire {
  if (value === null || value === undefined) return null;
  if (value instanceof Unknown) return UNKNOWN_WIRE;
  switch (type.kind) {
    case 'dynamic': {
      const dyn = value instanceof CtyDynamic ? value : new CtyDynamic(inferType(value, path), value as CtyValue);
      if (dyn.value === null) return null;
      if (dyn.value instanceof Unknown) return UNKNOWN_WIRE;
      return [Buffer.from(typeToJson(dyn.type), 'utf8'), toWire(dyn.value, dyn.type, path)];
    }
    case 'string':
      if (typeof value !== 'string') fail(`string required, got ${describe(value)}`, path);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') fail(`bool required, got ${describe(value)}`, path);
      return value;
    case 'number': {
      if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'string' && !(value instanceof CtyNumber)) {
        fail(`number required, got ${describe(value)}`, path);
      }
      let n: CtyNumber;
      try {
        n = CtyNumber.from(value);
      } catch (err) {
        fail((err as Error).message, path);
      }
      const wire = n.toWire();
      // Integers go out in the most compact int/uint form, as Go's encoder writes them.
      if (typeof wire === 'number' && Number.isSafeInteger(wire) && (wire >= UINT32_LIMIT || wire < INT32_MIN)) return BigInt(wire);
      return wire;
    }
    case 'list':
    case 'tuple': {
      if (!Array.isArray(value)) fail(`${type.kind} required, got ${describe(value)}`, path);
      const items = value as readonly CtyInput[];
      if (type.kind === 'tuple' && items.length !== type.elements.length) {
        fail(`tuple of ${type.elements.length} elements required, got ${items.length}`, path);
      }
      return items.map((item, index) => {
        path.push({ index });
        const wire = toWire(item, type.kind === 'list' ? type.element : type.elements[index], path);
        path.pop();
        return wire;
      });
    }
    case 'set': {
      if (!Array.isArray(value)) fail(`set required, got ${describe(value)}`, path);
      // Encode each element on its own so duplicates can be dropped and the order made
      // stable: Terraform compares sets by membership, and a stable order keeps our own
      // outputs deterministic.
      const elements = new Map<string, { wire: Wire; bytes: Uint8Array }>();
      (value as readonly CtyInput[]).forEach((item, index) => {
        path.push({ index });
        const wire = toWire(item, type.element, path);
        path.pop();
        const bytes = encoder.encode(wire);
        const key = item instanceof Unknown ? `unknown#${index}` : Buffer.from(bytes).toString('hex');
        elements.set(key, { wire, bytes });
      });
      return [...elements.values()].sort((a, b) => Buffer.compare(a.bytes, b.bytes)).map((e) => e.wire);
    }
    case 'map': {
      if (!isPlainObject(value)) fail(`map required, got ${describe(value)}`, path);
      const out = newRecord<Wire>();
      for (const [key, item] of Object.entries(value as Record<string, CtyInput>)) {
        if (item === undefined) continue;
        path.push({ key });
        out[key] = toWire(item, type.element, path);
        path.pop();
      }
      return out;
    }
    case 'object': {
      if (!isPlainObject(value)) fail(`object required, got ${describe(value)}`, path);
      const obj = value as Record<string, CtyInput>;
      for (const key of Object.keys(obj)) {
        if (!(key in type.attributes) && obj[key] !== undefined) fail(`unsupported attribute "${key}"`, path);
      }
      const out = newRecord<Wire>();
      for (const name of Object.keys(type.attributes)) {
        path.push({ attribute: name });
        out[name] = toWire(obj[name], type.attributes[name], path);
        path.pop();
      }
      return out;
    }
  }
}

function fromWire(wire: Wire, type: CtyType, path: PathStep[]): CtyValue {
  if (wire instanceof ExtData) return decodeUnknown(wire, type, path);
  if (wire === null) return null;
  switch (type.kind) {
    case 'dynamic': {
      if (!Array.isArray(wire) || wire.length !== 2) fail('dynamic value must be a two-element array', path);
      const [typeJson, inner] = wire as readonly Wire[];
      if (!(typeJson instanceof Uint8Array) && typeof typeJson !== 'string') fail('dynamic value type must be bytes', path);
      let concrete: CtyType;
      try {
        concrete = typeFromJson(typeJson);
      } catch (err) {
        fail((err as Error).message, path);
      }
      return new CtyDynamic(concrete, fromWire(inner, concrete, path));
    }
    case 'string':
      if (typeof wire !== 'string') fail(`string required, got msgpack ${wireKind(wire)}`, path);
      return wire;
    case 'bool':
      if (typeof wire !== 'boolean') fail(`bool required, got msgpack ${wireKind(wire)}`, path);
      return wire;
    case 'number':
      try {
        const n = numberFromWire(wire);
        if (n) return n;
      } catch (err) {
        fail((err as Error).message, path);
      }
      return fail(`number required, got msgpack ${wireKind(wire)}`, path);
    case 'list':
    case 'set':
    case 'tuple': {
      if (!Array.isArray(wire)) fail(`${type.kind} required, got msgpack ${wireKind(wire)}`, path);
      const items = wire as readonly Wire[];
      if (type.kind === 'tuple' && items.length !== type.elements.length) {
        fail(`tuple of ${type.elements.length} elements required, got ${items.length}`, path);
      }
      return items.map((item, index) => {
        path.push({ index });
        const value = fromWire(item, type.kind === 'tuple' ? type.elements[index] : type.element, path);
        path.pop();
        return value;
      });
    }
    case 'map':
    case 'object': {
      if (wireKind(wire) !== 'map') fail(`${type.kind} required, got msgpack ${wireKind(wire)}`, path);
      const entries = wire as { readonly [key: string]: Wire };
      const out = newRecord<CtyValue>();
      for (const key of Object.keys(entries)) {
        if (type.kind === 'map') {
          path.push({ key });
          out[key] = fromWire(entries[key], type.element, path);
        } else {
          const attrType = type.attributes[key];
          path.push({ attribute: key });
          if (!attrType) fail('unsupported attribute', path);
          out[key] = fromWire(entries[key], attrType, path);
        }
        path.pop();
      }
      if (type.kind === 'object') {
        // Terraform always sends every attribute; be lenient with hand-written inputs.
        for (const name of Object.keys(type.attributes)) if (!(name in out)) out[name] = null;
      }
      return out;
    }
  }
}

/**
 * A number as the decoder delivers it. int64/uint64 arrive as bigint (2^53+1 stays exact),
 * decimals Terraform cannot send exactly as float64 as strings ("0.1"), everything else as a
 * JS number. A JS number that is not a safe integer can only have been a float, and it goes
 * back out as that float64; a safe integer is the same cty value whichever form carried it.
 */
function numberFromWire(wire: Wire): CtyNumber | undefined {
  if (typeof wire === 'bigint' || typeof wire === 'string') return CtyNumber.fromWire(wire);
  if (typeof wire === 'number') return CtyNumber.fromWire(wire, !Number.isSafeInteger(wire));
  return undefined;
}

function decodeUnknown(ext: ExtData, type: CtyType, path: CtyPath): Unknown {
  const data = ext.data as Uint8Array;
  // An empty or one-byte extension is a plain unknown whatever its type code (cty's rule).
  if (data.length <= 1) return new Unknown();
  if (ext.type !== REFINED_UNKNOWN_EXT) fail(`unsupported msgpack extension type 0x${ext.type.toString(16)}`, path);
  if (type.kind === 'dynamic') return new Unknown();
  let entries: unknown;
  try {
    entries = refinementDecoder.decode(data);
  } catch {
    fail('malformed unknown value refinement', path);
  }
  if (wireKind(entries as Wire) !== 'map') fail('unknown value refinement must be a map', path);
  const refinement: {
    -readonly [K in keyof UnknownRefinement]: UnknownRefinement[K];
  } = {};
  for (const [key, value] of Object.entries(entries as Record<string, Wire>)) {
    switch (Number(key)) {
      case 1:
        if (value === false) refinement.notNull = true;
        break;
      case 2:
        if (typeof value === 'string') refinement.stringPrefix = value;
        break;
      case 3:
      case 4: {
        if (!Array.isArray(value) || value.length !== 2) break;
        const [bound, inclusive] = value as readonly Wire[];
        let n: CtyNumber | undefined;
        try {
          n = numberFromWire(bound);
        } catch (err) {
          fail(`malformed unknown value refinement: ${(err as Error).message}`, path);
        }
        if (!n) break;
        const entry = { value: n, inclusive: inclusive === true };
        if (Number(key) === 3) refinement.numberLowerBound = entry;
        else refinement.numberUpperBound = entry;
        break;
      }
      case 5:
        if (typeof value === 'number' || typeof value === 'bigint') refinement.lengthLowerBound = Number(value);
        break;
      case 6:
        if (typeof value === 'number' || typeof value === 'bigint') refinement.lengthUpperBound = Number(value);
        break;
      // Unknown keys are ignored so future refinements do not break decoding.
    }
  }
  return new Unknown(refinement);
}

/** The msgpack family a decoded value came from, for error messages. */
function wireKind(wire: Wire): string {
  if (wire === null) return 'nil';
  if (wire instanceof ExtData) return 'ext';
  if (wire instanceof Uint8Array) return 'bin';
  if (Array.isArray(wire)) return 'array';
  switch (typeof wire) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'str';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isSafeInteger(wire) ? 'int' : 'float';
    default:
      return 'map';
  }
}

/** Best-effort type for a plain JS value placed in a dynamic attribute. */
function inferType(value: CtyInput, path: CtyPath): CtyType {
  if (typeof value === 'string') return types.string;
  if (typeof value === 'boolean') return types.bool;
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof CtyNumber) return types.number;
  if (Array.isArray(value)) return types.tuple((value as readonly CtyInput[]).map((v) => inferType(v, path)));
  if (isPlainObject(value)) {
    const attrs: Record<string, CtyType> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) attrs[k] = inferType(v as CtyInput, path);
    return types.object(attrs);
  }
  if (value === null || value === undefined || value instanceof Unknown) return types.dynamic;
  return fail(`cannot infer a cty type for ${describe(value)}`, path);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof CtyNumber) return `number ${value.toString()}`;
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
