/**
 * The one place where extension-point implementations are registered and looked up
 * (ZStack's PluginRegistry + the managers' backend maps). Keys:
 *
 *   L2NetworkRealization      (l2Type, hypervisorType)        one implementation
 *   PreVmInstantiateResource  hypervisorType                  an ordered list
 *   VmInstanceBackend         hypervisorType                  one implementation
 *   L2NetworkCreate           name                            one implementation
 *   NetworkServiceBackend     (providerType, serviceType)     one implementation
 *   NetworkServiceRealizer    hypervisorType                  one implementation
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
import { InvalidExtensionError } from './errors';
import { assertOneOf, implName, KeyedRegistry, ListRegistry } from './keyed-registry';
import type {
  HostReconcileExtensionPoint,
  L2NetworkCreateExtensionPoint,
  L2NetworkRealizationExtensionPoint,
  NetworkServiceBackend,
  NetworkServiceRealizer,
  PreVmInstantiateResourceExtensionPoint,
  VmInstanceBackend,
} from './points';

export { DuplicateExtensionError, ExtensionNotFoundError, InvalidExtensionError } from './errors';

/** An implementation keyed by the hypervisor type it declares. */
function byHypervisor(impl: { readonly hypervisorType: HypervisorType }): { hypervisorType: HypervisorType } {
  assertOneOf(impl.hypervisorType, HYPERVISOR_TYPES, 'hypervisor type', impl);
  return { hypervisorType: impl.hypervisorType };
}

export class ExtensionRegistry {
  private readonly l2Realizers = new KeyedRegistry<L2NetworkRealizationExtensionPoint, { l2Type: L2Type; hypervisorType: HypervisorType }>({
    kind: 'L2NetworkRealization',
    keyOf: (ep) => {
      assertOneOf(ep.l2Type, L2_TYPES, 'L2 type', ep);
      return { l2Type: ep.l2Type, ...byHypervisor(ep) };
    },
    one: (k) => `an L2 realization backend for ${k.l2Type} on hypervisor ${k.hypervisorType}`,
    none: (k) => `no L2 realization backend for ${k.l2Type} on hypervisor ${k.hypervisorType}`,
  });

  private readonly preVmInstantiate = new ListRegistry<PreVmInstantiateResourceExtensionPoint, { hypervisorType: HypervisorType }>({
    kind: 'PreVmInstantiateResource',
    keyOf: byHypervisor,
    again: (ep, k) => `this pre-VM-instantiate extension (${implName(ep)}) is already registered for hypervisor ${k.hypervisorType}`,
  });

  private readonly vmBackends = new KeyedRegistry<VmInstanceBackend, { hypervisorType: HypervisorType }>({
    kind: 'VmInstanceBackend',
    keyOf: byHypervisor,
    one: (k) => `a VM instance backend for hypervisor ${k.hypervisorType}`,
    none: (k) => `no VM instance backend for hypervisor ${k.hypervisorType}`,
  });

  private readonly l2NetworkCreate = new KeyedRegistry<L2NetworkCreateExtensionPoint, { name: string }>({
    kind: 'L2NetworkCreate',
    keyOf: (ep) => {
      if (typeof ep.name !== 'string' || ep.name.trim() === '') {
        throw new InvalidExtensionError(`${implName(ep)} has no name; L2 network create extensions are registered by name`);
      }
      return { name: ep.name };
    },
    one: (k) => `an L2 network create extension named '${k.name}'`,
    none: (k) => `no L2 network create extension named '${k.name}'`,
  });

  private readonly serviceBackends = new KeyedRegistry<NetworkServiceBackend, { providerType: ProviderType; serviceType: ServiceType }>({
    kind: 'NetworkServiceBackend',
    keyOf: (ep) => {
      assertOneOf(ep.providerType, PROVIDER_TYPES, 'provider type', ep);
      assertOneOf(ep.serviceType, SERVICE_TYPES, 'service type', ep);
      if (!SERVICES_BY_PROVIDER_TYPE[ep.providerType].includes(ep.serviceType)) {
        throw new InvalidExtensionError(
          `${implName(ep)} implements ${ep.serviceType} for provider type ${ep.providerType}, which offers only ${SERVICES_BY_PROVIDER_TYPE[ep.providerType].join(', ')}`,
        );
      }
      return { providerType: ep.providerType, serviceType: ep.serviceType };
    },
    one: (k) => `a network service backend for ${k.serviceType} of provider type ${k.providerType}`,
    none: (k) => `no network service backend for ${k.serviceType} of provider type ${k.providerType}`,
  });

