/**
 * What blocks a delete (topology-rules.md 7, 14 and the ZStack cascade rules): an object
 * can't go while others depend on it. Each check names every blocker, so the user learns
 * what to remove first. Messages name the objects; `conflicting` points at each blocker.
 */
import { describeObject, violation, type Violation } from '../violation';

interface Named {
  uuid: string;
  name: string;
}

export function checkZoneDelete(zone: Named, clusters: readonly Named[], l2s: readonly Named[]): Violation[] {
  return [
    ...clusters.map((c) =>
      violation('ZONE_IN_USE', 'uuid', `zone '${zone.name}' still has cluster '${c.name}' (${c.uuid}); delete it first`, { type: 'Cluster', uuid: c.uuid, name: c.name }),
    ),
    ...l2s.map((l) =>
      violation('ZONE_IN_USE', 'uuid', `zone '${zone.name}' still has L2 network '${l.name}' (${l.uuid}); delete it first`, { type: 'L2Network', uuid: l.uuid, name: l.name }),
    ),
  ];
}

export function checkClusterDelete(cluster: Named, hosts: readonly Named[], attachments: ReadonlyArray<{ uuid: string; l2NetworkUuid: string }>): Violation[] {
  const ref = `cluster '${cluster.name}'`;
  return [
    ...hosts.map((h) => violation('CLUSTER_IN_USE', 'uuid', `${ref} still has host '${h.name}' (${h.uuid}); delete it first`, { type: 'Host', uuid: h.uuid, name: h.name })),
    ...attachments.map((a) =>
      violation('CLUSTER_IN_USE', 'uuid', `${ref} still has L2 network ${a.l2NetworkUuid} attached; detach it first`, { type: 'L2ClusterAttachment', uuid: a.uuid }),
    ),
  ];
}

export function checkHostDelete(host: Named, vms: readonly Named[], routers: ReadonlyArray<Named & { l3NetworkUuid: string }> = []): Violation[] {
  return [
    ...vms.map((vm) =>
      violation('HOST_IN_USE', 'uuid', `host '${host.name}' still runs VM '${vm.name}' (${vm.uuid}); delete it first`, { type: 'VmInstance', uuid: vm.uuid, name: vm.name }),
    ),
    ...routers.map((r) =>
      violation(
        'HOST_IN_USE',
        'uuid',
        `host '${host.name}' still runs virtual router '${r.name}' (${r.uuid}) of L3 network ${r.l3NetworkUuid}; detach its VirtualRouter services first`,
        { type: 'VirtualRouter', uuid: r.uuid, name: r.name },
      ),
    ),
  ];
}

function l2Ref(l2: Named) {
  return { type: 'L2Network', uuid: l2.uuid, name: l2.name };
}

/** Rule 7: an L2 with L3 networks, or attached to clusters, can't be deleted; say what to remove first. */
export function checkL2Delete(l2: Named, l3s: readonly Named[], attachments: ReadonlyArray<{ uuid: string; clusterUuid: string }> = []): Violation[] {
  return [
    ...l3s.map((l3) =>
      violation('L2_IN_USE', 'uuid', `${describeObject(l2Ref(l2))} still has ${describeObject({ type: 'L3Network', ...l3 })}; delete it first`, {
        type: 'L3Network',
        uuid: l3.uuid,
        name: l3.name,
      }),
    ),
    ...attachments.map((a) =>
      violation('L2_ATTACHED', 'uuid', `L2 network '${l2.name}' is still attached to cluster ${a.clusterUuid} (attachment ${a.uuid}); detach it first`, {
        type: 'L2ClusterAttachment',
        uuid: a.uuid,
      }),
    ),
  ];
}

/** Rule 7: detaching is refused while VMs on its L3s run in that cluster. */
export function checkL2Detach(l2: Named, cluster: Named, vmsInCluster: readonly Named[]): Violation[] {
  return vmsInCluster.map((vm) =>
    violation(
      'L2_IN_USE_BY_VMS',
      'clusterUuid',
      `${describeObject({ type: 'VmInstance', ...vm })} uses ${describeObject(l2Ref(l2))} in ${describeObject({ type: 'Cluster', ...cluster })}; delete or move it first`,
      { type: 'VmInstance', uuid: vm.uuid, name: vm.name },
    ),
  );
}

