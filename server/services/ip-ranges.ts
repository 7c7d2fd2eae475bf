import { randomUUID } from 'node:crypto';
import { parseIp } from '../../topology/ip';
import { checkIpRangeOverlaps, checkIpsInUse, validateIpRange } from '../../topology/rules/l3';
import { validateName } from '../../topology/rules/names';
import type { IpRange } from '../../topology/model';
import type { CreateIpRangeInput, UpdateIpRangeInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { ipRangeInventory } from './inventory';
import { mustFind } from './lookups';
import { convergeServices } from './service-attachments';

/** Every IP range on the same L2 network as the L3 (rule 12 spans the L2). */
export async function rangesOnL2(l2NetworkUuid: string, op: Op): Promise<M.IpRangeRow[]> {
  const l3Uuids = (await M.L3NetworkRow.findAll({ where: { l2NetworkUuid }, transaction: op.tx })).map((l) => l.uuid);
  return M.IpRangeRow.findAll({ where: { l3NetworkUuid: l3Uuids }, transaction: op.tx });
}

export async function createIpRange(input: CreateIpRangeInput, op: Op): Promise<IpRange> {
  const l3 = await mustFind(M.L3NetworkRow, 'L3Network', input.l3NetworkUuid, op, 'l3NetworkUuid');
  throwIfViolations([...validateName(input.name), ...validateIpRange(input, l3)]);
  throwIfViolations([], checkIpRangeOverlaps(input, await rangesOnL2(l3.l2NetworkUuid, op)));
  const row = await M.IpRangeRow.create(
    { uuid: randomUUID(), name: input.name, l3NetworkUuid: l3.uuid, startIp: parseIp(input.startIp)!.text, endIp: parseIp(input.endIp)!.text },
    { transaction: op.tx },
  );
  await convergeServices(l3.uuid, op); // DHCP waiting for addresses can start now
  return ipRangeInventory(row, l3);
}

export async function updateIpRange(uuid: string, input: UpdateIpRangeInput, op: Op): Promise<IpRange> {
  const row = await mustFind(M.IpRangeRow, 'IpRange', uuid, op);
  throwIfViolations(input.name !== undefined ? validateName(input.name) : []);
  await row.update({ name: input.name ?? row.name }, { transaction: op.tx });
  return ipRangeInventory(row, await mustFind(M.L3NetworkRow, 'L3Network', row.l3NetworkUuid, op));
}

export async function deleteIpRange(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.IpRangeRow, 'IpRange', uuid, op);
  const allocated = await M.AllocatedIpRow.findAll({ where: { ipRangeUuid: uuid }, order: [['ip', 'ASC']], transaction: op.tx });
  throwIfViolations([], checkIpsInUse({ type: 'IpRange', uuid, name: row.name }, allocated));
  await row.destroy({ transaction: op.tx });
}
