/**
 * The KVM hypervisor: Linux hosts driven with iproute2 through a host agent (agent.ts).
 * registerKvm adds its L2 realizers (NoVlan, Vlan, Vxlan), the pre-instantiate extension
 * (VXLAN on demand) and the VM backend; network service backends are keyed without a
 * hypervisor type and stay with the Simulator for now.
 */
import { DEFAULT_KVM_AGENT_PORT } from '../../config';
import type { ExtensionRegistry } from '../../extension/registry';
import { AgentExecutor, DEFAULT_AGENT_TIMEOUT_MS } from './agent-client';
import {
  KvmHosts,
  KvmL2NoVlanRealizer,
  KvmL2VlanRealizer,
  KvmL2VxlanRealizer,
  KvmPreVmInstantiateExtension,
  KvmVmInstanceBackend,
  type HostExecutorFactory,
} from './backends';
import type { CommandExecutor } from './commands';
import { describeHost, type HostRef } from './errors';

export * from './backends';
export * from './commands';
export * from './errors';

export { DEFAULT_KVM_AGENT_PORT };

export interface KvmPluginOptions {
  /** Agent port on every KVM host (default DEFAULT_KVM_AGENT_PORT). */
  agentPort?: number;
  /** Bearer token the agents expect; without it every KVM operation fails, saying so. */
  agentToken?: string;
  agentTimeoutMs?: number;
  /** Replaces the agent transport (tests: recording or local executors). */
  executorFor?: HostExecutorFactory;
}

/** The default transport: the agent at http://<managementIp>:<agentPort>. */
export function agentExecutorFactory(options: KvmPluginOptions): HostExecutorFactory {
  const port = options.agentPort ?? DEFAULT_KVM_AGENT_PORT;
  return (host: HostRef): CommandExecutor => {
    const description = describeHost(host);
    if (!options.agentToken) {
      return {
        description,
        run: () =>
          Promise.reject(
            new Error(`cannot reach the KVM agent of ${description}: no agent token is configured on the server (NETFORGE_KVM_AGENT_TOKEN)`),
          ),
      };
    }
    const ip = host.managementIp.includes(':') ? `[${host.managementIp}]` : host.managementIp;
    return new AgentExecutor({
      baseUrl: `http://${ip}:${port}`,
      token: options.agentToken,
      description,
      timeoutMs: options.agentTimeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
    });
  };
}

export function registerKvm(registry: ExtensionRegistry, options: KvmPluginOptions = {}): KvmHosts {
  const hosts = new KvmHosts(options.executorFor ?? agentExecutorFactory(options));
  registry.registerL2Realizer(new KvmL2NoVlanRealizer(hosts));
  registry.registerL2Realizer(new KvmL2VlanRealizer(hosts));
  registry.registerL2Realizer(new KvmL2VxlanRealizer(hosts));
  registry.registerPreVmInstantiate(new KvmPreVmInstantiateExtension(hosts));
  registry.registerVmBackend(new KvmVmInstanceBackend(hosts));
  return hosts;
}
