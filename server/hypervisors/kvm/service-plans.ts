/**
 * Command plans for network service endpoints on KVM hosts. The endpoint's appliance (a
 * router, a flat DHCP server) is a VM namespace started by the VM backend; these plans
 * configure what runs in it and around it, all through the agent's whitelist:
 *
 *   router      sysctl net.ipv4.ip_forward=1 and its nftables table (forwarding, SNAT) in
 *               its namespace
 *   flat DHCP   a bridge-family nftables table on the host keeping its port off the uplink
 *   flat EIP    the router's NAT in its namespace, and a bridge-family table on the host
 *               steering the VM's off-subnet frames to it (service-rules.ts)
 *   DHCP/DNS    dnsmasq in the namespace, from a configuration sent as data
 *               (`netforge dnsmasq-sync <ns> <json>`); stopped when neither is served
 *
 * Applying the same endpoint twice changes nothing on the host (nft tables are replaced
 * whole, dnsmasq's files only rewritten when they differ).
 */
import { l2DeviceNames } from '../../../hosts/linux/device-names';
import { cmd, probe, type CommandPlan, type HostCommand } from '../../../hosts/linux/commands';
import { vmNetnsName } from '../../../hosts/linux/names';
import { builtin } from '../../../hosts/services/builtins';
import { DnsmasqConfig } from '../../../hosts/services/dnsmasq-config';
import {
  FIREWALL_GROUP_CHAIN,
  firewallRuleset,
  portGuardRuleset,
  ISOLATION_TABLE_PATTERN,
  isolationRuleset,
  isolationTableName,
  removeIsolation,
  removeSteering,
  routerRuleset,
  routerVips,
  STEERING_TABLE_PATTERN,
  steeringRuleset,
  steeringTableName,
} from '../../../hosts/services/service-rules';
import { MAX_NFT_JSON_LENGTH, netforgeTables, removeTable, splitBatch } from '../../../hosts/services/nft';
import type { HostFirewall, ServiceEndpoint } from '../../extension/points';
import { KvmInvalidInputError } from './errors';

