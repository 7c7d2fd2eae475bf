/**
 * The rules (topology/evaluator) over the database: a view that answers each query the
 * rules make with one read in the operation's transaction, and the refusals services
 * throw from what the rules find.
 */
import {
  conditionsOf,
  DELETION,
  evaluate,
  NeedsData,
  resolveWith,
  uniqueViolations,
  violationsOf,
  type Find,
  type Known,
  type RangesOverlapping,
  type Refusal,
  type TopologyView,
} from '../../topology/evaluator';
import { OBJECTS, type CreateInput } from '../../contract';
import type { ObjectType } from '../../topology/model';
import { Op as SqlOp } from 'sequelize';
import { intervalsOverlap, ipKeyOfValue, parseIp } from '../../topology/ip';
import { rootField, type Violation } from '../../topology/violation';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { listObjects, type Filters } from './listing';

type Cached = { [T in ObjectType]: Map<string, Known<T>[]> };

/** A view of the database that has read what it was asked for so far (see NeedsData). */
class DatabaseView implements TopologyView {
  readonly extent = null;
  private readonly found: Cached = {
    zone: new Map(),
    cluster: new Map(),
    host: new Map(),
    l2Network: new Map(),
    l2ClusterAttachment: new Map(),
    l3Network: new Map(),
    ipRange: new Map(),
    networkServiceProvider: new Map(),
    networkServiceAttachment: new Map(),
    vmInstance: new Map(),
    ipAddress: new Map(),
    virtualRouter: new Map(),
    vip: new Map(),
    eip: new Map(),
    portForwardingRule: new Map(),
    securityGroup: new Map(),
    securityGroupRule: new Map(),
    securityGroupAttachment: new Map(),
  };
  private readonly overlapping = new Map<string, Known<'ipRange'>[]>();
  /** The read the last NeedsData was about. */
  private missing: (() => Promise<void>) | null = null;

  constructor(private readonly op: Op) {}

  find<T extends ObjectType>(q: Find<T>): Known<T>[] {
    const key = keyOf(q);
    const hit = this.found[q.type].get(key);
    if (hit) return hit;
    this.missing = async () => {
      this.found[q.type].set(key, await listObjects(q.type, filtersOf(q), this.op.tx, q.orderBy));
    };
    throw new NeedsData();
  }

  rangesOverlapping(q: RangesOverlapping): Known<'ipRange'>[] {
    const key = JSON.stringify(q);
    const hit = this.overlapping.get(key);
    if (hit) return hit;
    this.missing = async () => {
      this.overlapping.set(key, await this.readOverlapping(q));
    };
    throw new NeedsData();
  }

  isComplete(): boolean {
    return true;
  }

  async load(): Promise<void> {
    const read = this.missing;
    this.missing = null;
    if (!read) throw new Error('nothing to load: a rule threw NeedsData without asking this view');
    await read();
  }

  /**
   * The ranges of those L3s that overlap start-end, through the (l3, start_key) index: the
   * ranges that start inside it, and per L3 the last one that starts before it (ranges on an
   * L2 never overlap each other, so no earlier one can reach in). One index read, and one per
   * L3 on the L2, however many ranges the L2 holds.
   */
  private async readOverlapping(q: RangesOverlapping): Promise<Known<'ipRange'>[]> {
    const start = parseIp(q.startIp);
    const end = parseIp(q.endIp);
    if (!start || !end || q.l3NetworkUuids.length === 0) return [];
    const [startKey, endKey] = [ipKeyOfValue(start.value), ipKeyOfValue(end.value)];
    const tx = this.op.tx;
    const inside = await M.IpRangeRow.findAll({ where: { l3NetworkUuid: [...q.l3NetworkUuids], startKey: { [SqlOp.between]: [startKey, endKey] } }, attributes: ['uuid'], raw: true, transaction: tx });
    const before = await Promise.all(
      q.l3NetworkUuids.map((l3) =>
        M.IpRangeRow.findOne({ where: { l3NetworkUuid: l3, startKey: { [SqlOp.lt]: startKey } }, order: [['startKey', 'DESC']], attributes: ['uuid', 'endKey'], raw: true, transaction: tx }),
      ),
    );
    const uuids = [...inside.map((r) => r.uuid), ...before.flatMap((r) => (r && r.endKey >= startKey ? [r.uuid] : []))];
    if (uuids.length === 0) return [];
    // Keys of both families share one number line: compare the candidates as addresses.
    return (await listObjects('ipRange', { uuid: uuids }, tx)).filter((r) => {
      const s = parseIp(r.startIp);
      const e = parseIp(r.endIp);
      return !!s && !!e && s.family === start.family && intervalsOverlap(start.value, end.value, s.value, e.value);
    });
  }
}

