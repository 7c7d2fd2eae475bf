/** The Simulator hypervisor: in-memory hosts behind every extension point. */
import { L2_TYPES, PROVIDER_TYPES, SERVICES_BY_PROVIDER_TYPE } from '../../../topology/model';
import type { ExtensionRegistry } from '../../extension/registry';
import {
  SimulatorHostReconciler,
  SimulatorL2Realizer,
  SimulatorNetworkServiceBackend,
  SimulatorPreVmInstantiateExtension,
  SimulatorVmInstanceBackend,
} from './backends';
import type { SimulatorState } from './state';

export * from './backends';
export * from './state';

export interface RegisterSimulatorOptions {
  /**
   * Also register a network service backend for each (provider type, service type) in
   * SERVICES_BY_PROVIDER_TYPE. Those keys carry no hypervisor type, so pass false when
   * another plugin provides the real service backends. Default true.
   */
  networkServices?: boolean;
}

/**
 * Registers the Simulator's implementations of every extension point: the three L2
 * realizers, the pre-instantiate extension, the VM backend and (unless disabled) the
 * network service backends.
 */
export function registerSimulator(registry: ExtensionRegistry, state: SimulatorState, options: RegisterSimulatorOptions = {}): void {
  for (const type of L2_TYPES) registry.registerL2Realizer(new SimulatorL2Realizer(state, type));
  registry.registerPreVmInstantiate(new SimulatorPreVmInstantiateExtension(state));
  registry.registerVmBackend(new SimulatorVmInstanceBackend(state));
  registry.registerHostReconciler(new SimulatorHostReconciler(state));
  if (options.networkServices === false) return;
  for (const providerType of PROVIDER_TYPES) {
    for (const serviceType of SERVICES_BY_PROVIDER_TYPE[providerType]) {
      registry.registerServiceBackend(new SimulatorNetworkServiceBackend(state, providerType, serviceType));
    }
  }
}