/** Detaching is refused while a virtual router with a NIC on one of the L2's L3 networks runs in that cluster. */
export function checkL2DetachRouters(l2: Named, cluster: Named, routersInCluster: ReadonlyArray<Named & { l3NetworkUuid: string }>): Violation[] {
  return routersInCluster.map((r) =>
    violation(
      'L2_IN_USE_BY_ROUTER',
      'clusterUuid',
      `virtual router '${r.name}' (${r.uuid}) of L3 network ${r.l3NetworkUuid} runs in ${describeObject({ type: 'Cluster', ...cluster })} with a NIC on ${describeObject(l2Ref(l2))}; detach its VirtualRouter services first`,
      { type: 'VirtualRouter', uuid: r.uuid, name: r.name },
    ),
  );
}

/** Detaching is refused while a Flat EIP of a VM in that cluster holds its VIP on one of the L2's L3 networks (its namespace sits on the VM's host). */
export function checkL2DetachEips(l2: Named, cluster: Named, eipsInCluster: readonly Named[]): Violation[] {
  return eipsInCluster.map((e) =>
    violation(
      'L2_IN_USE_BY_EIP',
      'clusterUuid',
      `${describeObject({ type: 'Eip', ...e })} holds its VIP on ${describeObject(l2Ref(l2))} on the host of its VM in ${describeObject({ type: 'Cluster', ...cluster })}; delete the EIP first`,
      { type: 'Eip', uuid: e.uuid, name: e.name },
    ),
  );
}

/** Rule 14: an IP range or L3 with allocated addresses can't be deleted; name them. */
export function checkIpsInUse(
  object: { type: 'IpRange' | 'L3Network'; uuid: string; name: string },
  allocated: ReadonlyArray<{ ip: string; usedFor: string | null }>,
): Violation[] {
  if (allocated.length === 0) return [];
  const shown = allocated.slice(0, 10).map((a) => (a.usedFor ? `${a.ip} (${a.usedFor})` : a.ip));
  const more = allocated.length > shown.length ? ` and ${allocated.length - shown.length} more` : '';
  return [
    violation(
      object.type === 'IpRange' ? 'IP_RANGE_IN_USE' : 'L3_IN_USE',
      'uuid',
      `${describeObject(object)} has ${allocated.length} allocated IP address(es): ${shown.join(', ')}${more}; release them first`,
    ),
  ];
}

/** A provider serving L3 networks can't be deleted (path 'uuid') or leave their L2 (path 'l2NetworkUuid'). */
export function checkProviderInUse(provider: Named, attachments: ReadonlyArray<{ uuid: string; l3NetworkUuid: string }>, onL2 = false): Violation[] {
  return attachments.map((a) =>
    violation(
      'PROVIDER_IN_USE',
      onL2 ? 'l2NetworkUuid' : 'uuid',
      onL2
        ? `provider '${provider.name}' still serves L3 network ${a.l3NetworkUuid} on this L2 (attachment ${a.uuid})`
        : `provider '${provider.name}' still serves L3 network ${a.l3NetworkUuid} (attachment ${a.uuid}); detach it first`,
      { type: 'NetworkServiceAttachment', uuid: a.uuid },
    ),
  );
}

