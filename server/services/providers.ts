/**
 * Network service providers. Built-in providers associate themselves with every new L2
 * network through the L2NetworkCreate extension point, as ZStack's do.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { disassociationBlockers } from '../../topology/evaluator';
import { SERVICES_BY_PROVIDER_TYPE, type L2Network, type NetworkServiceProvider } from '../../topology/model';
import type { CreateProviderInput } from '../../contract/schemas';
import * as M from '../db/models';
import { BUILTIN_PROVIDERS } from '../db/migrations/0002-builtin-providers';
import type { L2NetworkCreateExtensionPoint } from '../extension/points';
import type { Op } from './context';
import { providerInventory } from './inventory';
import { getObject } from './listing';
import { mustFind } from './lookups';
import { refuseBlockedDelete, refuseBrokenRules, refuseIf, refuseInvalidFields } from './rule-view';

export async function createProvider(input: CreateProviderInput, op: Op): Promise<NetworkServiceProvider> {
  refuseInvalidFields('networkServiceProvider', input);
  const fields = { uuid: randomUUID(), name: input.name, type: input.type, serviceTypes: [...SERVICES_BY_PROVIDER_TYPE[input.type]] };
  await refuseBrokenRules(op, 'networkServiceProvider', fields);
  return providerInventory(await M.NetworkServiceProviderRow.create(fields, { transaction: op.tx }), []);
}

export async function deleteProvider(uuid: string, op: Op): Promise<void> {
  await refuseBlockedDelete(op, 'networkServiceProvider', await getObject('networkServiceProvider', uuid, op));
  await M.NetworkServiceProviderRow.destroy({ where: { uuid }, transaction: op.tx });
}

export async function associateProviderWithL2(uuid: string, l2NetworkUuid: string, op: Op): Promise<NetworkServiceProvider> {
  await mustFind(M.NetworkServiceProviderRow, 'networkServiceProvider', uuid, op);
  await mustFind(M.L2NetworkRow, 'l2Network', l2NetworkUuid, op, 'l2NetworkUuid');
  await M.ProviderL2AssociationRow.findOrCreate({ where: { providerUuid: uuid, l2NetworkUuid }, transaction: op.tx });
  return getObject('networkServiceProvider', uuid, op);
}

export async function disassociateProviderFromL2(uuid: string, l2NetworkUuid: string, op: Op): Promise<NetworkServiceProvider> {
  const provider = await getObject('networkServiceProvider', uuid, op);
  await refuseIf(op, (view) => disassociationBlockers(view, provider, l2NetworkUuid));
  await M.ProviderL2AssociationRow.destroy({ where: { providerUuid: uuid, l2NetworkUuid }, transaction: op.tx });
  return getObject('networkServiceProvider', uuid, op);
}

/** Built-in providers offer their services on every L2 network from its creation. */
export const builtinProvidersOnNewL2: L2NetworkCreateExtensionPoint = {
  name: 'builtin-network-service-providers',
  async afterCreateL2Network(l2: L2Network, tx: Transaction) {
    const builtins = await M.NetworkServiceProviderRow.findAll({ where: { name: BUILTIN_PROVIDERS.map((p) => p.name) }, transaction: tx });
    for (const p of builtins) await M.ProviderL2AssociationRow.create({ providerUuid: p.uuid, l2NetworkUuid: l2.uuid }, { transaction: tx });
  },
};
