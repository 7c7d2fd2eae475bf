import { ApiError } from '../../../server/errors';
import type {
  L2NetworkCreateExtensionPoint,
  L2NetworkRealizationExtensionPoint,
  NetworkServiceBackend,
  PreVmInstantiateResourceExtensionPoint,
  VmInstanceBackend,
} from '../../../server/extension/points';
import { DuplicateExtensionError, ExtensionNotFoundError, ExtensionRegistry, InvalidExtensionError } from '../../../server/extension/registry';
import { registerNetworkServices } from '../../../server/network-services';
import { SimulatorState, registerSimulator } from '../../../server/hypervisors/simulator';
import { L2_TYPES, PROVIDER_TYPES, SERVICES_BY_PROVIDER_TYPE, type HypervisorType, type L2Type, type ProviderType, type ServiceType } from '../../../topology/model';

const noop = async (): Promise<void> => undefined;

class FakeRealizer implements L2NetworkRealizationExtensionPoint {
  constructor(
    readonly l2Type: L2Type,
    readonly hypervisorType: HypervisorType,
  ) {}
  check = noop;
  realize = () => Promise.resolve({ created: [] });
  undo = noop;
  delete = noop;
}

class FakeVmBackend implements VmInstanceBackend {
  constructor(readonly hypervisorType: HypervisorType) {}
  start = () => Promise.resolve({ created: [] });
  destroy = noop;
}

class FakePreVm implements PreVmInstantiateResourceExtensionPoint {
  constructor(readonly hypervisorType: HypervisorType) {}
  preInstantiate = noop;
  releaseOnFailure = noop;
}

class FakeServiceBackend implements NetworkServiceBackend {
  constructor(
    readonly providerType: ProviderType,
    readonly serviceType: ServiceType,
  ) {}
  contribute = () => undefined;
}

function createExt(name: string): L2NetworkCreateExtensionPoint {
  return { name, afterCreateL2Network: noop };
}

describe('ExtensionRegistry: L2 realization backends', () => {
  it('GIVEN a realizer for (L2VlanNetwork, KVM) WHEN another is registered for the same key THEN it is refused, naming the key, and the first stays', () => {
    const registry = new ExtensionRegistry();
    const first = new FakeRealizer('L2VlanNetwork', 'KVM');
    registry.registerL2Realizer(first);

    const register = () => registry.registerL2Realizer(new FakeRealizer('L2VlanNetwork', 'KVM'));

    expect(register).toThrow(DuplicateExtensionError);
    expect(register).toThrow('an L2 realization backend for L2VlanNetwork on hypervisor KVM is already registered (FakeRealizer)');
    expect(registry.getL2Realizer('L2VlanNetwork', 'KVM')).toBe(first);
  });

  it('GIVEN realizers for the same L2 type on two hypervisors WHEN looking each up THEN each key returns its own', () => {
    const registry = new ExtensionRegistry();
    const kvm = new FakeRealizer('L2VlanNetwork', 'KVM');
    const sim = new FakeRealizer('L2VlanNetwork', 'Simulator');
    registry.registerL2Realizer(kvm);
    registry.registerL2Realizer(sim);

    expect(registry.getL2Realizer('L2VlanNetwork', 'KVM')).toBe(kvm);
    expect(registry.getL2Realizer('L2VlanNetwork', 'Simulator')).toBe(sim);
    expect(registry.hasL2Realizer('L2VxlanNetwork', 'KVM')).toBe(false);
  });

  it('GIVEN no realizer for (L2VlanNetwork, KVM) WHEN looking it up THEN ExtensionNotFoundError says which, as a 501 API error', () => {
    const registry = new ExtensionRegistry();
    registry.registerL2Realizer(new FakeRealizer('L2VlanNetwork', 'Simulator'));

    let caught: unknown;
    try {
      registry.getL2Realizer('L2VlanNetwork', 'KVM');
    } catch (err) {
      caught = err;
    }

    expect(caught).toBeInstanceOf(ExtensionNotFoundError);
    expect(caught).toBeInstanceOf(ApiError);
    const e = caught as ExtensionNotFoundError;
    expect(e.message).toBe('no L2 realization backend for L2VlanNetwork on hypervisor KVM');
    expect(e.code).toBe('EXTENSION_NOT_FOUND');
    expect(e.status).toBe(501);
    expect(e.kind).toBe('L2NetworkRealization');
    expect(e.key).toEqual({ l2Type: 'L2VlanNetwork', hypervisorType: 'KVM' });
    expect(e.details).toEqual([{ path: 'extensions.L2NetworkRealization', message: e.message }]);
  });

  it('GIVEN a realizer declaring an unknown L2 type WHEN registering it THEN it is refused', () => {
    const registry = new ExtensionRegistry();
    expect(() => registry.registerL2Realizer(new FakeRealizer('L2QinQNetwork' as L2Type, 'KVM'))).toThrow(InvalidExtensionError);
    expect(() => registry.registerL2Realizer(new FakeRealizer('L2QinQNetwork' as L2Type, 'KVM'))).toThrow(/unknown L2 type 'L2QinQNetwork'/);
  });
});

