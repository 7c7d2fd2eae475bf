/**
 * Request body schemas (zod) of every object type: types and shapes only. Topology rules
 * (VLAN bounds, CIDR math, names) are checked by the shared rules module so that
 * constructs, provider and server report them alike. Objects are strict: unknown fields
 * are refused. The server validates requests with these, the OpenAPI document is generated
 * from them, and services take the types inferred from them.
 */
import {
  HOST_STATES,
  HYPERVISOR_TYPES,
  L2_TYPES,
  PORT_FORWARDING_PROTOCOLS,
  PROVIDER_TYPES,
  SECURITY_GROUP_DIRECTIONS,
  SECURITY_GROUP_PROTOCOLS,
  SERVICE_TYPES,
} from '../topology/model';
import { SERVER_OWNER_PREFIXES } from '../topology/rules/allocation';
import { z } from './zod';

export { FLAT_DHCP_IP_OWNER_PREFIX, ROUTER_IP_OWNER_PREFIX, VIP_IP_OWNER_PREFIX, VM_NIC_OWNER_PREFIX } from '../topology/rules/allocation';

const name = z.string().max(1024).openapi({ description: '1-128 characters: letters, digits, spaces and . _ : @ ( ) / + , -; starts and ends with a letter or digit' });
const description = z.string().max(4096).optional();
const uuid = z.string().max(64);
const ip = z.string().max(64);
const int = z.number().int();

export const CreateZone = z.strictObject({ name, description }).openapi('CreateZone');
export const UpdateZone = z.strictObject({ name: name.optional(), description }).openapi('UpdateZone');

export const CreateCluster = z
  .strictObject({ name, zoneUuid: uuid, hypervisorType: z.enum(HYPERVISOR_TYPES), description })
  .openapi('CreateCluster');
export const UpdateCluster = z.strictObject({ name: name.optional(), description }).openapi('UpdateCluster');

const agentFingerprint = z
  .string()
  .max(80)
  .nullable()
  .optional()
  .openapi({ description: 'KVM hosts: sha256:<64 hex> of the agent certificate (`netforge agent` prints it); the server talks only to that agent' });
export const CreateHost = z
  .strictObject({ name, clusterUuid: uuid, managementIp: ip, agentFingerprint, description, state: z.enum(HOST_STATES).optional() })
  .openapi('CreateHost');
export const UpdateHost = z
  .strictObject({ name: name.optional(), description, agentFingerprint, state: z.enum(HOST_STATES).optional() })
  .openapi('UpdateHost');

export const CreateL2Network = z
  .strictObject({
    name,
    zoneUuid: uuid,
    type: z.enum(L2_TYPES),
    physicalInterface: z.string().max(1024),
    vlan: int.nullable().optional(),
    vni: int.nullable().optional(),
    description,
  })
  .openapi('CreateL2Network');
export const UpdateL2Network = z.strictObject({ name: name.optional(), description }).openapi('UpdateL2Network');

export const CreateL2ClusterAttachment = z.strictObject({ l2NetworkUuid: uuid, clusterUuid: uuid }).openapi('CreateL2ClusterAttachment');

const HostRoute = z.strictObject({ prefix: z.string().max(64), nextHop: ip });
export const CreateL3Network = z
  .strictObject({
    name,
    l2NetworkUuid: uuid,
    cidr: z.string().max(64),
    gateway: ip.optional().openapi({ description: 'Defaults to the first usable address of the CIDR' }),
    dnsServers: z.array(ip).max(64).optional(),
    dnsDomain: z.string().max(1024).nullable().optional(),
    hostRoutes: z.array(HostRoute).max(256).optional(),
    mtu: int.optional().openapi({ description: 'Defaults to 1450 on VXLAN networks and 1500 elsewhere' }),
    description,
  })
  .openapi('CreateL3Network');
export const UpdateL3Network = z
  .strictObject({
    name: name.optional(),
    dnsServers: z.array(ip).max(64).optional(),
    dnsDomain: z.string().max(1024).nullable().optional(),
    hostRoutes: z.array(HostRoute).max(256).optional(),
    mtu: int.optional(),
    description,
  })
  .openapi('UpdateL3Network');

export const CreateIpRange = z.strictObject({ name, l3NetworkUuid: uuid, startIp: ip, endIp: ip }).openapi('CreateIpRange');
export const UpdateIpRange = z.strictObject({ name: name.optional() }).openapi('UpdateIpRange');

export const CreateProvider = z.strictObject({ name, type: z.enum(PROVIDER_TYPES) }).openapi('CreateNetworkServiceProvider');
export const ProviderL2Association = z.strictObject({ l2NetworkUuid: uuid }).openapi('ProviderL2Association');

export const CreateServiceAttachment = z
  .strictObject({
    l3NetworkUuid: uuid,
    providerUuid: uuid,
    services: z.array(z.enum(SERVICE_TYPES)).max(16),
    publicL3NetworkUuid: uuid.nullable().optional().openapi({ description: 'VirtualRouter (required): the L3 network the router has its public NIC on' }),
  })
  .openapi('CreateNetworkServiceAttachment');

export const CreateVmInstance = z
  .strictObject({
    name,
    l3NetworkUuids: z.array(uuid).min(1).max(16),
    hostUuid: uuid.optional(),
    hostname: z.string().max(255).optional().openapi({ description: 'DNS name on its L3 networks (one lower-case label); defaults to the name made one' }),
  })
  .openapi('CreateVmInstance');
export const UpdateVmInstance = z.strictObject({ name: name.optional(), hostname: z.string().max(255).optional() }).openapi('UpdateVmInstance');

