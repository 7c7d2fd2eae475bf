/** Find-or-404 for rows, and the queries several services share. */
import type { ModelStatic, Model } from 'sequelize';
import { TYPE_NAMES, type L2Network, type ObjectType } from '../../topology/model';
import { NotFoundError } from '../errors';
import * as M from '../db/models';
import type { HostTarget } from '../extension/points';
import type { Op } from './context';
import { hostInventory } from './inventory';
import { getObject } from './listing';

/** The row with this uuid, or 404 naming the field (`path`) that referred to it. */
export async function mustFind<T extends Model>(model: ModelStatic<T>, type: ObjectType, uuid: string, op: Pick<Op, 'tx'>, path = 'uuid'): Promise<T> {
  const row = await model.findByPk(uuid, { transaction: op.tx });
  if (!row) throw new NotFoundError(TYPE_NAMES[type], uuid, path);
  return row;
}

export function loadL2(uuid: string, op: Op, path = 'uuid'): Promise<L2Network> {
  return getObject('l2Network', uuid, op, path);
}

/** The hosts of a cluster, by name, each with the cluster's hypervisor type. */
export async function hostsOfCluster(clusterUuid: string, op: Op): Promise<HostTarget[]> {
  const cluster = await mustFind(M.ClusterRow, 'cluster', clusterUuid, op, 'clusterUuid');
  const hosts = await M.HostRow.findAll({ where: { clusterUuid }, order: [['name', 'ASC'], ['uuid', 'ASC']], transaction: op.tx });
  return hosts.map((h) => ({ host: hostInventory(h), hypervisorType: cluster.hypervisorType }));
}
