/** Find-or-404 helpers and the queries several services share. */
import type { ModelStatic, Model } from 'sequelize';
import { NotFoundError } from '../errors';
import * as M from '../db/models';
import type { Host, HypervisorType, L2Network } from '../../topology/model';
import type { Op } from './context';
import { hostInventory, l2Inventory } from './inventory';

export async function mustFind<T extends Model>(model: ModelStatic<T>, type: string, uuid: string, op: Op, path = 'uuid'): Promise<T> {
  const row = await model.findByPk(uuid, { transaction: op.tx });
  if (!row) throw new NotFoundError(type, uuid, path);
  return row;
}

export async function attachedClusterUuids(l2Uuid: string, op: Op): Promise<string[]> {
  const rows = await M.L2ClusterAttachmentRow.findAll({ where: { l2NetworkUuid: l2Uuid }, transaction: op.tx });
  return rows.map((r) => r.clusterUuid);
}

export async function loadL2(uuid: string, op: Op, path = 'uuid'): Promise<L2Network> {
  const row = await mustFind(M.L2NetworkRow, 'L2Network', uuid, op, path);
  return l2Inventory(row, await attachedClusterUuids(uuid, op));
}

export interface HostOnHypervisor {
  host: Host;
  hypervisorType: HypervisorType;
}

export async function hostsOfCluster(clusterUuid: string, op: Op): Promise<HostOnHypervisor[]> {
  const cluster = await mustFind(M.ClusterRow, 'Cluster', clusterUuid, op, 'clusterUuid');
  const hosts = await M.HostRow.findAll({ where: { clusterUuid }, order: [['name', 'ASC'], ['uuid', 'ASC']], transaction: op.tx });
  return hosts.map((h) => ({ host: hostInventory(h), hypervisorType: cluster.hypervisorType }));
}
