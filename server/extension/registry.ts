/**
 * The one place where extension-point implementations are registered and looked up
 * (ZStack's PluginRegistry + the managers' backend maps). Keys:
 *
 *   L2NetworkRealization      (l2Type, hypervisorType)        one implementation
 *   PreVmInstantiateResource  hypervisorType                  an ordered list
 *   VmInstanceBackend         hypervisorType                  one implementation
 *   L2NetworkCreate           name                            one implementation
 *   NetworkServiceBackend     (providerType, serviceType)     one implementation
 *   HostReconcile             hypervisorType                  one implementation
 *
 * Registering a second implementation for a key throws DuplicateExtensionError naming the
 * key and both implementations; looking up a missing key throws ExtensionNotFoundError.
 */
import {
  HYPERVISOR_TYPES,
  L2_TYPES,
  PROVIDER_TYPES,
  SERVICE_TYPES,
  SERVICES_BY_PROVIDER_TYPE,
  type HypervisorType,
  type L2Type,
  type ProviderType,
  type ServiceType,
} from '../../topology/model';
import { DuplicateExtensionError, ExtensionNotFoundError, InvalidExtensionError } from './errors';
import type {
  HostReconcileExtensionPoint,
  L2NetworkCreateExtensionPoint,
  L2NetworkRealizationExtensionPoint,
  NetworkServiceBackend,
  PreVmInstantiateResourceExtensionPoint,
  VmInstanceBackend,
} from './points';

export { DuplicateExtensionError, ExtensionNotFoundError, InvalidExtensionError } from './errors';

/** "SimulatorL2VlanRealizer" for a class instance, "object" for a literal. */
function implName(impl: object): string {
  const ctor = (impl as { constructor?: { name?: string } }).constructor;
  return ctor?.name && ctor.name !== 'Object' ? ctor.name : 'an anonymous object';
}

function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string, impl: object): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new InvalidExtensionError(`${implName(impl)} declares unknown ${what} '${String(value)}'; expected one of ${allowed.join(', ')}`);
  }
}

export class ExtensionRegistry {
  private readonly l2Realizers = new Map<string, L2NetworkRealizationExtensionPoint>();
  private readonly preVmInstantiate = new Map<HypervisorType, PreVmInstantiateResourceExtensionPoint[]>();
  private readonly vmBackends = new Map<HypervisorType, VmInstanceBackend>();
  private readonly l2NetworkCreate = new Map<string, L2NetworkCreateExtensionPoint>();
  private readonly serviceBackends = new Map<string, NetworkServiceBackend>();
  private readonly hostReconcilers = new Map<HypervisorType, HostReconcileExtensionPoint>();

  // ---- L2 realization: (l2Type, hypervisorType) -> one backend ----

  registerL2Realizer(ep: L2NetworkRealizationExtensionPoint): void {
    assertOneOf(ep.l2Type, L2_TYPES, 'L2 type', ep);
    assertOneOf(ep.hypervisorType, HYPERVISOR_TYPES, 'hypervisor type', ep);
    const key = `${ep.l2Type}/${ep.hypervisorType}`;
    const existing = this.l2Realizers.get(key);
    if (existing) {
      throw new DuplicateExtensionError(
        'L2NetworkRealization',
        { l2Type: ep.l2Type, hypervisorType: ep.hypervisorType },
        `an L2 realization backend for ${ep.l2Type} on hypervisor ${ep.hypervisorType} is already registered (${implName(existing)}); refusing ${implName(ep)}`,
      );
    }
    this.l2Realizers.set(key, ep);
  }

  getL2Realizer(l2Type: L2Type, hypervisorType: HypervisorType): L2NetworkRealizationExtensionPoint {
    const ep = this.l2Realizers.get(`${l2Type}/${hypervisorType}`);
    if (!ep) {
      throw new ExtensionNotFoundError(
        'L2NetworkRealization',
        { l2Type, hypervisorType },
        `no L2 realization backend for ${l2Type} on hypervisor ${hypervisorType}`,
      );
    }
    return ep;
  }

  hasL2Realizer(l2Type: L2Type, hypervisorType: HypervisorType): boolean {
    return this.l2Realizers.has(`${l2Type}/${hypervisorType}`);
  }

  // ---- Pre-VM-instantiate: hypervisorType -> ordered list ----

  registerPreVmInstantiate(ep: PreVmInstantiateResourceExtensionPoint): void {
    assertOneOf(ep.hypervisorType, HYPERVISOR_TYPES, 'hypervisor type', ep);
    const list = this.preVmInstantiate.get(ep.hypervisorType) ?? [];
    if (list.includes(ep)) {
      throw new DuplicateExtensionError(
        'PreVmInstantiateResource',
        { hypervisorType: ep.hypervisorType },
        `this pre-VM-instantiate extension (${implName(ep)}) is already registered for hypervisor ${ep.hypervisorType}`,
      );
    }
    list.push(ep);
    this.preVmInstantiate.set(ep.hypervisorType, list);
  }

  /**
   * The pre-instantiate extensions for a hypervisor type, in registration order. Like
   * ZStack's getExtensionList this is a list: none registered is a valid, empty answer.
   */
  getPreVmInstantiateExtensions(hypervisorType: HypervisorType): readonly PreVmInstantiateResourceExtensionPoint[] {
    return [...(this.preVmInstantiate.get(hypervisorType) ?? [])];
  }

