/**
 * Network services on L3 networks. An attachment is accepted when rules 15-17 hold; a
 * service that can't be realized yet (rule 18: DHCP before the L3 has free addresses) is
 * stored as pending with its reason and realized by convergeServices as soon as it can be,
 * so the outcome does not depend on the order Terraform creates resources in.
 */
import { randomUUID } from 'node:crypto';
import { countFreeIps } from '../../topology/ip-allocation';
import { pendingServices } from '../../topology/rules/services';
import type { NetworkServiceAttachment, ServiceType } from '../../topology/model';
import type { CreateServiceAttachmentInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { applyServices, releaseServices } from './host-effects';
import { l3Inventory, serviceAttachmentInventory } from './inventory';
import { getObject } from './listing';
import { mustFind } from './lookups';
import { fieldViolations, refuseBrokenRules } from './rule-view';

async function freeIpCount(l3Uuid: string, op: Op): Promise<bigint> {
  const ranges = await M.IpRangeRow.findAll({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx });
  const allocated = await M.AllocatedIpRow.count({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx });
  return countFreeIps(ranges, allocated);
}

function pendingMap(pending: ReadonlyArray<{ service: ServiceType; reason: string }>): Partial<Record<ServiceType, string>> | null {
  return pending.length === 0 ? null : Object.fromEntries(pending.map((p) => [p.service, p.reason]));
}

/** Services of the attachment that are realized (not pending). */
function appliedServices(row: M.NetworkServiceAttachmentRow): ServiceType[] {
  return row.services.filter((s) => row.pendingServices?.[s] === undefined);
}

export async function attachServices(input: CreateServiceAttachmentInput, op: Op): Promise<NetworkServiceAttachment> {
  const l3Row = await mustFind(M.L3NetworkRow, 'l3Network', input.l3NetworkUuid, op, 'l3NetworkUuid');
  const fields = { uuid: randomUUID(), l3NetworkUuid: l3Row.uuid, providerUuid: input.providerUuid, services: [...input.services] };
  // The service list and what the L3 alone rules out come before looking the provider up.
  await refuseBrokenRules(op, 'networkServiceAttachment', fields, { refusal: 'invalid', alsoInvalid: fieldViolations('networkServiceAttachment', input) });
  const provider = await getObject('networkServiceProvider', input.providerUuid, op, 'providerUuid');
  await refuseBrokenRules(op, 'networkServiceAttachment', fields, { refusal: 'conflict' });
  const pending = pendingServices(input.services, l3Row, await freeIpCount(l3Row.uuid, op));
  const row = await M.NetworkServiceAttachmentRow.create({ ...fields, pendingServices: pendingMap(pending) }, { transaction: op.tx });
  const attachment = serviceAttachmentInventory(row);
  await applyServices(l3Inventory(l3Row), provider.type, attachment, appliedServices(row), op);
  return attachment;
}

/**
 * Realizes the pending services of the L3's attachments that can be realized now. Called
 * whenever what they wait for may have appeared (IP ranges created, addresses released).
 * A service whose realization fails stays pending with the failure as its reason.
 */
export async function convergeServices(l3Uuid: string, op: Op): Promise<void> {
  const waiting = (await M.NetworkServiceAttachmentRow.findAll({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx })).filter(
    (a) => a.pendingServices && Object.keys(a.pendingServices).length > 0,
  );
  if (waiting.length === 0) return;
  const l3Row = await mustFind(M.L3NetworkRow, 'l3Network', l3Uuid, op);
  const free = await freeIpCount(l3Uuid, op);
  for (const row of waiting) {
    const wasPending = row.services.filter((s) => row.pendingServices?.[s] !== undefined);
    const stillPending = pendingServices(wasPending, l3Row, free);
    const ready = wasPending.filter((s) => !stillPending.some((p) => p.service === s));
    let failed: Array<{ service: ServiceType; reason: string }> = [];
    if (ready.length > 0) {
      const provider = await mustFind(M.NetworkServiceProviderRow, 'networkServiceProvider', row.providerUuid, op);
      try {
        await applyServices(l3Inventory(l3Row), provider.type, serviceAttachmentInventory(row), ready, op);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        op.parts.log.warn({ err, attachment: row.uuid }, 'pending network services could not be realized');
        failed = ready.map((service) => ({ service, reason: `could not be realized: ${message}` }));
      }
    }
    await row.update({ pendingServices: pendingMap([...stillPending, ...failed]) }, { transaction: op.tx });
  }
}

/** At start-up: every L3 with services still pending gets another try (a failed apply, a range added before a crash). */
export async function convergeAllServices(op: Op): Promise<void> {
  const rows = await M.NetworkServiceAttachmentRow.findAll({ transaction: op.tx });
  const l3s = new Set(rows.filter((r) => r.pendingServices && Object.keys(r.pendingServices).length > 0).map((r) => r.l3NetworkUuid));
  for (const l3 of l3s) await convergeServices(l3, op);
}

export async function releaseServiceAttachment(row: M.NetworkServiceAttachmentRow, op: Op): Promise<void> {
  const l3 = await mustFind(M.L3NetworkRow, 'l3Network', row.l3NetworkUuid, op);
  const provider = await mustFind(M.NetworkServiceProviderRow, 'networkServiceProvider', row.providerUuid, op);
  await releaseServices(l3Inventory(l3), provider.type, serviceAttachmentInventory(row), appliedServices(row), op);
  await row.destroy({ transaction: op.tx });
}

export async function detachServices(uuid: string, op: Op): Promise<void> {
  await releaseServiceAttachment(await mustFind(M.NetworkServiceAttachmentRow, 'networkServiceAttachment', uuid, op), op);
}