describe('ExtensionRegistry: pre-VM-instantiate extensions', () => {
  it('GIVEN two extensions for KVM WHEN listing THEN both come back in registration order', () => {
    const registry = new ExtensionRegistry();
    const a = new FakePreVm('KVM');
    const b = new FakePreVm('KVM');
    registry.registerPreVmInstantiate(a);
    registry.registerPreVmInstantiate(b);

    expect(registry.getPreVmInstantiateExtensions('KVM')).toEqual([a, b]);
    expect(registry.getPreVmInstantiateExtensions('KVM')[0]).toBe(a);
  });

  it('GIVEN an extension registered WHEN the same object is registered again THEN it is refused', () => {
    const registry = new ExtensionRegistry();
    const a = new FakePreVm('KVM');
    registry.registerPreVmInstantiate(a);

    expect(() => registry.registerPreVmInstantiate(a)).toThrow(DuplicateExtensionError);
    expect(() => registry.registerPreVmInstantiate(a)).toThrow(/already registered for hypervisor KVM/);
    expect(registry.getPreVmInstantiateExtensions('KVM')).toHaveLength(1);
  });

  it('GIVEN none for a hypervisor WHEN listing THEN the list is empty, and mutating a returned list changes nothing', () => {
    const registry = new ExtensionRegistry();
    registry.registerPreVmInstantiate(new FakePreVm('KVM'));

    expect(registry.getPreVmInstantiateExtensions('Simulator')).toEqual([]);
    (registry.getPreVmInstantiateExtensions('KVM') as PreVmInstantiateResourceExtensionPoint[]).pop();
    expect(registry.getPreVmInstantiateExtensions('KVM')).toHaveLength(1);
  });
});

describe('ExtensionRegistry: VM backends', () => {
  it('GIVEN a KVM backend WHEN a second is registered THEN it is refused; lookups of a missing hypervisor throw', () => {
    const registry = new ExtensionRegistry();
    const kvm = new FakeVmBackend('KVM');
    registry.registerVmBackend(kvm);

    expect(() => registry.registerVmBackend(new FakeVmBackend('KVM'))).toThrow(
      'a VM instance backend for hypervisor KVM is already registered (FakeVmBackend); refusing FakeVmBackend',
    );
    expect(registry.getVmBackend('KVM')).toBe(kvm);
    expect(() => registry.getVmBackend('Simulator')).toThrow(new ExtensionNotFoundError('VmInstanceBackend', {}, 'no VM instance backend for hypervisor Simulator'));
  });
});

