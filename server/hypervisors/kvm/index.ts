/**
 * The KVM hypervisor: Linux hosts driven with iproute2 through a host agent (hosts/agent/).
 * registerKvm adds its L2 realizers (NoVlan, Vlan, Vxlan), the pre-instantiate extension
 * (VXLAN on demand), the VM backend, the host reconciler and the network service realizer
 * (dnsmasq and nftables in the appliances' namespaces).
 */
import { L2_TYPES } from '../../../topology/model';
import { DEFAULT_KVM_AGENT_PORT } from '../../config';
import type { ExtensionRegistry } from '../../extension/registry';
import { AgentExecutor, DEFAULT_AGENT_TIMEOUT_MS } from './agent-client';
import type { TlsIdentity } from '../../../lib/tls-identity';
import {
  KvmHostReconciler,
  KvmHosts,
  KvmL2Realizer,
  KvmNetworkServiceRealizer,
  KvmPreVmInstantiateExtension,
  KvmVmInstanceBackend,
  type HostExecutorFactory,
} from './backends';
import type { CommandExecutor } from '../../../hosts/linux/commands';
import { describeHost, type HostRef } from './errors';

export * from './backends';
export * from '../../../hosts/linux/commands';
export * from './errors';

export { DEFAULT_KVM_AGENT_PORT };

export interface KvmPluginOptions {
  /** Agent port on every KVM host (default DEFAULT_KVM_AGENT_PORT). */
  agentPort?: number;
  /** The server's certificate, which agents pin; without it every KVM operation fails, saying so. */
  identity?: Pick<TlsIdentity, 'keyPem' | 'certPem'>;
  agentTimeoutMs?: number;
  /** Replaces the agent transport (tests: recording or local executors). */
  executorFor?: HostExecutorFactory;
}

/** An executor whose every plan fails with `message` (a host that can't be reached as configured). */
function unreachable(description: string, message: string): CommandExecutor {
  return { description, run: () => Promise.reject(new Error(message)) };
}

/** The default transport: the agent at https://<managementIp>:<agentPort>, pinned to the host's agentFingerprint. */
export function agentExecutorFactory(options: KvmPluginOptions): HostExecutorFactory {
  const port = options.agentPort ?? DEFAULT_KVM_AGENT_PORT;
  return (host: HostRef): CommandExecutor => {
    const description = describeHost(host);
    if (!options.identity) return unreachable(description, `cannot reach the KVM agent of ${description}: the server has no agent client identity`);
    if (!host.agentFingerprint) {
      return unreachable(description, `cannot reach the KVM agent of ${description}: the host has no agentFingerprint (the fingerprint \`netforge agent\` prints); set it on the host`);
    }
    return new AgentExecutor({
      host: host.managementIp,
      port,
      agentFingerprint: host.agentFingerprint,
      identity: options.identity,
      description,
      timeoutMs: options.agentTimeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
    });
  };
}

export function registerKvm(registry: ExtensionRegistry, options: KvmPluginOptions = {}): KvmHosts {
  const hosts = new KvmHosts(options.executorFor ?? agentExecutorFactory(options));
  for (const type of L2_TYPES) registry.registerL2Realizer(new KvmL2Realizer(hosts, type));
  registry.registerPreVmInstantiate(new KvmPreVmInstantiateExtension(hosts));
  registry.registerVmBackend(new KvmVmInstanceBackend(hosts));
  registry.registerHostReconciler(new KvmHostReconciler(hosts));
  registry.registerServiceRealizer(new KvmNetworkServiceRealizer(hosts));
  return hosts;
}
