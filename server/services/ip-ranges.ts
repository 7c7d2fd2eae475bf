import { randomUUID } from 'node:crypto';
import { ipKeyOfValue, parseIp } from '../../topology/ip';
import type { IpRange } from '../../topology/model';
import type { CreateIpRangeInput, UpdateIpRangeInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { ipRangeInventory } from './inventory';
import { mustFind } from './lookups';
import { fieldViolations, refuseBlockedDelete, refuseBrokenRules } from './rule-view';
import { convergeWaitingServices } from './service-convergence';
import { forgetFloor } from './ip-allocation';

export async function createIpRange(input: CreateIpRangeInput, op: Op): Promise<IpRange> {
  const l3 = await mustFind(M.L3NetworkRow, 'l3Network', input.l3NetworkUuid, op, 'l3NetworkUuid');
  const fields = { uuid: randomUUID(), name: input.name, l3NetworkUuid: l3.uuid, startIp: input.startIp, endIp: input.endIp };
  // Its own fields and what its L3 rules out, refused together (400); then overlaps (409).
  await refuseBrokenRules(op, 'ipRange', fields, { alsoInvalid: fieldViolations('ipRange', input) });
  const start = parseIp(input.startIp)!;
  const end = parseIp(input.endIp)!;
  const row = await M.IpRangeRow.create({ ...fields, startIp: start.text, endIp: end.text, startKey: ipKeyOfValue(start.value), endKey: ipKeyOfValue(end.value) }, { transaction: op.tx });
  await forgetFloor(l3.uuid, op);
  // Flat DHCP waiting for an address, or routers waiting for one of this (public) network, can start now.
  await convergeWaitingServices(op);
  return ipRangeInventory(row, l3);
}

export async function updateIpRange(uuid: string, input: UpdateIpRangeInput, op: Op): Promise<IpRange> {
  const row = await mustFind(M.IpRangeRow, 'ipRange', uuid, op);
  await row.update({ name: input.name ?? row.name }, { transaction: op.tx });
  return ipRangeInventory(row, await mustFind(M.L3NetworkRow, 'l3Network', row.l3NetworkUuid, op));
}

export async function deleteIpRange(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.IpRangeRow, 'ipRange', uuid, op);
  await refuseBlockedDelete(op, 'ipRange', { uuid, name: row.name });
  await row.destroy({ transaction: op.tx });
  await forgetFloor(row.l3NetworkUuid, op);
}