/** The dnsmasq configuration of an endpoint, checked like the agent checks it; null when it serves neither DHCP nor DNS. */
export function dnsmasqConfigOf(endpoint: ServiceEndpoint): DnsmasqConfig | null {
  if (!endpoint.dhcp && !endpoint.dns) return null;
  const candidate = {
    interface: endpoint.serveInterface,
    dhcp: endpoint.dhcp
      ? {
          subnet: endpoint.dhcp.subnet,
          hosts: endpoint.dhcp.hosts.map((h) => ({ mac: h.mac.toLowerCase(), ip: h.ip, hostname: h.hostname })),
          router: endpoint.dhcp.router,
          dnsServers: endpoint.dhcp.dnsServers,
          domain: endpoint.dhcp.domain,
          classlessRoutes: endpoint.dhcp.classlessRoutes,
          mtu: endpoint.dhcp.mtu,
        }
      : null,
    dns: endpoint.dns ? { domain: endpoint.dns.domain, records: endpoint.dns.records, forwarders: endpoint.dns.forwarders } : null,
  };
  const parsed = DnsmasqConfig.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KvmInvalidInputError(`${endpoint.key}: its DHCP/DNS configuration is invalid at ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The device of the L2 that connects its bridge to the wire on a host (what flat DHCP is kept from). */
export function uplinkOf(endpoint: ServiceEndpoint): string | null {
  if (!endpoint.isolation) return null;
  const names = l2DeviceNames(endpoint.isolation.l2);
  return names.vlanDevice ?? names.vxlanDevice ?? endpoint.isolation.l2.physicalInterface;
}

/** What makes the host run `endpoint` (its appliance's namespace exists). */
export function planEndpointApply(endpoint: ServiceEndpoint): CommandPlan {
  const ns = vmNetnsName(endpoint.appliance.vmUuid);
  const plan: HostCommand[] = [];
  if (endpoint.routing) {
    plan.push(cmd('ip', 'netns', 'exec', ns, 'sysctl', '-w', 'net.ipv4.ip_forward=1'));
    // Many EIPs or forwarding rules don't fit one argv string: the rules follow the chains (forward drops meanwhile).
    for (const piece of splitBatch(routerRuleset(endpoint.routing), MAX_NFT_JSON_LENGTH, () => true)) plan.push(cmd('ip', 'netns', 'exec', ns, 'nft', '-j', JSON.stringify(piece)));
  }
  const uplink = uplinkOf(endpoint);
  if (endpoint.isolation && uplink) plan.push(cmd('nft', '-j', JSON.stringify(isolationRuleset(endpoint.isolation.port, uplink))));
  // After the NAT: the VM's traffic reaches the namespace once it can forward it.
  if (endpoint.steering) plan.push(cmd('nft', '-j', JSON.stringify(steeringRuleset(endpoint.steering))));
  const config = dnsmasqConfigOf(endpoint);
  plan.push(config ? cmd(...builtin('dnsmasq-sync', ns, JSON.stringify(config))) : cmd(...builtin('dnsmasq-stop', ns)));
  return plan;
}

/**
 * A router's VIPs on its public NIC: added where missing, removed where no EIP or port
 * forwarding rule needs them any more (`present`: the NIC's addresses now).
 */
export function planVipSync(endpoint: ServiceEndpoint, present: readonly string[]): CommandPlan {
  if (!endpoint.routing) return [];
  const ns = vmNetnsName(endpoint.appliance.vmUuid);
  const own = endpoint.appliance.nics.map((n) => n.nic.ip);
  const wanted = routerVips(endpoint.routing);
  const prefix = endpoint.routing.publicPrefix;
  const dev = endpoint.routing.publicInterface;
  return [
    ...wanted.filter((v) => !present.includes(v)).map((v) => cmd('ip', '-n', ns, 'addr', 'add', `${v}/${prefix}`, 'dev', dev)),
    ...present.filter((a) => !wanted.includes(a) && !own.includes(a)).map((a) => cmd('ip', '-n', ns, 'addr', 'del', `${a}/${prefix}`, 'dev', dev)),
  ];
}

/** The host's security group filter: bridged traffic through the inet hooks, and the table (none: removed). */
export function planFirewall(firewall: HostFirewall): CommandPlan {
  const batch = firewallRuleset(firewall.groups, firewall.nics);
  // One argv string per piece (MAX_ARG_STRLEN): large groups are loaded after the members' chains.
  const pieces = splitBatch(batch, MAX_NFT_JSON_LENGTH, (chain) => FIREWALL_GROUP_CHAIN.test(chain)).map((b) => cmd('nft', '-j', JSON.stringify(b)));
  // The port guard first: no member sends as another while the filter changes.
  const guard = splitBatch(portGuardRuleset(firewall.ports), MAX_NFT_JSON_LENGTH, () => true).map((b) => cmd('nft', '-j', JSON.stringify(b)));
  return firewall.nics.length > 0 || firewall.ports.length > 0 ? [cmd('sysctl', '-w', 'net.bridge.bridge-nf-call-iptables=1'), ...guard, ...pieces] : [...pieces, ...guard];
}

/** What removes `endpoint` from the host; commands in its namespace only while that exists. */
export function planEndpointRemove(endpoint: ServiceEndpoint, namespaceExists: boolean): CommandPlan {
  const ns = vmNetnsName(endpoint.appliance.vmUuid);
  const plan: HostCommand[] = [];
  if (namespaceExists) plan.push(cmd(...builtin('dnsmasq-stop', ns)));
  if (endpoint.isolation) plan.push(cmd('nft', '-j', JSON.stringify(removeIsolation(endpoint.isolation.port))));
  if (endpoint.steering) plan.push(cmd('nft', '-j', JSON.stringify(removeSteering(endpoint.steering.port))));
  return plan;
}

/** The host's netforge nftables tables (a probe: none when nft is missing). */
export function tablesPlan(): CommandPlan {
  return [probe('nft', '-j', 'list', 'tables')];
}

/** The host's flat DHCP isolation and flat EIP steering tables that no desired endpoint explains. */
export function orphanEndpointTables(listOutput: string, desired: readonly ServiceEndpoint[]): string[] {
  const wanted = new Set(desired.flatMap((e) => [...(e.isolation ? [isolationTableName(e.isolation.port)] : []), ...(e.steering ? [steeringTableName(e.steering.port)] : [])]));
  return netforgeTables(listOutput)
    .filter((t) => t.family === 'bridge' && (ISOLATION_TABLE_PATTERN.test(t.name) || STEERING_TABLE_PATTERN.test(t.name)) && !wanted.has(t.name))
    .map((t) => t.name);
}

export function planTableRemove(name: string): CommandPlan {
  return [cmd('nft', '-j', JSON.stringify(removeTable('bridge', name)))];
}
