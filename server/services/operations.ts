/**
 * Every object type the API manages, with its schemas and service functions. The REST
 * routes and the dry-run validator are both driven by this table, so a change checked by
 * POST /v1/validate runs exactly the code the real request would.
 */
import type { ZodType } from 'zod';
import type { Transaction, WhereOptions } from 'sequelize';
import * as S from '../api/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import * as inv from './inventory';
import { createCluster, deleteCluster, updateCluster } from './clusters';
import { createHost, deleteHost, updateHost } from './hosts';
import { allocateIp, releaseIp } from './ip-addresses';
import { createIpRange, deleteIpRange, updateIpRange } from './ip-ranges';
import { attachL2ToCluster, detachL2FromCluster } from './l2-attachments';
import { createL2Network, deleteL2Network, updateL2Network } from './l2-networks';
import { createL3Network, deleteL3Network, updateL3Network } from './l3-networks';
import { mustFind } from './lookups';
import { createProvider, deleteProvider, providerWithL2s } from './providers';
import { attachServices, detachServices } from './service-attachments';
import { createVmInstance, deleteVmInstance, loadVm, updateVmInstance } from './vm-instances';
import { createZone, deleteZone, updateZone } from './zones';

export interface ObjectOperations {
  /** Type name in /v1/validate changes and error messages. */
  type: string;
  /** URL segment under /v1. */
  path: string;
  createSchema: ZodType;
  updateSchema?: ZodType;
  /** Query parameters accepted as equality filters on list. */
  filters: readonly string[];
  create(input: never, op: Op): Promise<{ uuid: string }>;
  update?(uuid: string, input: never, op: Op): Promise<{ uuid: string }>;
  remove(uuid: string, op: Op): Promise<void>;
  get(uuid: string, op: Op): Promise<object>;
  list(where: Record<string, string>, tx?: Transaction): Promise<object[]>;
}

async function l2AttachmentMap(tx?: Transaction): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  for (const a of await M.L2ClusterAttachmentRow.findAll({ transaction: tx })) {
    map.set(a.l2NetworkUuid, [...(map.get(a.l2NetworkUuid) ?? []), a.clusterUuid]);
  }
  return map;
}

const byCreation = { order: [['createdAt', 'ASC'], ['uuid', 'ASC']] as [string, string][] };

