/**
 * Hardening (issue 9): pending network services (rule 18 waits instead of refusing), the
 * KVM agent's pinned certificate per host, and idempotency keys of creates.
 */
import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';
import { canonicalManagementIp } from '../../../topology/rules/hosts';

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
  // Management addresses in one canonical form (an IPv4-mapped IPv6 address is the IPv4
  // address), so a duplicate can't hide behind notation. Rows that would then collide keep
  // their spelling; the server refuses any new duplicate of either.
  const hosts = await qi.sequelize.query<{ uuid: string; management_ip: string }>('SELECT uuid, management_ip FROM hosts', { type: QueryTypes.SELECT });
  const taken = new Set(hosts.map((h) => h.management_ip));
  for (const h of hosts) {
    const canonical = canonicalManagementIp(h.management_ip);
    if (!canonical || canonical === h.management_ip || taken.has(canonical)) continue;
    await qi.bulkUpdate('hosts', { management_ip: canonical }, { uuid: h.uuid });
    taken.add(canonical);
  }
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('idempotency_keys');
  await qi.removeColumn('hosts', 'agent_fingerprint');
  await qi.removeColumn('network_service_attachments', 'pending_services');
}
