/**
 * Checks the planned change against the topology rules: the control server's dry run of
 * the whole batch when it is reachable (every rule, against the stored topology), else
 * every stateless rule here, from topology/, on the objects the plan knows.
 */
import { attributeNames, attributePathOf, creatableFields, formatAttributePath, OBJECTS, type ReportedViolation, type ValidateResponse } from '../contract';
import type { NetforgeClient } from '../client';
import { rootField, type Violation } from '../topology/violation';
import { evaluate, violationsOf } from '../topology/evaluator';
import { violationKind } from '../topology/violation-codes';
import { buildBatch, type BatchEntry } from './batch';
import type { ReviewViolation, ValidationOutcome } from './model';
import { isChange, type Plan } from './plan';
import { snapshotOf } from './snapshot';
import { describe, remains, type Topology, type TopoObject } from './topology';


function attributePath(entry: BatchEntry | { resource: BatchEntry['resource'] }, apiPath: string): string | undefined {
  const def = entry.resource.terraform?.def;
  if (!def || !apiPath) return undefined;
  const steps = attributePathOf(apiPath, attributeNames(def.fields));
  return steps ? formatAttributePath(steps) : undefined;
}

function toReviewViolation(
  topology: Topology,
  entry: BatchEntry | { resource: BatchEntry['resource']; phase: ReviewViolation['phase'] },
  v: ReportedViolation,
  source: ReviewViolation['source'],
): ReviewViolation {
  const address = entry.resource.address;
  let conflicting: ReviewViolation['conflicting'];
  if (v.conflicting) {
    const o = v.conflicting.uuid ? findByUuidOrKey(topology, v.conflicting.uuid) : undefined;
    // Stateless checks name objects by their topology key; report their uuid (if any) and address.
    const uuid = o && o.key === v.conflicting.uuid ? o.uuid : v.conflicting.uuid;
    conflicting = { type: v.conflicting.type, ...(uuid ? { uuid } : {}), ...(v.conflicting.name ? { name: v.conflicting.name } : {}), ...(o?.address ? { address: o.address } : {}) };
  }
  const attribute = attributePath(entry, v.path);
  return {
    address,
    object: describe(topology.objects.get(address)),
    code: v.code,
    message: v.message,
    ...(attribute ? { attribute } : {}),
    phase: entry.phase,
    ...(conflicting ? { conflicting } : {}),
    source,
  };
}

function findByUuidOrKey(t: Topology, id: string): TopoObject | undefined {
  return t.objects.get(id) ?? t.order.map((k) => t.objects.get(k)!).find((o) => o.uuid === id);
}

function addNote(notes: Map<string, string[]>, address: string, note: string): void {
  const list = notes.get(address) ?? [];
  if (!list.includes(note)) list.push(note);
  notes.set(address, list);
}

/** The server's dry run of the whole change. */
export async function validateWithServer(plan: Plan, topology: Topology, client: NetforgeClient): Promise<ValidationOutcome> {
  const batch = buildBatch(plan);
  const notes = new Map<string, string[]>();
  for (const [address, why] of batch.skipped) addNote(notes, address, `not checked: ${why}`);
  const violations: ReviewViolation[] = [];
  const changes = batch.entries.map((e) => e.change);
  if (changes.length > 0) {
    const res = await client.request<ValidateResponse>('POST', '/v1/validate', { changes });
    const failedDeletes = new Map<string, string | undefined>();
    res.results.forEach((result, i) => {
      const entry = batch.entries[i];
      // What the server says applying it would realize (where its router runs, what it waits for).
      for (const note of result.notes ?? []) addNote(notes, entry.address, note);
      for (const v of result.violations) {
        if (v.code === 'DEPENDS_ON_FAILED_CHANGE') {
          addNote(notes, entry.address, `not checked further: ${v.message.replace(/"/g, '')}`);
          continue;
        }
        if (entry.phase === 'delete' && entry.resource.action === 'replace') failedDeletes.set(entry.address, entry.change.uuid);
        const { status: _status, ...plain } = v;
        void _status;
        violations.push(toReviewViolation(topology, entry, plain, 'server'));
      }
    });
    // When the old object can't go, its replacement's conflicts with it only follow from that.
    return {
      mode: 'server',
      endpoint: '',
      violations: violations.filter((v) => !(v.phase === 'create' && failedDeletes.has(v.address) && v.conflicting?.uuid && v.conflicting.uuid === failedDeletes.get(v.address))),
      notes,
      batch: changes,
    };
  }
  return { mode: 'server', endpoint: '', violations, notes, batch: changes };
}

