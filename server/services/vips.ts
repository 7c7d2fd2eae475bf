/** VIPs: an address of an L3 network (allocated like any other) for one EIP or port forwarding rules. */
import { randomUUID } from 'node:crypto';
import type { Vip } from '../../topology/model';
import { VIP_IP_OWNER_PREFIX, type CreateVipInput, type UpdateVipInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { vipInventory } from './inventory';
import { allocateIp, releaseIps } from './ip-allocation';
import { mustFind } from './lookups';
import { refuseBlockedDelete, refuseInvalidFields } from './rule-view';

export async function createVip(input: CreateVipInput, op: Op): Promise<Vip> {
  refuseInvalidFields('vip', input);
  const uuid = randomUUID();
  const address = await allocateIp({ l3NetworkUuid: input.l3NetworkUuid, ip: input.ip, usedFor: `${VIP_IP_OWNER_PREFIX}${uuid}` }, op, input.ip !== undefined ? 'ip' : 'l3NetworkUuid');
  const row = await M.VipRow.create(
    { uuid, name: input.name, description: input.description ?? '', l3NetworkUuid: input.l3NetworkUuid, ip: address.ip, useFor: null },
    { transaction: op.tx },
  );
  return vipInventory(row);
}

export async function updateVip(uuid: string, input: UpdateVipInput, op: Op): Promise<Vip> {
  const row = await mustFind(M.VipRow, 'vip', uuid, op);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return vipInventory(row);
}

export async function deleteVip(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.VipRow, 'vip', uuid, op);
  await refuseBlockedDelete(op, 'vip', vipInventory(row));
  await releaseIps({ l3NetworkUuid: row.l3NetworkUuid, usedFor: `${VIP_IP_OWNER_PREFIX}${uuid}` }, op);
  await row.destroy({ transaction: op.tx });
}

/** Marks what uses the VIP now (an EIP, port forwarding rules, nothing). */
export async function refreshVipUse(vipUuid: string, op: Op): Promise<void> {
  const vip = await M.VipRow.findByPk(vipUuid, { transaction: op.tx });
  if (!vip) return;
  const eip = await M.EipRow.count({ where: { vipUuid }, transaction: op.tx });
  const forwarding = await M.PortForwardingRuleRow.count({ where: { vipUuid }, transaction: op.tx });
  const useFor = eip > 0 ? 'Eip' : forwarding > 0 ? 'PortForwarding' : null;
  if (vip.useFor !== useFor) await vip.update({ useFor }, { transaction: op.tx });
}
