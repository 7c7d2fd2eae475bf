import { randomUUID } from 'node:crypto';
import { checkL2Delete, checkVniUnique, validateL2Spec } from '../../topology/rules/l2';
import { validateDescription, validateName } from '../../topology/rules/names';
import { violation } from '../../topology/violation';
import type { L2Network } from '../../topology/model';
import type { CreateL2NetworkInput, UpdateL2NetworkInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { l2Inventory } from './inventory';
import { loadL2, mustFind } from './lookups';

export async function createL2Network(input: CreateL2NetworkInput, op: Op): Promise<L2Network> {
  throwIfViolations([...validateName(input.name), ...validateDescription(input.description), ...validateL2Spec(input)]);
  await mustFind(M.ZoneRow, 'Zone', input.zoneUuid, op, 'zoneUuid');
  if (input.type === 'L2VxlanNetwork') {
    const vxlans = await M.L2NetworkRow.findAll({ where: { zoneUuid: input.zoneUuid, type: 'L2VxlanNetwork' }, transaction: op.tx });
    throwIfViolations([], checkVniUnique(input, vxlans));
  }
  const row = await M.L2NetworkRow.create(
    {
      uuid: randomUUID(),
      name: input.name,
      zoneUuid: input.zoneUuid,
      type: input.type,
      physicalInterface: input.physicalInterface,
      vlan: input.type === 'L2VlanNetwork' ? input.vlan : null,
      vni: input.type === 'L2VxlanNetwork' ? input.vni : null,
      description: input.description ?? '',
    },
    { transaction: op.tx },
  );
  const l2 = l2Inventory(row, []);
  if (!op.tx) throw new Error('createL2Network runs inside a write transaction');
  for (const ext of op.parts.registry.getL2NetworkCreateExtensions()) await ext.afterCreateL2Network(l2, op.tx);
  return l2;
}

export async function updateL2Network(uuid: string, input: UpdateL2NetworkInput, op: Op): Promise<L2Network> {
  const row = await mustFind(M.L2NetworkRow, 'L2Network', uuid, op);
  throwIfViolations([...(input.name !== undefined ? validateName(input.name) : []), ...validateDescription(input.description)]);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return loadL2(uuid, op);
}

export async function deleteL2Network(uuid: string, op: Op): Promise<void> {
  const l2 = await loadL2(uuid, op);
  const l3s = await M.L3NetworkRow.findAll({ where: { l2NetworkUuid: uuid }, transaction: op.tx });
  const attachments = await M.L2ClusterAttachmentRow.findAll({ where: { l2NetworkUuid: uuid }, transaction: op.tx });
  throwIfViolations(
    [],
    [
      // Plain objects: the rule spreads them into `conflicting`, and a Sequelize row would leak its internals.
      ...checkL2Delete(l2, l3s.map((l) => ({ uuid: l.uuid, name: l.name }))),
      ...attachments.map((a) =>
        violation('L2_ATTACHED', 'uuid', `L2 network '${l2.name}' is still attached to cluster ${a.clusterUuid} (attachment ${a.uuid}); detach it first`, {
          type: 'L2ClusterAttachment',
          uuid: a.uuid,
        }),
      ),
    ],
  );
  await M.L2NetworkRow.destroy({ where: { uuid }, transaction: op.tx });
}