describe('ExtensionRegistry: after-create-L2 extensions', () => {
  it('GIVEN an extension named "vr-associate" WHEN another with that name is registered THEN it is refused; all are listed in order', () => {
    const registry = new ExtensionRegistry();
    const a = createExt('vr-associate');
    const b = createExt('flat-associate');
    registry.registerL2NetworkCreate(a);
    registry.registerL2NetworkCreate(b);

    expect(() => registry.registerL2NetworkCreate(createExt('vr-associate'))).toThrow(/named 'vr-associate' is already registered/);
    expect(registry.getL2NetworkCreateExtensions()).toEqual([a, b]);
    expect(registry.getL2NetworkCreate('flat-associate')).toBe(b);
    expect(() => registry.getL2NetworkCreate('nope')).toThrow("no L2 network create extension named 'nope'");
  });

  it('GIVEN an extension without a name WHEN registering it THEN it is refused', () => {
    expect(() => new ExtensionRegistry().registerL2NetworkCreate(createExt('  '))).toThrow(InvalidExtensionError);
  });
});

describe('ExtensionRegistry: network service backends', () => {
  it('GIVEN a backend for (Flat, DHCP) WHEN another is registered THEN it is refused; a missing key throws naming both types', () => {
    const registry = new ExtensionRegistry();
    const dhcp = new FakeServiceBackend('Flat', 'DHCP');
    registry.registerServiceBackend(dhcp);

    expect(() => registry.registerServiceBackend(new FakeServiceBackend('Flat', 'DHCP'))).toThrow(
      /a network service backend for DHCP of provider type Flat is already registered/,
    );
    expect(registry.getServiceBackend('Flat', 'DHCP')).toBe(dhcp);
    expect(() => registry.getServiceBackend('VirtualRouter', 'DHCP')).toThrow('no network service backend for DHCP of provider type VirtualRouter');
  });

  it('GIVEN a backend for a service its provider type does not offer (Flat, SNAT) WHEN registering THEN it is refused', () => {
    expect(() => new ExtensionRegistry().registerServiceBackend(new FakeServiceBackend('Flat', 'SNAT'))).toThrow(
      /implements SNAT for provider type Flat, which offers only DHCP, DNS, EIP/,
    );
  });
});

describe('registerSimulator', () => {
  it('GIVEN an empty registry WHEN registering the Simulator THEN every extension point has a Simulator implementation and KVM has none', () => {
    const registry = new ExtensionRegistry();
    registerSimulator(registry, new SimulatorState());

    for (const t of L2_TYPES) {
      expect(registry.getL2Realizer(t, 'Simulator').l2Type).toBe(t);
      expect(registry.hasL2Realizer(t, 'KVM')).toBe(false);
    }
    expect(registry.getVmBackend('Simulator').hypervisorType).toBe('Simulator');
    expect(registry.getPreVmInstantiateExtensions('Simulator')).toHaveLength(1);
    expect(registry.getServiceRealizer('Simulator').hypervisorType).toBe('Simulator');
    expect(() => registry.getServiceRealizer('KVM')).toThrow('no network service realizer for hypervisor KVM');
    // Service backends are the providers', not a hypervisor's.
    expect(registry.hasServiceBackend('Flat', 'DHCP')).toBe(false);
  });

  it('GIVEN the Simulator registered WHEN registering it again THEN the duplicate is refused', () => {
    const registry = new ExtensionRegistry();
    registerSimulator(registry, new SimulatorState());
    expect(() => registerSimulator(registry, new SimulatorState())).toThrow(DuplicateExtensionError);
  });
});

describe('registerNetworkServices', () => {
  it('GIVEN an empty registry WHEN the built-in providers register THEN DHCP, DNS and EIP of both, and SNAT and port forwarding of the virtual router, have backends', () => {
    const registry = new ExtensionRegistry();
    registerNetworkServices(registry);
    const registered = PROVIDER_TYPES.flatMap((p) => SERVICES_BY_PROVIDER_TYPE[p].filter((s) => registry.hasServiceBackend(p, s)).map((s) => `${p}/${s}`));
    expect(registered).toEqual(['VirtualRouter/DHCP', 'VirtualRouter/DNS', 'VirtualRouter/SNAT', 'VirtualRouter/EIP', 'VirtualRouter/PortForwarding', 'Flat/DHCP', 'Flat/DNS', 'Flat/EIP']);
  });
});
