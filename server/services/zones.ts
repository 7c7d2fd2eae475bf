import { randomUUID } from 'node:crypto';
import { validateDescription, validateName } from '../../topology/rules/names';
import { violation } from '../../topology/violation';
import type { Zone } from '../../topology/model';
import type { CreateZoneInput, UpdateZoneInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { zoneInventory } from './inventory';
import { mustFind } from './lookups';

export async function createZone(input: CreateZoneInput, op: Op): Promise<Zone> {
  throwIfViolations([...validateName(input.name), ...validateDescription(input.description)]);
  const row = await M.ZoneRow.create({ uuid: randomUUID(), name: input.name, description: input.description ?? '' }, { transaction: op.tx });
  return zoneInventory(row);
}

export async function updateZone(uuid: string, input: UpdateZoneInput, op: Op): Promise<Zone> {
  const row = await mustFind(M.ZoneRow, 'Zone', uuid, op);
  throwIfViolations([...(input.name !== undefined ? validateName(input.name) : []), ...validateDescription(input.description)]);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return zoneInventory(row);
}

export async function deleteZone(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.ZoneRow, 'Zone', uuid, op);
  const clusters = await M.ClusterRow.findAll({ where: { zoneUuid: uuid }, transaction: op.tx });
  const l2s = await M.L2NetworkRow.findAll({ where: { zoneUuid: uuid }, transaction: op.tx });
  throwIfViolations(
    [],
    [
      ...clusters.map((c) =>
        violation('ZONE_IN_USE', 'uuid', `zone '${row.name}' still has cluster '${c.name}' (${c.uuid}); delete it first`, { type: 'Cluster', uuid: c.uuid, name: c.name }),
      ),
      ...l2s.map((l) =>
        violation('ZONE_IN_USE', 'uuid', `zone '${row.name}' still has L2 network '${l.name}' (${l.uuid}); delete it first`, { type: 'L2Network', uuid: l.uuid, name: l.name }),
      ),
    ],
  );
  await row.destroy({ transaction: op.tx });
}
