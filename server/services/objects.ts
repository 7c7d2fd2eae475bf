/**
 * What the API does to each object type: create, update (null: the type is replaced, never
 * updated in place), delete; reading is the same for all (listing.ts). The routes
 * (api/routes/objects.ts) and the dry run (validate.ts) both come through createObject,
 * updateObject and deleteObject, so POST /v1/validate runs exactly the code the real request
 * would. A type missing from SERVICES is a compile error.
 */
import { OBJECTS, type CreateInput, type Inventory, type ObjectType, type UpdateInput } from '../../contract';
import { rootField } from '../../topology/violation';
import { ApiError, throwIfViolations } from '../errors';
import { createCluster, deleteCluster, updateCluster } from './clusters';
import type { Op } from './context';
import { createHost, deleteHost, updateHost } from './hosts';
import { allocateIp, releaseIp } from './ip-addresses';
import { createIpRange, deleteIpRange, updateIpRange } from './ip-ranges';
import { attachL2ToCluster, detachL2FromCluster } from './l2-attachments';
import { createL2Network, deleteL2Network, updateL2Network } from './l2-networks';
import { createL3Network, deleteL3Network, updateL3Network } from './l3-networks';
import { getObject } from './listing';
import { createProvider, deleteProvider } from './providers';
import { attachServices, detachServices } from './service-attachments';
import { createVmInstance, deleteVmInstance, updateVmInstance } from './vm-instances';
import { createEip, createPortForwardingRule, deleteEip, deletePortForwardingRule, updateEip, updatePortForwardingRule } from './eips';
import { attachSecurityGroup, createSecurityGroup, createSecurityGroupRule, deleteSecurityGroup, deleteSecurityGroupRule, detachSecurityGroup, updateSecurityGroup } from './security-groups';
import { createVip, deleteVip, updateVip } from './vips';
import { createZone, deleteZone, updateZone } from './zones';

export type UpdateFn<T extends ObjectType> = (uuid: string, input: NonNullable<UpdateInput<T>>, op: Op) => Promise<{ uuid: string }>;

export type CreateFn<T extends ObjectType> = (input: NonNullable<CreateInput<T>>, op: Op) => Promise<{ uuid: string }>;

/** What the API does to a type; read-only types (CreateInput null) are neither created nor removed through it. */
export type ObjectService<T extends ObjectType> = CreateInput<T> extends null
  ? { create: null; update: null; remove: null }
  : { create: CreateFn<T>; update: UpdateInput<T> extends null ? null : UpdateFn<T>; remove(uuid: string, op: Op): Promise<void> };

const SERVICES: { readonly [T in ObjectType]: ObjectService<T> } = {
  zone: { create: createZone, update: updateZone, remove: deleteZone },
  cluster: { create: createCluster, update: updateCluster, remove: deleteCluster },
  host: { create: createHost, update: updateHost, remove: deleteHost },
  l2Network: { create: createL2Network, update: updateL2Network, remove: deleteL2Network },
  l2ClusterAttachment: { create: attachL2ToCluster, update: null, remove: detachL2FromCluster },
  l3Network: { create: createL3Network, update: updateL3Network, remove: deleteL3Network },
  ipRange: { create: createIpRange, update: updateIpRange, remove: deleteIpRange },
  networkServiceProvider: { create: createProvider, update: null, remove: deleteProvider },
  networkServiceAttachment: { create: attachServices, update: null, remove: detachServices },
  vmInstance: { create: createVmInstance, update: updateVmInstance, remove: deleteVmInstance },
  ipAddress: { create: (input, op) => allocateIp(input, op), update: null, remove: releaseIp },
  virtualRouter: { create: null, update: null, remove: null },
  vip: { create: createVip, update: updateVip, remove: deleteVip },
  eip: { create: createEip, update: updateEip, remove: deleteEip },
  portForwardingRule: { create: createPortForwardingRule, update: updatePortForwardingRule, remove: deletePortForwardingRule },
  securityGroup: { create: createSecurityGroup, update: updateSecurityGroup, remove: deleteSecurityGroup },
  securityGroupRule: { create: createSecurityGroupRule, update: null, remove: deleteSecurityGroupRule },
  securityGroupAttachment: { create: attachSecurityGroup, update: null, remove: detachSecurityGroup },
};


/** Creates an object (each service checks the rules on its fields where its order of checks puts them: rule-view.ts). */
export function createObject<T extends ObjectType>(type: T, input: NonNullable<CreateInput<T>>, op: Op): Promise<{ uuid: string }> {
  const create = creatorOf(type);
  if (!create) throw notCreatable(type);
  return create(input, op);
}

/** 405: the type is replaced, never updated in place. */
export function notUpdatable(type: ObjectType): ApiError {
  return ApiError.of('METHOD_NOT_ALLOWED', `${type} can't be updated in place; delete it and create a new one`);
}

/** 405: the server makes objects of this type itself. */
export function notCreatable(type: ObjectType): ApiError {
  return ApiError.of('METHOD_NOT_ALLOWED', `${type} objects are made and removed by the server (with the services that need them); they can only be read`);
}

// The conditional types of ObjectService, read back for a generic T.
function creatorOf<T extends ObjectType>(type: T): CreateFn<T> | null {
  return (SERVICES[type] as { create: CreateFn<T> | null }).create;
}
function removerOf(type: ObjectType): ((uuid: string, op: Op) => Promise<void>) | null {
  return (SERVICES[type] as { remove: ((uuid: string, op: Op) => Promise<void>) | null }).remove;
}

/** The update function of a type, or null when it is replaced, never updated in place. */
export function updaterOf<T extends ObjectType>(type: T): UpdateFn<T> | null {
  return (SERVICES[type] as { update: UpdateFn<T> | null }).update;
}

/**
 * Updates an object: its fields' rules run on what it would become, and count for the
 * fields the update changes (the stored ones passed when they were set).
 */
export async function updateObject<T extends ObjectType>(type: T, uuid: string, input: NonNullable<UpdateInput<T>>, op: Op): Promise<{ uuid: string }> {
  const update = updaterOf(type);
  if (!update) throw notUpdatable(type);
  const current: Inventory<T> = await getObject(type, uuid, op);
  const changed = new Set(Object.keys(input));
  throwIfViolations((OBJECTS[type].rules?.({ ...current, ...input }) ?? []).filter((v) => changed.has(rootField(v))));
  return update(uuid, input, op);
}

export function deleteObject(type: ObjectType, uuid: string, op: Op): Promise<void> {
  const remove = removerOf(type);
  if (!remove) throw notCreatable(type);
  return remove(uuid, op);
}
