import { randomUUID } from 'node:crypto';
import type { L2Network } from '../../topology/model';
import type { CreateL2NetworkInput, UpdateL2NetworkInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { l2Inventory } from './inventory';
import { loadL2, mustFind } from './lookups';
import { refuseBlockedDelete, refuseBrokenRules, refuseInvalidFields } from './rule-view';

export async function createL2Network(input: CreateL2NetworkInput, op: Op): Promise<L2Network> {
  refuseInvalidFields('l2Network', input);
  await mustFind(M.ZoneRow, 'zone', input.zoneUuid, op, 'zoneUuid');
  const fields = {
    uuid: randomUUID(),
    name: input.name,
    zoneUuid: input.zoneUuid,
    type: input.type,
    physicalInterface: input.physicalInterface,
    vlan: input.type === 'L2VlanNetwork' ? (input.vlan ?? null) : null,
    vni: input.type === 'L2VxlanNetwork' ? (input.vni ?? null) : null,
    description: input.description ?? '',
  };
  await refuseBrokenRules(op, 'l2Network', fields);
  const row = await M.L2NetworkRow.create(fields, { transaction: op.tx });
  const l2 = l2Inventory(row, []);
  if (!op.tx) throw new Error('createL2Network runs inside a write transaction');
  for (const ext of op.parts.registry.getL2NetworkCreateExtensions()) await ext.afterCreateL2Network(l2, op.tx);
  return l2;
}

export async function updateL2Network(uuid: string, input: UpdateL2NetworkInput, op: Op): Promise<L2Network> {
  const row = await mustFind(M.L2NetworkRow, 'l2Network', uuid, op);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return loadL2(uuid, op);
}

export async function deleteL2Network(uuid: string, op: Op): Promise<void> {
  await refuseBlockedDelete(op, 'l2Network', await loadL2(uuid, op));
  await M.L2NetworkRow.destroy({ where: { uuid }, transaction: op.tx });
}
