// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface SecurityGroupRuleConfig extends cdktf.TerraformMetaArguments {
  /**
  * Free text.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#description SecurityGroupRule#description}
  */
  readonly description?: string;
  /**
  * Ingress or Egress.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#direction SecurityGroupRule#direction}
  */
  readonly direction: string;
  /**
  * TCP/UDP: last port; defaults to port_start.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#port_end SecurityGroupRule#port_end}
  */
  readonly portEnd?: number;
  /**
  * TCP/UDP: first port; every port when not set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#port_start SecurityGroupRule#port_start}
  */
  readonly portStart?: number;
  /**
  * TCP, UDP, ICMP or ALL.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#protocol SecurityGroupRule#protocol}
  */
  readonly protocol: string;
  /**
  * IPv4 network of the peers; anywhere when neither this nor remote_security_group_uuid is set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#remote_cidr SecurityGroupRule#remote_cidr}
  */
  readonly remoteCidr?: string;
  /**
  * The peers are this group's NICs (kept up to date as its members change).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#remote_security_group_uuid SecurityGroupRule#remote_security_group_uuid}
  */
  readonly remoteSecurityGroupUuid?: string;
  /**
  * The group.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#security_group_uuid SecurityGroupRule#security_group_uuid}
  */
  readonly securityGroupUuid: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule netforge_security_group_rule}
*/
export class SecurityGroupRule extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_security_group_rule";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a SecurityGroupRule resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the SecurityGroupRule to import
  * @param importFromId The id of the existing SecurityGroupRule that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the SecurityGroupRule to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_security_group_rule", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_rule netforge_security_group_rule} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options SecurityGroupRuleConfig
  */
  public constructor(scope: Construct, id: string, config: SecurityGroupRuleConfig) {
    super(scope, id, {
      terraformResourceType: 'netforge_security_group_rule',
      terraformGeneratorMetadata: {
        providerName: 'netforge',
        providerVersion: '0.1.0',
        providerVersionConstraint: '0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._description = config.description;
    this._direction = config.direction;
    this._portEnd = config.portEnd;
    this._portStart = config.portStart;
    this._protocol = config.protocol;
    this._remoteCidr = config.remoteCidr;
    this._remoteSecurityGroupUuid = config.remoteSecurityGroupUuid;
    this._securityGroupUuid = config.securityGroupUuid;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // description - computed: true, optional: true, required: false
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  public resetDescription() {
    this._description = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
  }

  // direction - computed: false, optional: false, required: true
  private _direction?: string; 
  public get direction() {
    return this.getStringAttribute('direction');
  }
  public set direction(value: string) {
    this._direction = value;
  }
  // Temporarily expose input value. Use with caution.
  public get directionInput() {
    return this._direction;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // port_end - computed: true, optional: true, required: false
  private _portEnd?: number; 
  public get portEnd() {
    return this.getNumberAttribute('port_end');
  }
  public set portEnd(value: number) {
    this._portEnd = value;
  }
  public resetPortEnd() {
    this._portEnd = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get portEndInput() {
    return this._portEnd;
  }

  // port_start - computed: false, optional: true, required: false
  private _portStart?: number; 
  public get portStart() {
    return this.getNumberAttribute('port_start');
  }
  public set portStart(value: number) {
    this._portStart = value;
  }
  public resetPortStart() {
    this._portStart = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get portStartInput() {
    return this._portStart;
  }

  // protocol - computed: false, optional: false, required: true
  private _protocol?: string; 
  public get protocol() {
    return this.getStringAttribute('protocol');
  }
  public set protocol(value: string) {
    this._protocol = value;
  }
  // Temporarily expose input value. Use with caution.
  public get protocolInput() {
    return this._protocol;
  }

  // remote_cidr - computed: false, optional: true, required: false
  private _remoteCidr?: string; 
  public get remoteCidr() {
    return this.getStringAttribute('remote_cidr');
  }
  public set remoteCidr(value: string) {
    this._remoteCidr = value;
  }
  public resetRemoteCidr() {
    this._remoteCidr = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get remoteCidrInput() {
    return this._remoteCidr;
  }

  // remote_security_group_uuid - computed: false, optional: true, required: false
  private _remoteSecurityGroupUuid?: string; 
  public get remoteSecurityGroupUuid() {
    return this.getStringAttribute('remote_security_group_uuid');
  }
  public set remoteSecurityGroupUuid(value: string) {
    this._remoteSecurityGroupUuid = value;
  }
  public resetRemoteSecurityGroupUuid() {
    this._remoteSecurityGroupUuid = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get remoteSecurityGroupUuidInput() {
    return this._remoteSecurityGroupUuid;
  }

  // security_group_uuid - computed: false, optional: false, required: true
  private _securityGroupUuid?: string; 
  public get securityGroupUuid() {
    return this.getStringAttribute('security_group_uuid');
  }
  public set securityGroupUuid(value: string) {
    this._securityGroupUuid = value;
  }
  // Temporarily expose input value. Use with caution.
  public get securityGroupUuidInput() {
    return this._securityGroupUuid;
  }

  // uuid - computed: true, optional: false, required: false
  public get uuid() {
    return this.getStringAttribute('uuid');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      description: cdktf.stringToTerraform(this._description),
      direction: cdktf.stringToTerraform(this._direction),
      port_end: cdktf.numberToTerraform(this._portEnd),
      port_start: cdktf.numberToTerraform(this._portStart),
      protocol: cdktf.stringToTerraform(this._protocol),
      remote_cidr: cdktf.stringToTerraform(this._remoteCidr),
      remote_security_group_uuid: cdktf.stringToTerraform(this._remoteSecurityGroupUuid),
      security_group_uuid: cdktf.stringToTerraform(this._securityGroupUuid),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      description: {
        value: cdktf.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      direction: {
        value: cdktf.stringToHclTerraform(this._direction),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      port_end: {
        value: cdktf.numberToHclTerraform(this._portEnd),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      port_start: {
        value: cdktf.numberToHclTerraform(this._portStart),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      protocol: {
        value: cdktf.stringToHclTerraform(this._protocol),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      remote_cidr: {
        value: cdktf.stringToHclTerraform(this._remoteCidr),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      remote_security_group_uuid: {
        value: cdktf.stringToHclTerraform(this._remoteSecurityGroupUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      security_group_uuid: {
        value: cdktf.stringToHclTerraform(this._securityGroupUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
