/**
 * Implementations of one extension point, by key: register refuses a second one for a key
 * (naming both), get refuses a key nobody implements (a 501 naming the key). One class for
 * every extension point that is keyed; each point only says what its key is and how
 * messages name it.
 */
import { DuplicateExtensionError, ExtensionNotFoundError, InvalidExtensionError, type ExtensionKey, type ExtensionKind } from './errors';

/** "SimulatorL2Realizer" for a class instance, "an anonymous object" for a literal. */
export function implName(impl: object): string {
  const ctor = (impl as { constructor?: { name?: string } }).constructor;
  return ctor?.name && ctor.name !== 'Object' ? ctor.name : 'an anonymous object';
}

/** Throws InvalidExtensionError unless `value` is one of `allowed`. */
export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string, impl: object): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new InvalidExtensionError(`${implName(impl)} declares unknown ${what} '${String(value)}'; expected one of ${allowed.join(', ')}`);
  }
}

export interface KeyedPoint<V, K extends ExtensionKey> {
  readonly kind: ExtensionKind;
  /** The implementation's key, checked (throws InvalidExtensionError for a key the model doesn't know). */
  keyOf(impl: V): K;
  /** "an L2 realization backend for L2VlanNetwork on hypervisor KVM" */
  one(key: K): string;
  /** "no L2 realization backend for L2VlanNetwork on hypervisor KVM" */
  none(key: K): string;
}

export class KeyedRegistry<V extends object, K extends ExtensionKey> {
  private readonly byKey = new Map<string, V>();

  constructor(private readonly point: KeyedPoint<V, K>) {}

  register(impl: V): void {
    const key = this.point.keyOf(impl);
    const existing = this.byKey.get(flat(key));
    if (existing) {
      throw new DuplicateExtensionError(this.point.kind, key, `${this.point.one(key)} is already registered (${implName(existing)}); refusing ${implName(impl)}`);
    }
    this.byKey.set(flat(key), impl);
  }

  get(key: K): V {
    const impl = this.byKey.get(flat(key));
    if (!impl) throw new ExtensionNotFoundError(this.point.kind, key, this.point.none(key));
    return impl;
  }

  has(key: K): boolean {
    return this.byKey.has(flat(key));
  }

  /** Every implementation, in registration order. */
  all(): V[] {
    return [...this.byKey.values()];
  }
}

/** Implementations of an extension point that takes a list per key (each runs, in registration order). */
export class ListRegistry<V extends object, K extends ExtensionKey> {
  private readonly byKey = new Map<string, V[]>();

  constructor(private readonly point: Pick<KeyedPoint<V, K>, 'kind' | 'keyOf'> & { again(impl: V, key: K): string }) {}

  register(impl: V): void {
    const key = this.point.keyOf(impl);
    const list = this.byKey.get(flat(key)) ?? [];
    if (list.includes(impl)) throw new DuplicateExtensionError(this.point.kind, key, this.point.again(impl, key));
    this.byKey.set(flat(key), [...list, impl]);
  }

  /** None registered is a valid, empty answer (ZStack's getExtensionList). */
  get(key: K): readonly V[] {
    return [...(this.byKey.get(flat(key)) ?? [])];
  }
}

function flat(key: ExtensionKey): string {
  return JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));
}
