/**
 * Who a security group rule allows, as AWS CDK's ec2.Peer: an IPv4 network or the members of
 * a security group. Checked where a rule uses it (a CIDR that is not IPv4 fails naming the rule).
 */
import { keyOf } from './_topology';
import type { ISecurityGroup } from './interfaces';

/** The other end of a rule's traffic. */
export interface IPeer {
  /** Identifies the peer in the rule's construct id: the same peer gives the same rule. */
  readonly uniqueId: string;
  /** The IPv4 network of the peers. */
  readonly remoteCidr?: string;
  /** The group whose member NICs are the peers (kept up to date as its members change). */
  readonly remoteSecurityGroup?: ISecurityGroup;
}

export class Peer {
  /** The addresses of an IPv4 network, e.g. 10.0.0.0/8. */
  static ipv4(cidr: string): IPeer {
    return { uniqueId: cidr, remoteCidr: cidr };
  }

  /** Any IPv4 address (0.0.0.0/0). */
  static anyIpv4(): IPeer {
    return Peer.ipv4('0.0.0.0/0');
  }

  /** The member NICs of a security group. */
  static securityGroup(group: ISecurityGroup): IPeer {
    return { uniqueId: keyOf(group, group.securityGroupUuid), remoteSecurityGroup: group };
  }

  protected constructor() {}
}