const isScalar = (v: unknown): v is string | number | null => v === null || typeof v === 'string' || typeof v === 'number';

/** A query's conditions as column filters (rules only compare scalar fields). */
function filtersOf<T extends ObjectType>(q: Find<T>): Filters {
  const filters: Record<string, Filters[string]> = {};
  for (const [field, value] of conditionsOf(q)) {
    if (isScalar(value) || (Array.isArray(value) && value.every(isScalar))) filters[field] = value;
    else throw new Error(`a rule compared ${field} by a value that is no column value`);
  }
  if (q.uuids) filters.uuid = q.uuids;
  return filters;
}

function keyOf<T extends ObjectType>(q: Find<T>): string {
  return JSON.stringify([q.uuids ?? null, q.where ?? null, q.orderBy ?? null]);
}

/** Runs `compute` over the database, reading what it asks for. */
export function withDatabaseView<R>(op: Op, compute: (view: TopologyView) => R): Promise<R> {
  const view = new DatabaseView(op);
  return resolveWith(() => compute(view), () => view.load());
}

export interface RefuseOptions {
  /** Only rules with this refusal (a service checks invalid ones before it looks up more). */
  refusal?: Refusal;
  /** An update: only violations about these fields (the ones it changes) count. */
  changed?: ReadonlySet<string>;
  /** Violations of the request's own fields, refused together with the invalid findings. */
  alsoInvalid?: readonly Violation[];
}

/** The rules on a request's own fields (the catalog's), for a service to refuse where its order of checks puts them. */
export function fieldViolations<T extends ObjectType>(type: T, input: NonNullable<CreateInput<T>>): Violation[] {
  return OBJECTS[type].rules?.(input) ?? [];
}

/** Refuses (400) a request whose own fields break the catalog's rules. */
export function refuseInvalidFields<T extends ObjectType>(type: T, input: NonNullable<CreateInput<T>>): void {
  throwIfViolations(fieldViolations(type, input));
}

/**
 * Throws what the first failing rule of the subject's type found: 400 for an 'invalid'
 * rule, 409 for a 'conflict' one (invalid rules come first within each type's order).
 */
export async function refuseBrokenRules<T extends ObjectType>(op: Op, type: T, subject: Known<T>, options: RefuseOptions = {}): Promise<void> {
  const findings = await withDatabaseView(op, (view) => evaluate(view, type, subject, { refusal: options.refusal }));
  const relevant = findings
    .map((f) => ({ ...f, violations: f.violations.filter((v) => !options.changed || options.changed.has(rootField(v))) }))
    .filter((f) => f.violations.length > 0);
  const invalid = relevant.find((f) => f.refusal === 'invalid');
  throwIfViolations(uniqueViolations([...(options.alsoInvalid ?? []), ...(invalid ? violationsOf([invalid]) : [])]));
  const first = relevant[0];
  if (first) throwIfViolations([], violationsOf([first]));
}

/** Throws 409 listing what keeps the object from being deleted (topology/evaluator/deletion.ts). */
export async function refuseBlockedDelete<T extends ObjectType>(op: Op, type: T, subject: Known<T>): Promise<void> {
  throwIfViolations([], await withDatabaseView(op, (view) => DELETION[type](view, subject)));
}

/** Throws 409 with these violations, computed over the database. */
export async function refuseIf(op: Op, check: (view: TopologyView) => Violation[]): Promise<void> {
  throwIfViolations([], await withDatabaseView(op, check));
}