export const AllocateIp = z
  .strictObject({
    l3NetworkUuid: uuid,
    ip: ip.optional(),
    usedFor: z
      .string()
      .max(255)
      .refine((v) => !SERVER_OWNER_PREFIXES.some((p) => v.startsWith(p)), {
        message: `the prefixes ${SERVER_OWNER_PREFIXES.join(', ')} are reserved for addresses the server allocates (VM NICs, virtual routers, DHCP servers)`,
      })
      .optional(),
  })
  .openapi('AllocateIp');

export const CreateVip = z
  .strictObject({ name, l3NetworkUuid: uuid, ip: ip.optional().openapi({ description: 'The address; default the next free one of the L3 network' }), description })
  .openapi('CreateVip');
export const UpdateVip = z.strictObject({ name: name.optional(), description }).openapi('UpdateVip');

const nicL3 = uuid.optional().openapi({ description: "The L3 network of the VM's NIC; default the VM's first NIC" });
export const CreateEip = z.strictObject({ name, vipUuid: uuid, vmInstanceUuid: uuid, l3NetworkUuid: nicL3, description }).openapi('CreateEip');
export const UpdateEip = z.strictObject({ name: name.optional(), description }).openapi('UpdateEip');

export const CreatePortForwardingRule = z
  .strictObject({
    name,
    vipUuid: uuid,
    protocol: z.enum(PORT_FORWARDING_PROTOCOLS),
    vipPortStart: int,
    vipPortEnd: int.optional().openapi({ description: 'Default vipPortStart' }),
    vmInstanceUuid: uuid,
    l3NetworkUuid: nicL3,
    guestPortStart: int.optional().openapi({ description: 'Default vipPortStart' }),
    guestPortEnd: int.optional().openapi({ description: 'Default guestPortStart plus the VIP range length' }),
    allowedCidr: z.string().max(64).nullable().optional().openapi({ description: 'Only sources in this IPv4 CIDR; default any' }),
    description,
  })
  .openapi('CreatePortForwardingRule');
export const UpdatePortForwardingRule = z.strictObject({ name: name.optional(), description }).openapi('UpdatePortForwardingRule');

export const CreateSecurityGroup = z.strictObject({ name, description }).openapi('CreateSecurityGroup');
export const UpdateSecurityGroup = z.strictObject({ name: name.optional(), description }).openapi('UpdateSecurityGroup');

export const CreateSecurityGroupRule = z
  .strictObject({
    securityGroupUuid: uuid,
    direction: z.enum(SECURITY_GROUP_DIRECTIONS),
    protocol: z.enum(SECURITY_GROUP_PROTOCOLS),
    portStart: int.nullable().optional().openapi({ description: 'TCP/UDP: first port; default every port' }),
    portEnd: int.nullable().optional().openapi({ description: 'TCP/UDP: last port; default portStart' }),
    remoteCidr: z.string().max(64).nullable().optional().openapi({ description: 'IPv4 CIDR of the peers; neither this nor remoteSecurityGroupUuid: anywhere' }),
    remoteSecurityGroupUuid: uuid.nullable().optional().openapi({ description: 'The peers are the NICs of this group' }),
    description,
  })
  .openapi('CreateSecurityGroupRule');

export const CreateSecurityGroupAttachment = z
  .strictObject({ securityGroupUuid: uuid, vmInstanceUuid: uuid, l3NetworkUuid: nicL3 })
  .openapi('CreateSecurityGroupAttachment');

export type CreateVipInput = z.infer<typeof CreateVip>;
export type UpdateVipInput = z.infer<typeof UpdateVip>;
export type CreateEipInput = z.infer<typeof CreateEip>;
export type UpdateEipInput = z.infer<typeof UpdateEip>;
export type CreatePortForwardingRuleInput = z.infer<typeof CreatePortForwardingRule>;
export type UpdatePortForwardingRuleInput = z.infer<typeof UpdatePortForwardingRule>;
export type CreateSecurityGroupInput = z.infer<typeof CreateSecurityGroup>;
export type UpdateSecurityGroupInput = z.infer<typeof UpdateSecurityGroup>;
export type CreateSecurityGroupRuleInput = z.infer<typeof CreateSecurityGroupRule>;
export type CreateSecurityGroupAttachmentInput = z.infer<typeof CreateSecurityGroupAttachment>;
export type CreateZoneInput = z.infer<typeof CreateZone>;
export type UpdateZoneInput = z.infer<typeof UpdateZone>;
export type CreateClusterInput = z.infer<typeof CreateCluster>;
export type UpdateClusterInput = z.infer<typeof UpdateCluster>;
export type CreateHostInput = z.infer<typeof CreateHost>;
export type UpdateHostInput = z.infer<typeof UpdateHost>;
export type CreateL2NetworkInput = z.infer<typeof CreateL2Network>;
export type UpdateL2NetworkInput = z.infer<typeof UpdateL2Network>;
export type CreateL2ClusterAttachmentInput = z.infer<typeof CreateL2ClusterAttachment>;
export type CreateL3NetworkInput = z.infer<typeof CreateL3Network>;
export type UpdateL3NetworkInput = z.infer<typeof UpdateL3Network>;
export type CreateIpRangeInput = z.infer<typeof CreateIpRange>;
export type UpdateIpRangeInput = z.infer<typeof UpdateIpRange>;
export type CreateProviderInput = z.infer<typeof CreateProvider>;
export type CreateServiceAttachmentInput = z.infer<typeof CreateServiceAttachment>;
export type CreateVmInstanceInput = z.infer<typeof CreateVmInstance>;
export type UpdateVmInstanceInput = z.infer<typeof UpdateVmInstance>;
export type AllocateIpInput = z.infer<typeof AllocateIp>;
