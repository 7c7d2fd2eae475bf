/**
 * cty values <-> JSON, as Terraform stores state (UpgradeResourceState hands the provider
 * the raw JSON of the stored object). Numbers are parsed losslessly into CtyNumber (with
 * lossless-json), which JSON.parse cannot do on Node 20.
 */
import { parse as parseLossless } from 'lossless-json';
import { CtyNumber } from './number';
import { CtyPath, CtyPathError, PathStep } from './path';
import { CtyType, typeFromJsonValue, typeToJsonValue } from './types';
import { CtyDynamic, CtyValue, isPlainObject, newRecord, Unknown } from './values';

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

/** JSON.parse, except numbers become CtyNumber (exact decimal text, no float rounding). */
export function parseJsonLossless(text: string): unknown {
  try {
    return parseLossless(text, null, (digits) => CtyNumber.from(digits));
  } catch (err) {
    throw new JsonSyntaxError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Converts a JSON-shaped value (from parseJsonLossless) to the cty value of `type`.
 * Object attributes missing from the JSON become null; attributes not in the type are
 * dropped when `dropUnknownAttributes` is set (an attribute removed from a schema), else an error.
 */
export function fromJsonValue(json: unknown, type: CtyType, options: { dropUnknownAttributes?: boolean } = {}): CtyValue {
  return convert(json, type, [], options.dropUnknownAttributes ?? false);
}

export function decodeJson(text: string | Uint8Array, type: CtyType, options: { dropUnknownAttributes?: boolean } = {}): CtyValue {
  const str = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  return fromJsonValue(parseJsonLossless(str), type, options);
}

function fail(message: string, path: CtyPath): never {
  throw new CtyPathError(message, path);
}

function convert(json: unknown, type: CtyType, path: PathStep[], drop: boolean): CtyValue {
  if (json === null || json === undefined) return null;
  switch (type.kind) {
    case 'string':
      if (typeof json === 'string') return json;
      if (typeof json === 'boolean' || json instanceof CtyNumber) return String(json);
      return fail('string required', path);
    case 'number':
      if (json instanceof CtyNumber) return json;
      if (typeof json === 'string') {
        try {
          return CtyNumber.from(json);
        } catch {
          return fail('number required', path);
        }
      }
      return fail('number required', path);
    case 'bool':
      if (typeof json === 'boolean') return json;
      if (json === 'true' || json === 'false') return json === 'true';
      return fail('bool required', path);
    case 'dynamic': {
      if (!isPlainObject(json) || !('type' in json) || !('value' in json)) return fail('dynamic value must be {"value","type"}', path);
      let concrete: CtyType;
      try {
        concrete = typeFromJsonValue(toPlain(json.type));
      } catch (err) {
        return fail((err as Error).message, path);
      }
      return new CtyDynamic(concrete, convert(json.value, concrete, path, drop));
    }
    case 'list':
    case 'set':
    case 'tuple': {
      if (!Array.isArray(json)) return fail(`${type.kind} required`, path);
      if (type.kind === 'tuple' && json.length !== type.elements.length) return fail(`tuple of ${type.elements.length} elements required`, path);
      return json.map((item, index) => {
        path.push({ index });
        const v = convert(item, type.kind === 'tuple' ? type.elements[index] : type.element, path, drop);
        path.pop();
        return v;
      });
    }
    case 'map': {
      if (!isPlainObject(json)) return fail('map required', path);
      const out = newRecord<CtyValue>();
      for (const [key, item] of Object.entries(json)) {
        path.push({ key });
        out[key] = convert(item, type.element, path, drop);
        path.pop();
      }
      return out;
    }
    case 'object': {
      if (!isPlainObject(json)) return fail('object required', path);
      const out = newRecord<CtyValue>();
      for (const [name, attrType] of Object.entries(type.attributes)) {
        path.push({ attribute: name });
        out[name] = convert(json[name], attrType, path, drop);
        path.pop();
      }
      if (!drop) {
        for (const key of Object.keys(json)) if (!(key in type.attributes)) fail(`unsupported attribute "${key}"`, path);
      }
      return out;
    }
  }
}

/** CtyNumber-bearing parse output back to plain JSON values (for type descriptions). */
function toPlain(v: unknown): unknown {
  if (v instanceof CtyNumber) return v.toNumber();
  if (Array.isArray(v)) return v.map(toPlain);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

/**
 * JSON text of a known cty value, as Terraform writes it in state: numbers as exact decimal
 * literals, dynamic values as {"value","type"}. Unknown values cannot be written.
 */
export function encodeJson(value: CtyValue, type: CtyType): string {
  return write(value, type, []);
}

function write(value: CtyValue, type: CtyType, path: PathStep[]): string {
  if (value === null) return 'null';
  if (value instanceof Unknown) return fail('unknown values cannot be encoded as JSON', path);
  switch (type.kind) {
    case 'string':
    case 'bool':
      return JSON.stringify(value);
    case 'number':
      return CtyNumber.from(value as CtyNumber).toDecimalString();
    case 'dynamic': {
      const dyn = value as CtyDynamic;
      return `{"value":${write(dyn.value, dyn.type, path)},"type":${JSON.stringify(typeToJsonValue(dyn.type))}}`;
    }
    case 'list':
    case 'set':
    case 'tuple':
      return `[${(value as readonly CtyValue[])
        .map((item, index) => {
          path.push({ index });
          const s = write(item, type.kind === 'tuple' ? type.elements[index] : type.element, path);
          path.pop();
          return s;
        })
        .join(',')}]`;
    case 'map': {
      const obj = value as Record<string, CtyValue>;
      return `{${Object.keys(obj)
        .sort()
        .map((key) => {
          path.push({ key });
          const s = `${JSON.stringify(key)}:${write(obj[key], type.element, path)}`;
          path.pop();
          return s;
        })
        .join(',')}}`;
    }
    case 'object': {
      const obj = value as Record<string, CtyValue>;
      return `{${Object.keys(type.attributes)
        .sort()
        .map((name) => {
          path.push({ attribute: name });
          const s = `${JSON.stringify(name)}:${write(obj[name] ?? null, type.attributes[name], path)}`;
          path.pop();
          return s;
        })
        .join(',')}}`;
    }
  }
}
