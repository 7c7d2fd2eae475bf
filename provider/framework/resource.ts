/**
 * What a resource, a data source and a provider look like to the framework. A resource
 * module declares a schema and CRUD functions against its backend (an HTTP API, a file...);
 * the framework does the protocol, value encoding, planning and error reporting.
 */
import type { AttributePathInput, Diagnostics } from './diagnostics';
import type { AppliedPlanOf, PlanOf, ResultOf, SchemaSpec, StateOf } from './schema';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Handed to validate hooks (provider not configured yet). */
export interface ValidateContext {
  readonly typeName: string;
  readonly diagnostics: Diagnostics;
  readonly log: Logger;
}

/** Handed to plan, CRUD and read hooks. */
export interface OperationContext<PD> extends ValidateContext {
  /** Whatever the provider's configure hook returned (e.g. an API client). */
  readonly providerData: PD;
  /** Aborted when Terraform asks the provider to stop (Ctrl-C); pass it to fetch(). */
  readonly signal: AbortSignal;
  /**
   * True once Terraform has sent this provider process an ApplyResourceChange. Terraform
   * starts a process per walk and re-plans every change of an apply just before applying it,
   * so a plan request then comes from the apply walk, and the apply itself decides the
   * outcome: checks that only report (a server dry run) can be skipped. The first few
   * re-plans of a walk, before its first apply, still see false.
   */
  readonly applying: boolean;
}

export interface PlanRequest<S> {
  /** null when the object is being created (also for the create half of a replacement). */
  readonly prior: StateOf<S> | null;
  /** The framework's plan: configuration merged with prior state, computed values unknown on create. */
  readonly planned: PlanOf<S>;
  readonly config: PlanOf<S>;
}

export interface PlanModification<S> {
  /** Replacement planned value; only computed attributes may differ from the configuration. */
  readonly planned?: PlanOf<S>;
  /** Extra attribute paths whose change forces replacement. */
  readonly requiresReplace?: readonly AttributePathInput[];
}

export interface ResourceDefinition<S extends SchemaSpec = SchemaSpec, PD = unknown> {
  /** Full type name including the provider prefix, e.g. `netforge_zone`. */
  readonly typeName: string;
  readonly schema: S;

  /** Extra checks beyond the schema; values may be unknown (`isUnknown`). Report via ctx.diagnostics. */
  validate?(config: PlanOf<S>, ctx: ValidateContext): void | Promise<void>;

  /**
   * Optional plan hook, e.g. a server-side dry run: report problems as diagnostics, or return
   * a modified plan / extra replacement paths.
   */
  modifyPlan?(request: PlanRequest<S>, ctx: OperationContext<PD>): void | PlanModification<S> | Promise<void | PlanModification<S>>;

  /**
   * Creates the object. `planned` holds unknown values (isUnknown) only in computed
   * attributes, which the result fills in; `config` is the configuration as written.
   */
  create(request: { planned: AppliedPlanOf<S>; config: StateOf<S> }, ctx: OperationContext<PD>): Promise<ResultOf<S>>;

  /**
   * Reads the object's current state, or null when it no longer exists (Terraform then drops
   * it from state). After an import, `state` holds only what importState returned.
   */
  read(request: { state: StateOf<S> }, ctx: OperationContext<PD>): Promise<ResultOf<S> | null>;

  /** Updates in place; only attributes without requiresReplace can differ from `prior`. */
  update(request: { prior: StateOf<S>; planned: AppliedPlanOf<S>; config: StateOf<S> }, ctx: OperationContext<PD>): Promise<ResultOf<S>>;

  delete(request: { state: StateOf<S> }, ctx: OperationContext<PD>): Promise<void>;

  /**
   * Turns `terraform import` ID into a partial state that read() can complete.
   * Default: `{ id }` (the schema must then have an `id` attribute).
   */
  importState?(request: { id: string }, ctx: OperationContext<PD>): ResultOf<S> | Promise<ResultOf<S>>;

  /**
   * Converts state stored under an older schema version. `state` is the stored JSON, parsed
   * with numbers as CtyNumber. Without this hook older state is read with the current schema
   * (removed attributes dropped, new ones null).
   */
  upgradeState?(request: { version: number; state: unknown }, ctx: ValidateContext): ResultOf<S> | Promise<ResultOf<S>>;
}

export interface DataSourceDefinition<S extends SchemaSpec = SchemaSpec, PD = unknown> {
  readonly typeName: string;
  readonly schema: S;
  validate?(config: PlanOf<S>, ctx: ValidateContext): void | Promise<void>;
  /** Returns the computed attributes; configured values are kept as given. */
  read(request: { config: StateOf<S> }, ctx: OperationContext<PD>): Promise<ResultOf<S>>;
}

export interface ProviderDefinition<PS extends SchemaSpec = SchemaSpec, PD = unknown> {
  /** Provider type name, the prefix of every resource type (e.g. `netforge`). */
  readonly typeName: string;
  readonly schema?: PS;
  validate?(config: PlanOf<PS>, ctx: ValidateContext): void | Promise<void>;
  /** Runs once per provider process before any plan/apply/read; its result becomes ctx.providerData. */
  configure?(
    request: { config: PlanOf<PS>; terraformVersion: string },
    ctx: ValidateContext,
  ): PD | Promise<PD>;
  // Stored type-erased (`any` schema): each definition was checked against its own schema
  // when it was declared with defineResource / forProviderData.
  readonly resources: readonly ResourceDefinition<any, PD>[];
  readonly dataSources?: readonly DataSourceDefinition<any, PD>[];
}

/** Declares a resource; the schema literal drives the value types of every hook. */
export function defineResource<const S extends SchemaSpec, PD = unknown>(definition: ResourceDefinition<S, PD>): ResourceDefinition<S, PD> {
  return definition;
}

export function defineDataSource<const S extends SchemaSpec, PD = unknown>(definition: DataSourceDefinition<S, PD>): DataSourceDefinition<S, PD> {
  return definition;
}

export function defineProvider<const PS extends SchemaSpec, PD>(definition: ProviderDefinition<PS, PD>): ProviderDefinition<PS, PD> {
  return definition;
}

/**
 * Binds the type of `ctx.providerData` once for a provider's modules:
 *   const netforge = forProviderData<ApiClient>();
 *   export const zone = netforge.resource({ typeName: 'netforge_zone', schema: {...}, ... });
 */
export function forProviderData<PD>() {
  return {
    resource: <const S extends SchemaSpec>(definition: ResourceDefinition<S, PD>) => definition,
    dataSource: <const S extends SchemaSpec>(definition: DataSourceDefinition<S, PD>) => definition,
  };
}
