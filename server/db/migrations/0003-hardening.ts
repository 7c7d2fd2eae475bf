/**
 * Hardening (issue 9): pending network services (rule 18 waits instead of refusing), the
 * KVM agent's pinned certificate per host, and idempotency keys of creates.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  // service -> why it waits; null or {} when every service is applied.
  await qi.addColumn('network_service_attachments', 'pending_services', { type: DataTypes.JSON, allowNull: true });
  // KVM hosts: the agent certificate the server pins (sha256:<hex>).
  await qi.addColumn('hosts', 'agent_fingerprint', { type: DataTypes.STRING(71), allowNull: true });
  // Creates retried with the same Idempotency-Key get the first answer back.
  await qi.createTable('idempotency_keys', {
    key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
    fingerprint: { type: DataTypes.STRING(64), allowNull: false },
    status: { type: DataTypes.INTEGER, allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('idempotency_keys', ['created_at']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('idempotency_keys');
  await qi.removeColumn('hosts', 'agent_fingerprint');
  await qi.removeColumn('network_service_attachments', 'pending_services');
}
