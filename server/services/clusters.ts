import { randomUUID } from 'node:crypto';
import type { Cluster } from '../../topology/model';
import type { CreateClusterInput, UpdateClusterInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { clusterInventory } from './inventory';
import { mustFind } from './lookups';
import { refuseBlockedDelete, refuseInvalidFields } from './rule-view';

export async function createCluster(input: CreateClusterInput, op: Op): Promise<Cluster> {
  refuseInvalidFields('cluster', input);
  await mustFind(M.ZoneRow, 'zone', input.zoneUuid, op, 'zoneUuid');
  const row = await M.ClusterRow.create(
    { uuid: randomUUID(), name: input.name, zoneUuid: input.zoneUuid, hypervisorType: input.hypervisorType, description: input.description ?? '' },
    { transaction: op.tx },
  );
  return clusterInventory(row);
}

export async function updateCluster(uuid: string, input: UpdateClusterInput, op: Op): Promise<Cluster> {
  const row = await mustFind(M.ClusterRow, 'cluster', uuid, op);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return clusterInventory(row);
}

export async function deleteCluster(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.ClusterRow, 'cluster', uuid, op);
  await refuseBlockedDelete(op, 'cluster', clusterInventory(row));
  await row.destroy({ transaction: op.tx });
}
