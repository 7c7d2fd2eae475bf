/**
 * A Terraform plan (`terraform show -json` output, format 1.x) reduced to what the review
 * needs: every resource instance with its action, values before and after, which values
 * are known only after apply, the attributes that force a replacement, and, from the
 * plan's configuration section, which other resources each attribute refers to.
 */
import { terraformResources, type ObjectType, type TerraformResourceDef } from '../contract';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op' | 'read';

type Json = Record<string, unknown>;

export interface PlannedResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  action: Action;
  /** Replacement with create_before_destroy (create first, delete the old one after). */
  createBeforeDestroy: boolean;
  /** Values in state before the change (null when created). */
  before: Json | null;
  /** Planned values (null when deleted); attributes known only after apply are absent. */
  after: Json | null;
  /** Terraform's after_unknown: true (or nested trues) where a value is known only after apply. */
  afterUnknown: Json;
  /** Top-level attributes that force the replacement (from replace_paths). */
  replacePaths: string[];
  actionReason: string | null;
  /** Attribute -> addresses of the resources its expression refers to, in expression order. */
  references: Record<string, string[]>;
  /**
   * Attributes whose expression also refers to something that is not a resource
   * (count.index, var.*, local.*, each.*, module outputs): which resource it yields can't be
   * read off the configuration, e.g. `count.index < 2 ? a.uuid : b.uuid` or `c[count.index]`.
   */
  opaque: Set<string>;
  /** The catalog's resource and object type (managed netforge_* resources only). */
  terraform?: { type: ObjectType; def: TerraformResourceDef };
}

export interface Plan {
  terraformVersion: string;
  resources: PlannedResource[];
  byAddress: Map<string, PlannedResource>;
}

const RESOURCES = new Map(terraformResources().map((r) => [r.def.name, r]));

export class PlanFormatError extends Error {}

function actionOf(actions: string[]): { action: Action; createBeforeDestroy: boolean } {
  const key = actions.join(',');
  switch (key) {
    case 'create':
    case 'update':
    case 'delete':
    case 'read':
      return { action: key, createBeforeDestroy: false };
    case 'no-op':
      return { action: 'no-op', createBeforeDestroy: false };
    case 'delete,create':
      return { action: 'replace', createBeforeDestroy: false };
    case 'create,delete':
      return { action: 'replace', createBeforeDestroy: true };
    default:
      // "forget" (removed blocks) and anything newer: nothing happens to the object.
      return { action: 'no-op', createBeforeDestroy: false };
  }
}

/** Strips instance keys: module.a["x"].netforge_zone.z[0] -> module.a.netforge_zone.z */
function configAddressOf(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

/** The resource a reference names: "netforge_zone.z.uuid" -> "netforge_zone.z", "data.x.y[0].id" -> "data.x.y[0]". */
export function referencedResource(ref: string): string | null {
  const m = /^((?:data\.)?[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]*\])?)/.exec(ref);
  if (!m) return null;
  const head = m[1];
  const first = head.split('.')[0];
  if (['var', 'local', 'each', 'count', 'path', 'terraform', 'self', 'module'].includes(first)) return null;
  return head;
}

interface ConfigResource {
  address: string;
  expressions?: Record<string, unknown>;
}

interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { module?: ConfigModule }>;
}

interface ConfigReferences {
  references: Record<string, string[]>;
  opaque: Set<string>;
}

/** Config address (module path included) -> attribute -> referenced resource addresses (config form, maybe indexed). */
function collectReferences(module: ConfigModule | undefined, prefix: string, out: Map<string, ConfigReferences>): void {
  if (!module) return;
  for (const r of module.resources ?? []) {
    const refs: ConfigReferences = { references: {}, opaque: new Set() };
    for (const [attr, expr] of Object.entries(r.expressions ?? {})) {
      const found: string[] = [];
      const walk = (e: unknown) => {
        if (Array.isArray(e)) e.forEach(walk);
        else if (e && typeof e === 'object') {
          const refList = (e as { references?: unknown }).references;
          if (Array.isArray(refList)) {
            for (const ref of refList) {
              const target = typeof ref === 'string' ? referencedResource(ref) : null;
              if (!target) refs.opaque.add(attr);
              else if (!found.includes(prefix + target)) found.push(prefix + target);
            }
          }
          for (const [k, v] of Object.entries(e)) if (k !== 'references') walk(v);
        }
      };
      walk(expr);
      // "netforge_zone.z[0]" and "netforge_zone.z" both appear for an indexed reference: keep the indexed one.
      refs.references[attr] = found.filter((a) => !found.some((b) => b !== a && b.startsWith(a + '[')));
    }
    out.set(prefix + r.address, refs);
  }
  for (const [name, call] of Object.entries(module.module_calls ?? {})) collectReferences(call.module, `${prefix}module.${name}.`, out);
}

