/**
 * Checks the planned change against the topology rules: the control server's dry run of
 * the whole batch when it is reachable (every rule, against the stored topology), else
 * every stateless rule here, from topology/, on the objects the plan knows.
 */
import { fieldMapOf } from '../provider/netforge/resource-builder';
import { apiPathToAttributePath } from '../provider/netforge/paths';
import type { NetforgeClient } from '../provider/netforge/client';
import type { Violation } from '../topology/violation';
import { checkL2Attach, checkVniUnique } from '../topology/rules/l2';
import { checkIpRangeOverlaps, checkL3CidrOverlap, defaultGateway, validateIpRange } from '../topology/rules/l3';
import { checkDhcpPrefix } from '../topology/rules/services';
import { parseCidr } from '../topology/ip';
import type { L2Type } from '../topology/model';
import { buildBatch, type BatchEntry } from './batch';
import type { ReviewViolation, ValidationOutcome } from './model';
import { isChange, type Plan } from './plan';
import { describe, remains, type Topology, type TopoObject } from './topology';

interface ServerViolation extends Violation {
  status?: number;
}

interface ValidateResponse {
  valid: boolean;
  results: Array<{ index: number; id: string | null; ok: boolean; violations: ServerViolation[] }>;
}

function attributePath(entry: BatchEntry | { resource: BatchEntry['resource'] }, apiPath: string): string | undefined {
  const spec = entry.resource.spec;
  if (!spec || !apiPath) return undefined;
  const steps = apiPathToAttributePath(apiPath, fieldMapOf(spec));
  if (!steps) return undefined;
  return steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function toReviewViolation(
  topology: Topology,
  entry: BatchEntry | { resource: BatchEntry['resource']; phase: ReviewViolation['phase'] },
  v: Violation,
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

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Objects there after the change, of one kind. */
function remaining(t: Topology, kind: TopoObject['kind']): TopoObject[] {
  return t.order.map((k) => t.objects.get(k)!).filter((o) => o.kind === kind && remains(o));
}

const changedObj = (o: TopoObject | undefined): boolean => !!o?.resource && isChange(o.resource) && o.status !== 'deleted';

/**
 * Two changed objects in conflict are reported once, on the later one by address; an
 * unchanged object is always a valid counterpart.
 */
function counterparts(self: TopoObject, candidates: TopoObject[]): TopoObject[] {
  return candidates.filter((o) => o.key !== self.key && (!changedObj(o) || o.key < self.key));
}

/** Every stateless rule, on the values the plan knows: each object's own fields, then the rules among the plan's objects. */
export function validateStateless(plan: Plan, topology: Topology): ValidationOutcome {
  const notes = new Map<string, string[]>();
  const violations: ReviewViolation[] = [];
  const seen = new Set<string>();
  const push = (o: TopoObject, phase: ReviewViolation['phase'], vs: Violation[], unknown: Set<string> = new Set()) => {
    for (const v of vs) {
      if (unknown.has(v.path.split(/[.[]/)[0])) continue;
      const key = `${o.key}|${v.code}|${v.path}|${v.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push(toReviewViolation(topology, { resource: o.resource!, phase }, v, 'stateless'));
    }
  };
  for (const r of plan.resources) {
    if (r.mode !== 'managed' || !r.spec || !isChange(r) || r.action === 'delete') continue;
    const o = topology.objects.get(r.address)!;
    const phase = r.action === 'update' ? 'update' : 'create';
    // The resource's own fields, as the provider's validate checks them.
    const { body, unknown } = (() => {
      const fields = r.spec!.fields.filter((f) => f.mode !== 'computed');
      const ref = topology.objects.get(r.address)!.api;
      const known = Object.fromEntries(fields.filter((f) => f.api in ref).map((f) => [f.api, ref[f.api]]));
      const unknownFields = new Set(fields.filter((f) => !(f.api in ref) && r.afterUnknown[f.tf] !== undefined).map((f) => f.api));
      return { body: { ...r.spec!.constants, ...known }, unknown: unknownFields };
    })();
    push(o, phase, r.spec!.rules?.(body) ?? [], unknown);
  }

  // Rules among the plan's objects, for every changed object and those whose parent changed.
  const l3Of = (o: TopoObject) => (o.links.l3 ? topology.objects.get(o.links.l3) : undefined);
  const l2Of = (o: TopoObject | undefined) => (o?.links.l2 ? topology.objects.get(o.links.l2) : undefined);
  const gatewayOf = (l3: TopoObject): string | undefined => {
    const cidr = str(l3.api.cidr);
    if (!cidr || !parseCidr(cidr)) return undefined;
    return str(l3.api.gateway) ?? defaultGateway(cidr);
  };
  for (const range of remaining(topology, 'range')) {
    const l3 = l3Of(range);
    if (!changedObj(range) && !changedObj(l3)) continue;
    const startIp = str(range.api.startIp);
    const endIp = str(range.api.endIp);
    if (!startIp || !endIp) continue;
    const phase = range.status === 'updated' ? 'update' : range.status === 'unchanged' ? 'update' : 'create';
    const owner = changedObj(range) ? range : l3!;
    if (l3 && str(l3.api.cidr) && gatewayOf(l3)) push(owner, phase, validateIpRange({ startIp, endIp }, { cidr: str(l3.api.cidr)!, gateway: gatewayOf(l3)! }));
    const l2 = l2Of(l3);
    const siblings = remaining(topology, 'range').filter((other) => {
      const otherL3 = l3Of(other);
      return otherL3 === l3 || (!!l2 && l2Of(otherL3) === l2);
    });
    const others = counterparts(range, siblings).flatMap((x) =>
      str(x.api.startIp) && str(x.api.endIp) ? [{ uuid: x.key, name: x.name, startIp: str(x.api.startIp)!, endIp: str(x.api.endIp)! }] : [],
    );
    if (changedObj(range)) push(range, phase, checkIpRangeOverlaps({ startIp, endIp }, others));
  }
  for (const l3 of remaining(topology, 'l3')) {
    if (!changedObj(l3) || !str(l3.api.cidr)) continue;
    const l2 = l2Of(l3);
    if (!l2) continue;
    const others = counterparts(l3, remaining(topology, 'l3').filter((x) => l2Of(x) === l2)).flatMap((x) =>
      str(x.api.cidr) ? [{ uuid: x.key, name: x.name, cidr: str(x.api.cidr)! }] : [],
    );
    push(l3, l3.status === 'updated' ? 'update' : 'create', checkL3CidrOverlap({ cidr: str(l3.api.cidr)! }, others));
  }
  for (const svc of remaining(topology, 'services')) {
    const l3 = l3Of(svc);
    if ((!changedObj(svc) && !changedObj(l3)) || !l3 || !str(l3.api.cidr) || !Array.isArray(svc.api.services)) continue;
    push(changedObj(svc) ? svc : l3, 'create', checkDhcpPrefix(svc.api.services as string[], str(l3.api.cidr)!));
  }
  const l2Spec = (l2: TopoObject) => ({
    uuid: l2.key,
    name: l2.name,
    zoneUuid: l2.links.zone ?? '',
    type: l2.api.type as L2Type,
    physicalInterface: str(l2.api.physicalInterface) ?? '',
    vlan: (l2.api.vlan as number | null | undefined) ?? null,
    vni: (l2.api.vni as number | null | undefined) ?? null,
  });
  for (const att of remaining(topology, 'attachment')) {
    const l2 = l2Of(att);
    const cluster = att.links.cluster ? topology.objects.get(att.links.cluster) : undefined;
    if (!changedObj(att) || !l2 || !cluster || !l2.api.type) continue;
    const onCluster = counterparts(att, remaining(topology, 'attachment').filter((x) => x.links.cluster === cluster.key))
      .map((x) => l2Of(x))
      .filter((x): x is TopoObject => !!x && !!x.api.type)
      .map(l2Spec);
    const spec = l2Spec(l2);
    // A zone the plan doesn't know is no mismatch.
    const zone = l2.links.zone && cluster.links.zone ? cluster.links.zone : spec.zoneUuid;
    push(att, 'create', checkL2Attach(spec, { uuid: cluster.key, name: cluster.name, zoneUuid: zone }, onCluster));
  }
  for (const l2 of remaining(topology, 'l2')) {
    if (!changedObj(l2) || l2.api.type !== 'L2VxlanNetwork') continue;
    const others = counterparts(l2, remaining(topology, 'l2')).map(l2Spec);
    push(l2, 'create', checkVniUnique(l2Spec(l2), others));
  }
  return { mode: 'stateless', endpoint: '', violations, notes, batch: [] };
}
