/**
 * What each object type's requests look like: the create and update inputs are inferred
 * from the request schemas (schemas.ts); the object types themselves and their inventories
 * are the topology's (topology/model.ts). A type missing here is a compile error wherever
 * its input is used.
 */
import type { Inventory, ObjectType } from '../topology/model';
import type * as S from './schemas';

interface Requests {
  zone: { create: S.CreateZoneInput; update: S.UpdateZoneInput };
  cluster: { create: S.CreateClusterInput; update: S.UpdateClusterInput };
  host: { create: S.CreateHostInput; update: S.UpdateHostInput };
  l2Network: { create: S.CreateL2NetworkInput; update: S.UpdateL2NetworkInput };
  l2ClusterAttachment: { create: S.CreateL2ClusterAttachmentInput; update: null };
  l3Network: { create: S.CreateL3NetworkInput; update: S.UpdateL3NetworkInput };
  ipRange: { create: S.CreateIpRangeInput; update: S.UpdateIpRangeInput };
  networkServiceProvider: { create: S.CreateProviderInput; update: null };
  networkServiceAttachment: { create: S.CreateServiceAttachmentInput; update: null };
  vmInstance: { create: S.CreateVmInstanceInput; update: S.UpdateVmInstanceInput };
  ipAddress: { create: S.AllocateIpInput; update: null };
  /** Made and removed by the server with a network's VirtualRouter services: read-only. */
  virtualRouter: { create: null; update: null };
  vip: { create: S.CreateVipInput; update: S.UpdateVipInput };
  eip: { create: S.CreateEipInput; update: S.UpdateEipInput };
  portForwardingRule: { create: S.CreatePortForwardingRuleInput; update: S.UpdatePortForwardingRuleInput };
  securityGroup: { create: S.CreateSecurityGroupInput; update: S.UpdateSecurityGroupInput };
  securityGroupRule: { create: S.CreateSecurityGroupRuleInput; update: null };
  securityGroupAttachment: { create: S.CreateSecurityGroupAttachmentInput; update: null };
}

/** null for types the server makes itself (read-only through the API). */
export type CreateInput<T extends ObjectType> = Requests[T]['create'];
/** null for types that are replaced, never updated in place. */
export type UpdateInput<T extends ObjectType> = Requests[T]['update'];
export type { Inventory, ObjectType };
