import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import type { SecurityGroupDirection } from '../topology/model';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, withoutUnresolved, withPropNames } from './_validation';
import { SecurityGroupRule as SecurityGroupRuleResource } from './imports/providers/netforge/security-group-rule';
import type { ISecurityGroup } from './interfaces';
import type { IPeer } from './peer';
import type { Port } from './port';

export interface SecurityGroupRuleProps {
  readonly securityGroup: ISecurityGroup;
  /** Ingress: what member NICs may receive from the peer; Egress: what they may send to it. */
  readonly direction: SecurityGroupDirection;
  readonly peer: IPeer;
  readonly port: Port;
  /** @default none */
  readonly description?: string;
}

/** How violations name the rule's fields: after the props. */
const PROP_NAMES: Readonly<Record<string, string>> = {
  portStart: 'port',
  portEnd: 'port',
  remoteCidr: 'peer',
  remoteSecurityGroupUuid: 'peer',
  securityGroupUuid: 'securityGroup',
};

/** One rule of a security group: a netforge_security_group_rule of its own, never inline. */
export class SecurityGroupRule extends Construct {
  /**
   * The construct id of a group's rule, from what it allows (as AWS CDK's "from <peer>:<port>"):
   * stable across synths, and the same for the same rule.
   */
  static idFor(direction: SecurityGroupDirection, peer: IPeer, port: Port): string {
    return `${direction === 'Ingress' ? 'from' : 'to'} ${peer.uniqueId}:${port}`;
  }

  /**
   * The rule under `group` for this direction, peer and port: made on the first call, the
   * same construct after (its first description kept).
   */
  static addTo(group: ISecurityGroup & Construct, direction: SecurityGroupDirection, peer: IPeer, port: Port, description?: string): SecurityGroupRule {
    const id = SecurityGroupRule.idFor(direction, peer, port);
    const existing = group.node.tryFindChild(id);
    if (existing instanceof SecurityGroupRule) return existing;
    try {
      return new SecurityGroupRule(group, id, { securityGroup: group, direction, peer, port, description });
    } catch (err) {
      // A refused rule leaves no half-made child for the next identical call to return.
      const child = group.node.tryFindChild(id);
      if (child) group.node.tryRemoveChild(child.node.id);
      throw err;
    }
  }

  readonly securityGroupRuleUuid: string;
  readonly direction: SecurityGroupDirection;
  readonly peer: IPeer;
  readonly port: Port;
  readonly resource: SecurityGroupRuleResource;

  constructor(scope: Construct, id: string, props: SecurityGroupRuleProps) {
    super(scope, id);
    const { peer, port } = props;
    this.direction = props.direction;
    this.peer = peer;
    this.port = port;
    const remoteGroup = peer.remoteSecurityGroup;
    const fields = {
      direction: props.direction,
      protocol: port.protocol,
      portStart: port.portStart,
      portEnd: port.portEnd,
      remoteCidr: peer.remoteCidr,
      remoteSecurityGroupUuid: remoteGroup?.securityGroupUuid,
      description: props.description,
    };
    const topology = AppTopology.of(this);
    const facts = {
      securityGroupUuid: keyOf(props.securityGroup, props.securityGroup.securityGroupUuid),
      direction: known(props.direction),
      protocol: known(port.protocol),
      portStart: known(port.portStart ?? null),
      portEnd: known(port.portEnd ?? null),
      remoteCidr: known(peer.remoteCidr ?? null),
      remoteSecurityGroupUuid: remoteGroup ? keyOf(remoteGroup, remoteGroup.securityGroupUuid) : null,
    };
    // Its own fields, and the group's rule count against the rules made before.
    assertValid(
      this,
      withPropNames([...withoutUnresolved(OBJECTS.securityGroupRule.rules?.(fields) ?? [], fields), ...topology.checkObject('securityGroupRule', { uuid: this.node.path, ...facts })], PROP_NAMES),
    );
    this.resource = new SecurityGroupRuleResource(this, 'Resource', {
      securityGroupUuid: props.securityGroup.securityGroupUuid,
      direction: props.direction,
      protocol: port.protocol,
      portStart: port.portStart,
      portEnd: port.portEnd,
      remoteCidr: peer.remoteCidr,
      remoteSecurityGroupUuid: remoteGroup?.securityGroupUuid,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.securityGroupRuleUuid = this.resource.uuid;
    topology.register('securityGroupRule', this, facts, { complete: true, resource: this.resource });
  }
}
