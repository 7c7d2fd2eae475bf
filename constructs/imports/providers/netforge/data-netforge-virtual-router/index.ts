// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/data-sources/virtual_router
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataNetforgeVirtualRouterConfig extends cdktf.TerraformMetaArguments {
  /**
  * The guest L3 network it serves.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/data-sources/virtual_router#l3_network_uuid DataNetforgeVirtualRouter#l3_network_uuid}
  */
  readonly l3NetworkUuid?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/data-sources/virtual_router netforge_virtual_router}
*/
export class DataNetforgeVirtualRouter extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_virtual_router";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataNetforgeVirtualRouter resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataNetforgeVirtualRouter to import
  * @param importFromId The id of the existing DataNetforgeVirtualRouter that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/data-sources/virtual_router#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataNetforgeVirtualRouter to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_virtual_router", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/data-sources/virtual_router netforge_virtual_router} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataNetforgeVirtualRouterConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataNetforgeVirtualRouterConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'netforge_virtual_router',
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
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // guest_ip - computed: true, optional: false, required: false
  public get guestIp() {
    return this.getStringAttribute('guest_ip');
  }

  // host_uuid - computed: true, optional: false, required: false
  public get hostUuid() {
    return this.getStringAttribute('host_uuid');
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

  // name - computed: true, optional: false, required: false
  public get name() {
    return this.getStringAttribute('name');
  }

  // pending_reason - computed: true, optional: false, required: false
  public get pendingReason() {
    return this.getStringAttribute('pending_reason');
  }

  // public_ip - computed: true, optional: false, required: false
  public get publicIp() {
    return this.getStringAttribute('public_ip');
  }

  // public_l3_network_uuid - computed: true, optional: false, required: false
  public get publicL3NetworkUuid() {
    return this.getStringAttribute('public_l3_network_uuid');
  }

  // state - computed: true, optional: false, required: false
  public get state() {
    return this.getStringAttribute('state');
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
      l3_network_uuid: cdktf.stringToTerraform(this._l3NetworkUuid),
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
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
