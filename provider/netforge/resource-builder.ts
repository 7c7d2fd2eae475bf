/**
 * Turns a Terraform resource of the catalog into a framework resource: CRUD over the API,
 * the object type's field rules at validate time, the server's dry run at plan time,
 * import by uuid. Every resource gets computed `id` and `uuid` (the same value).
 */
import { randomUUID } from 'node:crypto';
import {
  apiBodyOf,
  attributeNames,
  attributePathOf,
  creatableFields,
  OBJECTS,
  terraformAttributesOf,
  updatableFields,
  updateBodyOf,
  type Field,
  type ObjectType,
  type TerraformResourceDef,
  type ReportedViolation,
  type ValidateChange,
  type ValidateResponse,
} from '../../contract';
import { isInUse, isMissing, isTransient, NetforgeApiError, type NetforgeClient } from '../../client';
import { rootField } from '../../topology/violation';
import { codesOfKind, violationKind } from '../../topology/violation-codes';
import { forProviderData, isUnknown, ProviderError, type AttributeSpec, type BlockSpec, type ResourceDefinition, type SchemaSpec } from '../framework';
import { providerErrorOf } from './errors';
import { attributeFor, CTY_CODEC, hostRoutesBlock } from './fields';

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
 * in a range or running on a host don't reference them (kind 'held'), so those still count.
 */
const FREED_BY_REPLACING_DEPENDENTS: ReadonlySet<string> = codesOfKind('inUse');

/** Resources replaced within this provider process: the create half's dry run deletes the old one first. */
const pendingReplacements = new Map<string, string>();

function fingerprint(typeName: string, config: Readonly<Record<string, unknown>>): string {
  return `${typeName}:${JSON.stringify(config)}`;
}

export function schemaOf(def: TerraformResourceDef): SchemaSpec {
  const attributes: Record<string, AttributeSpec> = {};
  const blocks: Record<string, BlockSpec> = {};
  for (const f of [...ID_FIELDS, ...def.fields]) {
    if (f.kind === 'hostRoutes') blocks[f.tf] = hostRoutesBlock(f);
    else attributes[f.tf] = attributeFor(f);
  }
  return { description: def.description, attributes, blocks };
}

/** Why a plan-time violation of kind 'missing' is only a warning. */
export const LEFT_FOR_APPLY =
  "Left for apply: the provider checks each resource against the server alone and can't see the other changes of this plan, " +
  'one of which may provide what is missing (a host, an L2 attachment, an IP range). The server checks again when this is applied; ' +
  '`netforge review` checks the whole plan at once.';

interface Diagnose {
  error(summary: string, detail?: string, path?: (string | number)[]): void;
  warning(summary: string, detail?: string, path?: (string | number)[]): void;
}

/**
 * Violations to diagnostics on their attribute, dropping those about values not known yet.
 * A violation another change of the same plan could cure (kind 'missing') is a warning
 * saying it was left for apply: a plan never refuses a valid change.
 */
