/**
 * Security groups, their rules and their member NICs. Every change that can alter what a
 * host filters goes through a FirewallChange (host-firewalls.ts): the hosts whose filter
 * differs afterwards get the new one, or the change is refused naming the host.
 */
import { randomUUID } from 'node:crypto';
import type { SecurityGroup, SecurityGroupAttachment, SecurityGroupRule } from '../../topology/model';
import type { CreateSecurityGroupAttachmentInput, CreateSecurityGroupInput, CreateSecurityGroupRuleInput, UpdateSecurityGroupInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { beginFirewallChange } from './host-firewalls';
import { securityGroupAttachmentInventory, securityGroupInventory, securityGroupRuleInventory } from './inventory';
import { mustFind } from './lookups';
import { refuseBlockedDelete, refuseBrokenRules, refuseInvalidFields } from './rule-view';
import { nicOf } from './vm-nics';

export async function createSecurityGroup(input: CreateSecurityGroupInput, op: Op): Promise<SecurityGroup> {
  refuseInvalidFields('securityGroup', input);
  const row = await M.SecurityGroupRow.create({ uuid: randomUUID(), name: input.name, description: input.description ?? '' }, { transaction: op.tx });
  return securityGroupInventory(row);
}

export async function updateSecurityGroup(uuid: string, input: UpdateSecurityGroupInput, op: Op): Promise<SecurityGroup> {
  const row = await mustFind(M.SecurityGroupRow, 'securityGroup', uuid, op);
  await row.update({ name: input.name ?? row.name, description: input.description ?? row.description }, { transaction: op.tx });
  return securityGroupInventory(row);
}

export async function deleteSecurityGroup(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.SecurityGroupRow, 'securityGroup', uuid, op);
  await refuseBlockedDelete(op, 'securityGroup', securityGroupInventory(row));
  await row.destroy({ transaction: op.tx });
}

export async function createSecurityGroupRule(input: CreateSecurityGroupRuleInput, op: Op): Promise<SecurityGroupRule> {
  refuseInvalidFields('securityGroupRule', input);
  await mustFind(M.SecurityGroupRow, 'securityGroup', input.securityGroupUuid, op, 'securityGroupUuid');
  if (input.remoteSecurityGroupUuid) await mustFind(M.SecurityGroupRow, 'securityGroup', input.remoteSecurityGroupUuid, op, 'remoteSecurityGroupUuid');
  const ported = input.protocol === 'TCP' || input.protocol === 'UDP';
  const portStart = ported ? (input.portStart ?? null) : null;
  const fields = {
    uuid: randomUUID(),
    securityGroupUuid: input.securityGroupUuid,
    direction: input.direction,
    protocol: input.protocol,
    portStart,
    portEnd: portStart === null ? null : (input.portEnd ?? portStart),
    remoteCidr: input.remoteCidr ?? null,
    remoteSecurityGroupUuid: input.remoteSecurityGroupUuid ?? null,
  };
  await refuseBrokenRules(op, 'securityGroupRule', fields);
  const firewalls = await beginFirewallChange(op);
  const row = await M.SecurityGroupRuleRow.create({ ...fields, description: input.description ?? '' }, { transaction: op.tx });
  await firewalls.finish();
  return securityGroupRuleInventory(row);
}

export async function deleteSecurityGroupRule(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.SecurityGroupRuleRow, 'securityGroupRule', uuid, op);
  const firewalls = await beginFirewallChange(op);
  await row.destroy({ transaction: op.tx });
  await firewalls.finish();
}

export async function attachSecurityGroup(input: CreateSecurityGroupAttachmentInput, op: Op): Promise<SecurityGroupAttachment> {
  await mustFind(M.SecurityGroupRow, 'securityGroup', input.securityGroupUuid, op, 'securityGroupUuid');
  const { nic } = await nicOf(input.vmInstanceUuid, input.l3NetworkUuid, op);
  const fields = { uuid: randomUUID(), securityGroupUuid: input.securityGroupUuid, vmInstanceUuid: input.vmInstanceUuid, l3NetworkUuid: nic.l3NetworkUuid };
  await refuseBrokenRules(op, 'securityGroupAttachment', fields);
  const firewalls = await beginFirewallChange(op);
  const row = await M.SecurityGroupAttachmentRow.create(fields, { transaction: op.tx });
  await firewalls.finish();
  return securityGroupAttachmentInventory(row);
}

export async function detachSecurityGroup(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.SecurityGroupAttachmentRow, 'securityGroupAttachment', uuid, op);
  const firewalls = await beginFirewallChange(op);
  await row.destroy({ transaction: op.tx });
  await firewalls.finish();
}