export const OPERATIONS: readonly ObjectOperations[] = [
  {
    type: 'zone',
    path: 'zones',
    createSchema: S.CreateZone,
    updateSchema: S.UpdateZone,
    filters: ['name'],
    create: createZone,
    update: updateZone,
    remove: deleteZone,
    get: async (uuid, op) => inv.zoneInventory(await mustFind(M.ZoneRow, 'Zone', uuid, op)),
    list: async (where, tx) => (await M.ZoneRow.findAll({ where, ...byCreation, transaction: tx })).map(inv.zoneInventory),
  },
  {
    type: 'cluster',
    path: 'clusters',
    createSchema: S.CreateCluster,
    updateSchema: S.UpdateCluster,
    filters: ['name', 'zoneUuid', 'hypervisorType'],
    create: createCluster,
    update: updateCluster,
    remove: deleteCluster,
    get: async (uuid, op) => inv.clusterInventory(await mustFind(M.ClusterRow, 'Cluster', uuid, op)),
    list: async (where, tx) => (await M.ClusterRow.findAll({ where, ...byCreation, transaction: tx })).map(inv.clusterInventory),
  },
  {
    type: 'host',
    path: 'hosts',
    createSchema: S.CreateHost,
    updateSchema: S.UpdateHost,
    filters: ['name', 'clusterUuid', 'managementIp', 'state'],
    create: createHost,
    update: updateHost,
    remove: deleteHost,
    get: async (uuid, op) => inv.hostInventory(await mustFind(M.HostRow, 'Host', uuid, op)),
    list: async (where, tx) => (await M.HostRow.findAll({ where, ...byCreation, transaction: tx })).map(inv.hostInventory),
  },
  {
    type: 'l2Network',
    path: 'l2-networks',
    createSchema: S.CreateL2Network,
    updateSchema: S.UpdateL2Network,
    filters: ['name', 'zoneUuid', 'type', 'physicalInterface'],
    create: createL2Network,
    update: updateL2Network,
    remove: deleteL2Network,
    get: async (uuid, op) => {
      const row = await mustFind(M.L2NetworkRow, 'L2Network', uuid, op);
      return inv.l2Inventory(row, (await l2AttachmentMap(op.tx)).get(uuid) ?? []);
    },
    list: async (where, tx) => {
      const attached = await l2AttachmentMap(tx);
      return (await M.L2NetworkRow.findAll({ where, ...byCreation, transaction: tx })).map((r) => inv.l2Inventory(r, attached.get(r.uuid) ?? []));
    },
  },
  {
    type: 'l2ClusterAttachment',
    path: 'l2-cluster-attachments',
    createSchema: S.CreateL2ClusterAttachment,
    filters: ['l2NetworkUuid', 'clusterUuid'],
    create: attachL2ToCluster,
    remove: detachL2FromCluster,
    get: async (uuid, op) => inv.attachmentInventory(await mustFind(M.L2ClusterAttachmentRow, 'L2ClusterAttachment', uuid, op)),
    list: async (where, tx) => (await M.L2ClusterAttachmentRow.findAll({ where, ...byCreation, transaction: tx })).map(inv.attachmentInventory),
  },
  {
    type: 'l3Network',
    path: 'l3-networks',
    createSchema: S.CreateL3Network,
    updateSchema: S.UpdateL3Network,
    filters: ['name', 'l2NetworkUuid', 'cidr'],
    create: createL3Network,
    update: updateL3Network,
    remove: deleteL3Network,
    get: async (uuid, op) => inv.l3Inventory(await mustFind(M.L3NetworkRow, 'L3Network', uuid, op)),
    list: async (where, tx) => (await M.L3NetworkRow.findAll({ where, ...byCreation, transaction: tx })).map(inv.l3Inventory),
  },
  {
    type: 'ipRange',
    path: 'ip-ranges',
    createSchema: S.CreateIpRange,
    updateSchema: S.UpdateIpRange,
    filters: ['name', 'l3NetworkUuid'],
    create: createIpRange,
    update: updateIpRange,
    remove: deleteIpRange,
    get: async (uuid, op) => {
      const row = await mustFind(M.IpRangeRow, 'IpRange', uuid, op);
      return inv.ipRangeInventory(row, await mustFind(M.L3NetworkRow, 'L3Network', row.l3NetworkUuid, op));
    },
    list: async (where, tx) => {
      const rows = await M.IpRangeRow.findAll({ where, ...byCreation, transaction: tx });
      const l3s = new Map((await M.L3NetworkRow.findAll({ where: { uuid: [...new Set(rows.map((r) => r.l3NetworkUuid))] }, transaction: tx })).map((l) => [l.uuid, l]));
      return rows.map((r) => inv.ipRangeInventory(r, l3s.get(r.l3NetworkUuid)!));
    },
  },
  {
    type: 'networkServiceProvider',
    path: 'network-service-providers',
    createSchema: S.CreateProvider,
    filters: ['name', 'type'],
    create: createProvider,
    remove: deleteProvider,
    get: async (uuid, op) => providerWithL2s(await mustFind(M.NetworkServiceProviderRow, 'NetworkServiceProvider', uuid, op), op.tx),
    list: async (where, tx) =>
      Promise.all((await M.NetworkServiceProviderRow.findAll({ where, ...byCreation, transaction: tx })).map((r) => providerWithL2s(r, tx))),
  },
  {
    type: 'networkServiceAttachment',
    path: 'network-service-attachments',
    createSchema: S.CreateServiceAttachment,
    filters: ['l3NetworkUuid', 'providerUuid'],
    create: attachServices,
    remove: detachServices,
    get: async (uuid, op) => inv.serviceAttachmentInventory(await mustFind(M.NetworkServiceAttachmentRow, 'NetworkServiceAttachment', uuid, op)),
    list: async (where, tx) => (await M.NetworkServiceAttachmentRow.findAll({ where, ...byCreation, transaction: tx })).map(inv.serviceAttachmentInventory),
  },
  {
    type: 'vmInstance',
    path: 'vm-instances',
    createSchema: S.CreateVmInstance,
    updateSchema: S.UpdateVmInstance,
    filters: ['name', 'hostUuid'],
    create: createVmInstance,
    update: updateVmInstance,
    remove: deleteVmInstance,
    get: loadVm,
    list: async (where, tx) => {
      const vms = await M.VmInstanceRow.findAll({ where, ...byCreation, transaction: tx });
      const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: vms.map((v) => v.uuid) }, transaction: tx });
      return vms.map((vm) => inv.vmInventory(vm, nics.filter((n) => n.vmInstanceUuid === vm.uuid)));
    },
  },
  {
    type: 'ipAddress',
    path: 'ip-addresses',
    createSchema: S.AllocateIp,
    filters: ['l3NetworkUuid', 'ipRangeUuid', 'ip'],
    create: allocateIp,
    remove: releaseIp,
    get: async (uuid, op) => inv.allocatedIpInventory(await mustFind(M.AllocatedIpRow, 'AllocatedIp', uuid, op)),
    list: async (where, tx) => (await M.AllocatedIpRow.findAll({ where: where as WhereOptions, ...byCreation, transaction: tx })).map(inv.allocatedIpInventory),
  },
] as ObjectOperations[];

export const OPERATIONS_BY_TYPE = new Map(OPERATIONS.map((o) => [o.type, o]));
