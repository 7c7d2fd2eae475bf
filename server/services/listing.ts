/**
 * Reading objects of any type as inventories (topology/model.ts): by uuid, or by equality
 * filters on their columns (a list for membership). The API's GET routes and the rules'
 * database view (rule-view.ts) read through here.
 */
import type { Model, ModelStatic, Transaction, WhereOptions } from 'sequelize';
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

/** A type whose inventory is its row alone. */
function rowStore<R extends Model, T extends ObjectType>(model: ModelStatic<R>, toInventory: (row: R) => Inventory<T>): Store<T> {
  return store(model, async (where, tx, order) => (await model.findAll({ where, order, transaction: tx })).map(toInventory));
}

/** Each row with the values an association table gives it (an L2's clusters, a provider's L2s). */
async function withAssociated<R extends { uuid: string }, A>(
  rows: R[],
  associations: (uuids: string[]) => Promise<A[]>,
  key: (a: A) => string,
  value: (a: A) => string,
): Promise<Array<[R, string[]]>> {
  const map = new Map<string, string[]>();
  for (const a of await associations(rows.map((r) => r.uuid))) map.set(key(a), [...(map.get(key(a)) ?? []), value(a)]);
  return rows.map((r) => [r, map.get(r.uuid) ?? []]);
}

const STORES: { readonly [T in ObjectType]: Store<T> } = {
  zone: rowStore(M.ZoneRow, inv.zoneInventory),
  cluster: rowStore(M.ClusterRow, inv.clusterInventory),
  host: rowStore(M.HostRow, inv.hostInventory),
  l2Network: store(M.L2NetworkRow, async (where, tx, order) =>
    (
      await withAssociated(
        await M.L2NetworkRow.findAll({ where, order, transaction: tx }),
        (l2NetworkUuid) => M.L2ClusterAttachmentRow.findAll({ where: { l2NetworkUuid }, transaction: tx }),
        (a) => a.l2NetworkUuid,
        (a) => a.clusterUuid,
      )
    ).map(([row, clusters]) => inv.l2Inventory(row, clusters)),
  ),
  l2ClusterAttachment: rowStore(M.L2ClusterAttachmentRow, inv.attachmentInventory),
  l3Network: rowStore(M.L3NetworkRow, inv.l3Inventory),
  ipRange: store(M.IpRangeRow, async (where, tx, order) => {
    const rows = await M.IpRangeRow.findAll({ where, order, transaction: tx });
    const l3s = new Map((await M.L3NetworkRow.findAll({ where: { uuid: [...new Set(rows.map((r) => r.l3NetworkUuid))] }, transaction: tx })).map((l) => [l.uuid, l]));
    return rows.map((r) => inv.ipRangeInventory(r, l3s.get(r.l3NetworkUuid)!));
  }),
  networkServiceProvider: store(M.NetworkServiceProviderRow, async (where, tx, order) =>
    (
      await withAssociated(
        await M.NetworkServiceProviderRow.findAll({ where, order, transaction: tx }),
        (providerUuid) => M.ProviderL2AssociationRow.findAll({ where: { providerUuid }, transaction: tx }),
        (a) => a.providerUuid,
        (a) => a.l2NetworkUuid,
      )
    ).map(([row, l2s]) => inv.providerInventory(row, l2s)),
  ),
  networkServiceAttachment: rowStore(M.NetworkServiceAttachmentRow, inv.serviceAttachmentInventory),
  vmInstance: store(M.VmInstanceRow, async (where, tx, order) => {
    const vms = await M.VmInstanceRow.findAll({ where, order, transaction: tx });
    const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: vms.map((v) => v.uuid) }, transaction: tx });
    return vms.map((vm) => inv.vmInventory(vm, nics.filter((n) => n.vmInstanceUuid === vm.uuid)));
  }),
  ipAddress: rowStore(M.AllocatedIpRow, inv.allocatedIpInventory),
  virtualRouter: rowStore(M.VirtualRouterRow, inv.virtualRouterInventory),
  vip: rowStore(M.VipRow, inv.vipInventory),
  eip: rowStore(M.EipRow, inv.eipInventory),
  portForwardingRule: rowStore(M.PortForwardingRuleRow, inv.portForwardingInventory),
  securityGroup: rowStore(M.SecurityGroupRow, inv.securityGroupInventory),
  securityGroupRule: rowStore(M.SecurityGroupRuleRow, inv.securityGroupRuleInventory),
  securityGroupAttachment: rowStore(M.SecurityGroupAttachmentRow, inv.securityGroupAttachmentInventory),
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