const changedObj = (o: TopoObject | undefined): boolean => !!o?.resource && isChange(o.resource) && o.status !== 'deleted';

/** The object an object's rules compare against its parent (an IP range's, a service attachment's L3). */
function parentOf(t: Topology, o: TopoObject): TopoObject | undefined {
  return o.links.l3 ? t.objects.get(o.links.l3) : undefined;
}

/**
 * Every rule on the values the plan knows: each changed object's own fields (the catalog's
 * field rules, as the provider's validate checks them), then the rules that compare objects
 * (topology/evaluator), for every changed object and, against their parent, for objects whose
 * parent changed. Two changed objects in conflict are reported once, on the later one by
 * address; an unchanged object is always a valid counterpart. What only something missing
 * from the plan's view could cure (kind 'missing': an eligible host) is a note, as it is a
 * warning in the provider: hosts may exist that the plan doesn't show.
 */
export function validateStateless(plan: Plan, topology: Topology): ValidationOutcome {
  const notes = new Map<string, string[]>();
  const violations: ReviewViolation[] = [];
  const seen = new Set<string>();
  const push = (o: TopoObject, phase: ReviewViolation['phase'], vs: readonly Violation[], unknown: ReadonlySet<string> = new Set()) => {
    for (const v of vs) {
      if (unknown.has(rootField(v))) continue;
      const key = `${o.key}|${v.code}|${v.path}|${v.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push(toReviewViolation(topology, { resource: o.resource!, phase }, v, 'stateless'));
    }
  };
  for (const r of plan.resources) {
    if (r.mode !== 'managed' || !r.terraform || !isChange(r) || r.action === 'delete') continue;
    const o = topology.objects.get(r.address)!;
    const { type, def } = r.terraform;
    const fields = creatableFields(def.fields);
    const known = Object.fromEntries(fields.filter((f) => f.api in o.api).map((f) => [f.api, o.api[f.api]]));
    const unknown = new Set(fields.filter((f) => !(f.api in o.api) && r.afterUnknown[f.tf] !== undefined).map((f) => f.api));
    push(o, r.action === 'update' ? 'update' : 'create', OBJECTS[type].rules?.({ ...def.constants, ...known }) ?? [], unknown);
  }

  const snapshot = snapshotOf(topology);
  for (const key of topology.order) {
    const o = topology.objects.get(key)!;
    if (!remains(o)) continue;
    const parent = parentOf(topology, o);
    const changed = changedObj(o);
    if (!changed && !changedObj(parent)) continue;
    const subject = snapshot.get(o.type, o.key);
    if (!subject) continue;
    const counts = (other: { readonly uuid: string }) => {
      const x = topology.objects.get(other.uuid);
      return !changedObj(x) || other.uuid < o.key;
    };
    // An unchanged object is checked only against the parent that changed, and the finding is the parent's.
    const findings = evaluate(snapshot, o.type, subject, { counts, ...(changed ? {} : { refusal: 'invalid' as const }) });
    const owner = changed ? o : parent!;
    const phase = o.status === 'updated' || o.status === 'unchanged' ? 'update' : 'create';
    const found = violationsOf(findings);
    // What only another change could supply (an eligible host): the server decides at apply.
    for (const v of found.filter((x) => violationKind(x.code) === 'missing')) addNote(notes, owner.key, `left for apply: ${v.message} (${v.code})`);
    push(owner, phase, found.filter((x) => violationKind(x.code) !== 'missing'));
  }
  return { mode: 'stateless', endpoint: '', violations, notes, batch: [] };
}
