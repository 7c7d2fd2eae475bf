/**
 * The tfplugin6 Provider service in terms of resource definitions. Transport-free: each
 * handler takes and returns plain protocol objects, so it can be tested without gRPC.
 * Every handler catches everything and answers with diagnostics.
 */
import {
  CtyPath,
  CtyType,
  CtyValue,
  decodeJson,
  decodeMsgpack,
  encodeMsgpack,
  formatPath,
  isPlainObject,
  isUnknown,
  parseJsonLossless,
  PathStep,
  typeToJson,
} from '../cty';
import type {
  AttributePath,
  DynamicValue,
  ProtoAttribute,
  ProtoBlock,
  ProtoDiagnostic,
  ProtoSchema,
  ProviderHandlers,
  ServerCapabilities,
} from '../plugin/protocol-types';
import { Diagnostic, diagnosticFromError, Diagnostics, resolvePath } from './diagnostics';
import { cachedSchemaType, coerceResult, coerceValue, mergeApplyResult, mergeReadResult, planResourceChange } from './plan';
import type { DataSourceDefinition, Logger, OperationContext, ProviderDefinition, ResourceDefinition, ValidateContext } from './resource';
import { AttributeMap, BlockMap, checkSchema, isNestedAttribute, SchemaSpec } from './schema';

const EMPTY_SCHEMA: SchemaSpec = { attributes: {} };

const CAPABILITIES: ServerCapabilities = {
  // Destroy needs no plan-time work from us: Terraform plans it alone.
  plan_destroy: false,
  // Our schema is static, so Terraform may reuse a cached copy instead of asking every process.
  get_provider_schema_optional: true,
  move_resource_state: false,
};