  private readonly serviceRealizers = new KeyedRegistry<NetworkServiceRealizer, { hypervisorType: HypervisorType }>({
    kind: 'NetworkServiceRealizer',
    keyOf: byHypervisor,
    one: (k) => `a network service realizer for hypervisor ${k.hypervisorType}`,
    none: (k) => `no network service realizer for hypervisor ${k.hypervisorType}`,
  });

  private readonly hostReconcilers = new KeyedRegistry<HostReconcileExtensionPoint, { hypervisorType: HypervisorType }>({
    kind: 'HostReconcile',
    keyOf: byHypervisor,
    one: (k) => `a host reconciler for hypervisor ${k.hypervisorType}`,
    none: (k) => `no host reconciler for hypervisor ${k.hypervisorType}`,
  });

  registerL2Realizer(ep: L2NetworkRealizationExtensionPoint): void {
    this.l2Realizers.register(ep);
  }
  getL2Realizer(l2Type: L2Type, hypervisorType: HypervisorType): L2NetworkRealizationExtensionPoint {
    return this.l2Realizers.get({ l2Type, hypervisorType });
  }
  hasL2Realizer(l2Type: L2Type, hypervisorType: HypervisorType): boolean {
    return this.l2Realizers.has({ l2Type, hypervisorType });
  }

  registerPreVmInstantiate(ep: PreVmInstantiateResourceExtensionPoint): void {
    this.preVmInstantiate.register(ep);
  }
  /** The pre-instantiate extensions for a hypervisor type, in registration order (none is a valid answer). */
  getPreVmInstantiateExtensions(hypervisorType: HypervisorType): readonly PreVmInstantiateResourceExtensionPoint[] {
    return this.preVmInstantiate.get({ hypervisorType });
  }

  registerVmBackend(ep: VmInstanceBackend): void {
    this.vmBackends.register(ep);
  }
  getVmBackend(hypervisorType: HypervisorType): VmInstanceBackend {
    return this.vmBackends.get({ hypervisorType });
  }
  hasVmBackend(hypervisorType: HypervisorType): boolean {
    return this.vmBackends.has({ hypervisorType });
  }

  registerL2NetworkCreate(ep: L2NetworkCreateExtensionPoint): void {
    this.l2NetworkCreate.register(ep);
  }
  getL2NetworkCreate(name: string): L2NetworkCreateExtensionPoint {
    return this.l2NetworkCreate.get({ name });
  }
  /** Every after-create-L2 extension, in registration order (the server runs them all). */
  getL2NetworkCreateExtensions(): readonly L2NetworkCreateExtensionPoint[] {
    return this.l2NetworkCreate.all();
  }

  registerServiceBackend(ep: NetworkServiceBackend): void {
    this.serviceBackends.register(ep);
  }
  getServiceBackend(providerType: ProviderType, serviceType: ServiceType): NetworkServiceBackend {
    return this.serviceBackends.get({ providerType, serviceType });
  }
  hasServiceBackend(providerType: ProviderType, serviceType: ServiceType): boolean {
    return this.serviceBackends.has({ providerType, serviceType });
  }

  registerServiceRealizer(ep: NetworkServiceRealizer): void {
    this.serviceRealizers.register(ep);
  }
  getServiceRealizer(hypervisorType: HypervisorType): NetworkServiceRealizer {
    return this.serviceRealizers.get({ hypervisorType });
  }

  registerHostReconciler(ep: HostReconcileExtensionPoint): void {
    this.hostReconcilers.register(ep);
  }
  getHostReconciler(hypervisorType: HypervisorType): HostReconcileExtensionPoint {
    return this.hostReconcilers.get({ hypervisorType });
  }
}
