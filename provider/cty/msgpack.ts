/**
 * cty values <-> msgpack (tfplugin6 `DynamicValue.msgpack`), driven by the schema's type,
 * following go-cty's msgpack encoding:
 * - null is msgpack nil; an unknown is ext type 0 (`d4 00 00`); a refined unknown is
 *   ext type 0x0c whose payload is a map of refinements.
 * - objects carry every attribute of their type; sets and lists are arrays; maps are maps.
 * - dynamic values are `[type JSON as bin, value]`.
 */
import { MsgpackFormatError, MsgpackReader, MsgpackToken, MsgpackWriter } from './msgpack-wire';
import { CtyNumber } from './number';
import { CtyPath, CtyPathError, PathStep } from './path';
import { CtyType, typeFromJson, typeToJson, types } from './types';
import { CtyDynamic, CtyInput, CtyValue, isPlainObject, newRecord, Unknown, UnknownRefinement } from './values';

const REFINED_UNKNOWN_EXT = 0x0c;

export function encodeMsgpack(value: CtyInput, type: CtyType): Buffer {
  const w = new MsgpackWriter();
  writeValue(w, value, type, []);
  return w.bytes();
}

export function decodeMsgpack(data: Uint8Array, type: CtyType): CtyValue {
  const r = new MsgpackReader(data);
  try {
    return readValue(r, type, []);
  } catch (err) {
    if (err instanceof MsgpackFormatError) throw new CtyPathError(err.message, []);
    throw err;
  }
}

function fail(message: string, path: CtyPath): never {
  throw new CtyPathError(message, path);
}

function writeValue(w: MsgpackWriter, value: CtyInput, type: CtyType, path: PathStep[]): void {
  if (value === null || value === undefined) return w.nil();
  if (value instanceof Unknown) return w.unknown();
  switch (type.kind) {
    case 'dynamic': {
      const dyn = value instanceof CtyDynamic ? value : new CtyDynamic(inferType(value, path), value as CtyValue);
      if (dyn.value === null) return w.nil();
      if (dyn.value instanceof Unknown) return w.unknown();
      w.arrayHeader(2);
      w.bin(Buffer.from(typeToJson(dyn.type), 'utf8'));
      return writeValue(w, dyn.value, dyn.type, path);
    }
    case 'string':
      if (typeof value !== 'string') fail(`string required, got ${describe(value)}`, path);
      return w.str(value);
    case 'bool':
      if (typeof value !== 'boolean') fail(`bool required, got ${describe(value)}`, path);
      return w.bool(value);
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
      if (typeof wire === 'string') return w.str(wire);
      if (typeof wire === 'bigint' || Number.isInteger(wire)) return w.int(wire);
      return w.float64(wire);
    }
    case 'list':
    case 'tuple': {
      if (!Array.isArray(value)) fail(`${type.kind} required, got ${describe(value)}`, path);
      const items = value as readonly CtyInput[];
      if (type.kind === 'tuple' && items.length !== type.elements.length) {
        fail(`tuple of ${type.elements.length} elements required, got ${items.length}`, path);
      }
      w.arrayHeader(items.length);
      items.forEach((item, index) => {
        path.push({ index });
        writeValue(w, item, type.kind === 'list' ? type.element : type.elements[index], path);
        path.pop();
      });
      return;
    }
    case 'set': {
      if (!Array.isArray(value)) fail(`set required, got ${describe(value)}`, path);
      // Encode each element on its own so duplicates can be dropped and the order made
      // stable: Terraform compares sets by membership, and a stable order keeps our own
      // outputs deterministic.
      const encoded = new Map<string, Buffer>();
      (value as readonly CtyInput[]).forEach((item, index) => {
        const ew = new MsgpackWriter();
        path.push({ index });
        writeValue(ew, item, type.element, path);
        path.pop();
        const bytes = ew.bytes();
        const key = item instanceof Unknown ? `unknown#${index}` : bytes.toString('hex');
        encoded.set(key, bytes);
      });
      const sorted = [...encoded.values()].sort(Buffer.compare);
      w.arrayHeader(sorted.length);
      for (const bytes of sorted) w.raw(bytes);
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) fail(`map required, got ${describe(value)}`, path);
      const keys = Object.keys(value).filter((k) => (value as Record<string, CtyInput>)[k] !== undefined).sort();
      w.mapHeader(keys.length);
      for (const key of keys) {
        w.str(key);
        path.push({ key });
        writeValue(w, (value as Record<string, CtyInput>)[key], type.element, path);
        path.pop();
      }
      return;
    }
    case 'object': {
      if (!isPlainObject(value)) fail(`object required, got ${describe(value)}`, path);
      const obj = value as Record<string, CtyInput>;
      for (const key of Object.keys(obj)) {
        if (!(key in type.attributes) && obj[key] !== undefined) fail(`unsupported attribute "${key}"`, path);
      }
      const names = Object.keys(type.attributes).sort();
      w.mapHeader(names.length);
      for (const name of names) {
        w.str(name);
        path.push({ attribute: name });
        writeValue(w, obj[name], type.attributes[name], path);
        path.pop();
      }
      return;
    }
  }
}

