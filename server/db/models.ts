/**
 * Sequelize models: the one place where tables map to classes. The schema itself is
 * owned by the migrations; models never sync.
 */
import { DataTypes, Model, type Sequelize } from 'sequelize';
import type {
  HostRoute,
  HostState,
  HypervisorType,
  L2Type,
  PortForwardingProtocol,
  ProviderType,
  SecurityGroupDirection,
  SecurityGroupProtocol,
  ServiceType,
  VirtualRouterState,
} from '../../topology/model';

export class ZoneRow extends Model {
  declare uuid: string;
  declare name: string;
  declare description: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class ClusterRow extends Model {
  declare uuid: string;
  declare name: string;
  declare zoneUuid: string;
  declare hypervisorType: HypervisorType;
  declare description: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class HostRow extends Model {
  declare uuid: string;
  declare name: string;
  declare clusterUuid: string;
  declare managementIp: string;
  declare agentFingerprint: string | null;
  declare state: HostState;
  declare description: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class L2NetworkRow extends Model {
  declare uuid: string;
  declare name: string;
  declare zoneUuid: string;
  declare type: L2Type;
  declare physicalInterface: string;
  declare vlan: number | null;
  declare vni: number | null;
  declare description: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class L2ClusterAttachmentRow extends Model {
  declare uuid: string;
  declare l2NetworkUuid: string;
  declare clusterUuid: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class L3NetworkRow extends Model {
  declare uuid: string;
  declare name: string;
  declare l2NetworkUuid: string;
  declare ipVersion: 4 | 6;
  declare cidr: string;
  declare gateway: string;
  declare dnsServers: string[];
  declare dnsDomain: string | null;
  declare hostRoutes: HostRoute[];
  declare mtu: number;
  declare description: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class IpRangeRow extends Model {
  declare uuid: string;
  declare name: string;
  declare l3NetworkUuid: string;
  declare startIp: string;
  declare endIp: string;
  /** Its first and last address as sortable keys (topology/ip.ts ipKeyOf): what overlap checks query. */
  declare startKey: string;
  declare endKey: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class NetworkServiceProviderRow extends Model {
  declare uuid: string;
  declare name: string;
  declare type: ProviderType;
  declare serviceTypes: ServiceType[];
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class ProviderL2AssociationRow extends Model {
  declare providerUuid: string;
  declare l2NetworkUuid: string;
}
export class NetworkServiceAttachmentRow extends Model {
  declare uuid: string;
  declare l3NetworkUuid: string;
  declare providerUuid: string;
  declare services: ServiceType[];
  /** VirtualRouter: the L3 network its router leaves through. */
  declare publicL3NetworkUuid: string | null;
  /** service -> why it is not realized yet; null when none waits. */
  declare pendingServices: Partial<Record<ServiceType, string>> | null;
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class VmInstanceRow extends Model {
  declare uuid: string;
  declare name: string;
  declare hostname: string;
  declare hostUuid: string;
  declare state: 'Running' | 'Stopped';
  declare createdAt: Date;
  declare updatedAt: Date;
}
export class VmNicRow extends Model {
  declare uuid: string;
  declare vmInstanceUuid: string;
  declare l3NetworkUuid: string;
  declare deviceIndex: number;
  declare ip: string;
  declare mac: string;
  declare deviceName: string;
}
export class AllocatedIpRow extends Model {
  declare uuid: string;
  declare l3NetworkUuid: string;
  declare ipRangeUuid: string;
  declare ip: string;
  /** The address as a sortable key (topology/ip.ts ipKeyOf): what allocation walks. */
  declare ipKey: string;
  declare usedFor: string | null;
  declare createdAt: Date;
}

/** Below `floorKey`, every address of the L3's ranges is allocated (or its gateway). */
export class IpAllocationFloorRow extends Model {
  declare l3NetworkUuid: string;
  declare floorKey: string;
}

export class VirtualRouterRow extends Model {
  declare uuid: string;
  declare name: string;
  declare l3NetworkUuid: string;
  declare publicL3NetworkUuid: string;
  /** null until it is placed. */
  declare hostUuid: string | null;
  declare guestNicUuid: string;
  /** The guest L3 network's gateway. */
  declare guestIp: string;
  declare guestMac: string;
  declare publicNicUuid: string;
  declare publicMac: string;
  /** null until an address of the public network is allocated to it. */
  declare publicIp: string | null;
  declare state: VirtualRouterState;
  declare pendingReason: string | null;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class VipRow extends Model {
  declare uuid: string;
  declare name: string;
  declare description: string;
  declare l3NetworkUuid: string;
  declare ip: string;
  /** Eip or PortForwarding while used (set by their creates and deletes); null when free. */
  declare useFor: 'Eip' | 'PortForwarding' | null;
  declare createdAt: Date;
  declare updatedAt: Date;
}

/** The addresses are kept with the row: a VIP's and a NIC's address never change while they exist. */
export class EipRow extends Model {
  declare uuid: string;
  declare name: string;
  declare description: string;
  declare vipUuid: string;
  declare vmInstanceUuid: string;
  declare l3NetworkUuid: string;
  declare vipIp: string;
  declare guestIp: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class PortForwardingRuleRow extends Model {
  declare uuid: string;
  declare name: string;
  declare description: string;
  declare vipUuid: string;
  declare protocol: PortForwardingProtocol;
  declare vipPortStart: number;
  declare vipPortEnd: number;
  declare vmInstanceUuid: string;
  declare l3NetworkUuid: string;
  declare guestPortStart: number;
  declare guestPortEnd: number;
  declare allowedCidr: string | null;
  declare vipIp: string;
  declare guestIp: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class SecurityGroupRow extends Model {
  declare uuid: string;
  declare name: string;
  declare description: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class SecurityGroupRuleRow extends Model {
  declare uuid: string;
  declare securityGroupUuid: string;
  declare direction: SecurityGroupDirection;
  declare protocol: SecurityGroupProtocol;
  declare portStart: number | null;
  declare portEnd: number | null;
  declare remoteCidr: string | null;
  declare remoteSecurityGroupUuid: string | null;
  declare description: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class SecurityGroupAttachmentRow extends Model {
  declare uuid: string;
  declare securityGroupUuid: string;
  declare vmInstanceUuid: string;
  declare l3NetworkUuid: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class IdempotencyKeyRow extends Model {
  declare key: string;
  /** sha256 of method, path and body: the same key with another request is refused. */
  declare fingerprint: string;
  declare status: number;
  /** The JSON the first request was answered with. */
  declare body: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

const str = (len = 255) => ({ type: DataTypes.STRING(len), allowNull: false });
const pk = { type: DataTypes.STRING(36), primaryKey: true };
const text = { type: DataTypes.TEXT, allowNull: false, defaultValue: '' };

export function initModels(sequelize: Sequelize): void {
  const opts = (tableName: string) => ({ sequelize, tableName, underscored: true });
  ZoneRow.init({ uuid: pk, name: str(), description: text }, opts('zones'));
  ClusterRow.init({ uuid: pk, name: str(), zoneUuid: str(36), hypervisorType: str(32), description: text }, opts('clusters'));
  HostRow.init(
    {
      uuid: pk,
      name: str(),
      clusterUuid: str(36),
      managementIp: str(45),
      agentFingerprint: { type: DataTypes.STRING(71), allowNull: true },
      state: str(16),
      description: text,
    },
    opts('hosts'),
  );
  L2NetworkRow.init(
    {
      uuid: pk,
      name: str(),
      zoneUuid: str(36),
      type: str(32),
      physicalInterface: str(15),
      vlan: { type: DataTypes.INTEGER, allowNull: true },
      vni: { type: DataTypes.INTEGER, allowNull: true },
      description: text,
    },
    opts('l2_networks'),
  );
  L2ClusterAttachmentRow.init({ uuid: pk, l2NetworkUuid: str(36), clusterUuid: str(36) }, opts('l2_cluster_attachments'));
  L3NetworkRow.init(
    {
      uuid: pk,
      name: str(),
      l2NetworkUuid: str(36),
      ipVersion: { type: DataTypes.INTEGER, allowNull: false },
      cidr: str(49),
      gateway: str(45),
      dnsServers: { type: DataTypes.JSON, allowNull: false },
      dnsDomain: { type: DataTypes.STRING(253), allowNull: true },
      hostRoutes: { type: DataTypes.JSON, allowNull: false },
      mtu: { type: DataTypes.INTEGER, allowNull: true },
      description: text,
    },
    opts('l3_networks'),
  );
  IpRangeRow.init({ uuid: pk, name: str(), l3NetworkUuid: str(36), startIp: str(45), endIp: str(45), startKey: str(32), endKey: str(32) }, opts('ip_ranges'));
  NetworkServiceProviderRow.init(
    { uuid: pk, name: str(), type: str(32), serviceTypes: { type: DataTypes.JSON, allowNull: false } },
    opts('network_service_providers'),
  );
  ProviderL2AssociationRow.init(
    { providerUuid: { ...str(36), primaryKey: true }, l2NetworkUuid: { ...str(36), primaryKey: true } },
    opts('provider_l2_associations'),
  );
  NetworkServiceAttachmentRow.init(
    {
      uuid: pk,
      l3NetworkUuid: str(36),
      providerUuid: str(36),
      services: { type: DataTypes.JSON, allowNull: false },
      publicL3NetworkUuid: { type: DataTypes.STRING(36), allowNull: true },
      pendingServices: { type: DataTypes.JSON, allowNull: true },
    },
    opts('network_service_attachments'),
  );
  VmInstanceRow.init({ uuid: pk, name: str(), hostname: str(63), hostUuid: str(36), state: str(16) }, opts('vm_instances'));
  VirtualRouterRow.init(
    {
      uuid: pk,
      name: str(),
      l3NetworkUuid: str(36),
      publicL3NetworkUuid: str(36),
      hostUuid: { type: DataTypes.STRING(36), allowNull: true },
      guestNicUuid: str(36),
      guestIp: str(45),
      guestMac: str(17),
      publicNicUuid: str(36),
      publicMac: str(17),
      publicIp: { type: DataTypes.STRING(45), allowNull: true },
      state: str(16),
      pendingReason: { type: DataTypes.TEXT, allowNull: true },
    },
    opts('virtual_routers'),
  );
  VipRow.init(
    { uuid: pk, name: str(), description: text, l3NetworkUuid: str(36), ip: str(45), useFor: { type: DataTypes.STRING(16), allowNull: true } },
    opts('vips'),
  );
  EipRow.init(
    { uuid: pk, name: str(), description: text, vipUuid: str(36), vmInstanceUuid: str(36), l3NetworkUuid: str(36), vipIp: str(45), guestIp: str(45) },
    opts('eips'),
  );
  // A new definition per attribute: Sequelize writes each attribute's column name into it.
  const port = () => ({ type: DataTypes.INTEGER, allowNull: false });
  PortForwardingRuleRow.init(
    {
      uuid: pk,
      name: str(),
      description: text,
      vipUuid: str(36),
      protocol: str(8),
      vipPortStart: port(),
      vipPortEnd: port(),
      vmInstanceUuid: str(36),
      l3NetworkUuid: str(36),
      guestPortStart: port(),
      guestPortEnd: port(),
      allowedCidr: { type: DataTypes.STRING(64), allowNull: true },
      vipIp: str(45),
      guestIp: str(45),
    },
    opts('port_forwarding_rules'),
  );
  SecurityGroupRow.init({ uuid: pk, name: str(), description: text }, opts('security_groups'));
  SecurityGroupRuleRow.init(
    {
      uuid: pk,
      securityGroupUuid: str(36),
      direction: str(8),
      protocol: str(8),
      portStart: { type: DataTypes.INTEGER, allowNull: true },
      portEnd: { type: DataTypes.INTEGER, allowNull: true },
      remoteCidr: { type: DataTypes.STRING(64), allowNull: true },
      remoteSecurityGroupUuid: { type: DataTypes.STRING(36), allowNull: true },
      description: text,
    },
    opts('security_group_rules'),
  );
  SecurityGroupAttachmentRow.init({ uuid: pk, securityGroupUuid: str(36), vmInstanceUuid: str(36), l3NetworkUuid: str(36) }, opts('security_group_attachments'));
  VmNicRow.init(
    {
      uuid: pk,
      vmInstanceUuid: str(36),
      l3NetworkUuid: str(36),
      deviceIndex: { type: DataTypes.INTEGER, allowNull: false },
      ip: str(45),
      mac: str(17),
      deviceName: str(15),
    },
    opts('vm_nics'),
  );
  IdempotencyKeyRow.init(
    { key: { type: DataTypes.STRING(255), primaryKey: true }, fingerprint: str(64), status: { type: DataTypes.INTEGER, allowNull: false }, body: { type: DataTypes.TEXT, allowNull: false } },
    opts('idempotency_keys'),
  );
  AllocatedIpRow.init(
    { uuid: pk, l3NetworkUuid: str(36), ipRangeUuid: str(36), ip: str(45), ipKey: str(32), usedFor: { type: DataTypes.STRING(255), allowNull: true } },
    opts('allocated_ips'),
  );
  // Its own definition objects: Sequelize writes into them (the shared pk names the uuid column).
  IpAllocationFloorRow.init({ l3NetworkUuid: { type: DataTypes.STRING(36), primaryKey: true }, floorKey: str(32) }, { ...opts('ip_allocation_floors'), timestamps: false });
}
