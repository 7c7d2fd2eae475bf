// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_attachment
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface SecurityGroupAttachmentConfig extends cdktf.TerraformMetaArguments {
  /**
  * The L3 network of the VM's NIC; defaults to its first NIC's.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_attachment#l3_network_uuid SecurityGroupAttachment#l3_network_uuid}
  */
  readonly l3NetworkUuid?: string;
  /**
  * The group.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_attachment#security_group_uuid SecurityGroupAttachment#security_group_uuid}
  */
  readonly securityGroupUuid: string;
  /**
  * The VM whose NIC it is.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_attachment#vm_instance_uuid SecurityGroupAttachment#vm_instance_uuid}
  */
  readonly vmInstanceUuid: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_attachment netforge_security_group_attachment}
*/
export class SecurityGroupAttachment extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_security_group_attachment";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a SecurityGroupAttachment resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the SecurityGroupAttachment to import
  * @param importFromId The id of the existing SecurityGroupAttachment that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_attachment#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the SecurityGroupAttachment to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_security_group_attachment", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/security_group_attachment netforge_security_group_attachment} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options SecurityGroupAttachmentConfig
  */
  public constructor(scope: Construct, id: string, config: SecurityGroupAttachmentConfig) {
    super(scope, id, {
      terraformResourceType: 'netforge_security_group_attachment',
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
    this._l3NetworkUuid = config.l3NetworkUuid;
    this._securityGroupUuid = config.securityGroupUuid;
    this._vmInstanceUuid = config.vmInstanceUuid;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // l3_network_uuid - computed: true, optional: true, required: false
  private _l3NetworkUuid?: string; 
  public get l3NetworkUuid() {
    return this.getStringAttribute('l3_network_uuid');
  }
  public set l3NetworkUuid(value: string) {
    this._l3NetworkUuid = value;
  }
  public resetL3NetworkUuid() {
    this._l3NetworkUuid = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get l3NetworkUuidInput() {
    return this._l3NetworkUuid;
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

  // vm_instance_uuid - computed: false, optional: false, required: true
  private _vmInstanceUuid?: string; 
  public get vmInstanceUuid() {
    return this.getStringAttribute('vm_instance_uuid');
  }
  public set vmInstanceUuid(value: string) {
    this._vmInstanceUuid = value;
  }
  // Temporarily expose input value. Use with caution.
  public get vmInstanceUuidInput() {
    return this._vmInstanceUuid;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      l3_network_uuid: cdktf.stringToTerraform(this._l3NetworkUuid),
      security_group_uuid: cdktf.stringToTerraform(this._securityGroupUuid),
      vm_instance_uuid: cdktf.stringToTerraform(this._vmInstanceUuid),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      l3_network_uuid: {
        value: cdktf.stringToHclTerraform(this._l3NetworkUuid),
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
      vm_instance_uuid: {
        value: cdktf.stringToHclTerraform(this._vmInstanceUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
