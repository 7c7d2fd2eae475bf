/** The Simulator hypervisor: in-memory hosts behind every extension point. */
import { L2_TYPES } from '../../../topology/model';
import type { ExtensionRegistry } from '../../extension/registry';
import {
  SimulatorHostReconciler,
  SimulatorL2Realizer,
  SimulatorNetworkServiceRealizer,
  SimulatorPreVmInstantiateExtension,
  SimulatorVmInstanceBackend,
} from './backends';
import type { SimulatorState } from './state';

export * from './backends';
export * from './state';

/**
 * Registers the Simulator's implementations of every hypervisor extension point: the
 * three L2 realizers, the pre-instantiate extension, the VM backend, the host reconciler
 * and the network service realizer.
 */
export function registerSimulator(registry: ExtensionRegistry, state: SimulatorState): void {
  for (const type of L2_TYPES) registry.registerL2Realizer(new SimulatorL2Realizer(state, type));
  registry.registerPreVmInstantiate(new SimulatorPreVmInstantiateExtension(state));
  registry.registerVmBackend(new SimulatorVmInstanceBackend(state));
  registry.registerHostReconciler(new SimulatorHostReconciler(state));
  registry.registerServiceRealizer(new SimulatorNetworkServiceRealizer(state));
}
