/**
 * Declarative schema DSL for resources, data sources and provider configuration, and the
 * TypeScript value types inferred from a schema.
 *
 *   const schema = {
 *     attributes: {
 *       id: attr.string({ computed: true }),
 *       name: attr.string({ required: true, requiresReplace: true }),
 *       host_routes: attr.listNested({
 *         prefix: attr.string({ required: true }),
 *         next_hop: attr.string({ required: true }),
 *       }, { optional: true }),
 *     },
 *   } satisfies SchemaSpec;
 */
import {
  CtyDynamic,
  CtyInput,
  CtyNumber,
  CtyType,
  types,
  Unknown,
} from '../cty';
import type { AttributeValidator } from './validators';

export interface AttributeOptions {
  readonly description?: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  /** Set by the provider (e.g. an id); with `optional` the user may also set it. */
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  /** A change to this attribute destroys and re-creates the object instead of updating it. */
  readonly requiresReplace?: boolean;
  /**
   * Computed attributes keep their prior value on update by default. Set this for values the
   * backend changes on every update (e.g. `updated_at`, `etag`): they become "known after apply".
   */
  readonly unknownOnUpdate?: boolean;
  /** Value planned when the configuration leaves the attribute null; needs optional + computed. */
  readonly default?: CtyInput;
  /** Checks run by ValidateResourceConfig on known, non-null values. */
  readonly validators?: readonly AttributeValidator[];
}

export interface TypedAttributeSpec extends AttributeOptions {
  readonly type: CtyType;
}

export type NestingMode = 'single' | 'list' | 'set' | 'map';

/** An attribute whose value is an object or a collection of objects (`nested_type`). */
export interface NestedAttributeSpec extends AttributeOptions {
  readonly nesting: NestingMode;
  readonly attributes: AttributeMap;
}

export type AttributeSpec = TypedAttributeSpec | NestedAttributeSpec;
export type AttributeMap = { readonly [name: string]: AttributeSpec };

/** A nested block (`rule { ... }` in HCL). List and set blocks are never null, only empty. */
export interface BlockSpec {
  readonly nesting: NestingMode | 'group';
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly attributes?: AttributeMap;
  readonly blocks?: BlockMap;
  readonly minItems?: number;
  readonly maxItems?: number;
}
export type BlockMap = { readonly [name: string]: BlockSpec };

export interface SchemaSpec {
  /** Bump when the stored state shape changes; see `upgradeState`. */
  readonly version?: number;
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly attributes: AttributeMap;
  readonly blocks?: BlockMap;
}

export function isNestedAttribute(spec: AttributeSpec): spec is NestedAttributeSpec {
  return 'nesting' in spec;
}

// ---------------------------------------------------------------------------------------
// Constructors

type Options = AttributeOptions;

export const attr = {
  string: <const O extends Options>(options: O) => ({ type: types.string, ...options }),
  number: <const O extends Options>(options: O) => ({ type: types.number, ...options }),
  bool: <const O extends Options>(options: O) => ({ type: types.bool, ...options }),
  dynamic: <const O extends Options>(options: O) => ({ type: types.dynamic, ...options }),
  list: <E extends CtyType, const O extends Options>(element: E, options: O) => ({ type: types.list(element), ...options }),
  set: <E extends CtyType, const O extends Options>(element: E, options: O) => ({ type: types.set(element), ...options }),
  map: <E extends CtyType, const O extends Options>(element: E, options: O) => ({ type: types.map(element), ...options }),
  /** Any cty type, e.g. `attr.typed(types.object({...}), {...})`. */
  typed: <T extends CtyType, const O extends Options>(type: T, options: O) => ({ type, ...options }),
  singleNested: <const A extends AttributeMap, const O extends Options>(attributes: A, options: O) =>
    ({ nesting: 'single' as const, attributes, ...options }),
  listNested: <const A extends AttributeMap, const O extends Options>(attributes: A, options: O) =>
    ({ nesting: 'list' as const, attributes, ...options }),
  setNested: <const A extends AttributeMap, const O extends Options>(attributes: A, options: O) =>
    ({ nesting: 'set' as const, attributes, ...options }),
  mapNested: <const A extends AttributeMap, const O extends Options>(attributes: A, options: O) =>
    ({ nesting: 'map' as const, attributes, ...options }),
};

