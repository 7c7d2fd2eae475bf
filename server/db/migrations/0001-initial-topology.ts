/**
 * The initial schema. Written with queryInterface only, so the same migration runs on
 * SQLite and PostgreSQL. Uniqueness that rules depend on is enforced by the database too
 * (one attachment per L2/cluster pair, one allocation per L3/IP).
 */
import { DataTypes, type QueryInterface } from 'sequelize';

const uuid = { type: DataTypes.STRING(36), allowNull: false };
const name = { type: DataTypes.STRING(255), allowNull: false };
const description = { type: DataTypes.TEXT, allowNull: false, defaultValue: '' };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};
function ref(table: string, onDelete: 'CASCADE' | 'RESTRICT' = 'RESTRICT') {
  return { ...uuid, references: { model: table, key: 'uuid' }, onDelete };
}

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('zones', { uuid: { ...uuid, primaryKey: true }, name, description, ...timestamps });
  await qi.createTable('clusters', {
    uuid: { ...uuid, primaryKey: true },
    name,
    zone_uuid: ref('zones'),
    hypervisor_type: { type: DataTypes.STRING(32), allowNull: false },
    description,
    ...timestamps,
  });
  await qi.createTable('hosts', {
    uuid: { ...uuid, primaryKey: true },
    name,
    cluster_uuid: ref('clusters'),
    management_ip: { type: DataTypes.STRING(45), allowNull: false },
    state: { type: DataTypes.STRING(16), allowNull: false },
    description,
    ...timestamps,
  });
  await qi.createTable('l2_networks', {
    uuid: { ...uuid, primaryKey: true },
    name,
    zone_uuid: ref('zones'),
    type: { type: DataTypes.STRING(32), allowNull: false },
    physical_interface: { type: DataTypes.STRING(15), allowNull: false },
    vlan: { type: DataTypes.INTEGER, allowNull: true },
    vni: { type: DataTypes.INTEGER, allowNull: true },
    description,
    ...timestamps,
  });
  await qi.createTable('l2_cluster_attachments', {
    uuid: { ...uuid, primaryKey: true },
    l2_network_uuid: ref('l2_networks'),
    cluster_uuid: ref('clusters'),
    ...timestamps,
  });
  await qi.addIndex('l2_cluster_attachments', ['l2_network_uuid', 'cluster_uuid'], { unique: true, name: 'l2_cluster_attachments_pair' });
  await qi.createTable('l3_networks', {
    uuid: { ...uuid, primaryKey: true },
    name,
    l2_network_uuid: ref('l2_networks'),
    ip_version: { type: DataTypes.INTEGER, allowNull: false },
    cidr: { type: DataTypes.STRING(49), allowNull: false },
    gateway: { type: DataTypes.STRING(45), allowNull: false },
    dns_servers: { type: DataTypes.JSON, allowNull: false },
    dns_domain: { type: DataTypes.STRING(253), allowNull: true },
    host_routes: { type: DataTypes.JSON, allowNull: false },
    description,
    ...timestamps,
  });
  await qi.createTable('ip_ranges', {
    uuid: { ...uuid, primaryKey: true },
    name,
    l3_network_uuid: ref('l3_networks', 'CASCADE'),
    start_ip: { type: DataTypes.STRING(45), allowNull: false },
    end_ip: { type: DataTypes.STRING(45), allowNull: false },
    ...timestamps,
  });
  await qi.createTable('network_service_providers', {
    uuid: { ...uuid, primaryKey: true },
    name: { ...name, unique: true },
    type: { type: DataTypes.STRING(32), allowNull: false },
    service_types: { type: DataTypes.JSON, allowNull: false },
    ...timestamps,
  });
  await qi.createTable('provider_l2_associations', {
    provider_uuid: { ...ref('network_service_providers', 'CASCADE'), primaryKey: true },
    l2_network_uuid: { ...ref('l2_networks', 'CASCADE'), primaryKey: true },
    ...timestamps,
  });
  await qi.createTable('network_service_attachments', {
    uuid: { ...uuid, primaryKey: true },
    l3_network_uuid: ref('l3_networks', 'CASCADE'),
    provider_uuid: ref('network_service_providers'),
    services: { type: DataTypes.JSON, allowNull: false },
    ...timestamps,
  });
  await qi.createTable('vm_instances', {
    uuid: { ...uuid, primaryKey: true },
    name,
    host_uuid: ref('hosts'),
    state: { type: DataTypes.STRING(16), allowNull: false },
    ...timestamps,
  });
  await qi.createTable('vm_nics', {
    uuid: { ...uuid, primaryKey: true },
    vm_instance_uuid: ref('vm_instances', 'CASCADE'),
    l3_network_uuid: ref('l3_networks'),
    device_index: { type: DataTypes.INTEGER, allowNull: false },
    ip: { type: DataTypes.STRING(45), allowNull: false },
    mac: { type: DataTypes.STRING(17), allowNull: false },
    device_name: { type: DataTypes.STRING(15), allowNull: false },
    ...timestamps,
  });
  await qi.createTable('allocated_ips', {
    uuid: { ...uuid, primaryKey: true },
    l3_network_uuid: ref('l3_networks'),
    ip_range_uuid: ref('ip_ranges'),
    ip: { type: DataTypes.STRING(45), allowNull: false },
    used_for: { type: DataTypes.STRING(255), allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('allocated_ips', ['l3_network_uuid', 'ip'], { unique: true, name: 'allocated_ips_l3_ip' });
  for (const [table, column] of [
    ['clusters', 'zone_uuid'],
    ['hosts', 'cluster_uuid'],
    ['l2_networks', 'zone_uuid'],
    ['l3_networks', 'l2_network_uuid'],
    ['ip_ranges', 'l3_network_uuid'],
    ['vm_nics', 'vm_instance_uuid'],
    ['allocated_ips', 'ip_range_uuid'],
  ]) {
    await qi.addIndex(table, [column]);
  }
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const table of [
    'allocated_ips',
    'vm_nics',
    'vm_instances',
    'network_service_attachments',
    'provider_l2_associations',
    'network_service_providers',
    'ip_ranges',
    'l3_networks',
    'l2_cluster_attachments',
    'l2_networks',
    'hosts',
    'clusters',
    'zones',
  ]) {
    await qi.dropTable(table);
  }
}
