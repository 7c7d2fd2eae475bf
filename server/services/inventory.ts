/** Rows to API inventories (the shapes in topology/model.ts). */
import type {
  AllocatedIp,
  Cluster,
  Host,
  IpRange,
  L2ClusterAttachment,
  L2Network,
  L3Network,
  NetworkServiceAttachment,
  NetworkServiceProvider,
  Eip,
  PortForwardingRule,
  SecurityGroup,
  SecurityGroupAttachment,
  SecurityGroupRule,
  Vip,
  VirtualRouter,
  VmInstance,
  VmNic,
  Zone,
} from '../../topology/model';
import { parseCidr } from '../../topology/ip';
import type * as M from '../db/models';

const iso = (d: Date) => new Date(d).toISOString();
const times = (r: { createdAt: Date; updatedAt: Date }) => ({ createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) });

export function zoneInventory(r: M.ZoneRow): Zone {
  return { uuid: r.uuid, name: r.name, description: r.description, ...times(r) };
}
export function clusterInventory(r: M.ClusterRow): Cluster {
  return { uuid: r.uuid, name: r.name, zoneUuid: r.zoneUuid, hypervisorType: r.hypervisorType, description: r.description, ...times(r) };
}
export function hostInventory(r: M.HostRow): Host {
  return {
    uuid: r.uuid,
    name: r.name,
    clusterUuid: r.clusterUuid,
    managementIp: r.managementIp,
    agentFingerprint: r.agentFingerprint ?? null,
    state: r.state,
    description: r.description,
    ...times(r),
  };
}
export function l2Inventory(r: M.L2NetworkRow, attachedClusterUuids: string[]): L2Network {
  return {
    uuid: r.uuid,
    name: r.name,
    zoneUuid: r.zoneUuid,
    type: r.type,
    physicalInterface: r.physicalInterface,
    vlan: r.vlan ?? null,
    vni: r.vni ?? null,
    description: r.description,
    attachedClusterUuids: [...attachedClusterUuids].sort(),
    ...times(r),
  };
}
export function attachmentInventory(r: M.L2ClusterAttachmentRow): L2ClusterAttachment {
  return { uuid: r.uuid, l2NetworkUuid: r.l2NetworkUuid, clusterUuid: r.clusterUuid, createdAt: iso(r.createdAt) };
}
export function l3Inventory(r: M.L3NetworkRow): L3Network {
  return {
    uuid: r.uuid,
    name: r.name,
    l2NetworkUuid: r.l2NetworkUuid,
    ipVersion: Number(r.ipVersion) === 6 ? 6 : 4,
    cidr: r.cidr,
    gateway: r.gateway,
    dnsServers: r.dnsServers ?? [],
    dnsDomain: r.dnsDomain ?? null,
    hostRoutes: r.hostRoutes ?? [],
    mtu: r.mtu,
    description: r.description,
    ...times(r),
  };
}
export function ipRangeInventory(r: M.IpRangeRow, l3: Pick<L3Network, 'cidr' | 'gateway'>): IpRange {
  return {
    uuid: r.uuid,
    name: r.name,
    l3NetworkUuid: r.l3NetworkUuid,
    startIp: r.startIp,
    endIp: r.endIp,
    netmask: parseCidr(l3.cidr)?.netmask ?? '',
    gateway: l3.gateway,
    ...times(r),
  };
}
export function providerInventory(r: M.NetworkServiceProviderRow, l2Uuids: string[]): NetworkServiceProvider {
  return { uuid: r.uuid, name: r.name, type: r.type, serviceTypes: r.serviceTypes, attachedL2NetworkUuids: [...l2Uuids].sort(), ...times(r) };
}
export function serviceAttachmentInventory(r: M.NetworkServiceAttachmentRow): NetworkServiceAttachment {
  const pending = r.services.flatMap((service) => {
    const reason = r.pendingServices?.[service];
    return reason === undefined ? [] : [{ service, reason }];
  });
  return {
    uuid: r.uuid,
    l3NetworkUuid: r.l3NetworkUuid,
    providerUuid: r.providerUuid,
    services: r.services,
    publicL3NetworkUuid: r.publicL3NetworkUuid ?? null,
    state: pending.length > 0 ? 'Pending' : 'Applied',
    pendingServices: pending,
    createdAt: iso(r.createdAt),
  };
}
export function nicInventory(r: M.VmNicRow): VmNic {
  return { uuid: r.uuid, l3NetworkUuid: r.l3NetworkUuid, ip: r.ip, mac: r.mac, deviceName: r.deviceName };
}
export function vmInventory(r: M.VmInstanceRow, nics: M.VmNicRow[]): VmInstance {
  const sorted = [...nics].sort((a, b) => a.deviceIndex - b.deviceIndex);
  return {
    uuid: r.uuid,
    name: r.name,
    hostname: r.hostname,
    hostUuid: r.hostUuid,
    l3NetworkUuids: sorted.map((n) => n.l3NetworkUuid),
    state: r.state,
    nics: sorted.map(nicInventory),
    ...times(r),
  };
}
export function allocatedIpInventory(r: M.AllocatedIpRow): AllocatedIp {
  return { uuid: r.uuid, l3NetworkUuid: r.l3NetworkUuid, ipRangeUuid: r.ipRangeUuid, ip: r.ip, usedFor: r.usedFor ?? null, createdAt: iso(r.createdAt) };
}
export function virtualRouterInventory(r: M.VirtualRouterRow): VirtualRouter {
  return {
    uuid: r.uuid,
    name: r.name,
    l3NetworkUuid: r.l3NetworkUuid,
    publicL3NetworkUuid: r.publicL3NetworkUuid,
    hostUuid: r.hostUuid ?? null,
    guestIp: r.guestIp,
    guestMac: r.guestMac,
    publicIp: r.publicIp ?? null,
    publicMac: r.publicMac,
    state: r.state,
    pendingReason: r.pendingReason ?? null,
    ...times(r),
  };
}
export function vipInventory(r: M.VipRow): Vip {
  return { uuid: r.uuid, name: r.name, description: r.description, l3NetworkUuid: r.l3NetworkUuid, ip: r.ip, useFor: r.useFor ?? null, ...times(r) };
}
export function eipInventory(r: M.EipRow): Eip {
  return {
    uuid: r.uuid,
    name: r.name,
    description: r.description,
    vipUuid: r.vipUuid,
    vmInstanceUuid: r.vmInstanceUuid,
    l3NetworkUuid: r.l3NetworkUuid,
    vipIp: r.vipIp,
    guestIp: r.guestIp,
    ...times(r),
  };
}
export function portForwardingInventory(r: M.PortForwardingRuleRow): PortForwardingRule {
  return {
    uuid: r.uuid,
    name: r.name,
    description: r.description,
    vipUuid: r.vipUuid,
    protocol: r.protocol,
    vipPortStart: r.vipPortStart,
    vipPortEnd: r.vipPortEnd,
    vmInstanceUuid: r.vmInstanceUuid,
    l3NetworkUuid: r.l3NetworkUuid,
    guestPortStart: r.guestPortStart,
    guestPortEnd: r.guestPortEnd,
    allowedCidr: r.allowedCidr ?? null,
    vipIp: r.vipIp,
    guestIp: r.guestIp,
    ...times(r),
  };
}
export function securityGroupInventory(r: M.SecurityGroupRow): SecurityGroup {
  return { uuid: r.uuid, name: r.name, description: r.description, ...times(r) };
}
export function securityGroupRuleInventory(r: M.SecurityGroupRuleRow): SecurityGroupRule {
  return {
    uuid: r.uuid,
    securityGroupUuid: r.securityGroupUuid,
    direction: r.direction,
    protocol: r.protocol,
    portStart: r.portStart ?? null,
    portEnd: r.portEnd ?? null,
    remoteCidr: r.remoteCidr ?? null,
    remoteSecurityGroupUuid: r.remoteSecurityGroupUuid ?? null,
    description: r.description,
    createdAt: iso(r.createdAt),
  };
}
export function securityGroupAttachmentInventory(r: M.SecurityGroupAttachmentRow): SecurityGroupAttachment {
  return { uuid: r.uuid, securityGroupUuid: r.securityGroupUuid, vmInstanceUuid: r.vmInstanceUuid, l3NetworkUuid: r.l3NetworkUuid, createdAt: iso(r.createdAt) };
}
