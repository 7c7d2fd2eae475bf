import { randomUUID } from 'node:crypto';
import type { Zone } from '../../topology/model';
import type { CreateZoneInput, UpdateZoneInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { zoneInventory } from './inventory';
import { mustFind } from './lookups';
import { refuseBlockedDelete, refuseInvalidFields } from './rule-view';

export async function createZone(input: CreateZoneInput, op: Op): Promise<Zone> {
  refuseInvalidFields('zone', input);
  const row = await M.ZoneRow.create({ uuid: randomUUID(), name: input.name, description: input.description ?? '' }, { transaction: op.tx });
  return zoneInventory(row);
}

export async function updateZone(uuid: string, input: UpdateZoneInput, op: Op): Promise<Zone> {
  const row = await mustFind(M.ZoneRow, 'zone', uuid, op);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return zoneInventory(row);
}

export async function deleteZone(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.ZoneRow, 'zone', uuid, op);
  await refuseBlockedDelete(op, 'zone', zoneInventory(row));
  await row.destroy({ transaction: op.tx });
}
