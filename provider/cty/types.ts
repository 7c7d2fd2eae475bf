/**
 * cty types: the type system Terraform uses for every value crossing the plugin protocol.
 * The JSON form (`"string"`, `["list","string"]`, `["object",{...}]`) is what schemas carry
 * in `Schema.Attribute.type` and what dynamic values carry beside their value.
 */

export type CtyPrimitiveKind = 'string' | 'number' | 'bool';

export type CtyType =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'list'; readonly element: CtyType }
  | { readonly kind: 'set'; readonly element: CtyType }
  | { readonly kind: 'map'; readonly element: CtyType }
  | {
      readonly kind: 'object';
      readonly attributes: { readonly [name: string]: CtyType };
      /** Attributes that may be omitted in a type conversion (`optional()` in HCL). */
      readonly optional?: readonly string[];
    }
  | { readonly kind: 'tuple'; readonly elements: readonly CtyType[] };

export type CtyListType<E extends CtyType = CtyType> = { readonly kind: 'list'; readonly element: E };
export type CtySetType<E extends CtyType = CtyType> = { readonly kind: 'set'; readonly element: E };
export type CtyMapType<E extends CtyType = CtyType> = { readonly kind: 'map'; readonly element: E };
export type CtyObjectType<A extends { readonly [name: string]: CtyType } = { readonly [name: string]: CtyType }> = {
  readonly kind: 'object';
  readonly attributes: A;
  readonly optional?: readonly string[];
};
export type CtyTupleType<E extends readonly CtyType[] = readonly CtyType[]> = { readonly kind: 'tuple'; readonly elements: E };

/** Type constructors, e.g. `types.list(types.string)`. */
export const types = {
  string: { kind: 'string' } as { readonly kind: 'string' },
  number: { kind: 'number' } as { readonly kind: 'number' },
  bool: { kind: 'bool' } as { readonly kind: 'bool' },
  dynamic: { kind: 'dynamic' } as { readonly kind: 'dynamic' },
  list: <E extends CtyType>(element: E): CtyListType<E> => ({ kind: 'list', element }),
  set: <E extends CtyType>(element: E): CtySetType<E> => ({ kind: 'set', element }),
  map: <E extends CtyType>(element: E): CtyMapType<E> => ({ kind: 'map', element }),
  object: <A extends { readonly [name: string]: CtyType }>(attributes: A, optional?: readonly string[]): CtyObjectType<A> =>
    optional && optional.length > 0 ? { kind: 'object', attributes, optional } : { kind: 'object', attributes },
  tuple: <const E extends readonly CtyType[]>(elements: E): CtyTupleType<E> => ({ kind: 'tuple', elements }),
};

export class CtyTypeError extends Error {
  override name = 'CtyTypeError';
}

/** The JSON value (not yet stringified) of a type, as cty's `Type.MarshalJSON` writes it. */
export function typeToJsonValue(type: CtyType): unknown {
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'dynamic':
      return type.kind;
    case 'list':
    case 'set':
    case 'map':
      return [type.kind, typeToJsonValue(type.element)];
    case 'object': {
      const attrs: Record<string, unknown> = {};
      for (const name of Object.keys(type.attributes).sort()) attrs[name] = typeToJsonValue(type.attributes[name]);
      return type.optional && type.optional.length > 0 ? ['object', attrs, [...type.optional].sort()] : ['object', attrs];
    }
    case 'tuple':
      return ['tuple', type.elements.map(typeToJsonValue)];
  }
}

/** Type as JSON text: `types.string` is the 8 bytes `"string"` including the quotes. */
export function typeToJson(type: CtyType): string {
  return JSON.stringify(typeToJsonValue(type));
}

export function typeFromJson(json: string | Uint8Array): CtyType {
  const text = typeof json === 'string' ? json : Buffer.from(json).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CtyTypeError(`invalid type JSON: ${text}`);
  }
  return typeFromJsonValue(parsed);
}

export function typeFromJsonValue(value: unknown): CtyType {
  if (value === 'string') return types.string;
  if (value === 'number') return types.number;
  if (value === 'bool') return types.bool;
  if (value === 'dynamic') return types.dynamic;
  if (Array.isArray(value) && typeof value[0] === 'string') {
    const [kind, arg, extra] = value as [string, unknown, unknown];
    switch (kind) {
      case 'list':
        return types.list(typeFromJsonValue(arg));
      case 'set':
        return types.set(typeFromJsonValue(arg));
      case 'map':
        return types.map(typeFromJsonValue(arg));
      case 'tuple':
        if (!Array.isArray(arg)) break;
        return types.tuple(arg.map(typeFromJsonValue));
      case 'object': {
        if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) break;
        const attributes: Record<string, CtyType> = {};
        for (const [name, t] of Object.entries(arg)) attributes[name] = typeFromJsonValue(t);
        const optional = Array.isArray(extra) ? extra.filter((n): n is string => typeof n === 'string') : undefined;
        return types.object(attributes, optional);
      }
    }
  }
  throw new CtyTypeError(`unsupported type JSON: ${JSON.stringify(value)}`);
}

export function typeEquals(a: CtyType, b: CtyType): boolean {
  return typeToJson(a) === typeToJson(b);
}

/** Human-readable type name for error messages, in Terraform's spelling. */
export function friendlyTypeName(type: CtyType): string {
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return type.kind;
    case 'dynamic':
      return 'any';
    case 'list':
    case 'set':
    case 'map':
      return `${type.kind} of ${friendlyTypeName(type.element)}`;
    case 'object':
      return 'object';
    case 'tuple':
      return 'tuple';
  }
}