function report(violations: readonly ReportedViolation[], names: ReadonlyMap<string, string>, unknown: ReadonlySet<string>, diagnostics: Diagnose, phase: 'validate' | 'plan'): void {
  for (const v of violations) {
    if (unknown.has(rootField(v))) continue;
    const path = attributePathOf(v.path, names);
    const detail = `${v.code}${v.conflicting ? `: conflicts with ${v.conflicting.type}${v.conflicting.name ? ` '${v.conflicting.name}'` : ''}${v.conflicting.uuid ? ` (${v.conflicting.uuid})` : ''}` : ''}`;
    if (phase === 'plan' && violationKind(v.code) === 'missing') diagnostics.warning(v.message, `${detail}. ${LEFT_FOR_APPLY}`, path);
    else diagnostics.error(v.message, detail, path);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function buildResource({ type, def }: { type: ObjectType; def: TerraformResourceDef }): ResourceDefinition<SchemaSpec, NetforgeClient> {
  const object = OBJECTS[type];
  const names = attributeNames(def.fields);
  const creatable = creatableFields(def.fields);
  const updatable = updatableFields(def.fields);
  const url = (uuid?: string) => `/v1/${object.path}${uuid === undefined ? '' : `/${encodeURIComponent(uuid)}`}`;
  const fail = (err: unknown, what: string) => providerErrorOf(err, `${what} ${def.name} failed`, names);
  const fromApi = (obj: Readonly<Record<string, unknown>>): Record<string, unknown> => ({ ...terraformAttributesOf(def.fields, obj), ...(def.derived?.(obj) ?? {}) });
  const uuidOf = (state: Readonly<Record<string, unknown>>, attribute: 'id' | 'uuid'): string => {
    const uuid = state[attribute];
    if (typeof uuid !== 'string' || !uuid) throw new ProviderError(`${def.name} has no ${attribute} in its state`);
    return uuid;
  };

  return netforge.resource({
    typeName: def.name,
    schema: schemaOf(def),

    validate(config, ctx) {
      if (!object.rules) return;
      const { body, unknown } = apiBodyOf(creatable, config, CTY_CODEC);
      report(object.rules({ ...def.constants, ...body }), names, unknown, ctx.diagnostics, 'validate');
    },

    async modifyPlan({ prior, planned, config }, ctx) {
      if (prior) {
        const replaced = def.fields.some((f) => f.replace && JSON.stringify(planned[f.tf]) !== JSON.stringify(prior[f.tf]));
        if (replaced) {
          // Terraform plans the create half next, with no prior state; its dry run must not
          // trip over the object being replaced.
          pendingReplacements.set(fingerprint(def.name, config), uuidOf(prior, 'uuid'));
          return;
        }
      }
      // Terraform's re-plan just before it applies: the apply itself is the check, and a dry
      // run would cost a rolled-back write per resource without changing what happens.
      if (ctx.applying) return;
      const fields = prior ? updatable : creatable;
      const { body, unknown } = apiBodyOf(fields, config, CTY_CODEC);
      if (unknown.size > 0) return; // depends on objects created in this apply: the server checks at apply time
      // Planned values carry defaults (an unset description is "" there, null in config), so a
      // no-change plan makes no dry run.
      if (prior && fields.every((f) => JSON.stringify(planned[f.tf]) === JSON.stringify(prior[f.tf]))) return;
      const changes: ValidateChange[] = [];
      const replacing = prior ? undefined : pendingReplacements.get(fingerprint(def.name, config));
      if (replacing) changes.push({ action: 'delete', type, uuid: replacing });
      changes.push(prior ? { action: 'update', type, uuid: uuidOf(prior, 'uuid'), attributes: body } : { action: 'create', type, attributes: { ...def.constants, ...body } });
      const result = await ctx.providerData.request<ValidateResponse>('POST', '/v1/validate', { changes });
      const [first] = result.results;
      if (replacing && first.violations.some((v) => FREED_BY_REPLACING_DEPENDENTS.has(v.code))) {
        // Dependents that reference the old object (L3s on an L2, hosts in a cluster...) are
        // replaced by Terraform first; a lone dry run can't show that, so the server decides at apply.
        ctx.log.info(`${def.name}: replacement dry run skipped: dependents are replaced first`);
        return;
      }
      if (replacing && first.violations.length > 0) {
        // The old object can't go (e.g. VMs hold addresses in it): that is the problem to
        // report; conflicts of the new object with the old one would only follow from it.
        for (const v of first.violations) ctx.diagnostics.error(`${def.name} must be replaced, but the existing one can't be deleted: ${v.message}`, v.code);
        return;
      }
      report(result.results[result.results.length - 1].violations, names, unknown, ctx.diagnostics, 'plan');
    },

    async create({ planned }, ctx) {
      const { body } = apiBodyOf(creatable, planned, CTY_CODEC);
      // One key for this planned create: a retry after a lost answer gets the object the
      // first attempt made, never a second one.
      const headers = { 'idempotency-key': `terraform-${randomUUID()}` };
      // Terraform creates independent resources in any order: what this one needs (an
      // eligible host, free addresses) may be created by another resource of this apply.
      const missingDeadline = Date.now() + CREATE_MISSING_RETRY_MS;
      const transientDeadline = Date.now() + TRANSIENT_RETRY_MS;
      for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
        try {
          return fromApi(await ctx.providerData.request('POST', url(), { ...def.constants, ...body }, headers));
        } catch (err) {
          const transient = isTransient(err);
          const deadline = transient ? transientDeadline : isMissing(err) ? missingDeadline : 0;
          if (Date.now() + wait > deadline || ctx.signal.aborted) {
            if (!transient) throw fail(err, 'creating');
            // The server may have made it before the answer was lost: say how to keep it.
            const cause = providerErrorOf(err);
            throw new ProviderError(`creating ${def.name} failed: no answer from the server`, {
              detail: `${cause instanceof ProviderError && cause.detail ? cause.detail : (err as Error).message} If the server received the request, the object exists: find it (GET ${url()}) and \`terraform import\` it rather than creating it again.`,
            });
          }
          ctx.log.info(`${def.name}: ${(err as Error).message}; retrying in ${wait} ms with the same idempotency key`);
          await sleep(wait);
        }
      }
    },

    async read({ state }, ctx) {
      // No id in the state: nothing to read, so nothing is there (Terraform drops it).
      if (typeof state.id !== 'string' || !state.id) return null;
      try {
        const found = await ctx.providerData.read(type, state.id);
        return found === null ? null : fromApi(found);
      } catch (err) {
        throw fail(err, 'reading');
      }
    },

    async update({ prior, planned }, ctx) {
      if (updatable.length === 0) throw new ProviderError(`${def.name} can't be updated in place`);
      const { body } = apiBodyOf(updatable, planned, CTY_CODEC);
      try {
        return fromApi(await ctx.providerData.request('PATCH', url(uuidOf(prior, 'uuid')), updateBodyOf(def.fields, body)));
      } catch (err) {
        throw fail(err, 'updating');
      }
    },

    async delete({ state }, ctx) {
      const target = url(uuidOf(state, 'uuid'));
      // An object still in use may be freed by another delete of this same apply: retry a while.
      const deadline = Date.now() + DELETE_IN_USE_RETRY_MS;
      for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
        try {
          await ctx.providerData.request('DELETE', target);
          return;
        } catch (err) {
          if (err instanceof NetforgeApiError && err.status === 404) return;
          if (!(isInUse(err) || isTransient(err)) || Date.now() + wait > deadline || ctx.signal.aborted) throw fail(err, 'deleting');
          ctx.log.info(`${def.name} ${target} still in use; retrying in ${wait} ms`);
          await sleep(wait);
        }
      }
    },

    importState({ id }) {
      if (isUnknown(id) || !id) throw new ProviderError('import needs the object\'s uuid');
      return { id };
    },
  });
}