function stringPaths(paths: unknown): string[] {
  if (!Array.isArray(paths)) return [];
  const out: string[] = [];
  for (const p of paths) {
    const first = Array.isArray(p) ? p[0] : undefined;
    if (typeof first === 'string' && !out.includes(first)) out.push(first);
  }
  return out;
}

interface StateResource {
  address: string;
  mode: string;
  type: string;
  values?: Json;
}

function stateResources(module: { resources?: StateResource[]; child_modules?: unknown[] } | undefined): StateResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...((module.child_modules ?? []) as Array<typeof module>).flatMap(stateResources)];
}

/** Parses `terraform show -json <plan>` output. */
export function parsePlan(json: unknown): Plan {
  if (!json || typeof json !== 'object' || !Array.isArray((json as Json).resource_changes) && !(json as Json).planned_values) {
    throw new PlanFormatError('not a Terraform plan in JSON form (expected `terraform show -json <plan>` output with resource_changes)');
  }
  const plan = json as Json;
  const configRefs = new Map<string, ConfigReferences>();
  collectReferences((plan.configuration as { root_module?: ConfigModule } | undefined)?.root_module, '', configRefs);

  const resources: PlannedResource[] = [];
  for (const rc of (plan.resource_changes ?? []) as Json[]) {
    const change = (rc.change ?? {}) as Json;
    const { action, createBeforeDestroy } = actionOf((change.actions as string[]) ?? ['no-op']);
    const address = rc.address as string;
    const type = rc.type as string;
    const mode = rc.mode === 'data' ? 'data' : 'managed';
    resources.push({
      address,
      mode,
      type,
      action,
      createBeforeDestroy,
      before: (change.before as Json | null) ?? null,
      after: action === 'delete' ? null : ((change.after as Json | null) ?? null),
      afterUnknown: (change.after_unknown as Json | undefined) ?? {},
      replacePaths: stringPaths(change.replace_paths),
      actionReason: (rc.action_reason as string | undefined) ?? null,
      ...(configRefs.get(configAddressOf(address)) ?? { references: {}, opaque: new Set() }),
      terraform: mode === 'managed' ? RESOURCES.get(type) : undefined,
    });
  }
  // Data sources read while planning are in the prior state only.
  const known = new Set(resources.map((r) => r.address));
  for (const r of stateResources((plan.prior_state as { values?: { root_module?: never } } | undefined)?.values?.root_module)) {
    if (r.mode !== 'data' || known.has(r.address)) continue;
    resources.push({
      address: r.address,
      mode: 'data',
      type: r.type,
      action: 'no-op',
      createBeforeDestroy: false,
      before: r.values ?? null,
      after: r.values ?? null,
      afterUnknown: {},
      replacePaths: [],
      actionReason: null,
      ...(configRefs.get(configAddressOf(r.address)) ?? { references: {}, opaque: new Set() }),
    });
  }
  resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return {
    terraformVersion: String(plan.terraform_version ?? 'unknown'),
    resources,
    byAddress: new Map(resources.map((r) => [r.address, r])),
  };
}

/** Is the attribute known only after apply? */
export function isUnknownAttr(r: PlannedResource, attr: string): boolean {
  const u = r.afterUnknown[attr];
  if (u === true) return true;
  if (Array.isArray(u)) return u.some((x) => x === true || (typeof x === 'object' && x !== null && Object.values(x).includes(true)));
  return false;
}

/** The instance a reference names: the exact address, else the only instance of that resource. */
function resolveReference(plan: Plan, target: string): PlannedResource | undefined {
  const exact = plan.byAddress.get(target);
  if (exact) return exact;
  const instances = plan.resources.filter((r) => configAddressOf(r.address) === target);
  return instances.length === 1 ? instances[0] : undefined;
}

/**
 * The resources an attribute of `from` takes its `count` values from, in order, when the
 * configuration says so unambiguously: the expression refers to exactly `count` resources
 * and to nothing else (`[a.uuid, b.uuid]`, `c[0].uuid`). Anything that needs evaluating
 * (`cond ? a.uuid : b.uuid`, `c[count.index].uuid`) yields undefined: never a guess.
 */
export function linkedResources(plan: Plan, from: PlannedResource, attr: string, count: number): PlannedResource[] | undefined {
  if (from.opaque.has(attr)) return undefined;
  const refs = from.references[attr] ?? [];
  if (refs.length !== count) return undefined;
  const targets = refs.map((ref) => resolveReference(plan, ref));
  return targets.every((t): t is PlannedResource => t !== undefined) ? targets : undefined;
}

export const isChange = (r: PlannedResource): boolean => ['create', 'update', 'replace', 'delete'].includes(r.action);
