/**
 * What the constructs refer to each other by: the object's uuid (a token until deploy) and
 * name. A construct of this app and one imported by name (Zone.fromName...) both implement
 * these, so a child never needs to know which it was given. Kept apart from the classes so
 * that parents and children import one another in one direction only.
 */

/** A zone: the scope of clusters and L2 networks. */
export interface IZone {
  readonly zoneUuid: string;
  readonly zoneName: string;
}

/** A cluster of hosts of one hypervisor type. */
export interface ICluster {
  readonly clusterUuid: string;
  readonly clusterName: string;
  readonly zone?: IZone;
}

/** A hypervisor host. */
export interface IHost {
  readonly hostUuid: string;
}

/** An L2 network: a broadcast domain on a physical interface. */
export interface IL2Network {
  readonly l2NetworkUuid: string;
  readonly l2NetworkName: string;
}

/** An L3 network: a subnet on an L2 network. */
export interface IL3Network {
  readonly l3NetworkUuid: string;
  readonly l3NetworkName: string;
}

/** A VM: what EIPs, port forwarding rules and security groups name its NICs by. */
export interface IVmInstance {
  readonly vmInstanceUuid: string;
}

/** A virtual IP: an address of an L3 network, for one EIP or for port forwarding rules. */
export interface IVip {
  readonly vipUuid: string;
  /** The address (known after apply unless given). */
  readonly ip: string;
}

/** A security group: filtering of its member NICs. */
export interface ISecurityGroup {
  readonly securityGroupUuid: string;
  readonly securityGroupName: string;
}
