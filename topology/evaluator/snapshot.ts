/**
 * The in-memory view: every object of an app's constructs or of a plan, added as they are
 * found. Queries on a field are answered from an index built on first use and kept up to
 * date as objects are added, so checking each of n objects stays near O(n) overall.
 */
import { intervalsOverlap, parseIp } from '../ip';
import type { Inventory, ObjectType } from '../model';
import { conditionsOf, type Find, type Known, type RangesOverlapping, type TopologyView } from './view';

type Indexes = Map<string, Map<unknown, Set<string>>>;
const NONE: ReadonlySet<string> = new Set();

class TypeTable<T extends ObjectType> {
  readonly byUuid = new Map<string, Known<T>>();
  private readonly indexes: Indexes = new Map();

  add(obj: Known<T>): void {
    const old = this.byUuid.get(obj.uuid);
    if (old) this.unindex(old);
    this.byUuid.set(obj.uuid, obj);
    for (const [field, index] of this.indexes) indexValue(index, fieldOf(obj, field), obj.uuid);
  }

  /** Uuids whose `field` equals one of `values` (the index's own set for one value: don't change it). */
  matching(field: string, values: readonly unknown[]): ReadonlySet<string> {
    let index = this.indexes.get(field);
    if (!index) {
      index = new Map();
      for (const obj of this.byUuid.values()) indexValue(index, fieldOf(obj, field), obj.uuid);
      this.indexes.set(field, index);
    }
    if (values.length === 1) return index.get(values[0]) ?? NONE;
    const out = new Set<string>();
    for (const v of values) for (const uuid of index.get(v) ?? []) out.add(uuid);
    return out;
  }

  private unindex(obj: Known<T>): void {
    for (const [field, index] of this.indexes) index.get(fieldOf(obj, field))?.delete(obj.uuid);
  }
}

function fieldOf(obj: object, field: string): unknown {
  return (obj as Record<string, unknown>)[field];
}

function indexValue(index: Map<unknown, Set<string>>, value: unknown, uuid: string): void {
  if (value === undefined) return;
  let set = index.get(value);
  if (!set) index.set(value, (set = new Set()));
  set.add(uuid);
}

type Tables = { [T in ObjectType]: TypeTable<T> };

function emptyTables(): Tables {
  return {
    zone: new TypeTable(),
    cluster: new TypeTable(),
    host: new TypeTable(),
    l2Network: new TypeTable(),
    l2ClusterAttachment: new TypeTable(),
    l3Network: new TypeTable(),
    ipRange: new TypeTable(),
    networkServiceProvider: new TypeTable(),
    networkServiceAttachment: new TypeTable(),
    vmInstance: new TypeTable(),
    ipAddress: new TypeTable(),
    virtualRouter: new TypeTable(),
    vip: new TypeTable(),
    eip: new TypeTable(),
    portForwardingRule: new TypeTable(),
    securityGroup: new TypeTable(),
    securityGroupRule: new TypeTable(),
    securityGroupAttachment: new TypeTable(),
  };
}

export class Snapshot implements TopologyView {
  private readonly tables = emptyTables();
  /** Insertion order across types: the order ties are broken in. */
  private readonly order = new Map<string, number>();
  private readonly complete = new Set<string>();

  /** @param extent how messages name what the snapshot holds ('this app', 'this plan') */
  constructor(readonly extent: string) {}

  /** Adds (or replaces) an object; `complete`: nothing outside the snapshot refers to it (see TopologyView). */
  add<T extends ObjectType>(type: T, obj: Known<T>, options: { complete?: boolean } = {}): void {
    this.tables[type].add(obj);
    if (!this.order.has(obj.uuid)) this.order.set(obj.uuid, this.order.size);
    if (options.complete) this.complete.add(`${type}/${obj.uuid}`);
  }

  get<T extends ObjectType>(type: T, uuid: string): Known<T> | undefined {
    return this.tables[type].byUuid.get(uuid);
  }

  all<T extends ObjectType>(type: T): Known<T>[] {
    return [...this.tables[type].byUuid.values()];
  }

  find<T extends ObjectType>(q: Find<T>): Known<T>[] {
    const table = this.tables[q.type];
    const conditions = conditionsOf(q);
    // Start from the smallest set of index hits, not from every object of the type: a query
    // then costs about what it finds, and checking n objects stays near O(n).
    const sets = conditions.map(([field, value]) => table.matching(field, Array.isArray(value) ? value : [value]));
    if (q.uuids) sets.push(new Set(q.uuids.filter((u) => table.byUuid.has(u))));
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    const uuids = smallest ? [...smallest].filter((u) => rest.every((s) => s.has(u))) : [...table.byUuid.keys()];
    const found = uuids.map((u) => table.byUuid.get(u)!);
    found.sort((a, b) => (this.order.get(a.uuid) ?? 0) - (this.order.get(b.uuid) ?? 0));
    if (q.orderBy) found.sort((a, b) => compareBy(a, b, q.orderBy!));
    return found;
  }

  rangesOverlapping(q: RangesOverlapping): Known<'ipRange'>[] {
    const start = parseIp(q.startIp);
    const end = parseIp(q.endIp);
    if (!start || !end) return [];
    return this.find({ type: 'ipRange', where: { l3NetworkUuid: q.l3NetworkUuids } }).filter((r) => {
      const s = r.startIp !== undefined ? parseIp(r.startIp) : null;
      const e = r.endIp !== undefined ? parseIp(r.endIp) : null;
      return !!s && !!e && s.family === start.family && intervalsOverlap(start.value, end.value, s.value, e.value);
    });
  }

  isComplete(type: ObjectType, uuid: string): boolean {
    return this.complete.has(`${type}/${uuid}`);
  }
}

function compareBy<T extends ObjectType>(a: Known<T>, b: Known<T>, fields: readonly (keyof Inventory<T> & string)[]): number {
  for (const f of fields) {
    const x = String(fieldOf(a, f) ?? '');
    const y = String(fieldOf(b, f) ?? '');
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
