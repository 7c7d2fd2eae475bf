import { Construct } from 'constructs';
import { needsServiceOnNic, NIC_PROP_NAMES, nicFacts, type NicOptions } from './_nic';
import { AppTopology, keyOf } from './_topology';
import { assertValid, withPropNames } from './_validation';
import { SecurityGroupAttachment as SecurityGroupAttachmentResource } from './imports/providers/netforge/security-group-attachment';
import type { ISecurityGroup } from './interfaces';

export interface SecurityGroupAttachmentProps extends NicOptions {
  readonly securityGroup: ISecurityGroup;
}

/**
 * A VM NIC's membership of a security group. The NIC's L3 network needs the SecurityGroup
 * service (the SecurityGroup provider).
 */
export class SecurityGroupAttachment extends Construct {
  /**
   * The membership under `group` of this VM's NIC: made on the first call, the same construct
   * after. Its id names the VM (and L3 network), so it is stable across synths.
   */
  static addTo(group: ISecurityGroup & Construct, nic: NicOptions): SecurityGroupAttachment {
    const { vmInstanceUuid, l3NetworkUuid } = nicFacts(nic);
    const id = l3NetworkUuid === undefined ? `member ${vmInstanceUuid}` : `member ${vmInstanceUuid} on ${l3NetworkUuid}`;
    const existing = group.node.tryFindChild(id);
    if (existing instanceof SecurityGroupAttachment) return existing;
    try {
      return new SecurityGroupAttachment(group, id, { ...nic, securityGroup: group });
    } catch (err) {
      // A refused membership leaves no half-made child for the next identical call to return.
      const child = group.node.tryFindChild(id);
      if (child) group.node.tryRemoveChild(child.node.id);
      throw err;
    }
  }

  readonly securityGroupAttachmentUuid: string;
  readonly resource: SecurityGroupAttachmentResource;

  constructor(scope: Construct, id: string, props: SecurityGroupAttachmentProps) {
    super(scope, id);
    const topology = AppTopology.of(this);
    const facts = { securityGroupUuid: keyOf(props.securityGroup, props.securityGroup.securityGroupUuid), ...nicFacts(props) };
    // Against the VM's NICs and the memberships made before; the service at synth.
    assertValid(this, withPropNames(topology.checkObject('securityGroupAttachment', { uuid: this.node.path, ...facts }, { rules: ['nicExists', 'memberOnce'] }), NIC_PROP_NAMES));
    this.resource = new SecurityGroupAttachmentResource(this, 'Resource', {
      securityGroupUuid: props.securityGroup.securityGroupUuid,
      vmInstanceUuid: props.vm.vmInstanceUuid,
      l3NetworkUuid: props.l3Network?.l3NetworkUuid,
    });
    this.node.defaultChild = this.resource;
    this.securityGroupAttachmentUuid = this.resource.uuid;
    topology.register('securityGroupAttachment', this, facts, { complete: true, resource: this.resource });
    needsServiceOnNic(this, 'securityGroupAttachment', 'SecurityGroupAttached', 'SecurityGroup', this.resource, props);
  }
}
