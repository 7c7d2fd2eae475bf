/**
 * The stack's topology as the rules see it (topology/evaluator): every netforge construct of
 * the stack registers the object it declares, keyed by its path, with the paths of
 * the constructs it sits on. Cross-object rules run over this (at construction against what
 * came before, at synth against the whole app), and parents find their children here
 * instead of children pushing themselves into their parents.
 */
import { TerraformStack, type TerraformResource } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { evaluate, Snapshot, violationsOf, type EvaluateOptions, type Known, type KnownFields, type Where } from '../topology/evaluator';
import type { ObjectType } from '../topology/model';
import type { Violation } from '../topology/violation';
import { isUnresolved } from './_validation';

interface Member {
  readonly construct: IConstruct;
  /** The resource to depend on (none for imported objects). */
  readonly resource?: TerraformResource;
}

const TOPOLOGIES = new WeakMap<IConstruct, AppTopology>();

function stackOf(scope: IConstruct): IConstruct | undefined {
  return scope.node.scopes.find((s) => TerraformStack.isStack(s));
}

/** A value the rules may see: undefined while it is a token. */
export function known<V>(value: V): V | undefined {
  return isUnresolved(value) ? undefined : value;
}

/** How a child names what it sits on: the construct's path, or the uuid given for an object outside the app. */
export function keyOf(ref: object, uuid: string): string {
  return Construct.isConstruct(ref) ? ref.node.path : uuid;
}

export class AppTopology {
  /**
   * The topology of the stack `scope` is in: each stack deploys to a server of its own
   * (dev, prod), so rules compare objects within one stack only.
   */
  static of(scope: IConstruct): AppTopology {
    const owner = stackOf(scope) ?? scope.node.root;
    let topology = TOPOLOGIES.get(owner);
    if (!topology) TOPOLOGIES.set(owner, (topology = new AppTopology()));
    return topology;
  }

  readonly snapshot = new Snapshot('this app');
  private readonly members = new Map<string, Member>();
  /** Registration order: what "made before" means for rules checked at construction. */
  private readonly order = new Map<string, number>();

  /**
   * Adds a construct's object. `complete`: declared by this app, so nothing outside it can
   * refer to it (an imported one is not).
   */
  register<T extends ObjectType>(type: T, construct: IConstruct, known: KnownFields<T>, options: { complete: boolean; resource?: TerraformResource }): void {
    const uuid = construct.node.path;
    this.registerObject(type, { ...known, uuid }, options.complete);
    this.members.set(uuid, { construct, resource: options.resource });
  }

  /** Adds an object no construct of its own stands for (a built-in provider found by type). */
  registerObject<T extends ObjectType>(type: T, known: Known<T>, complete: boolean): void {
    this.snapshot.add(type, known, { complete });
    if (!this.order.has(known.uuid)) this.order.set(known.uuid, this.order.size);
  }

  /** For EvaluateOptions.counts: objects registered before `key`. */
  madeBefore(key: string): (other: { readonly uuid: string }) => boolean {
    const mine = this.order.get(key) ?? Infinity;
    return (other) => (this.order.get(other.uuid) ?? Infinity) < mine;
  }

  /** The constructs whose objects match (in construction order). */
  constructs<T extends ObjectType>(type: T, where: Where<T>): IConstruct[] {
    return this.snapshot.find({ type, where }).flatMap((o) => {
      const m = this.members.get(o.uuid);
      return m ? [m.construct] : [];
    });
  }

  /** The construct registered under a key, if any. */
  construct(key: string | undefined): IConstruct | undefined {
    return key === undefined ? undefined : this.members.get(key)?.construct;
  }

  /** The resources of the objects with these keys (imported ones have none). */
  resources(keys: Iterable<string>): TerraformResource[] {
    return [...keys].flatMap((k) => {
      const r = this.members.get(k)?.resource;
      return r ? [r] : [];
    });
  }

  /** The rules of a registered construct's type, against the app as registered so far. */
  check<T extends ObjectType>(type: T, construct: IConstruct, options: EvaluateOptions = {}): Violation[] {
    const subject = this.snapshot.get(type, construct.node.path);
    return subject ? this.checkObject(type, subject, options) : [];
  }

  /** The rules of a type for an object (registered or about to be), against the app as registered so far. */
  checkObject<T extends ObjectType>(type: T, subject: Known<T>, options: EvaluateOptions = {}): Violation[] {
    return violationsOf(evaluate(this.snapshot, type, subject, options));
  }
}
