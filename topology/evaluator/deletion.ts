/**
 * What blocks deleting each object type: which dependents are looked up (the rules'
 * messages are in topology/rules/deletion.ts). Only complete views (the server) can say
 * nothing depends on an object.
 */
import {
  checkClusterDelete,
  checkHostDelete,
  checkIpsInUse,
  checkL2Delete,
  checkL2Detach,
  checkL2DetachEips,
  checkL2DetachRouters,
  checkProviderInUse,
  checkSecurityGroupDelete,
  checkServiceDetach,
  checkVipDelete,
  checkVmNicsInUse,
  checkZoneDelete,
} from '../rules/deletion';
import type { ObjectType } from '../model';
import { FLAT_DHCP_IP_OWNER_PREFIX } from '../rules/allocation';
import type { Violation } from '../violation';
import { getObject, type Known, type TopologyView } from './view';

/** The EIPs with a VIP on one of `l3s` whose VM runs on one of `hosts` and whose network gets EIP from the Flat provider. */
function flatEipsHeldIn(view: TopologyView, l3s: ReadonlySet<string>, hosts: readonly string[]): Known<'eip'>[] {
  const vips = view.find({ type: 'vip', where: { l3NetworkUuid: [...l3s] } }).map((v) => v.uuid);
  if (vips.length === 0) return [];
  const onHosts = new Set(view.find({ type: 'vmInstance', where: { hostUuid: [...hosts] } }).map((vm) => vm.uuid));
  return view.find({ type: 'eip', where: { vipUuid: vips }, orderBy: ['name'] }).filter((e) => {
    if (!e.vmInstanceUuid || !onHosts.has(e.vmInstanceUuid) || !e.l3NetworkUuid) return false;
    const serving = view.find({ type: 'networkServiceAttachment', where: { l3NetworkUuid: e.l3NetworkUuid } }).find((a) => a.services?.includes('EIP'));
    return getObject(view, 'networkServiceProvider', serving?.providerUuid)?.type === 'Flat';
  });
}

const named = (o: { readonly uuid: string; readonly name?: string }) => ({ uuid: o.uuid, name: o.name ?? o.uuid });

type DeletionCheck<T extends ObjectType> = (view: TopologyView, subject: Known<T>) => Violation[];