  // ---- VM backend: hypervisorType -> one backend ----

  registerVmBackend(ep: VmInstanceBackend): void {
    assertOneOf(ep.hypervisorType, HYPERVISOR_TYPES, 'hypervisor type', ep);
    const existing = this.vmBackends.get(ep.hypervisorType);
    if (existing) {
      throw new DuplicateExtensionError(
        'VmInstanceBackend',
        { hypervisorType: ep.hypervisorType },
        `a VM instance backend for hypervisor ${ep.hypervisorType} is already registered (${implName(existing)}); refusing ${implName(ep)}`,
      );
    }
    this.vmBackends.set(ep.hypervisorType, ep);
  }

  getVmBackend(hypervisorType: HypervisorType): VmInstanceBackend {
    const ep = this.vmBackends.get(hypervisorType);
    if (!ep) {
      throw new ExtensionNotFoundError('VmInstanceBackend', { hypervisorType }, `no VM instance backend for hypervisor ${hypervisorType}`);
    }
    return ep;
  }

  hasVmBackend(hypervisorType: HypervisorType): boolean {
    return this.vmBackends.has(hypervisorType);
  }

  // ---- After-create-L2 hooks: name -> one extension ----

  registerL2NetworkCreate(ep: L2NetworkCreateExtensionPoint): void {
    if (typeof ep.name !== 'string' || ep.name.trim() === '') {
      throw new InvalidExtensionError(`${implName(ep)} has no name; L2 network create extensions are registered by name`);
    }
    const existing = this.l2NetworkCreate.get(ep.name);
    if (existing) {
      throw new DuplicateExtensionError(
        'L2NetworkCreate',
        { name: ep.name },
        `an L2 network create extension named '${ep.name}' is already registered (${implName(existing)}); refusing ${implName(ep)}`,
      );
    }
    this.l2NetworkCreate.set(ep.name, ep);
  }

  getL2NetworkCreate(name: string): L2NetworkCreateExtensionPoint {
    const ep = this.l2NetworkCreate.get(name);
    if (!ep) {
      throw new ExtensionNotFoundError('L2NetworkCreate', { name }, `no L2 network create extension named '${name}'`);
    }
    return ep;
  }

  /** Every after-create-L2 extension, in registration order (the server runs them all). */
  getL2NetworkCreateExtensions(): readonly L2NetworkCreateExtensionPoint[] {
    return [...this.l2NetworkCreate.values()];
  }

  // ---- Network services: (providerType, serviceType) -> one backend ----

  registerServiceBackend(ep: NetworkServiceBackend): void {
    assertOneOf(ep.providerType, PROVIDER_TYPES, 'provider type', ep);
    assertOneOf(ep.serviceType, SERVICE_TYPES, 'service type', ep);
    if (!SERVICES_BY_PROVIDER_TYPE[ep.providerType].includes(ep.serviceType)) {
      throw new InvalidExtensionError(
        `${implName(ep)} implements ${ep.serviceType} for provider type ${ep.providerType}, which offers only ${SERVICES_BY_PROVIDER_TYPE[ep.providerType].join(', ')}`,
      );
    }
    const key = `${ep.providerType}/${ep.serviceType}`;
    const existing = this.serviceBackends.get(key);
    if (existing) {
      throw new DuplicateExtensionError(
        'NetworkServiceBackend',
        { providerType: ep.providerType, serviceType: ep.serviceType },
        `a network service backend for ${ep.serviceType} of provider type ${ep.providerType} is already registered (${implName(existing)}); refusing ${implName(ep)}`,
      );
    }
    this.serviceBackends.set(key, ep);
  }

  getServiceBackend(providerType: ProviderType, serviceType: ServiceType): NetworkServiceBackend {
    const ep = this.serviceBackends.get(`${providerType}/${serviceType}`);
    if (!ep) {
      throw new ExtensionNotFoundError(
        'NetworkServiceBackend',
        { providerType, serviceType },
        `no network service backend for ${serviceType} of provider type ${providerType}`,
      );
    }
    return ep;
  }

  hasServiceBackend(providerType: ProviderType, serviceType: ServiceType): boolean {
    return this.serviceBackends.has(`${providerType}/${serviceType}`);
  }

  // ---- Host reconcile: hypervisorType -> one implementation ----

  registerHostReconciler(ep: HostReconcileExtensionPoint): void {
    assertOneOf(ep.hypervisorType, HYPERVISOR_TYPES, 'hypervisor type', ep);
    const existing = this.hostReconcilers.get(ep.hypervisorType);
    if (existing) {
      throw new DuplicateExtensionError(
        'HostReconcile',
        { hypervisorType: ep.hypervisorType },
        `a host reconciler for hypervisor ${ep.hypervisorType} is already registered (${implName(existing)}); refusing ${implName(ep)}`,
      );
    }
    this.hostReconcilers.set(ep.hypervisorType, ep);
  }

  getHostReconciler(hypervisorType: HypervisorType): HostReconcileExtensionPoint {
    const ep = this.hostReconcilers.get(hypervisorType);
    if (!ep) throw new ExtensionNotFoundError('HostReconcile', { hypervisorType }, `no host reconciler for hypervisor ${hypervisorType}`);
    return ep;
  }
}
