/**
 * Allocation and overlap checks that don't read every row (issue 15): each allocated
 * address, and each IP range's first and last address, gets a sortable key (the 128-bit
 * value as 32 hex digits), indexed per L3; each L3 gets a floor below which every address of
 * its ranges is taken.
 */
import { DataTypes, type QueryInterface } from 'sequelize';
import { ipKeyOf } from '../../../topology/ip';

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('allocated_ips', 'ip_key', { type: DataTypes.STRING(32), allowNull: true });
  const rows = (await qi.sequelize.query('SELECT uuid, ip FROM allocated_ips', { type: 'SELECT' })) as Array<{ uuid: string; ip: string }>;
  // One transaction for the backfill: one commit, not one per row.
  await qi.sequelize.transaction(async (transaction) => {
    for (const r of rows) {
      await qi.sequelize.query('UPDATE allocated_ips SET ip_key = :key WHERE uuid = :uuid', { replacements: { key: ipKeyOf(r.ip), uuid: r.uuid }, transaction });
    }
  });
  await qi.addIndex('allocated_ips', ['l3_network_uuid', 'ip_key'], { unique: true, name: 'allocated_ips_l3_key' });
  await qi.addColumn('ip_ranges', 'start_key', { type: DataTypes.STRING(32), allowNull: true });
  await qi.addColumn('ip_ranges', 'end_key', { type: DataTypes.STRING(32), allowNull: true });
  const ranges = (await qi.sequelize.query('SELECT uuid, start_ip, end_ip FROM ip_ranges', { type: 'SELECT' })) as Array<{ uuid: string; start_ip: string; end_ip: string }>;
  await qi.sequelize.transaction(async (transaction) => {
    for (const r of ranges) {
      await qi.sequelize.query('UPDATE ip_ranges SET start_key = :start, end_key = :end WHERE uuid = :uuid', {
        replacements: { start: ipKeyOf(r.start_ip), end: ipKeyOf(r.end_ip), uuid: r.uuid },
        transaction,
      });
    }
  });
  await qi.addIndex('ip_ranges', ['l3_network_uuid', 'start_key'], { name: 'ip_ranges_l3_start' });
  await qi.createTable('ip_allocation_floors', {
    l3_network_uuid: { type: DataTypes.STRING(36), allowNull: false, primaryKey: true, references: { model: 'l3_networks', key: 'uuid' }, onDelete: 'CASCADE' },
    floor_key: { type: DataTypes.STRING(32), allowNull: false },
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('ip_allocation_floors');
  await qi.removeIndex('ip_ranges', 'ip_ranges_l3_start');
  await qi.removeColumn('ip_ranges', 'end_key');
  await qi.removeColumn('ip_ranges', 'start_key');
  await qi.removeIndex('allocated_ips', 'allocated_ips_l3_key');
  await qi.removeColumn('allocated_ips', 'ip_key');
}
