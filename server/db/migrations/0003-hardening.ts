/**
 * Hardening (issue 9): pending network services (rule 18 waits instead of refusing), the
 * KVM agent's pinned certificate per host, and idempotency keys of creates.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  // service -> why it waits; null or {} when every service is applied.
  await qi.addColumn('network_service_attachments', 'pending_services', { type: DataTypes.JSON, allowNull: true });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeColumn('network_service_attachments', 'pending_services');
}
