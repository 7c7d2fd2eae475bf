/**
 * Security groups on hosts: each host filters the NICs of its VMs that are members of a
 * group, on L3 networks with the SecurityGroup service. A NIC's filter is computed from all
 * of its groups' rules; a rule naming a remote group allows that group's member addresses,
 * so a membership change reaches every NIC whose groups name it. A change to groups, rules
 * or members is wrapped like network service changes:
 *
 *   const firewalls = await beginFirewallChange(op);   // what every host filters now
 *   ... the change's own writes ...
 *   await firewalls.finish();                          // hosts whose filter changed get the new one
 *
 * A host failure puts back the hosts already changed and throws a 409 naming the host.
 */
import { vmNicDeviceName } from '../../hosts/linux/device-names';
import * as M from '../db/models';
import type { FirewallGroup, FirewallRule, HostFirewall, HostTarget } from '../extension/points';
import type { Op } from './context';
import { applyFirewall } from './host-effects';
import { hostInventory } from './inventory';
import { flatDhcpAddress } from './service-plane';

/** A host that filters nothing. */
export const EMPTY_FIREWALL: HostFirewall = { groups: [], nics: [], ports: [] };

/** What every host with VMs on networks with security groups filters, by host uuid. */
export async function hostFirewalls(op: Op): Promise<Map<string, { target: HostTarget; firewall: HostFirewall }>> {
  const out = new Map<string, { target: HostTarget; firewall: HostFirewall }>();
  const withService = new Set(
    (await M.NetworkServiceAttachmentRow.findAll({ transaction: op.tx })).filter((a) => a.services.includes('SecurityGroup')).map((a) => a.l3NetworkUuid),
  );
  if (withService.size === 0) return out;
  const members = await M.SecurityGroupAttachmentRow.findAll({ transaction: op.tx });
  const entryOf = async (hostUuid: string) => {
    let host = out.get(hostUuid);
    if (!host) {
      const row = await M.HostRow.findByPk(hostUuid, { transaction: op.tx });
      const cluster = row ? await M.ClusterRow.findByPk(row.clusterUuid, { transaction: op.tx }) : null;
      if (!row || !cluster) return null;
      host = { target: { host: hostInventory(row), hypervisorType: cluster.hypervisorType }, firewall: { groups: [], nics: [], ports: [] } };
      out.set(hostUuid, host);
    }
    return host;
  };
  const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: [...new Set(members.map((m) => m.vmInstanceUuid))] }, transaction: op.tx });
  // Indexes, built once: every security group write and VM change on such networks recomputes this.
  const nicByVmAndL3 = new Map(nics.map((n) => [`${n.vmInstanceUuid}/${n.l3NetworkUuid}`, n]));
  const nicOf = (m: M.SecurityGroupAttachmentRow) => nicByVmAndL3.get(`${m.vmInstanceUuid}/${m.l3NetworkUuid}`);
  const rules = await M.SecurityGroupRuleRow.findAll({ order: [['createdAt', 'ASC'], ['uuid', 'ASC']], transaction: op.tx });
  // A group's peers: its members' addresses, in order (computed once per group).
  const addressesByGroup = new Map<string, Set<string>>();
  for (const m of members) {
    const nic = nicOf(m);
    if (!nic || !withService.has(m.l3NetworkUuid)) continue;
    addressesByGroup.set(m.securityGroupUuid, (addressesByGroup.get(m.securityGroupUuid) ?? new Set<string>()).add(nic.ip));
  }
  const sortedAddresses = new Map([...addressesByGroup].map(([g, ips]) => [g, [...ips].sort()]));
  const addressesOf = (groupUuid: string) => sortedAddresses.get(groupUuid) ?? [];
  const asRule = (r: M.SecurityGroupRuleRow): FirewallRule => ({
    protocol: r.protocol,
    portStart: r.portStart ?? null,
    portEnd: r.portStart === null || r.portStart === undefined ? null : (r.portEnd ?? r.portStart),
    peers: r.remoteSecurityGroupUuid ? addressesOf(r.remoteSecurityGroupUuid) : r.remoteCidr ? [r.remoteCidr] : null,
  });
  // Each filtered NIC once, with all its groups.
  const filtered = new Map<string, { nic: M.VmNicRow; groups: Set<string> }>();
  for (const m of members) {
    const nic = nicOf(m);
    if (!nic || !withService.has(m.l3NetworkUuid)) continue;
    const entry = filtered.get(nic.uuid) ?? { nic, groups: new Set<string>() };
    entry.groups.add(m.securityGroupUuid);
    filtered.set(nic.uuid, entry);
  }
  const rulesByGroup = new Map<string, M.SecurityGroupRuleRow[]>();
  for (const r of rules) rulesByGroup.set(r.securityGroupUuid, [...(rulesByGroup.get(r.securityGroupUuid) ?? []), r]);
  // A group's chains are the same on every host: built once.
  const groups = new Map<string, FirewallGroup>();
  const groupOf = (uuid: string): FirewallGroup => {
    let group = groups.get(uuid);
    if (!group) {
      const own = rulesByGroup.get(uuid) ?? [];
      group = { uuid, ingress: own.filter((r) => r.direction === 'Ingress').map(asRule), egress: own.filter((r) => r.direction === 'Egress').map(asRule) };
      groups.set(uuid, group);
    }
    return group;
  };
  const vms = new Map((await M.VmInstanceRow.findAll({ where: { uuid: [...new Set([...filtered.values()].map((f) => f.nic.vmInstanceUuid))] }, transaction: op.tx })).map((v) => [v.uuid, v]));
  // Where each L3's DHCP answers come from: its running router's gateway address, or its flat DHCP server.
  const dhcpServers = new Map<string, string | null>();
  const dhcpServerOf = async (l3Uuid: string): Promise<string | null> => {
    if (!dhcpServers.has(l3Uuid)) {
      const router = await M.VirtualRouterRow.findOne({ where: { l3NetworkUuid: l3Uuid, state: 'Running' }, transaction: op.tx });
      dhcpServers.set(l3Uuid, router?.guestIp ?? (await flatDhcpAddress(l3Uuid, op))?.ip ?? null);
    }
    return dhcpServers.get(l3Uuid)!;
  };
  for (const { nic, groups } of [...filtered.values()].sort((a, b) => a.nic.ip.localeCompare(b.nic.ip))) {
    const vm = vms.get(nic.vmInstanceUuid);
    if (!vm) continue;
    const host = await entryOf(vm.hostUuid);
    if (!host) continue;
    const sorted = [...groups].sort();
    for (const g of sorted) if (!host.firewall.groups.some((x) => x.uuid === g)) host.firewall.groups.push(groupOf(g));
    host.firewall.nics.push({ vmUuid: vm.uuid, ip: nic.ip, groups: sorted, dhcpServer: await dhcpServerOf(nic.l3NetworkUuid) });
  }
  for (const { firewall } of out.values()) firewall.groups.sort((a, b) => a.uuid.localeCompare(b.uuid));
  // Every VM NIC on a network with security groups is guarded, member or not, on its host.
  const guarded = await M.VmNicRow.findAll({ where: { l3NetworkUuid: [...withService] }, order: [['ip', 'ASC']], transaction: op.tx });
  const hostOfVm = new Map((await M.VmInstanceRow.findAll({ attributes: ['uuid', 'hostUuid'], where: { uuid: [...new Set(guarded.map((n) => n.vmInstanceUuid))] }, transaction: op.tx })).map((v) => [v.uuid, v.hostUuid]));
  for (const n of guarded) {
    const host = await entryOf(hostOfVm.get(n.vmInstanceUuid) ?? '');
    host?.firewall.ports.push({ port: vmNicDeviceName(n.uuid), mac: n.mac.toLowerCase(), ip: n.ip });
  }
  return out;
}