export const DELETION: { readonly [T in ObjectType]: DeletionCheck<T> } = {
  zone: (view, zone) =>
    checkZoneDelete(
      named(zone),
      view.find({ type: 'cluster', where: { zoneUuid: zone.uuid } }).map(named),
      view.find({ type: 'l2Network', where: { zoneUuid: zone.uuid } }).map(named),
    ),
  cluster: (view, cluster) =>
    checkClusterDelete(
      named(cluster),
      view.find({ type: 'host', where: { clusterUuid: cluster.uuid } }).map(named),
      view.find({ type: 'l2ClusterAttachment', where: { clusterUuid: cluster.uuid } }).map((a) => ({ uuid: a.uuid, l2NetworkUuid: a.l2NetworkUuid ?? '' })),
    ),
  host: (view, host) =>
    checkHostDelete(
      named(host),
      view.find({ type: 'vmInstance', where: { hostUuid: host.uuid } }).map(named),
      view.find({ type: 'virtualRouter', where: { hostUuid: host.uuid } }).map(routerRef),
    ),
  l2Network: (view, l2) =>
    checkL2Delete(
      named(l2),
      view.find({ type: 'l3Network', where: { l2NetworkUuid: l2.uuid } }).map(named),
      view.find({ type: 'l2ClusterAttachment', where: { l2NetworkUuid: l2.uuid } }).map((a) => ({ uuid: a.uuid, clusterUuid: a.clusterUuid ?? '' })),
    ),
  // Detaching: refused while VMs or virtual routers with NICs on the L2's L3 networks run in the cluster.
  l2ClusterAttachment: (view, attachment) => {
    const l2 = getObject(view, 'l2Network', attachment.l2NetworkUuid);
    const cluster = getObject(view, 'cluster', attachment.clusterUuid);
    if (!l2 || !cluster) return [];
    const hosts = view.find({ type: 'host', where: { clusterUuid: cluster.uuid } }).map((h) => h.uuid);
    const l3s = new Set(view.find({ type: 'l3Network', where: { l2NetworkUuid: l2.uuid } }).map((l) => l.uuid));
    if (hosts.length === 0 || l3s.size === 0) return [];
    const vms = view.find({ type: 'vmInstance', where: { hostUuid: hosts }, orderBy: ['name'] }).filter((vm) => (vm.l3NetworkUuids ?? []).some((u) => l3s.has(u)));
    const routers = view
      .find({ type: 'virtualRouter', where: { hostUuid: hosts }, orderBy: ['name'] })
      .filter((r) => (r.l3NetworkUuid && l3s.has(r.l3NetworkUuid)) || (r.publicL3NetworkUuid && l3s.has(r.publicL3NetworkUuid)));
    return [
      ...checkL2Detach(named(l2), named(cluster), vms.map(named)),
      ...checkL2DetachRouters(named(l2), named(cluster), routers.map(routerRef)),
      ...checkL2DetachEips(named(l2), named(cluster), flatEipsHeldIn(view, l3s, hosts).map(named)),
    ];
  },
  // Its own flat DHCP server's address goes with its service attachments.
  l3Network: (view, l3) =>
    checkIpsInUse(
      { type: 'L3Network', ...named(l3) },
      view
        .find({ type: 'ipAddress', where: { l3NetworkUuid: l3.uuid }, orderBy: ['ip'] })
        .filter((a) => a.usedFor !== `${FLAT_DHCP_IP_OWNER_PREFIX}${l3.uuid}`)
        .map(allocation),
    ),
  ipRange: (view, range) =>
    checkIpsInUse({ type: 'IpRange', ...named(range) }, view.find({ type: 'ipAddress', where: { ipRangeUuid: range.uuid }, orderBy: ['ip'] }).map(allocation)),
  networkServiceProvider: (view, provider) =>
    checkProviderInUse(named(provider), view.find({ type: 'networkServiceAttachment', where: { providerUuid: provider.uuid } }).map(servedL3)),
  // Its EIP, PortForwarding or SecurityGroup service can't go while objects of that kind rely on it on the L3.
  networkServiceAttachment: (view, attachment) => {
    const l3 = attachment.l3NetworkUuid;
    const services = attachment.services ?? [];
    if (!l3) return [];
    const dependents = [
      ...(services.includes('EIP') ? view.find({ type: 'eip', where: { l3NetworkUuid: l3 } }).map((e) => ({ service: 'EIP', type: 'Eip', ...named(e) })) : []),
      ...(services.includes('PortForwarding')
        ? view.find({ type: 'portForwardingRule', where: { l3NetworkUuid: l3 } }).map((f) => ({ service: 'PortForwarding', type: 'PortForwardingRule', ...named(f) }))
        : []),
      ...(services.includes('SecurityGroup')
        ? view.find({ type: 'securityGroupAttachment', where: { l3NetworkUuid: l3 } }).map((m) => ({ service: 'SecurityGroup', type: 'SecurityGroupAttachment', uuid: m.uuid, name: m.uuid }))
        : []),
    ];
    return checkServiceDetach(l3, dependents);
  },
  vmInstance: (view, vm) =>
    checkVmNicsInUse(named(vm), [
      ...view.find({ type: 'eip', where: { vmInstanceUuid: vm.uuid }, orderBy: ['name'] }).map((e) => ({ type: 'Eip' as const, ...named(e) })),
      ...view.find({ type: 'portForwardingRule', where: { vmInstanceUuid: vm.uuid }, orderBy: ['name'] }).map((f) => ({ type: 'PortForwardingRule' as const, ...named(f) })),
      ...view.find({ type: 'securityGroupAttachment', where: { vmInstanceUuid: vm.uuid } }).map((a) => ({ type: 'SecurityGroupAttachment' as const, uuid: a.uuid })),
    ]),
  // An address held by a VM's NIC is refused by the allocation service, which knows NICs.
  ipAddress: () => [],
  // Not deleted through the API: it goes with its network's VirtualRouter services.
  virtualRouter: () => [],
  vip: (view, vip) =>
    checkVipDelete(
      named(vip),
      view.find({ type: 'eip', where: { vipUuid: vip.uuid }, orderBy: ['name'] }).map(named),
      view.find({ type: 'portForwardingRule', where: { vipUuid: vip.uuid }, orderBy: ['name'] }).map(named),
    ),
  eip: () => [],
  portForwardingRule: () => [],
  securityGroup: (view, group) =>
    checkSecurityGroupDelete(
      named(group),
      view.find({ type: 'securityGroupRule', where: { securityGroupUuid: group.uuid } }),
      view.find({ type: 'securityGroupAttachment', where: { securityGroupUuid: group.uuid } }).map((a) => ({ uuid: a.uuid, vmInstanceUuid: a.vmInstanceUuid ?? '' })),
      view
        .find({ type: 'securityGroupRule', where: { remoteSecurityGroupUuid: group.uuid } })
        .filter((r) => r.securityGroupUuid !== group.uuid)
        .map((r) => ({ uuid: r.uuid, securityGroupUuid: r.securityGroupUuid ?? '' })),
    ),
  securityGroupRule: () => [],
  securityGroupAttachment: () => [],
};

function routerRef(r: Known<'virtualRouter'>): { uuid: string; name: string; l3NetworkUuid: string } {
  return { ...named(r), l3NetworkUuid: r.l3NetworkUuid ?? '' };
}

function servedL3(a: Known<'networkServiceAttachment'>): { uuid: string; l3NetworkUuid: string } {
  return { uuid: a.uuid, l3NetworkUuid: a.l3NetworkUuid ?? '' };
}

function allocation(a: Known<'ipAddress'>): { ip: string; usedFor: string | null } {
  return { ip: a.ip ?? '', usedFor: a.usedFor ?? null };
}

/** Taking a provider off an L2 network: refused while it serves L3 networks on it. */
export function disassociationBlockers(view: TopologyView, provider: Known<'networkServiceProvider'>, l2NetworkUuid: string): Violation[] {
  const l3s = view.find({ type: 'l3Network', where: { l2NetworkUuid } }).map((l) => l.uuid);
  const serving = l3s.length === 0 ? [] : view.find({ type: 'networkServiceAttachment', where: { providerUuid: provider.uuid, l3NetworkUuid: l3s } });
  return checkProviderInUse(named(provider), serving.map(servedL3), true);
}
