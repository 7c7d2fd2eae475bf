import { randomUUID } from 'node:crypto';
import { validateDescription, validateName } from '../../topology/rules/names';
import { violation } from '../../topology/violation';
import type { Cluster } from '../../topology/model';
import type { CreateClusterInput, UpdateClusterInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { clusterInventory } from './inventory';
import { mustFind } from './lookups';

export async function createCluster(input: CreateClusterInput, op: Op): Promise<Cluster> {
  throwIfViolations([...validateName(input.name), ...validateDescription(input.description)]);
  await mustFind(M.ZoneRow, 'Zone', input.zoneUuid, op, 'zoneUuid');
  const row = await M.ClusterRow.create(
    { uuid: randomUUID(), name: input.name, zoneUuid: input.zoneUuid, hypervisorType: input.hypervisorType, description: input.description ?? '' },
    { transaction: op.tx },
  );
  return clusterInventory(row);
}

export async function updateCluster(uuid: string, input: UpdateClusterInput, op: Op): Promise<Cluster> {
  const row = await mustFind(M.ClusterRow, 'Cluster', uuid, op);
  throwIfViolations([...(input.name !== undefined ? validateName(input.name) : []), ...validateDescription(input.description)]);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return clusterInventory(row);
}

export async function deleteCluster(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.ClusterRow, 'Cluster', uuid, op);
  const hosts = await M.HostRow.findAll({ where: { clusterUuid: uuid }, transaction: op.tx });
  const attachments = await M.L2ClusterAttachmentRow.findAll({ where: { clusterUuid: uuid }, transaction: op.tx });
  const ref = `cluster '${row.name}'`;
  throwIfViolations(
    [],
    [
      ...hosts.map((h) =>
        violation('CLUSTER_IN_USE', 'uuid', `${ref} still has host '${h.name}' (${h.uuid}); delete it first`, { type: 'Host', uuid: h.uuid, name: h.name }),
      ),
      ...attachments.map((a) =>
        violation('CLUSTER_IN_USE', 'uuid', `${ref} still has L2 network ${a.l2NetworkUuid} attached; detach it first`, {
          type: 'L2ClusterAttachment',
          uuid: a.uuid,
        }),
      ),
    ],
  );
  await row.destroy({ transaction: op.tx });
}
