/**
 * Reading objects of any type as inventories (topology/model.ts): by uuid, or by equality
 * filters on their columns (a list for membership). The API's GET routes and the rules'
 * database view (rule-view.ts) read through here.
 */
import type { Transaction, WhereOptions } from 'sequelize';
import { TYPE_NAMES, type Inventory, type ObjectType } from '../../topology/model';
import { NotFoundError } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import * as inv from './inventory';

/** Equality filters on columns; a list means "one of". */
export type Filters = Readonly<Record<string, string | number | null | readonly (string | number | null)[]>>;

type Lister<T extends ObjectType> = (where: WhereOptions, tx: Transaction | undefined, order: Array<[string, string]>) => Promise<Inventory<T>[]>;

interface Store<T extends ObjectType> {
  /** Columns a filter may name. */
  columns(): string[];
  list: Lister<T>;
}

/** Oldest first; the uuid breaks ties so the order is stable. */
const BY_CREATION: Array<[string, string]> = [
  ['createdAt', 'ASC'],
  ['uuid', 'ASC'],
];

function store<T extends ObjectType>(model: { getAttributes(): object }, list: Lister<T>): Store<T> {
  return { columns: () => Object.keys(model.getAttributes()), list };
}

async function l2AttachmentMap(l2Uuids: string[], tx?: Transaction): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  for (const a of await M.L2ClusterAttachmentRow.findAll({ where: { l2NetworkUuid: l2Uuids }, transaction: tx })) {
    map.set(a.l2NetworkUuid, [...(map.get(a.l2NetworkUuid) ?? []), a.clusterUuid]);
  }
  return map;
}

async function providerL2Map(providerUuids: string[], tx?: Transaction): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  for (const a of await M.ProviderL2AssociationRow.findAll({ where: { providerUuid: providerUuids }, transaction: tx })) {
    map.set(a.providerUuid, [...(map.get(a.providerUuid) ?? []), a.l2NetworkUuid]);
  }
  return map;
}

const STORES: { readonly [T in ObjectType]: Store<T> } = {
  zone: store(M.ZoneRow, async (where, tx, order) => (await M.ZoneRow.findAll({ where, order, transaction: tx })).map(inv.zoneInventory)),
  cluster: store(M.ClusterRow, async (where, tx, order) => (await M.ClusterRow.findAll({ where, order, transaction: tx })).map(inv.clusterInventory)),
  host: store(M.HostRow, async (where, tx, order) => (await M.HostRow.findAll({ where, order, transaction: tx })).map(inv.hostInventory)),
  l2Network: store(M.L2NetworkRow, async (where, tx, order) => {
    const rows = await M.L2NetworkRow.findAll({ where, order, transaction: tx });
    const attached = await l2AttachmentMap(rows.map((r) => r.uuid), tx);
    return rows.map((r) => inv.l2Inventory(r, attached.get(r.uuid) ?? []));
  }),
  l2ClusterAttachment: store(M.L2ClusterAttachmentRow, async (where, tx, order) =>
    (await M.L2ClusterAttachmentRow.findAll({ where, order, transaction: tx })).map(inv.attachmentInventory),
  ),
  l3Network: store(M.L3NetworkRow, async (where, tx, order) => (await M.L3NetworkRow.findAll({ where, order, transaction: tx })).map(inv.l3Inventory)),
  ipRange: store(M.IpRangeRow, async (where, tx, order) => {
    const rows = await M.IpRangeRow.findAll({ where, order, transaction: tx });
    const l3s = new Map((await M.L3NetworkRow.findAll({ where: { uuid: [...new Set(rows.map((r) => r.l3NetworkUuid))] }, transaction: tx })).map((l) => [l.uuid, l]));
    return rows.map((r) => inv.ipRangeInventory(r, l3s.get(r.l3NetworkUuid)!));
  }),
  networkServiceProvider: store(M.NetworkServiceProviderRow, async (where, tx, order) => {
    const rows = await M.NetworkServiceProviderRow.findAll({ where, order, transaction: tx });
    const l2s = await providerL2Map(rows.map((r) => r.uuid), tx);
    return rows.map((r) => inv.providerInventory(r, l2s.get(r.uuid) ?? []));
  }),
  networkServiceAttachment: store(M.NetworkServiceAttachmentRow, async (where, tx, order) =>
    (await M.NetworkServiceAttachmentRow.findAll({ where, order, transaction: tx })).map(inv.serviceAttachmentInventory),
  ),
  vmInstance: store(M.VmInstanceRow, async (where, tx, order) => {
    const vms = await M.VmInstanceRow.findAll({ where, order, transaction: tx });
    const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: vms.map((v) => v.uuid) }, transaction: tx });
    return vms.map((vm) => inv.vmInventory(vm, nics.filter((n) => n.vmInstanceUuid === vm.uuid)));
  }),
  ipAddress: store(M.AllocatedIpRow, async (where, tx, order) => (await M.AllocatedIpRow.findAll({ where, order, transaction: tx })).map(inv.allocatedIpInventory)),
};

/** Objects of a type matching every filter, oldest first unless `orderBy` says otherwise. */
export async function listObjects<T extends ObjectType>(type: T, filters: Filters, tx?: Transaction, orderBy: readonly string[] = []): Promise<Inventory<T>[]> {
  const s = STORES[type];
  const columns = s.columns();
  for (const key of [...Object.keys(filters), ...orderBy]) {
    if (!columns.includes(key)) throw new Error(`${TYPE_NAMES[type]} has no column ${key} to filter or sort by`);
  }
  const where: WhereOptions = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
  return s.list(where, tx, [...orderBy.map((f): [string, string] => [f, 'ASC']), ...BY_CREATION]);
}

/** The object with this uuid, or 404 naming the field that referred to it. */
export async function getObject<T extends ObjectType>(type: T, uuid: string, op: Pick<Op, 'tx'>, path = 'uuid'): Promise<Inventory<T>> {
  const [found] = await listObjects(type, { uuid }, op.tx);
  if (!found) throw new NotFoundError(TYPE_NAMES[type], uuid, path);
  return found;
}
