/** The built-in network service providers, as ZStack ships them. */
import { randomUUID } from 'node:crypto';
import type { QueryInterface } from 'sequelize';
import { SERVICES_BY_PROVIDER_TYPE, type ProviderType } from '../../../topology/model';

export const BUILTIN_PROVIDERS: ReadonlyArray<{ name: string; type: ProviderType }> = [
  { name: 'vrouter', type: 'VirtualRouter' },
  { name: 'flat', type: 'Flat' },
  { name: 'securitygroup', type: 'SecurityGroup' },
];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const now = new Date();
  await qi.bulkInsert(
    'network_service_providers',
    BUILTIN_PROVIDERS.map((p) => ({
      uuid: randomUUID(),
      name: p.name,
      type: p.type,
      service_types: JSON.stringify(SERVICES_BY_PROVIDER_TYPE[p.type]),
      created_at: now,
      updated_at: now,
    })),
  );
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.bulkDelete('network_service_providers', { name: BUILTIN_PROVIDERS.map((p) => p.name) });
}
