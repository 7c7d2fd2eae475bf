/**
 * EIP, port forwarding and security groups (issue 12): VIPs, EIPs, port forwarding rules,
 * security groups, their rules and their member NICs.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

const id = () => ({ type: DataTypes.STRING(36), allowNull: false });
const times = { created_at: { type: DataTypes.DATE, allowNull: false }, updated_at: { type: DataTypes.DATE, allowNull: false } };
const named = { name: { type: DataTypes.STRING(255), allowNull: false }, description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' } };
const port = () => ({ type: DataTypes.INTEGER, allowNull: false });

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('vips', {
    uuid: { ...id(), primaryKey: true },
    ...named,
    l3_network_uuid: id(),
    ip: { type: DataTypes.STRING(45), allowNull: false },
    use_for: { type: DataTypes.STRING(16), allowNull: true },
    ...times,
  });
  await qi.addIndex('vips', ['l3_network_uuid']);
  await qi.createTable('eips', {
    uuid: { ...id(), primaryKey: true },
    ...named,
    vip_uuid: { ...id(), unique: true },
    vm_instance_uuid: id(),
    l3_network_uuid: id(),
    vip_ip: { type: DataTypes.STRING(45), allowNull: false },
    guest_ip: { type: DataTypes.STRING(45), allowNull: false },
    ...times,
  });
  await qi.addIndex('eips', ['vm_instance_uuid', 'l3_network_uuid'], { unique: true });
  await qi.createTable('port_forwarding_rules', {
    uuid: { ...id(), primaryKey: true },
    ...named,
    vip_uuid: id(),
    protocol: { type: DataTypes.STRING(8), allowNull: false },
    vip_port_start: port(),
    vip_port_end: port(),
    vm_instance_uuid: id(),
    l3_network_uuid: id(),
    guest_port_start: port(),
    guest_port_end: port(),
    allowed_cidr: { type: DataTypes.STRING(64), allowNull: true },
    vip_ip: { type: DataTypes.STRING(45), allowNull: false },
    guest_ip: { type: DataTypes.STRING(45), allowNull: false },
    ...times,
  });
  await qi.addIndex('port_forwarding_rules', ['vip_uuid']);
  await qi.addIndex('port_forwarding_rules', ['vm_instance_uuid']);
  await qi.createTable('security_groups', { uuid: { ...id(), primaryKey: true }, ...named, ...times });
  await qi.createTable('security_group_rules', {
    uuid: { ...id(), primaryKey: true },
    security_group_uuid: id(),
    direction: { type: DataTypes.STRING(8), allowNull: false },
    protocol: { type: DataTypes.STRING(8), allowNull: false },
    port_start: { type: DataTypes.INTEGER, allowNull: true },
    port_end: { type: DataTypes.INTEGER, allowNull: true },
    remote_cidr: { type: DataTypes.STRING(64), allowNull: true },
    remote_security_group_uuid: { type: DataTypes.STRING(36), allowNull: true },
    description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    ...times,
  });
  await qi.addIndex('security_group_rules', ['security_group_uuid']);
  await qi.addIndex('security_group_rules', ['remote_security_group_uuid']);
  await qi.createTable('security_group_attachments', {
    uuid: { ...id(), primaryKey: true },
    security_group_uuid: id(),
    vm_instance_uuid: id(),
    l3_network_uuid: id(),
    ...times,
  });
  await qi.addIndex('security_group_attachments', ['security_group_uuid', 'vm_instance_uuid', 'l3_network_uuid'], { unique: true });
  await qi.addIndex('security_group_attachments', ['vm_instance_uuid']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const t of ['security_group_attachments', 'security_group_rules', 'security_groups', 'port_forwarding_rules', 'eips', 'vips']) await qi.dropTable(t);
}