export class FirewallChange {
  constructor(
    private readonly op: Op,
    private readonly before: Map<string, { target: HostTarget; firewall: HostFirewall }>,
  ) {}

  async finish(): Promise<void> {
    const op = this.op;
    const after = await hostFirewalls(op);
    if (op.dryRun) return;
    const done: Array<{ target: HostTarget; previous: HostFirewall }> = [];
    try {
      // A host is put back too when it fails part way (a split ruleset half loaded).
      for (const hostUuid of [...new Set([...this.before.keys(), ...after.keys()])].sort()) {
        const prev = this.before.get(hostUuid);
        const next = after.get(hostUuid);
        const target = (next ?? prev)!.target;
        const firewall = next?.firewall ?? EMPTY_FIREWALL;
        const previous = prev?.firewall ?? EMPTY_FIREWALL;
        if (JSON.stringify(firewall) === JSON.stringify(previous) || target.host.state !== 'Connected') continue;
        done.push({ target, previous });
        await applyFirewall(target, firewall, op);
      }
    } catch (err) {
      for (const d of done.reverse()) {
        await applyFirewall(d.target, d.previous, op).catch((e: unknown) => op.parts.log.warn({ err: e }, 'could not put back a host firewall'));
      }
      throw err;
    }
  }
}

export async function beginFirewallChange(op: Op): Promise<FirewallChange> {
  return new FirewallChange(op, await hostFirewalls(op));
}

/** The filter one host should have (a reconnecting host gets it again). */
export async function hostFirewallOf(hostUuid: string, op: Op): Promise<HostFirewall> {
  return (await hostFirewalls(op)).get(hostUuid)?.firewall ?? EMPTY_FIREWALL;
}

/** A firewall change for a change to VMs with NICs on `l3Uuids`, when one of them has security groups (their ports are guarded); else null. */
export async function firewallChangeFor(op: Op, l3Uuids: readonly string[]): Promise<FirewallChange | null> {
  const attachments = await M.NetworkServiceAttachmentRow.findAll({ where: { l3NetworkUuid: [...new Set(l3Uuids)] }, transaction: op.tx });
  return attachments.some((a) => a.services.includes('SecurityGroup')) ? beginFirewallChange(op) : null;
}
