/**
 * Network service providers. Built-in providers associate themselves with every new L2
 * network through the L2NetworkCreate extension point, as ZStack's do.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { SERVICES_BY_PROVIDER_TYPE, type L2Network, type NetworkServiceProvider } from '../../topology/model';
import { validateName } from '../../topology/rules/names';
import { violation } from '../../topology/violation';
import type { CreateProviderInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import { BUILTIN_PROVIDERS } from '../db/migrations/0002-builtin-providers';
import type { L2NetworkCreateExtensionPoint } from '../extension/points';
import type { Op } from './context';
import { providerInventory } from './inventory';
import { mustFind } from './lookups';

export async function providerWithL2s(row: M.NetworkServiceProviderRow, tx?: Transaction): Promise<NetworkServiceProvider> {
  const assoc = await M.ProviderL2AssociationRow.findAll({ where: { providerUuid: row.uuid }, transaction: tx });
  return providerInventory(row, assoc.map((a) => a.l2NetworkUuid));
}

export async function createProvider(input: CreateProviderInput, op: Op): Promise<NetworkServiceProvider> {
  throwIfViolations(validateName(input.name));
  const clash = await M.NetworkServiceProviderRow.findOne({ where: { name: input.name }, transaction: op.tx });
  if (clash) {
    throwIfViolations([], [violation('NAME_CONFLICT', 'name', `a network service provider named '${input.name}' already exists (${clash.uuid})`, { type: 'NetworkServiceProvider', uuid: clash.uuid, name: clash.name })]);
  }
  const row = await M.NetworkServiceProviderRow.create(
    { uuid: randomUUID(), name: input.name, type: input.type, serviceTypes: [...SERVICES_BY_PROVIDER_TYPE[input.type]] },
    { transaction: op.tx },
  );
  return providerInventory(row, []);
}

export async function deleteProvider(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.NetworkServiceProviderRow, 'NetworkServiceProvider', uuid, op);
  const used = await M.NetworkServiceAttachmentRow.findAll({ where: { providerUuid: uuid }, transaction: op.tx });
  throwIfViolations(
    [],
    used.map((a) =>
      violation('PROVIDER_IN_USE', 'uuid', `provider '${row.name}' still serves L3 network ${a.l3NetworkUuid} (attachment ${a.uuid}); detach it first`, {
        type: 'NetworkServiceAttachment',
        uuid: a.uuid,
      }),
    ),
  );
  await row.destroy({ transaction: op.tx });
}

export async function associateProviderWithL2(uuid: string, l2NetworkUuid: string, op: Op): Promise<NetworkServiceProvider> {
  const row = await mustFind(M.NetworkServiceProviderRow, 'NetworkServiceProvider', uuid, op);
  await mustFind(M.L2NetworkRow, 'L2Network', l2NetworkUuid, op, 'l2NetworkUuid');
  await M.ProviderL2AssociationRow.findOrCreate({ where: { providerUuid: uuid, l2NetworkUuid }, transaction: op.tx });
  return providerWithL2s(row, op.tx);
}

export async function disassociateProviderFromL2(uuid: string, l2NetworkUuid: string, op: Op): Promise<NetworkServiceProvider> {
  const row = await mustFind(M.NetworkServiceProviderRow, 'NetworkServiceProvider', uuid, op);
  const l3Uuids = (await M.L3NetworkRow.findAll({ where: { l2NetworkUuid }, transaction: op.tx })).map((l) => l.uuid);
  const used = await M.NetworkServiceAttachmentRow.findAll({ where: { providerUuid: uuid, l3NetworkUuid: l3Uuids }, transaction: op.tx });
  throwIfViolations(
    [],
    used.map((a) =>
      violation('PROVIDER_IN_USE', 'l2NetworkUuid', `provider '${row.name}' still serves L3 network ${a.l3NetworkUuid} on this L2 (attachment ${a.uuid})`, {
        type: 'NetworkServiceAttachment',
        uuid: a.uuid,
      }),
    ),
  );
  await M.ProviderL2AssociationRow.destroy({ where: { providerUuid: uuid, l2NetworkUuid }, transaction: op.tx });
  return providerWithL2s(row, op.tx);
}

/** Built-in providers offer their services on every L2 network from its creation. */
export const builtinProvidersOnNewL2: L2NetworkCreateExtensionPoint = {
  name: 'builtin-network-service-providers',
  async afterCreateL2Network(l2: L2Network, tx: Transaction) {
    const builtins = await M.NetworkServiceProviderRow.findAll({ where: { name: BUILTIN_PROVIDERS.map((p) => p.name) }, transaction: tx });
    for (const p of builtins) await M.ProviderL2AssociationRow.create({ providerUuid: p.uuid, l2NetworkUuid: l2.uuid }, { transaction: tx });
  },
};