/** An address the server allocated goes with what holds it (a VM's NIC, a virtual router, a flat DHCP server), not on its own. */
export function checkIpRelease(ip: string, holder: { type: 'VmInstance' | 'VirtualRouter' | 'L3Network' | 'Vip'; uuid: string } | null): Violation[] {
  if (!holder) return [];
  if (holder.type === 'Vip') return [violation('IP_IN_USE_BY_SERVICE', 'uuid', `${ip} is the address of VIP ${holder.uuid}; delete the VIP instead`, holder)];
  if (holder.type === 'VmInstance') {
    return [violation('IP_IN_USE_BY_VM', 'uuid', `${ip} belongs to a NIC of VM ${holder.uuid}; delete the VM instead`, { type: 'VmInstance', uuid: holder.uuid })];
  }
  const what =
    holder.type === 'VirtualRouter'
      ? `${ip} is the public address of virtual router ${holder.uuid}; detach its VirtualRouter services instead`
      : `${ip} is the flat DHCP server address of L3 network ${holder.uuid}; detach its Flat DHCP and DNS services instead`;
  return [violation('IP_IN_USE_BY_SERVICE', 'uuid', what, holder)];
}

/** A VIP can't go while an EIP or port forwarding rules use it. */
export function checkVipDelete(vip: Named, eips: readonly Named[], forwardings: readonly Named[]): Violation[] {
  const ref = `VIP '${vip.name}'`;
  return [
    ...eips.map((e) => violation('VIP_IN_USE', 'uuid', `${ref} still serves EIP '${e.name}' (${e.uuid}); delete it first`, { type: 'Eip', uuid: e.uuid, name: e.name })),
    ...forwardings.map((f) =>
      violation('VIP_IN_USE', 'uuid', `${ref} still serves port forwarding rule '${f.name}' (${f.uuid}); delete it first`, { type: 'PortForwardingRule', uuid: f.uuid, name: f.name }),
    ),
  ];
}

/** A security group can't go while it has rules or members, or other groups' rules name it as their peers. */
export function checkSecurityGroupDelete(group: Named, rules: readonly { uuid: string }[], members: readonly { uuid: string; vmInstanceUuid: string }[], referrers: readonly { uuid: string; securityGroupUuid: string }[]): Violation[] {
  const ref = `security group '${group.name}'`;
  return [
    ...rules.map((r) => violation('SECURITY_GROUP_IN_USE', 'uuid', `${ref} still has rule ${r.uuid}; delete it first`, { type: 'SecurityGroupRule', uuid: r.uuid })),
    ...members.map((m) =>
      violation('SECURITY_GROUP_IN_USE', 'uuid', `${ref} still has a NIC of VM ${m.vmInstanceUuid} as member (${m.uuid}); detach it first`, { type: 'SecurityGroupAttachment', uuid: m.uuid }),
    ),
    ...referrers.map((r) =>
      violation('SECURITY_GROUP_IN_USE', 'uuid', `rule ${r.uuid} of security group ${r.securityGroupUuid} names ${ref} as its peers; delete it first`, { type: 'SecurityGroupRule', uuid: r.uuid }),
    ),
  ];
}

/** A VM can't go while EIPs, port forwarding rules or security group memberships name its NICs. */
export function checkVmNicsInUse(vm: Named, dependents: ReadonlyArray<{ type: 'Eip' | 'PortForwardingRule' | 'SecurityGroupAttachment'; uuid: string; name?: string }>): Violation[] {
  const what = { Eip: 'EIP', PortForwardingRule: 'port forwarding rule', SecurityGroupAttachment: 'security group membership' } as const;
  return dependents.map((d) =>
    violation('NIC_IN_USE', 'uuid', `VM '${vm.name}' still has ${what[d.type]} ${d.name ? `'${d.name}' ` : ''}(${d.uuid}) on its NICs; delete it first`, { type: d.type, uuid: d.uuid, ...(d.name ? { name: d.name } : {}) }),
  );
}

/** Detaching EIP, PortForwarding or SecurityGroup from an L3 while objects of that kind use it there: name them. */
export function checkServiceDetach(l3NetworkUuid: string, dependents: ReadonlyArray<{ service: string; type: string; uuid: string; name: string }>): Violation[] {
  return dependents.map((d) =>
    violation('SERVICE_IN_USE', 'uuid', `${d.service} on L3 network ${l3NetworkUuid} still serves ${d.type} '${d.name}' (${d.uuid}); delete it first`, { type: d.type, uuid: d.uuid, name: d.name }),
  );
}
