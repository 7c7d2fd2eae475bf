/**
 * How the rules see the topology: a view that answers a few queries about objects. The
 * same rule code runs over every view, so which objects a rule compares is decided once:
 *
 *   Snapshot     everything in memory: the constructs of an app, the objects of a plan.
 *   the server   the database, queried on demand (server/services/rule-view.ts).
 *
 * Objects are `Known`: the uuid (a construct path or plan address outside the server) and
 * whatever else is known; a value not known yet (a token at synth, "known after apply" in a
 * plan) is absent, and a rule that needs it says nothing.
 *
 * A view that has not loaded what a query asks for throws NeedsData; resolveWith loads it
 * and runs the rules again. The rules stay synchronous (constructs validate synchronously)
 * while the server fetches exactly what they look at.
 */
import type { Inventory, ObjectType } from '../model';

/** What is known of an object's fields (a field not known yet is absent). */
export type KnownFields<T extends ObjectType> = { readonly [K in keyof Inventory<T>]?: Inventory<T>[K] };
export type Known<T extends ObjectType> = { readonly uuid: string } & KnownFields<T>;

/** Equality (or, for a list, membership) on fields of the inventory. */
export type Where<T extends ObjectType> = { readonly [K in keyof Inventory<T>]?: Inventory<T>[K] | readonly Inventory<T>[K][] };

export interface Find<T extends ObjectType> {
  readonly type: T;
  /** Only the objects with these uuids. */
  readonly uuids?: readonly string[];
  readonly where?: Where<T>;
  /** Fields to sort by, ascending (ties keep the view's own order: creation). */
  readonly orderBy?: readonly (keyof Inventory<T> & string)[];
}

/** IP ranges of some L3 networks that overlap start-end (the overlap rule's candidates). */
export interface RangesOverlapping {
  readonly l3NetworkUuids: readonly string[];
  readonly startIp: string;
  readonly endIp: string;
}

export interface TopologyView {
  find<T extends ObjectType>(q: Find<T>): Known<T>[];
  rangesOverlapping(q: RangesOverlapping): Known<'ipRange'>[];
  /**
   * True when every object that refers to this one is in the view: the server's view, and
   * objects new in an app or a plan (nothing elsewhere can refer to them yet). A rule about
   * what is absent ("no cluster carries these L2s") only holds over complete objects.
   */
  isComplete(type: ObjectType, uuid: string): boolean;
  /** How messages name the view's extent when a rule concludes from absence: 'this app', 'this plan'; null for the server. */
  readonly extent: string | null;
}

/** Thrown by a view that has not loaded what a query asks (the view remembers which); resolveWith loads it and retries. */
export class NeedsData extends Error {
  constructor() {
    super('the view needs data it has not loaded');
    this.name = 'NeedsData';
  }
}

/** Most queries one evaluation may need (a real one makes a handful). */
export const MAX_LOADS = 256;

/**
 * Runs `compute` (rules over a view) until it needs nothing more: after each NeedsData,
 * `load` reads what the view was missing, then `compute` starts over. Deterministic rules
 * make this converge, one query more each round.
 */
export async function resolveWith<R>(compute: () => R, load: () => Promise<void>): Promise<R> {
  for (let loads = 0; loads <= MAX_LOADS; loads++) {
    try {
      return compute();
    } catch (err) {
      if (!(err instanceof NeedsData)) throw err;
      await load();
    }
  }
  throw new Error(`rule evaluation needed more than ${MAX_LOADS} queries`);
}

/** The conditions of a query, as field/value pairs (absent conditions left out). */
export function conditionsOf<T extends ObjectType>(q: Find<T>): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = Object.entries(q.where ?? {});
  return entries.filter(([, v]) => v !== undefined);
}

/** The object with this uuid, if the view has it. */
export function getObject<T extends ObjectType>(view: TopologyView, type: T, uuid: string | undefined | null): Known<T> | undefined {
  return uuid ? view.find({ type, uuids: [uuid] })[0] : undefined;
}

/** The objects with these uuids (in no particular order). */
export function getObjects<T extends ObjectType>(view: TopologyView, type: T, uuids: readonly string[]): Known<T>[] {
  return uuids.length === 0 ? [] : view.find({ type, uuids: [...new Set(uuids)] });
}