type BlockBody = Omit<BlockSpec, 'nesting'>;

export const block = {
  list: <const B extends BlockBody>(body: B) => ({ nesting: 'list' as const, ...body }),
  set: <const B extends BlockBody>(body: B) => ({ nesting: 'set' as const, ...body }),
  single: <const B extends BlockBody>(body: B) => ({ nesting: 'single' as const, ...body }),
  map: <const B extends BlockBody>(body: B) => ({ nesting: 'map' as const, ...body }),
  group: <const B extends BlockBody>(body: B) => ({ nesting: 'group' as const, ...body }),
};

/** Identity helper that keeps literal types, for schemas declared apart from a resource. */
export function defineSchema<const S extends SchemaSpec>(schema: S): S {
  return schema;
}

// ---------------------------------------------------------------------------------------
// cty types of schema values

/** The object type of an instance of the schema (what travels as DynamicValue). */
export function schemaType(schema: Pick<SchemaSpec, 'attributes' | 'blocks'>): CtyType {
  const attributes: Record<string, CtyType> = {};
  for (const [name, spec] of Object.entries(schema.attributes)) attributes[name] = attributeType(spec);
  for (const [name, spec] of Object.entries(schema.blocks ?? {})) attributes[name] = blockType(spec);
  return types.object(attributes);
}

export function attributeType(spec: AttributeSpec): CtyType {
  if (!isNestedAttribute(spec)) return spec.type;
  return wrap(spec.nesting, schemaType({ attributes: spec.attributes }));
}

export function blockType(spec: BlockSpec): CtyType {
  const object = schemaType({ attributes: spec.attributes ?? {}, blocks: spec.blocks });
  return spec.nesting === 'group' ? object : wrap(spec.nesting, object);
}

function wrap(nesting: NestingMode, object: CtyType): CtyType {
  switch (nesting) {
    case 'single':
      return object;
    case 'list':
      return types.list(object);
    case 'set':
      return types.set(object);
    case 'map':
      return types.map(object);
  }
}

/**
 * Rejects schemas Terraform would refuse or that the planner cannot honour, at start-up
 * rather than on the first plan.
 */
