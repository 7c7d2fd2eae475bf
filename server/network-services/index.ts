/** The built-in providers' network service backends (VirtualRouter, Flat), registered with the server's extensions. */
import type { ExtensionRegistry } from '../extension/registry';
import { BUILTIN_SERVICE_BACKENDS } from './backends';

export { flatDhcpEndpoint, flatEipEndpoint, virtualRouterEndpoint, type FlatEip, type NetworkOf } from './endpoints';
export * from './ids';

export function registerNetworkServices(registry: ExtensionRegistry): void {
  for (const backend of BUILTIN_SERVICE_BACKENDS) registry.registerServiceBackend(backend);
}
