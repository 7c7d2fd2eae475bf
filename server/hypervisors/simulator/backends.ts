/**
 * The Simulator's implementations of every extension point, for hypervisorType
 * 'Simulator'. Each is a thin adapter over SimulatorState, which holds the hosts.
 */
import type { Host, L2Network, L2Type } from '../../../topology/model';
import type {
  DesiredHostState,
  HostReconcileExtensionPoint,
  L2NetworkRealizationExtensionPoint,
  HostFirewall,
  NetworkServiceRealizer,
  PreVmInstantiateResourceExtensionPoint,
  ServiceEndpoint,
  Realization,
  VmInstanceBackend,
  VmInstantiateSpec,
} from '../../extension/points';
import type { SimulatorState } from './state';

export const SIMULATOR_HYPERVISOR_TYPE = 'Simulator' as const;

/**
 * Realizes one L2 type on simulated hosts, one instance per type: check the interface,
 * create/delete the devices KVM would (bridge br_<iface>; VLAN device <iface>.<vlan> in
 * br_<iface>_<vlan>; vxlan<vni> in br_vx_<vni>).
 */
export class SimulatorL2Realizer implements L2NetworkRealizationExtensionPoint {
  readonly hypervisorType = SIMULATOR_HYPERVISOR_TYPE;

  constructor(
    protected readonly state: SimulatorState,
    readonly l2Type: L2Type,
  ) {}

  async check(l2: L2Network, host: Host): Promise<void> {
    this.assertType(l2);
    await this.state.checkL2(host, l2);
  }

  async realize(l2: L2Network, host: Host): Promise<Realization> {
    this.assertType(l2);
    return { created: await this.state.realizeL2(host, l2) };
  }

  async undo(l2: L2Network, host: Host, realization: Realization): Promise<void> {
    this.assertType(l2);
    await this.state.undoL2(host, l2, realization.created);
  }

  async delete(l2: L2Network, host: Host): Promise<void> {
    this.assertType(l2);
    await this.state.deleteL2(host, l2);
  }

  private assertType(l2: L2Network): void {
    if (l2.type !== this.l2Type) {
      throw new Error(`the Simulator realizer of ${this.l2Type} got L2 network '${l2.name}' (${l2.uuid}) of type ${l2.type}`);
    }
  }
}

/** Realizes, on the destination host, the L2 networks a VM's NICs need (VXLAN on demand). */
export class SimulatorPreVmInstantiateExtension implements PreVmInstantiateResourceExtensionPoint {
  readonly hypervisorType = SIMULATOR_HYPERVISOR_TYPE;
  constructor(private readonly state: SimulatorState) {}

  preInstantiate(spec: VmInstantiateSpec): Promise<void> {
    return this.state.preInstantiate(spec);
  }

  releaseOnFailure(spec: VmInstantiateSpec): Promise<void> {
    return this.state.releaseOnFailure(spec);
  }
}

/** Plugs VM NICs (vnic<hash>) into their L2's bridge, and unplugs them. */
export class SimulatorVmInstanceBackend implements VmInstanceBackend {
  readonly hypervisorType = SIMULATOR_HYPERVISOR_TYPE;
  constructor(private readonly state: SimulatorState) {}

  async start(spec: VmInstantiateSpec): Promise<Realization> {
    return { created: await this.state.startVm(spec) };
  }

  destroy(spec: VmInstantiateSpec): Promise<void> {
    return this.state.destroyVm(spec);
  }
}

/** Drops the simulated host's devices that no desired L2 network or VM explains. */
export class SimulatorHostReconciler implements HostReconcileExtensionPoint {
  readonly hypervisorType = SIMULATOR_HYPERVISOR_TYPE;
  constructor(private readonly state: SimulatorState) {}

  removeOrphans(host: Host, desired: DesiredHostState): Promise<string[]> {
    const l2s = new Set([...desired.l2s.map((l2) => l2.uuid), ...desired.vms.flatMap((vm) => vm.nics.map((n) => n.l2.uuid))]);
    return this.state.removeOrphans(host, l2s, new Set(desired.vms.map((vm) => vm.vmUuid)), new Set(desired.services.map((e) => e.key)));
  }
}

/** Records on the simulated host what each service endpoint serves (leases, records, NAT rules). */
export class SimulatorNetworkServiceRealizer implements NetworkServiceRealizer {
  readonly hypervisorType = SIMULATOR_HYPERVISOR_TYPE;
  constructor(private readonly state: SimulatorState) {}

  apply(host: Host, endpoint: ServiceEndpoint): Promise<void> {
    return this.state.applyEndpoint(host, endpoint);
  }

  remove(host: Host, endpoint: ServiceEndpoint): Promise<void> {
    return this.state.removeEndpoint(host, endpoint);
  }

  applyFirewall(host: Host, firewall: HostFirewall): Promise<void> {
    return this.state.applyFirewall(host, firewall);
  }
}
