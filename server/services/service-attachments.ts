import { randomUUID } from 'node:crypto';
import { countFreeIps } from '../../topology/ip-allocation';
import { checkDhcpPrefix, checkServiceAttachment, validateServiceList } from '../../topology/rules/services';
import type { NetworkServiceAttachment } from '../../topology/model';
import type { CreateServiceAttachmentInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { applyServices, releaseServices } from './host-effects';
import { l3Inventory, serviceAttachmentInventory } from './inventory';
import { mustFind } from './lookups';
import { providerWithL2s } from './providers';

export async function attachServices(input: CreateServiceAttachmentInput, op: Op): Promise<NetworkServiceAttachment> {
  const l3Row = await mustFind(M.L3NetworkRow, 'L3Network', input.l3NetworkUuid, op, 'l3NetworkUuid');
  throwIfViolations([...validateServiceList(input.services), ...checkDhcpPrefix(input.services, l3Row.cidr)]);
  const providerRow = await mustFind(M.NetworkServiceProviderRow, 'NetworkServiceProvider', input.providerUuid, op, 'providerUuid');
  const provider = await providerWithL2s(providerRow, op.tx);
  const existing = await M.NetworkServiceAttachmentRow.findAll({ where: { l3NetworkUuid: l3Row.uuid }, transaction: op.tx });
  const providerNames = new Map(
    (await M.NetworkServiceProviderRow.findAll({ where: { uuid: existing.map((e) => e.providerUuid) }, transaction: op.tx })).map((p) => [p.uuid, p.name]),
  );
  const ranges = await M.IpRangeRow.findAll({ where: { l3NetworkUuid: l3Row.uuid }, transaction: op.tx });
  const allocated = await M.AllocatedIpRow.count({ where: { l3NetworkUuid: l3Row.uuid }, transaction: op.tx });
  throwIfViolations(
    [],
    checkServiceAttachment({
      l3: l3Row,
      provider,
      services: input.services,
      existing: existing.map((e) => ({ uuid: e.uuid, providerUuid: e.providerUuid, providerName: providerNames.get(e.providerUuid) ?? e.providerUuid, services: e.services })),
      freeIpCount: countFreeIps(ranges, allocated),
    }),
  );
  const row = await M.NetworkServiceAttachmentRow.create(
    { uuid: randomUUID(), l3NetworkUuid: l3Row.uuid, providerUuid: provider.uuid, services: [...input.services] },
    { transaction: op.tx },
  );
  const attachment = serviceAttachmentInventory(row);
  await applyServices(l3Inventory(l3Row), provider.type, attachment, op);
  return attachment;
}

export async function releaseServiceAttachment(row: M.NetworkServiceAttachmentRow, op: Op): Promise<void> {
  const l3 = await mustFind(M.L3NetworkRow, 'L3Network', row.l3NetworkUuid, op);
  const provider = await mustFind(M.NetworkServiceProviderRow, 'NetworkServiceProvider', row.providerUuid, op);
  await releaseServices(l3Inventory(l3), provider.type, serviceAttachmentInventory(row), op);
  await row.destroy({ transaction: op.tx });
}

export async function detachServices(uuid: string, op: Op): Promise<void> {
  await releaseServiceAttachment(await mustFind(M.NetworkServiceAttachmentRow, 'NetworkServiceAttachment', uuid, op), op);
}
