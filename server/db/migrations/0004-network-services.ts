/**
 * Network services on a real data plane (issue 11): the public network a virtual router
 * leaves through, an MTU per L3 network (sent by DHCP), a DNS host name per VM, and the
 * virtual routers themselves (one per guest L3 network with VirtualRouter services).
 */
import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';
import { hostnameFromName } from '../../../topology/dns-names';
import type { L2Type } from '../../../topology/model';
import { defaultMtu } from '../../../topology/rules/l3';

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('network_service_attachments', 'public_l3_network_uuid', { type: DataTypes.STRING(36), allowNull: true });
  // Set on every create (the L2 type's default unless given); existing networks get that default.
  await qi.addColumn('l3_networks', 'mtu', { type: DataTypes.INTEGER, allowNull: true });
  const l3s = await qi.sequelize.query<{ uuid: string; type: L2Type }>('SELECT l3.uuid AS uuid, l2.type AS type FROM l3_networks l3 JOIN l2_networks l2 ON l2.uuid = l3.l2_network_uuid', {
    type: QueryTypes.SELECT,
  });
  for (const l3 of l3s) await qi.bulkUpdate('l3_networks', { mtu: defaultMtu(l3.type) }, { uuid: l3.uuid });
  await qi.addColumn('vm_instances', 'hostname', { type: DataTypes.STRING(63), allowNull: false, defaultValue: '' });
  const vms = await qi.sequelize.query<{ uuid: string; name: string }>('SELECT uuid, name FROM vm_instances', { type: QueryTypes.SELECT });
  for (const vm of vms) await qi.bulkUpdate('vm_instances', { hostname: hostnameFromName(vm.name) ?? `vm-${vm.uuid.slice(0, 8)}` }, { uuid: vm.uuid });
  await qi.createTable('virtual_routers', {
    uuid: { type: DataTypes.STRING(36), allowNull: false, primaryKey: true },
    name: { type: DataTypes.STRING(255), allowNull: false },
    l3_network_uuid: { type: DataTypes.STRING(36), allowNull: false, unique: true },
    public_l3_network_uuid: { type: DataTypes.STRING(36), allowNull: false },
    host_uuid: { type: DataTypes.STRING(36), allowNull: true },
    guest_nic_uuid: { type: DataTypes.STRING(36), allowNull: false },
    guest_ip: { type: DataTypes.STRING(45), allowNull: false },
    guest_mac: { type: DataTypes.STRING(17), allowNull: false },
    public_nic_uuid: { type: DataTypes.STRING(36), allowNull: false },
    public_mac: { type: DataTypes.STRING(17), allowNull: false },
    public_ip: { type: DataTypes.STRING(45), allowNull: true },
    state: { type: DataTypes.STRING(16), allowNull: false },
    pending_reason: { type: DataTypes.TEXT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('virtual_routers', ['host_uuid']);
  await qi.addIndex('virtual_routers', ['public_l3_network_uuid']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('virtual_routers');
  await qi.removeColumn('vm_instances', 'hostname');
  await qi.removeColumn('l3_networks', 'mtu');
  await qi.removeColumn('network_service_attachments', 'public_l3_network_uuid');
}