/** Logger writing to stderr, which Terraform captures into its own log (TF_LOG). */
export function stderrLogger(prefix: string): Logger {
  const write = (level: string) => (message: string) => process.stderr.write(`[${level}] ${prefix}: ${message}\n`);
  return { debug: write('DEBUG'), info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
}

type AnyResource = ResourceDefinition<SchemaSpec, unknown>;
type AnyDataSource = DataSourceDefinition<SchemaSpec, unknown>;

export class ProviderServer implements ProviderHandlers {
  private readonly resources = new Map<string, AnyResource>();
  private readonly dataSources = new Map<string, AnyDataSource>();
  private readonly providerSchema: SchemaSpec;
  private providerData: unknown = undefined;
  private readonly stopController = new AbortController();
  /** Set by the first ApplyResourceChange: this process serves an apply walk (OperationContext.applying). */
  private applying = false;

  constructor(
    private readonly definition: ProviderDefinition<SchemaSpec, unknown>,
    private readonly log: Logger = stderrLogger(`provider-${definition.typeName}`),
  ) {
    this.providerSchema = definition.schema ?? EMPTY_SCHEMA;
    checkSchema('provider', this.providerSchema);
    for (const r of definition.resources) this.register(this.resources, r, 'resource');
    for (const d of definition.dataSources ?? []) this.register(this.dataSources, d, 'data source');
  }

  private register<T extends { typeName: string; schema: SchemaSpec }>(into: Map<string, T>, def: T, kind: string): void {
    if (into.has(def.typeName)) throw new Error(`${kind} ${def.typeName} is declared twice`);
    if (!def.typeName.startsWith(`${this.definition.typeName}_`) && def.typeName !== this.definition.typeName) {
      throw new Error(`${kind} ${def.typeName} must be prefixed with the provider name "${this.definition.typeName}_"`);
    }
    checkSchema(def.typeName, def.schema);
    into.set(def.typeName, def);
  }

  /** Resolves when StopProvider has been called. */
  get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }

  // ---------------------------------------------------------------------------- schema

  GetMetadata: ProviderHandlers['GetMetadata'] = async () => ({
    server_capabilities: CAPABILITIES,
    resources: [...this.resources.keys()].map((type_name) => ({ type_name })),
    data_sources: [...this.dataSources.keys()].map((type_name) => ({ type_name })),
    diagnostics: [],
  });

  GetProviderSchema: ProviderHandlers['GetProviderSchema'] = async () => {
    const resource_schemas: Record<string, ProtoSchema> = {};
    for (const [name, r] of this.resources) resource_schemas[name] = toProtoSchema(r.schema);
    const data_source_schemas: Record<string, ProtoSchema> = {};
    for (const [name, d] of this.dataSources) data_source_schemas[name] = toProtoSchema(d.schema);
    return {
      provider: toProtoSchema(this.providerSchema),
      resource_schemas,
      data_source_schemas,
      server_capabilities: CAPABILITIES,
      diagnostics: [],
    };
  };

  GetFunctions: ProviderHandlers['GetFunctions'] = async () => ({ functions: {}, diagnostics: [] });

  // ---------------------------------------------------------------------------- provider

  ValidateProviderConfig: ProviderHandlers['ValidateProviderConfig'] = async (req) => {
    const type = cachedSchemaType(this.providerSchema);
    return this.run('validate provider configuration', type, async (ctx) => {
      const config = decodeDynamic(req.config, type);
      validateAttributes(this.providerSchema, config, ctx.diagnostics);
      await this.definition.validate?.(attributesOf(config), ctx);
      return {};
    });
  };

  ConfigureProvider: ProviderHandlers['ConfigureProvider'] = async (req) => {
    const type = cachedSchemaType(this.providerSchema);
    return this.run('configure provider', type, async (ctx) => {
      const config = decodeDynamic(req.config, type);
      if (this.definition.configure) {
        this.providerData = await this.definition.configure({ config: attributesOf(config), terraformVersion: req.terraform_version ?? '' }, ctx);
      }
      return {};
    });
  };

  StopProvider: ProviderHandlers['StopProvider'] = async () => {
    this.log.info('StopProvider: aborting in-flight operations');
    this.stopController.abort();
    return { Error: '' };
  };

  // ---------------------------------------------------------------------------- resources

  ValidateResourceConfig: ProviderHandlers['ValidateResourceConfig'] = async (req) => {
    const r = this.resources.get(req.type_name);
    if (!r) return unknownType('resource', req.type_name);
    const type = cachedSchemaType(r.schema);
    return this.run(`validate ${req.type_name}`, type, async (ctx) => {
      const config = decodeDynamic(req.config, type);
      validateAttributes(r.schema, config, ctx.diagnostics);
      // All problems at once: the hook runs even when attribute validators already failed.
      await r.validate?.(attributesOf(config), ctx);
      return {};
    });
  };

  UpgradeResourceState: ProviderHandlers['UpgradeResourceState'] = async (req) => {
    const r = this.resources.get(req.type_name);
    if (!r) return unknownType('resource', req.type_name);
    const type = cachedSchemaType(r.schema);
    return this.run(`upgrade state of ${req.type_name}`, type, async (ctx) => {
      const raw = req.raw_state;
      if (!raw?.json || raw.json.length === 0) {
        if (raw?.flatmap && Object.keys(raw.flatmap).length > 0) {
          ctx.diagnostics.error('Unsupported state format', 'Legacy flatmap state (Terraform < 0.12) cannot be upgraded by this provider.');
          return {};
        }
        return { upgraded_state: { msgpack: encodeMsgpack(null, type) } };
      }
      const version = req.version ?? 0;
      const currentVersion = r.schema.version ?? 0;
      let state: CtyValue;
      if (r.upgradeState && version < currentVersion) {
        const json = parseJsonLossless(raw.json.toString('utf8'));
        state = coerceResult(r.schema, await r.upgradeState({ version, state: json }, ctx));
      } else {
        // Attributes since removed from the schema are dropped; new ones start out null.
        state = decodeJson(raw.json, type, { dropUnknownAttributes: true });
      }
      return { upgraded_state: { msgpack: encodeMsgpack(state, type) } };
    });
  };

  ReadResource: ProviderHandlers['ReadResource'] = async (req) => {
    const r = this.resources.get(req.type_name);
    if (!r) return unknownType('resource', req.type_name);
    const type = cachedSchemaType(r.schema);
    return this.run(`read ${req.type_name}`, type, async (ctx) => {
      const state = decodeDynamic(req.current_state, type);
      if (state === null) return { new_state: { msgpack: encodeMsgpack(null, type) }, private: req.private };
      const result = await r.read({ state: attributesOf(state) }, ctx);
      if (result === null || result === undefined) {
        // Gone outside Terraform: a null new state drops it from state.
        return { new_state: { msgpack: encodeMsgpack(null, type) }, private: req.private };
      }
      const merged = mergeReadResult(type, state, coerceResult(r.schema, result), providedKeys(result));
      return { new_state: { msgpack: encodeMsgpack(merged, type) }, private: req.private };
    });
  };

  PlanResourceChange: ProviderHandlers['PlanResourceChange'] = async (req) => {
    const r = this.resources.get(req.type_name);
    if (!r) return unknownType('resource', req.type_name);
    const type = cachedSchemaType(r.schema);
    return this.run(`plan ${req.type_name}`, type, async (ctx) => {
      const prior = decodeDynamic(req.prior_state, type);
      const proposed = decodeDynamic(req.proposed_new_state, type);
      const config = decodeDynamic(req.config, type);
      let { planned, requiresReplace } = planResourceChange(r.schema, prior, proposed, config);
      const replacePaths: PathStep[][] = requiresReplace.map((p) => [...p]);
      if (r.modifyPlan && planned !== null && !isUnknown(planned)) {
        const modification = await r.modifyPlan({ prior: prior === null ? null : attributesOf(prior), planned: attributesOf(planned), config: attributesOf(config) }, ctx);
        if (modification?.planned !== undefined) planned = coerceValue(modification.planned, type);
        for (const p of modification?.requiresReplace ?? []) replacePaths.push(resolvePath(p, type));
      }
      return {
        planned_state: { msgpack: encodeMsgpack(planned, type) },
        requires_replace: replacePaths.map(toProtoPath),
        planned_private: req.prior_private,
      };
    });
  };

  ApplyResourceChange: ProviderHandlers['ApplyResourceChange'] = async (req) => {
    const r = this.resources.get(req.type_name);
    if (!r) return unknownType('resource', req.type_name);
    const type = cachedSchemaType(r.schema);
    const prior = safeDecode(req.prior_state, type);
    this.applying = true;
    return this.run(
      `apply ${req.type_name}`,
      type,
      async (ctx) => {
        const planned = decodeDynamic(req.planned_state, type);
        const config = decodeDynamic(req.config, type);
        if (planned === null) {
          if (prior !== null) await r.delete({ state: attributesOf(prior) }, ctx);
          return { new_state: { msgpack: encodeMsgpack(null, type) } };
        }
        const result =
          prior === null
            ? await r.create({ planned: attributesOf(planned), config: attributesOf(config) }, ctx)
            : await r.update({ prior: attributesOf(prior), planned: attributesOf(planned), config: attributesOf(config) }, ctx);
        const { value, leftUnknown } = mergeApplyResult(type, planned, coerceResult(r.schema, result));
        for (const path of leftUnknown) {
          ctx.diagnostics.warning(
            'Provider left a computed value unset',
            `${req.type_name} did not return a value for ${formatPath(path)} after apply; it is recorded as null.`,
            path,
          );
        }
        return { new_state: { msgpack: encodeMsgpack(value, type) }, private: req.planned_private };
      },
      // A failed apply must still report what exists: the prior object (update/delete) or nothing (create).
      () => ({ new_state: { msgpack: encodeMsgpack(prior, type) }, private: req.planned_private }),
    );
  };

  ImportResourceState: ProviderHandlers['ImportResourceState'] = async (req) => {
    const r = this.resources.get(req.type_name);
    if (!r) return unknownType('resource', req.type_name);
    const type = cachedSchemaType(r.schema);
    return this.run(`import ${req.type_name}`, type, async (ctx) => {
      if (!r.importState && !('id' in r.schema.attributes)) {
        ctx.diagnostics.error('Import not supported', `${req.type_name} has no "id" attribute and no importState hook.`);
        return {};
      }
      const partial = r.importState ? await r.importState({ id: req.id }, ctx) : { id: req.id };
      const state = coerceResult(r.schema, partial);
      return { imported_resources: [{ type_name: req.type_name, state: { msgpack: encodeMsgpack(state, type) } }] };
    });
  };

  MoveResourceState: ProviderHandlers['MoveResourceState'] = async (req) => ({
    diagnostics: [
      {
        severity: 'ERROR',
        summary: 'Move not supported',
        detail: `This provider cannot move state from ${req.source_type_name ?? '?'} to ${req.target_type_name ?? '?'}.`,
      },
    ],
  });

  // ---------------------------------------------------------------------------- data sources

  ValidateDataResourceConfig: ProviderHandlers['ValidateDataResourceConfig'] = async (req) => {
    const d = this.dataSources.get(req.type_name);
    if (!d) return unknownType('data source', req.type_name);
    const type = cachedSchemaType(d.schema);
    return this.run(`validate data.${req.type_name}`, type, async (ctx) => {
      const config = decodeDynamic(req.config, type);
      validateAttributes(d.schema, config, ctx.diagnostics);
      await d.validate?.(attributesOf(config), ctx);
      return {};
    });
  };

  ReadDataSource: ProviderHandlers['ReadDataSource'] = async (req) => {
    const d = this.dataSources.get(req.type_name);
    if (!d) return unknownType('data source', req.type_name);
    const type = cachedSchemaType(d.schema);
    return this.run(`read data.${req.type_name}`, type, async (ctx) => {
      const config = decodeDynamic(req.config, type);
      const result = await d.read({ config: attributesOf(config) }, ctx);
      // Configured values stand as given; everything the config left null comes from read().
      const planned = markComputedUnknown(d.schema, config);
      const { value, leftUnknown } = mergeApplyResult(type, planned, coerceResult(d.schema, result));
      for (const path of leftUnknown) ctx.diagnostics.warning('Data source left a computed value unset', formatPath(path), path);
      return { state: { msgpack: encodeMsgpack(value, type) } };
    });
  };

  // ---------------------------------------------------------------------------- plumbing

  private context(typeName: string, diagnostics: Diagnostics): OperationContext<unknown> & ValidateContext {
    return { typeName, diagnostics, log: this.log, providerData: this.providerData, signal: this.stopController.signal, applying: this.applying };
  }

  /** Runs a handler body, converting thrown errors and collected diagnostics for the wire. */
  private async run<R extends object>(
    operation: string,
    type: CtyType,
    body: (ctx: OperationContext<unknown>) => Promise<R>,
    onError?: () => Partial<R>,
  ): Promise<R & { diagnostics: ProtoDiagnostic[] }> {
    const diagnostics = new Diagnostics();
    let response: R | Partial<R>;
    try {
      response = await body(this.context(operation, diagnostics));
    } catch (err) {
      this.log.error(`${operation} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      diagnostics.add(diagnosticFromError(err, `Failed to ${operation}`));
      response = onError?.() ?? {};
    }
    return { ...(response as R), diagnostics: diagnostics.items.map((d) => toProtoDiagnostic(d, type)) };
  }
}

function unknownType(kind: string, typeName: string) {
  return { diagnostics: [{ severity: 'ERROR' as const, summary: `Unknown ${kind} type`, detail: `This provider has no ${kind} "${typeName}".` }] };
}

/**
 * A decoded object value as the hooks see it: attribute name -> value. The framework decoded
 * it against the resource's schema, so it is an object (Terraform never sends a wholly
 * unknown configuration, state or plan of a resource it is working on).
 */
function attributesOf(value: CtyValue): Record<string, unknown> {
  if (!isPlainObject(value)) throw new Error(`expected an object value, got ${value === null ? 'null' : typeof value}`);
  return value;
}

function decodeDynamic(value: DynamicValue | undefined, type: CtyType): CtyValue {
  if (value?.msgpack && value.msgpack.length > 0) return decodeMsgpack(value.msgpack, type);
  if (value?.json && value.json.length > 0) return decodeJson(value.json, type);
  return null;
}

function safeDecode(value: DynamicValue | undefined, type: CtyType): CtyValue {
  try {
    return decodeDynamic(value, type);
  } catch {
    return null;
  }
}

function providedKeys(result: object): Set<string> {
  return new Set(Object.entries(result).filter(([, v]) => v !== undefined).map(([k]) => k));
}

/** For data sources: computed attributes the configuration left null are to be filled by read(). */
function markComputedUnknown(schema: SchemaSpec, config: CtyValue): CtyValue {
  const { planned } = planResourceChange(schema, null, config, config);
  return planned;
}

// ---------------------------------------------------------------------------- validation

/** Runs attribute validators over known, non-null values, reporting on the attribute's path. */
function validateAttributes(schema: Pick<SchemaSpec, 'attributes' | 'blocks'>, value: CtyValue, diagnostics: Diagnostics, path: PathStep[] = []): void {
  if (!isPlainObject(value)) return;
  const obj = value as Record<string, CtyValue>;
  for (const [name, attr] of Object.entries(schema.attributes)) {
    const v = obj[name] ?? null;
    const at: PathStep[] = [...path, { attribute: name }];
    if (v === null || isUnknown(v)) continue;
    for (const validator of attr.validators ?? []) {
      const problem = validator(v);
      if (problem) diagnostics.attributeError(at, `Invalid value for "${name}"`, problem);
    }
    if (isNestedAttribute(attr)) forEachNested(attr.nesting, v, at, (item, itemPath) => validateAttributes({ attributes: attr.attributes }, item, diagnostics, itemPath));
  }
  for (const [name, blk] of Object.entries(schema.blocks ?? {})) {
    const v = obj[name] ?? null;
    if (v === null || isUnknown(v)) continue;
    const nesting = blk.nesting === 'group' ? 'single' : blk.nesting;
    forEachNested(nesting, v, [...path, { attribute: name }], (item, itemPath) =>
      validateAttributes({ attributes: blk.attributes ?? {}, blocks: blk.blocks }, item, diagnostics, itemPath),
    );
  }
}

function forEachNested(nesting: string, value: CtyValue, path: PathStep[], visit: (item: CtyValue, path: PathStep[]) => void): void {
  if (nesting === 'single') return visit(value, path);
  if (Array.isArray(value)) {
    // Set elements cannot be addressed; report on the set itself.
    value.forEach((item, index) => visit(item, nesting === 'set' ? path : [...path, { index }]));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value as Record<string, CtyValue>)) visit(item, [...path, { key }]);
  }
}

// ---------------------------------------------------------------------------- wire conversion

export function toProtoSchema(schema: SchemaSpec): ProtoSchema {
  return { version: schema.version ?? 0, block: toProtoBlock(schema.attributes, schema.blocks, schema.description, schema.deprecated) };
}

function toProtoBlock(attributes: AttributeMap, blocks: BlockMap | undefined, description?: string, deprecated?: boolean): ProtoBlock {
  return {
    attributes: Object.keys(attributes)
      .sort()
      .map((name) => toProtoAttribute(name, attributes[name])),
    block_types: Object.keys(blocks ?? {})
      .sort()
      .map((name) => {
        const b = blocks![name];
        return {
          type_name: name,
          block: toProtoBlock(b.attributes ?? {}, b.blocks, b.description, b.deprecated),
          nesting: b.nesting.toUpperCase() as 'LIST',
          min_items: b.minItems ?? 0,
          max_items: b.maxItems ?? 0,
        };
      }),
    description: description ?? '',
    description_kind: 'PLAIN',
    deprecated: deprecated ?? false,
  };
}

function toProtoAttribute(name: string, spec: AttributeMap[string]): ProtoAttribute {
  const common: ProtoAttribute = {
    name,
    description: spec.description ?? '',
    description_kind: 'PLAIN',
    required: spec.required ?? false,
    optional: spec.optional ?? false,
    computed: spec.computed ?? false,
    sensitive: spec.sensitive ?? false,
    deprecated: spec.deprecated ?? false,
  };
  if (isNestedAttribute(spec)) {
    const nested = spec.attributes;
    return {
      ...common,
      nested_type: {
        attributes: Object.keys(nested)
          .sort()
          .map((n) => toProtoAttribute(n, nested[n])),
        nesting: spec.nesting.toUpperCase() as 'LIST',
      },
    };
  }
  return { ...common, type: Buffer.from(typeToJson(spec.type), 'utf8') };
}

export function toProtoPath(path: CtyPath): AttributePath {
  return {
    steps: path.map((step) => {
      if ('attribute' in step) return { attribute_name: step.attribute };
      if ('key' in step) return { element_key_string: step.key };
      return { element_key_int: step.index };
    }),
  };
}

function toProtoDiagnostic(d: Diagnostic, type: CtyType): ProtoDiagnostic {
  const out: ProtoDiagnostic = { severity: d.severity === 'error' ? 'ERROR' : 'WARNING', summary: d.summary, detail: d.detail ?? '' };
  if (d.path && d.path.length > 0) out.attribute = toProtoPath(resolvePath(d.path, type));
  return out;
}

