/**
 * Turns a resource spec (its fields, API path and stateless rules) into a framework
 * resource: CRUD over the API, stateless rules at validate time, the server's dry run at
 * plan time, import by uuid. Every resource gets computed `id` and `uuid` (the same value).
 */
import type { Violation } from '../../topology/violation';
import { violationKind } from '../../topology/violation-codes';
import { forProviderData, isUnknown, ProviderError, type BlockSpec, type ResourceDefinition, type SchemaSpec } from '../framework';
import { randomUUID } from 'node:crypto';
import { isInUse, isTransient, NetforgeApiError, toProviderError, type NetforgeClient } from './client';
import { attributeFor, fromApiValue, hostRoutesBlock, toApiValue, type Field } from './fields';
import { apiPathToAttributePath } from './paths';

export interface ResourceSpec {
  typeName: string;
  description: string;
  /** URL segment under /v1. */
  apiPath: string;
  /** Object type in POST /v1/validate. */
  apiType: string;
  fields: Field[];
  /** Fixed API fields sent on create (e.g. the L2 type of a typed L2 resource). */
  constants?: Record<string, unknown>;
  /** Stateless rules from topology/, on the API-shaped configuration (known values only). */
  rules?(api: Record<string, unknown>): Violation[];
  /** Extra computed attributes from the API object. */
  extraFromApi?(obj: Record<string, unknown>): Record<string, unknown>;
}

const netforge = forProviderData<NetforgeClient>();

/** How long a delete refused as "in use" is retried before the error is reported. */
export const DELETE_IN_USE_RETRY_MS = Number(process.env.NETFORGE_DELETE_RETRY_MS ?? 20_000);
/** How long a create refused for something missing (kind 'missing') is retried. */
export const CREATE_MISSING_RETRY_MS = Number(process.env.NETFORGE_CREATE_RETRY_MS ?? 20_000);
/** How long a request whose answer was lost (server restarting, connection cut) is retried. */
export const TRANSIENT_RETRY_MS = Number(process.env.NETFORGE_TRANSIENT_RETRY_MS ?? 60_000);

const ID_FIELDS: Field[] = [
  { tf: 'id', api: 'uuid', kind: 'string', mode: 'computed', description: 'Same as uuid.' },
  { tf: 'uuid', api: 'uuid', kind: 'string', mode: 'computed', description: 'The object\'s uuid on the netforge server.' },
];

/**
 * Delete conflicts Terraform resolves itself when it replaces an object: the dependents
 * reference the object's uuid, so they are replaced (deleted) first. VMs holding addresses
 * in a range or running on a host don't reference them, so those conflicts still count.
 */
const FREED_BY_REPLACING_DEPENDENTS: ReadonlySet<string> = new Set(['L2_IN_USE', 'L2_ATTACHED', 'L3_IN_USE', 'CLUSTER_IN_USE', 'ZONE_IN_USE', 'PROVIDER_IN_USE']);

/** Resources replaced within this provider process: the create half's dry run deletes the old one first. */
const pendingReplacements = new Map<string, string>();

function fingerprint(typeName: string, config: Record<string, unknown>): string {
  return `${typeName}:${JSON.stringify(config)}`;
}

export function schemaOf(spec: ResourceSpec): SchemaSpec {
  const attributes: Record<string, ReturnType<typeof attributeFor>> = {};
  const blocks: Record<string, BlockSpec> = {};
  for (const f of [...ID_FIELDS, ...spec.fields]) {
    if (f.kind === 'hostRoutes') blocks[f.tf] = hostRoutesBlock(f);
    else attributes[f.tf] = attributeFor(f);
  }
  return { description: spec.description, attributes, blocks };
}

export function fieldMapOf(spec: ResourceSpec): Map<string, string> {
  return new Map(spec.fields.map((f) => [f.api, f.tf]));
}

/** API body from Terraform values; `unknown` lists attributes whose values aren't known yet. */
export function toApiBody(fields: Field[], values: Record<string, unknown>): { body: Record<string, unknown>; unknown: Set<string> } {
  const body: Record<string, unknown> = {};
  const unknown = new Set<string>();
  for (const f of fields) {
    const v = values[f.tf];
    const converted = toApiValue(f, v);
    if (converted === undefined) unknown.add(f.api);
    else if (converted !== null) body[f.api] = converted;
  }
  return { body, unknown };
}

/** An API object as Terraform attributes: `id` and `uuid`, then each field. */
export function fieldsFromApi(fields: readonly Field[], obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: obj.uuid, uuid: obj.uuid };
  for (const f of fields) out[f.tf] = fromApiValue(f, obj[f.api]);
  return out;
}