export function checkSchema(where: string, schema: Pick<SchemaSpec, 'attributes' | 'blocks'>): void {
  for (const [name, spec] of Object.entries(schema.attributes)) {
    const at = `${where}.${name}`;
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${at}: attribute names must be lower-case snake_case`);
    const modes = [spec.required, spec.optional, spec.computed].filter(Boolean).length;
    if (modes === 0) throw new Error(`${at}: set one of required, optional or computed`);
    if (spec.required && (spec.optional || spec.computed)) throw new Error(`${at}: required excludes optional and computed`);
    if (spec.default !== undefined && !(spec.optional && spec.computed)) {
      throw new Error(`${at}: a default needs optional: true and computed: true (Terraform forbids planning a value the configuration did not set otherwise)`);
    }
    if (spec.unknownOnUpdate && !spec.computed) throw new Error(`${at}: unknownOnUpdate applies to computed attributes only`);
    if (isNestedAttribute(spec)) checkSchema(at, { attributes: spec.attributes });
  }
  for (const [name, spec] of Object.entries(schema.blocks ?? {})) {
    if (name in schema.attributes) throw new Error(`${where}.${name}: a block and an attribute share the name`);
    checkSchema(`${where}.${name}`, { attributes: spec.attributes ?? {}, blocks: spec.blocks });
  }
}

// ---------------------------------------------------------------------------------------
// TypeScript value types inferred from a schema.
// N is the representation of numbers: CtyNumber in values the framework hands over,
// anything CtyNumber.from accepts in values the resource returns.

export type NumberInput = CtyNumber | number | bigint | string;

export type TypeValue<T, N> = [CtyType] extends [T]
  ? unknown // a type only known at run time: no static shape
  : T extends { readonly kind: 'string' }
  ? string
  : T extends { readonly kind: 'number' }
    ? N
    : T extends { readonly kind: 'bool' }
      ? boolean
      : T extends { readonly kind: 'list' | 'set'; readonly element: infer E }
        ? TypeValue<E, N>[]
        : T extends { readonly kind: 'map'; readonly element: infer E }
          ? Record<string, TypeValue<E, N>>
          : T extends { readonly kind: 'object'; readonly attributes: infer A }
            ? { -readonly [K in keyof A]: TypeValue<A[K], N> | null }
            : T extends { readonly kind: 'dynamic' }
              ? CtyDynamic | CtyInput
              : unknown;

type Nested<M, O> = M extends 'single' ? O : M extends 'map' ? Record<string, O> : O[];

/**
 * Mode 'state': every value known. Mode 'apply': computed attributes may still be unknown
 * (the plan's "known after apply" values that create/update fill in).
 */
type Mode = 'state' | 'apply';

export type AttributeValue<A, N, M extends Mode = 'state'> = A extends { readonly type: infer T }
  ? TypeValue<T, N>
  : A extends { readonly nesting: infer Nest; readonly attributes: infer As }
    ? Nested<Nest, AttributesValue<As, N, M>>
    : unknown;

type NullUnlessRequired<A, V> = A extends { readonly required: true } ? V : V | null;
type UnknownIfComputed<A, V, M extends Mode> = M extends 'apply' ? (A extends { readonly computed: true } ? MaybeUnknown<V> : V) : V;

export type AttributesValue<As, N, M extends Mode = 'state'> = string extends keyof As
  ? Record<string, unknown> // a schema typed as SchemaSpec, not a literal: no static shape
  : { -readonly [K in keyof As]: UnknownIfComputed<As[K], NullUnlessRequired<As[K], AttributeValue<As[K], N, M>>, M> };

type BlockValue<B, N, M extends Mode> = B extends { readonly nesting: infer Nest }
  ? Nest extends 'group'
    ? ObjectValue<B, N, M>
    : Nest extends 'single'
      ? ObjectValue<B, N, M> | null
      : Nested<Nest, ObjectValue<B, N, M>>
  : unknown;

type BlocksValue<Bs, N, M extends Mode> = string extends keyof Bs
  ? Record<string, unknown>
  : { -readonly [K in keyof Bs]: BlockValue<Bs[K], N, M> };

type ObjectValue<S, N, M extends Mode = 'state'> = (S extends { readonly attributes: infer As } ? AttributesValue<As, N, M> : unknown) &
  (S extends { readonly blocks: infer Bs } ? BlocksValue<Bs, N, M> : unknown);

/** A wholly known instance: prior state, Read input, apply results after reconciliation. */
export type StateOf<S> = ObjectValue<S, CtyNumber>;

/** Any part of a configuration or plan may be unknown ("known after apply"). */
export type MaybeUnknown<T> = T extends CtyNumber | string | boolean | null | undefined
  ? T | Unknown
  : T extends readonly (infer E)[]
    ? MaybeUnknown<E>[] | Unknown
    : T extends object
      ? { [K in keyof T]: MaybeUnknown<T[K]> } | Unknown
      : T | Unknown;

/** Configuration or planned values: like StateOf but values may be unknown at any depth. */
export type PlanOf<S> = { [K in keyof StateOf<S>]: MaybeUnknown<StateOf<S>[K]> };

/**
 * The plan as create/update receive it: the configuration is wholly known by then, so only
 * computed attributes can still be unknown.
 */
export type AppliedPlanOf<S> = ObjectValue<S, CtyNumber, 'apply'>;

/**
 * What create/read/update/import return. Attributes left out keep their planned value (or
 * prior value on read); plain JS numbers are accepted for number attributes.
 */
export type ResultOf<S> = Partial<ObjectValue<S, NumberInput>>;
