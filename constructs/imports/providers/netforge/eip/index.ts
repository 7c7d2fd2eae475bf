// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface EipConfig extends cdktf.TerraformMetaArguments {
  /**
  * Free text.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip#description Eip#description}
  */
  readonly description?: string;
  /**
  * The L3 network of the VM's NIC; defaults to its first NIC's.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip#l3_network_uuid Eip#l3_network_uuid}
  */
  readonly l3NetworkUuid?: string;
  /**
  * Name: 1-128 letters, digits, spaces and . _ : @ ( ) / + , -
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip#name Eip#name}
  */
  readonly name: string;
  /**
  * The VIP.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip#vip_uuid Eip#vip_uuid}
  */
  readonly vipUuid: string;
  /**
  * The VM whose NIC it is.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip#vm_instance_uuid Eip#vm_instance_uuid}
  */
  readonly vmInstanceUuid: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip netforge_eip}
*/
export class Eip extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_eip";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Eip resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Eip to import
  * @param importFromId The id of the existing Eip that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Eip to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_eip", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/eip netforge_eip} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options EipConfig
  */
  public constructor(scope: Construct, id: string, config: EipConfig) {
    super(scope, id, {
      terraformResourceType: 'netforge_eip',
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
    this._l3NetworkUuid = config.l3NetworkUuid;
    this._name = config.name;
    this._vipUuid = config.vipUuid;
    this._vmInstanceUuid = config.vmInstanceUuid;
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

  // guest_ip - computed: true, optional: false, required: false
  public get guestIp() {
    return this.getStringAttribute('guest_ip');
  }

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

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // uuid - computed: true, optional: false, required: false
  public get uuid() {
    return this.getStringAttribute('uuid');
  }

  // vip_ip - computed: true, optional: false, required: false
  public get vipIp() {
    return this.getStringAttribute('vip_ip');
  }

  // vip_uuid - computed: false, optional: false, required: true
  private _vipUuid?: string; 
  public get vipUuid() {
    return this.getStringAttribute('vip_uuid');
  }
  public set vipUuid(value: string) {
    this._vipUuid = value;
  }
  // Temporarily expose input value. Use with caution.
  public get vipUuidInput() {
    return this._vipUuid;
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
      description: cdktf.stringToTerraform(this._description),
      l3_network_uuid: cdktf.stringToTerraform(this._l3NetworkUuid),
      name: cdktf.stringToTerraform(this._name),
      vip_uuid: cdktf.stringToTerraform(this._vipUuid),
      vm_instance_uuid: cdktf.stringToTerraform(this._vmInstanceUuid),
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
      l3_network_uuid: {
        value: cdktf.stringToHclTerraform(this._l3NetworkUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      vip_uuid: {
        value: cdktf.stringToHclTerraform(this._vipUuid),
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
