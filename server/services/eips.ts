/**
 * EIPs and port forwarding rules: a VIP's traffic to a VM NIC. Realized by the provider of
 * the EIP or PortForwarding service of the NIC's L3 network (the virtual router: DNAT and
 * SNAT in its namespace), so each change re-converges that network's services, strictly:
 * a host that fails it is named and nothing stays half done.
 */
import { randomUUID } from 'node:crypto';
import type { Eip, PortForwardingRule } from '../../topology/model';
import { forwardedPorts } from '../../topology/rules/vip-services';
import type { CreateEipInput, CreatePortForwardingRuleInput, UpdateEipInput, UpdatePortForwardingRuleInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { eipInventory, portForwardingInventory } from './inventory';
import { mustFind } from './lookups';
import { refuseBrokenRules, refuseInvalidFields } from './rule-view';
import { beginServiceChange } from './service-convergence';
import { refreshVipUse } from './vips';
import { nicOf } from './vm-nics';

export async function createEip(input: CreateEipInput, op: Op): Promise<Eip> {
  refuseInvalidFields('eip', input);
  const vip = await mustFind(M.VipRow, 'vip', input.vipUuid, op, 'vipUuid');
  const { nic } = await nicOf(input.vmInstanceUuid, input.l3NetworkUuid, op);
  const uuid = randomUUID();
  const fields = { uuid, name: input.name, vipUuid: vip.uuid, vmInstanceUuid: input.vmInstanceUuid, l3NetworkUuid: nic.l3NetworkUuid };
  await refuseBrokenRules(op, 'eip', fields);
  const services = await beginServiceChange(op, [nic.l3NetworkUuid]);
  const row = await M.EipRow.create({ ...fields, description: input.description ?? '', vipIp: vip.ip, guestIp: nic.ip }, { transaction: op.tx });
  await refreshVipUse(vip.uuid, op);
  await services.finish('strict');
  return eipInventory(row);
}

export async function updateEip(uuid: string, input: UpdateEipInput, op: Op): Promise<Eip> {
  const row = await mustFind(M.EipRow, 'eip', uuid, op);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return eipInventory(row);
}

export async function deleteEip(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.EipRow, 'eip', uuid, op);
  const services = await beginServiceChange(op, [row.l3NetworkUuid]);
  await row.destroy({ transaction: op.tx });
  await refreshVipUse(row.vipUuid, op);
  await services.finish('strict');
}

export async function createPortForwardingRule(input: CreatePortForwardingRuleInput, op: Op): Promise<PortForwardingRule> {
  refuseInvalidFields('portForwardingRule', input);
  const vip = await mustFind(M.VipRow, 'vip', input.vipUuid, op, 'vipUuid');
  const { nic } = await nicOf(input.vmInstanceUuid, input.l3NetworkUuid, op);
  const ports = forwardedPorts(input);
  const uuid = randomUUID();
  const fields = {
    uuid,
    name: input.name,
    vipUuid: vip.uuid,
    protocol: input.protocol,
    vipPortStart: ports.vipStart,
    vipPortEnd: ports.vipEnd,
    guestPortStart: ports.guestStart,
    guestPortEnd: ports.guestEnd,
    vmInstanceUuid: input.vmInstanceUuid,
    l3NetworkUuid: nic.l3NetworkUuid,
    allowedCidr: input.allowedCidr ?? null,
  };
  await refuseBrokenRules(op, 'portForwardingRule', fields);
  const services = await beginServiceChange(op, [nic.l3NetworkUuid]);
  const row = await M.PortForwardingRuleRow.create({ ...fields, description: input.description ?? '', vipIp: vip.ip, guestIp: nic.ip }, { transaction: op.tx });
  await refreshVipUse(vip.uuid, op);
  await services.finish('strict');
  return portForwardingInventory(row);
}

export async function updatePortForwardingRule(uuid: string, input: UpdatePortForwardingRuleInput, op: Op): Promise<PortForwardingRule> {
  const row = await mustFind(M.PortForwardingRuleRow, 'portForwardingRule', uuid, op);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return portForwardingInventory(row);
}

export async function deletePortForwardingRule(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.PortForwardingRuleRow, 'portForwardingRule', uuid, op);
  const services = await beginServiceChange(op, [row.l3NetworkUuid]);
  await row.destroy({ transaction: op.tx });
  await refreshVipUse(row.vipUuid, op);
  await services.finish('strict');
}