function readValue(r: MsgpackReader, type: CtyType, path: PathStep[]): CtyValue {
  const token = r.next();
  if (token.kind === 'ext') return decodeUnknown(token.type, token.data, type, path);
  if (token.kind === 'nil') return null;
  switch (type.kind) {
    case 'dynamic': {
      if (token.kind !== 'array' || token.length !== 2) fail('dynamic value must be a two-element array', path);
      const typeToken = r.next();
      if (typeToken.kind !== 'bin' && typeToken.kind !== 'str') fail('dynamic value type must be bytes', path);
      let concrete: CtyType;
      try {
        concrete = typeFromJson(typeToken.value);
      } catch (err) {
        fail((err as Error).message, path);
      }
      return new CtyDynamic(concrete, readValue(r, concrete, path));
    }
    case 'string':
      if (token.kind !== 'str') fail(`string required, got msgpack ${token.kind}`, path);
      return token.value;
    case 'bool':
      if (token.kind !== 'bool') fail(`bool required, got msgpack ${token.kind}`, path);
      return token.value;
    case 'number':
      return readNumber(token, path);
    case 'list':
    case 'set':
    case 'tuple': {
      if (token.kind !== 'array') fail(`${type.kind} required, got msgpack ${token.kind}`, path);
      if (type.kind === 'tuple' && token.length !== type.elements.length) {
        fail(`tuple of ${type.elements.length} elements required, got ${token.length}`, path);
      }
      const out: CtyValue[] = [];
      for (let index = 0; index < token.length; index++) {
        path.push({ index });
        out.push(readValue(r, type.kind === 'tuple' ? type.elements[index] : type.element, path));
        path.pop();
      }
      return out;
    }
    case 'map':
    case 'object': {
      if (token.kind !== 'map') fail(`${type.kind} required, got msgpack ${token.kind}`, path);
      const out = newRecord<CtyValue>();
      for (let i = 0; i < token.length; i++) {
        const keyToken = r.next();
        if (keyToken.kind !== 'str') fail('map keys must be strings', path);
        const key = keyToken.value;
        if (type.kind === 'map') {
          path.push({ key });
          out[key] = readValue(r, type.element, path);
        } else {
          const attrType = type.attributes[key];
          path.push({ attribute: key });
          if (!attrType) fail('unsupported attribute', path);
          out[key] = readValue(r, attrType, path);
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

function readNumber(token: MsgpackToken, path: CtyPath): CtyNumber {
  try {
    switch (token.kind) {
      case 'int':
        return CtyNumber.fromWire(token.value);
      case 'float':
        return CtyNumber.fromWire(token.value, true);
      case 'str':
        return CtyNumber.fromWire(token.value);
    }
  } catch (err) {
    fail((err as Error).message, path);
  }
  fail(`number required, got msgpack ${token.kind}`, path);
}

function decodeUnknown(extType: number, data: Buffer, type: CtyType, path: CtyPath): Unknown {
  // An empty or one-byte extension is a plain unknown whatever its type code (cty's rule).
  if (data.length <= 1) return new Unknown();
  if (extType !== REFINED_UNKNOWN_EXT) fail(`unsupported msgpack extension type 0x${extType.toString(16)}`, path);
  if (type.kind === 'dynamic') return new Unknown();
  const r = new MsgpackReader(data);
  let entries: unknown;
  try {
    entries = r.readAny();
  } catch {
    fail('malformed unknown value refinement', path);
  }
  if (!(entries instanceof Map)) fail('unknown value refinement must be a map', path);
  const refinement: {
    -readonly [K in keyof UnknownRefinement]: UnknownRefinement[K];
  } = {};
  for (const [key, value] of entries) {
    switch (key) {
      case 1:
        if (value === false) refinement.notNull = true;
        break;
      case 2:
        if (typeof value === 'string') refinement.stringPrefix = value;
        break;
      case 3:
      case 4: {
        if (!Array.isArray(value) || value.length !== 2) break;
        const [bound, inclusive] = value as [unknown, unknown];
        if (typeof bound !== 'number' && typeof bound !== 'bigint' && typeof bound !== 'string') break;
        const entry = { value: CtyNumber.fromWire(bound), inclusive: inclusive === true };
        if (key === 3) refinement.numberLowerBound = entry;
        else refinement.numberUpperBound = entry;
        break;
      }
      case 5:
        if (typeof value === 'number') refinement.lengthLowerBound = value;
        break;
      case 6:
        if (typeof value === 'number') refinement.lengthUpperBound = value;
        break;
      // Unknown keys are ignored so future refinements do not break decoding.
    }
  }
  return new Unknown(refinement);
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
