/**
 * The planned change as one POST /v1/validate batch, in the order Terraform applies it:
 * deletions first (dependents before what they depend on; replacements delete the old
 * object first unless create_before_destroy), then creations and updates (what is referred
 * to before what refers to it), then the deletions of create_before_destroy replacements.
 * A value known only after apply that refers to an object created in the same plan becomes
 * {"$ref": "<address>"}; updates and deletions carry the prior state's uuid.
 */
import { batchRefsIn, type BatchRef } from '../topology/batch-refs';
import { creatableFields, updatableFields, updateBodyOf } from '../contract';
import { apiValues, attributeOf } from './api-values';
import { isChange, linkedResources, type Plan, type PlannedResource } from './plan';
import type { ValidateChange } from './model';

export interface BatchEntry {
  change: ValidateChange;
  address: string;
  phase: 'create' | 'update' | 'delete';
  resource: PlannedResource;
}

export interface Batch {
  entries: BatchEntry[];
  /** Address -> why its create/update could not be put into the batch. */
  skipped: Map<string, string>;
}


/** A reference to an object this plan creates (or re-creates), as {"$ref"}. */
function refTo(target: PlannedResource): BatchRef | undefined {
  if (target.mode !== 'managed' || !target.terraform) return undefined;
  return target.action === 'create' || target.action === 'replace' ? { $ref: target.address } : undefined;
}

/** Attributes for creating `r`, or why they can't be known before apply. */
function createAttributes(plan: Plan, r: PlannedResource): { attributes?: Record<string, unknown>; unresolved?: string } {
  const { def } = r.terraform!;
  const { body, unknown } = apiValues(r, 'after', creatableFields(def.fields));
  for (const api of unknown) {
    const field = def.fields.find((f) => f.api === api)!;
    // Optional and left out of the configuration: the server picks the value (e.g. the gateway).
    if (field.mode !== 'required' && !(field.tf in r.references)) continue;
    if (field.kind === 'string') {
      const [target] = linkedResources(plan, r, field.tf, 1) ?? [];
      const ref = target && refTo(target);
      if (!ref) return { unresolved: field.tf };
      body[api] = ref;
    } else if (field.kind === 'stringList') {
      // Element i of the list is the i-th resource the expression names, when that is unambiguous.
      const marks = r.afterUnknown[field.tf];
      const known = (r.after?.[field.tf] as unknown[] | undefined) ?? [];
      const length = Array.isArray(marks) ? marks.length : (r.references[field.tf] ?? []).length;
      const targets = linkedResources(plan, r, field.tf, length);
      if (!targets) return { unresolved: field.tf };
      const list: unknown[] = [];
      for (let i = 0; i < length; i++) {
        if (marks === true || (Array.isArray(marks) && marks[i] === true)) {
          const ref = refTo(targets[i]);
          if (!ref) return { unresolved: field.tf };
          list.push(ref);
        } else list.push(known[i]);
      }
      body[api] = list;
    } else return { unresolved: field.tf };
  }
  return { attributes: body };
}

/** The PATCH body the provider would send, or null when no updatable field changes. */
function updateAttributes(r: PlannedResource): { attributes?: Record<string, unknown> | null; unresolved?: string } {
  const { def } = r.terraform!;
  const fields = updatableFields(def.fields);
  const after = apiValues(r, 'after', fields);
  if (after.unknown.size > 0) return { unresolved: attributeOf(r, [...after.unknown][0]) };
  const before = apiValues(r, 'before', fields);
  const body = updateBodyOf(def.fields, after.body);
  for (const constant of Object.keys(def.constants ?? {})) delete body[constant]; // constants are not updatable
  const changed = fields.some((f) => JSON.stringify(before.body[f.api] ?? null) !== JSON.stringify(body[f.api] ?? null));
  return { attributes: changed ? body : null };
}

/** Stable topological order: `deps(x)` first, ties by the given order. */
function topoSort<T>(items: T[], key: (t: T) => string, deps: (t: T) => string[]): T[] {
  const byKey = new Map(items.map((t) => [key(t), t]));
  const state = new Map<string, 1 | 2>();
  const out: T[] = [];
  const visit = (t: T) => {
    const k = key(t);
    if (state.has(k)) return; // visiting (a cycle) or done
    state.set(k, 1);
    for (const d of deps(t)) {
      const dep = byKey.get(d);
      if (dep) visit(dep);
    }
    state.set(k, 2);
    out.push(t);
  };
  items.forEach(visit);
  return out;
}

function stringsIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringsIn(v, out));
  return out;
}

export function buildBatch(plan: Plan): Batch {
  const changed = plan.resources.filter((r) => r.mode === 'managed' && r.terraform && isChange(r));
  const skipped = new Map<string, string>();
  const writes: BatchEntry[] = [];
  const deletes: BatchEntry[] = [];
  const lateDeletes: BatchEntry[] = [];

  for (const r of changed) {
    const { type } = r.terraform!;
    if (r.action === 'delete' || r.action === 'replace') {
      const entry: BatchEntry = {
        change: { id: r.action === 'replace' ? `${r.address} (old)` : r.address, action: 'delete', type, uuid: r.before?.uuid as string },
        address: r.address,
        phase: 'delete',
        resource: r,
      };
      (r.createBeforeDestroy ? lateDeletes : deletes).push(entry);
    }
    if (r.action === 'create' || r.action === 'replace') {
      const { attributes, unresolved } = createAttributes(plan, r);
      if (!attributes) skipped.set(r.address, `${unresolved} is known only after apply`);
      else writes.push({ change: { id: r.address, action: 'create', type, attributes }, address: r.address, phase: 'create', resource: r });
    }
    if (r.action === 'update') {
      const { attributes, unresolved } = updateAttributes(r);
      if (unresolved) skipped.set(r.address, `${unresolved} is known only after apply`);
      else if (attributes) {
        writes.push({ change: { id: r.address, action: 'update', type, uuid: r.before?.uuid as string, attributes }, address: r.address, phase: 'update', resource: r });
      }
    }
  }

  // A change that refers to one left out can't be checked either.
  let dropped = true;
  while (dropped) {
    dropped = false;
    for (let i = writes.length - 1; i >= 0; i--) {
      const missing = batchRefsIn(writes[i].change.attributes).find((ref) => skipped.has(ref));
      if (missing) {
        skipped.set(writes[i].address, `it refers to ${missing}, which can't be checked before apply`);
        writes.splice(i, 1);
        dropped = true;
      }
    }
  }

  // Deletions: an object whose prior values name another deleted object's uuid goes first.
  const uuidOwner = new Map(deletes.map((d) => [d.change.uuid!, d.change.id]));
  const dependents = new Map<string, string[]>();
  for (const d of deletes) {
    for (const s of stringsIn(d.resource.before)) {
      const owner = uuidOwner.get(s);
      if (owner && owner !== d.change.id) dependents.set(owner, [...(dependents.get(owner) ?? []), d.change.id]);
    }
  }
  const orderedDeletes = topoSort(deletes, (d) => d.change.id, (d) => dependents.get(d.change.id) ?? []);
  const orderedWrites = topoSort(writes, (w) => w.change.id, (w) => batchRefsIn(w.change.attributes));
  return { entries: [...orderedDeletes, ...orderedWrites, ...lateDeletes], skipped };
}
