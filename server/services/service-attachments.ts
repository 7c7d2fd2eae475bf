/**
 * Network services on L3 networks. An attachment is accepted when rules 15-17 and the
 * public network's rules hold; what it needs and does not have yet (a host for the
 * virtual router, an address of the public network, a free address for flat DHCP) makes
 * it pending with the reason instead of refusing it, and it is realized as soon as it can
 * be (service-readiness.ts, service-convergence.ts), so the outcome does not depend on
 * the order Terraform creates resources in. Attaching and detaching realize on the hosts
 * at once; a host that fails undoes the change and is named (409).
 */
import { randomUUID } from 'node:crypto';
import type { NetworkServiceAttachment } from '../../topology/model';
import type { CreateServiceAttachmentInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { serviceAttachmentInventory } from './inventory';
import { getObject } from './listing';
import { mustFind } from './lookups';
import { fieldViolations, refuseBrokenRules, refuseBlockedDelete } from './rule-view';
import { beginFirewallChange } from './host-firewalls';
import { beginServiceChange } from './service-convergence';

export async function attachServices(input: CreateServiceAttachmentInput, op: Op): Promise<NetworkServiceAttachment> {
  const l3Row = await mustFind(M.L3NetworkRow, 'l3Network', input.l3NetworkUuid, op, 'l3NetworkUuid');
  const fields = {
    uuid: randomUUID(),
    l3NetworkUuid: l3Row.uuid,
    providerUuid: input.providerUuid,
    services: [...input.services],
    publicL3NetworkUuid: input.publicL3NetworkUuid ?? null,
  };
  // The service list and what the L3 alone rules out come before looking the provider up.
  await refuseBrokenRules(op, 'networkServiceAttachment', fields, { refusal: 'invalid', alsoInvalid: fieldViolations('networkServiceAttachment', input) });
  await getObject('networkServiceProvider', input.providerUuid, op, 'providerUuid');
  if (fields.publicL3NetworkUuid) await mustFind(M.L3NetworkRow, 'l3Network', fields.publicL3NetworkUuid, op, 'publicL3NetworkUuid');
  await refuseBrokenRules(op, 'networkServiceAttachment', fields, { refusal: 'conflict' });
  const change = await beginServiceChange(op, [l3Row.uuid]);
  const firewalls = fields.services.includes('SecurityGroup') ? await beginFirewallChange(op) : null;
  const row = await M.NetworkServiceAttachmentRow.create({ ...fields, pendingServices: null }, { transaction: op.tx });
  await change.finish('strict');
  try {
    await firewalls?.finish();
  } catch (err) {
    await change.rollback();
    throw err;
  }
  await row.reload({ transaction: op.tx });
  return serviceAttachmentInventory(row);
}

/** Removes the attachment's services from the hosts (the router goes with the last VirtualRouter attachment). */
export async function releaseServiceAttachment(row: M.NetworkServiceAttachmentRow, op: Op): Promise<void> {
  const change = await beginServiceChange(op, [row.l3NetworkUuid]);
  // Without the SecurityGroup service its members' NICs on this L3 are no longer filtered.
  const firewalls = row.services.includes('SecurityGroup') ? await beginFirewallChange(op) : null;
  await row.destroy({ transaction: op.tx });
  await change.finish('strict');
  try {
    await firewalls?.finish();
  } catch (err) {
    await change.rollback();
    throw err;
  }
}

export async function detachServices(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.NetworkServiceAttachmentRow, 'networkServiceAttachment', uuid, op);
  await refuseBlockedDelete(op, 'networkServiceAttachment', serviceAttachmentInventory(row));
  await releaseServiceAttachment(row, op);
}
