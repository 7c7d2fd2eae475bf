import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import { AppTopology, known } from './_topology';
import { assertValid, withoutUnresolved } from './_validation';
import { DataNetforgeSecurityGroup } from './imports/providers/netforge/data-netforge-security-group';
import { SecurityGroup as SecurityGroupResource } from './imports/providers/netforge/security-group';
import type { IL3Network, ISecurityGroup, IVmInstance } from './interfaces';
import type { IPeer } from './peer';
import type { Port } from './port';
import { SecurityGroupAttachment } from './security-group-attachment';
import { SecurityGroupRule } from './security-group-rule';

export type { ISecurityGroup };

export interface SecurityGroupProps {
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

/** A security group that exists on the server, looked up by name at plan time; rules and members can still be added. */
export class ImportedSecurityGroup extends DataNetforgeSecurityGroup implements ISecurityGroup {
  readonly securityGroupName: string;

  constructor(scope: Construct, id: string, name: string) {
    super(scope, id, { name });
    this.securityGroupName = name;
    AppTopology.of(this).register('securityGroup', this, { name: known(name) }, { complete: false });
  }

  get securityGroupUuid(): string {
    return this.uuid;
  }

  /** See SecurityGroup.allowFrom. */
  allowFrom(peer: IPeer, port: Port, description?: string): SecurityGroupRule {
    return SecurityGroupRule.addTo(this, 'Ingress', peer, port, description);
  }

  /** See SecurityGroup.allowTo. */
  allowTo(peer: IPeer, port: Port, description?: string): SecurityGroupRule {
    return SecurityGroupRule.addTo(this, 'Egress', peer, port, description);
  }

  /** See SecurityGroup.addMember. */
  addMember(vm: IVmInstance, l3Network?: IL3Network): SecurityGroupAttachment {
    return SecurityGroupAttachment.addTo(this, { vm, l3Network });
  }
}

/**
 * A security group: stateful filtering of its member NICs. A NIC in groups receives only what
 * their ingress rules allow (replies pass), and sends anything unless a group of it has egress
 * rules, then only what those allow. Rules and members are resources of their own.
 */
export class SecurityGroup extends Construct implements ISecurityGroup {
  /** An existing security group on the server, looked up by name at plan time. */
  static fromName(scope: Construct, id: string, name: string): ImportedSecurityGroup {
    return new ImportedSecurityGroup(scope, id, name);
  }

  readonly securityGroupUuid: string;
  readonly securityGroupName: string;
  readonly resource: SecurityGroupResource;

  constructor(scope: Construct, id: string, props: SecurityGroupProps = {}) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description };
    assertValid(this, withoutUnresolved(OBJECTS.securityGroup.rules?.(fields) ?? [], fields));
    this.resource = new SecurityGroupResource(this, 'Resource', { name, description: props.description });
    this.node.defaultChild = this.resource;
    this.securityGroupUuid = this.resource.uuid;
    this.securityGroupName = name;
    AppTopology.of(this).register('securityGroup', this, { name: known(name) }, { complete: true, resource: this.resource });
  }

  /**
   * Lets members receive `port` traffic from `peer` (an Ingress rule). The same peer and port
   * again returns the rule already made.
   */
  allowFrom(peer: IPeer, port: Port, description?: string): SecurityGroupRule {
    return SecurityGroupRule.addTo(this, 'Ingress', peer, port, description);
  }

  /**
   * Lets members send `port` traffic to `peer` (an Egress rule; once a group of a NIC has one,
   * the NIC sends only what egress rules allow). The same peer and port again returns the rule already made.
   */
  allowTo(peer: IPeer, port: Port, description?: string): SecurityGroupRule {
    return SecurityGroupRule.addTo(this, 'Egress', peer, port, description);
  }

  /** Makes a VM's NIC a member (on `l3Network`, else its first NIC); its L3 network needs the SecurityGroup service. */
  addMember(vm: IVmInstance, l3Network?: IL3Network): SecurityGroupAttachment {
    return SecurityGroupAttachment.addTo(this, { vm, l3Network });
  }

  /** The rules of this app in the group, in the order they were made. */
  get rules(): SecurityGroupRule[] {
    return AppTopology.of(this)
      .constructs('securityGroupRule', { securityGroupUuid: this.node.path })
      .filter((c): c is SecurityGroupRule => c instanceof SecurityGroupRule);
  }

  /** The memberships of this app in the group, in the order they were made. */
  get members(): SecurityGroupAttachment[] {
    return AppTopology.of(this)
      .constructs('securityGroupAttachment', { securityGroupUuid: this.node.path })
      .filter((c): c is SecurityGroupAttachment => c instanceof SecurityGroupAttachment);
  }
}