export function fromApi(spec: ResourceSpec, obj: Record<string, unknown>): Record<string, unknown> {
  return { ...fieldsFromApi(spec.fields, obj), ...(spec.extraFromApi?.(obj) ?? {}) };
}

/** Why a plan-time violation of kind 'missing' is only a warning. */
export const LEFT_FOR_APPLY =
  "Left for apply: the provider checks each resource against the server alone and can't see the other changes of this plan, " +
  'one of which may provide what is missing (a host, an L2 attachment, an IP range). The server checks again when this is applied; ' +
  '`netforge review` checks the whole plan at once.';

/**
 * Violations to diagnostics on their attribute, dropping those about values not known yet.
 * A violation another change of the same plan could cure (kind 'missing') is a warning
 * saying it was left for apply: a plan never refuses a valid change.
 */
function report(
  violations: Array<Violation & { status?: number }>,
  spec: ResourceSpec,
  unknown: Set<string>,
  diagnostics: {
    error(summary: string, detail?: string, path?: (string | number)[]): void;
    warning(summary: string, detail?: string, path?: (string | number)[]): void;
  },
  phase: 'validate' | 'plan',
): void {
  const map = fieldMapOf(spec);
  for (const v of violations) {
    const root = v.path.split(/[.[]/)[0];
    if (unknown.has(root)) continue;
    const path = apiPathToAttributePath(v.path, map);
    const detail = `${v.code}${v.conflicting ? `: conflicts with ${v.conflicting.type}${v.conflicting.name ? ` '${v.conflicting.name}'` : ''}${v.conflicting.uuid ? ` (${v.conflicting.uuid})` : ''}` : ''}`;
    if (phase === 'plan' && violationKind(v.code) === 'missing') diagnostics.warning(v.message, `${detail}. ${LEFT_FOR_APPLY}`, path);
    else diagnostics.error(v.message, detail, path);
  }
}

/** A create refused for something another create of the same apply may supply (kind 'missing'). */
function refusedForMissing(err: unknown): boolean {
  return (
    err instanceof NetforgeApiError &&
    err.status === 409 &&
    [err.body.code, ...err.body.details.map((d) => d.code)].some((c) => c !== undefined && violationKind(c) === 'missing')
  );
}

const creatable = (spec: ResourceSpec) => spec.fields.filter((f) => f.mode !== 'computed');
const updatable = (spec: ResourceSpec) => spec.fields.filter((f) => f.updatable);

export function buildResource(spec: ResourceSpec): ResourceDefinition<SchemaSpec, NetforgeClient> {
  const fieldMap = fieldMapOf(spec);
  const summary = (what: string) => `${what} ${spec.typeName} failed`;
  const fail = (err: unknown, what: string) => toProviderError(err, summary(what), fieldMap);

  return netforge.resource({
    typeName: spec.typeName,
    schema: schemaOf(spec),

    validate(config, ctx) {
      if (!spec.rules) return;
      const { body, unknown } = toApiBody(creatable(spec), config as Record<string, unknown>);
      report(spec.rules({ ...spec.constants, ...body }), spec, unknown, ctx.diagnostics, 'validate');
    },

    async modifyPlan({ prior, planned, config }, ctx) {
      const cfg = config as Record<string, unknown>;
      const priorState = prior as Record<string, unknown> | null;
      if (priorState) {
        const replaced = spec.fields.some((f) => f.replace && JSON.stringify((planned as Record<string, unknown>)[f.tf]) !== JSON.stringify(priorState[f.tf]));
        if (replaced) {
          // Terraform plans the create half next, with no prior state; its dry run must not
          // trip over the object being replaced.
          pendingReplacements.set(fingerprint(spec.typeName, cfg), priorState.uuid as string);
          return;
        }
      }
      const fields = priorState ? updatable(spec) : creatable(spec);
      const { body, unknown } = toApiBody(fields, cfg);
      if (unknown.size > 0) return; // depends on objects created in this apply: the server checks at apply time
      // Planned values carry defaults (an unset description is "" there, null in config), so a
      // no-change plan makes no dry run.
      const plannedState = planned as Record<string, unknown>;
      if (priorState && fields.every((f) => JSON.stringify(plannedState[f.tf]) === JSON.stringify(priorState[f.tf]))) return;
      const changes: unknown[] = [];
      const replacing = priorState ? undefined : pendingReplacements.get(fingerprint(spec.typeName, cfg));
      if (replacing) changes.push({ action: 'delete', type: spec.apiType, uuid: replacing });
      changes.push(
        priorState
          ? { action: 'update', type: spec.apiType, uuid: priorState.uuid, attributes: body }
          : { action: 'create', type: spec.apiType, attributes: { ...spec.constants, ...body } },
      );
      const result = await ctx.providerData.request<{ results: Array<{ violations: Array<Violation & { status: number }> }> }>('POST', '/v1/validate', { changes });
      const [first] = result.results;
      if (replacing && first.violations.some((v) => FREED_BY_REPLACING_DEPENDENTS.has(v.code))) {
        // Dependents that reference the old object (L3s on an L2, hosts in a cluster...) are
        // replaced by Terraform first; a lone dry run can't show that, so the server decides at apply.
        ctx.log.info(`${spec.typeName}: replacement dry run skipped: dependents are replaced first`);
        return;
      }
      if (replacing && first.violations.length > 0) {
        // The old object can't go (e.g. VMs hold addresses in it): that is the problem to
        // report; conflicts of the new object with the old one would only follow from it.
        for (const v of first.violations) {
          ctx.diagnostics.error(`${spec.typeName} must be replaced, but the existing one can't be deleted: ${v.message}`, v.code);
        }
        return;
      }
      report(result.results[result.results.length - 1].violations, spec, unknown, ctx.diagnostics, 'plan');
    },

    async create({ planned }, ctx) {
      const { body } = toApiBody(creatable(spec), planned as Record<string, unknown>);
      // One key for this planned create: a retry after a lost answer gets the object the
      // first attempt made, never a second one.
      const headers = { 'idempotency-key': `terraform-${randomUUID()}` };
      // Terraform creates independent resources in any order: what this one needs (an
      // eligible host, free addresses) may be created by another resource of this apply.
      const missingDeadline = Date.now() + CREATE_MISSING_RETRY_MS;
      const transientDeadline = Date.now() + TRANSIENT_RETRY_MS;
      for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
        try {
          return fromApi(spec, await ctx.providerData.request('POST', `/v1/${spec.apiPath}`, { ...spec.constants, ...body }, headers)) as never;
        } catch (err) {
          const transient = isTransient(err);
          const deadline = transient ? transientDeadline : refusedForMissing(err) ? missingDeadline : 0;
          if (Date.now() + wait > deadline || ctx.signal.aborted) {
            if (!transient) throw fail(err, 'creating');
            // The server may have made it before the answer was lost: say how to keep it.
            throw new ProviderError(`creating ${spec.typeName} failed: no answer from the server`, {
              detail: `${(err as ProviderError).detail ?? (err as Error).message} If the server received the request, the object exists: find it (GET /v1/${spec.apiPath}) and \`terraform import\` it rather than creating it again.`,
            });
          }
          ctx.log.info(`${spec.typeName}: ${(err as Error).message}; retrying in ${wait} ms with the same idempotency key`);
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    },

    async read({ state }, ctx) {
      const uuid = (state as Record<string, unknown>).id as string;
      try {
        return fromApi(spec, await ctx.providerData.request('GET', `/v1/${spec.apiPath}/${encodeURIComponent(uuid)}`)) as never;
      } catch (err) {
        if (err instanceof NetforgeApiError && err.status === 404) return null;
        throw fail(err, 'reading');
      }
    },

    async update({ prior, planned }, ctx) {
      const fields = updatable(spec);
      if (fields.length === 0) throw new ProviderError(`${spec.typeName} can't be updated in place`);
      const { body } = toApiBody(fields, planned as Record<string, unknown>);
      for (const f of fields) if (!(f.api in body)) body[f.api] = f.kind === 'string' && f.mode !== 'optional' ? '' : null;
      try {
        const uuid = (prior as Record<string, unknown>).uuid as string;
        return fromApi(spec, await ctx.providerData.request('PATCH', `/v1/${spec.apiPath}/${encodeURIComponent(uuid)}`, body)) as never;
      } catch (err) {
        throw fail(err, 'updating');
      }
    },

    async delete({ state }, ctx) {
      const url = `/v1/${spec.apiPath}/${encodeURIComponent((state as Record<string, unknown>).uuid as string)}`;
      // An object still in use may be freed by another delete of this same apply: retry a while.
      const deadline = Date.now() + DELETE_IN_USE_RETRY_MS;
      for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
        try {
          await ctx.providerData.request('DELETE', url);
          return;
        } catch (err) {
          if (err instanceof NetforgeApiError && err.status === 404) return;
          if (!(isInUse(err) || isTransient(err)) || Date.now() + wait > deadline || ctx.signal.aborted) throw fail(err, 'deleting');
          ctx.log.info(`${spec.typeName} ${url} still in use; retrying in ${wait} ms`);
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    },

    importState({ id }) {
      if (isUnknown(id) || !id) throw new ProviderError('import needs the object\'s uuid');
      return { id } as never;
    },
  });
}
