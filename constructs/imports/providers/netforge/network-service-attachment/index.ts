// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/network_service_attachment
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface NetworkServiceAttachmentConfig extends cdktf.TerraformMetaArguments {
  /**
  * L3 network uuid.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/network_service_attachment#l3_network_uuid NetworkServiceAttachment#l3_network_uuid}
  */
  readonly l3NetworkUuid: string;
  /**
  * Network service provider uuid.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/network_service_attachment#provider_uuid NetworkServiceAttachment#provider_uuid}
  */
  readonly providerUuid: string;
  /**
  * VirtualRouter (required): the L3 network the router has its public NIC on; SNAT leaves through it. Not set for other providers.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/network_service_attachment#public_l3_network_uuid NetworkServiceAttachment#public_l3_network_uuid}
  */
  readonly publicL3NetworkUuid?: string;
  /**
  * Service types.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/network_service_attachment#services NetworkServiceAttachment#services}
  */
  readonly services: string[];
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/network_service_attachment netforge_network_service_attachment}
*/
export class NetworkServiceAttachment extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_network_service_attachment";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a NetworkServiceAttachment resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the NetworkServiceAttachment to import
  * @param importFromId The id of the existing NetworkServiceAttachment that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/network_service_attachment#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the NetworkServiceAttachment to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_network_service_attachment", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/network_service_attachment netforge_network_service_attachment} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options NetworkServiceAttachmentConfig
  */
  public constructor(scope: Construct, id: string, config: NetworkServiceAttachmentConfig) {
    super(scope, id, {
      terraformResourceType: 'netforge_network_service_attachment',
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
    this._providerUuid = config.providerUuid;
    this._publicL3NetworkUuid = config.publicL3NetworkUuid;
    this._services = config.services;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // l3_network_uuid - computed: false, optional: false, required: true
  private _l3NetworkUuid?: string; 
  public get l3NetworkUuid() {
    return this.getStringAttribute('l3_network_uuid');
  }
  public set l3NetworkUuid(value: string) {
    this._l3NetworkUuid = value;
  }
  // Temporarily expose input value. Use with caution.
  public get l3NetworkUuidInput() {
    return this._l3NetworkUuid;
  }

  // pending_reason - computed: true, optional: false, required: false
  public get pendingReason() {
    return this.getStringAttribute('pending_reason');
  }

  // provider_uuid - computed: false, optional: false, required: true
  private _providerUuid?: string; 
  public get providerUuid() {
    return this.getStringAttribute('provider_uuid');
  }
  public set providerUuid(value: string) {
    this._providerUuid = value;
  }
  // Temporarily expose input value. Use with caution.
  public get providerUuidInput() {
    return this._providerUuid;
  }

  // public_l3_network_uuid - computed: false, optional: true, required: false
  private _publicL3NetworkUuid?: string; 
  public get publicL3NetworkUuid() {
    return this.getStringAttribute('public_l3_network_uuid');
  }
  public set publicL3NetworkUuid(value: string) {
    this._publicL3NetworkUuid = value;
  }
  public resetPublicL3NetworkUuid() {
    this._publicL3NetworkUuid = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get publicL3NetworkUuidInput() {
    return this._publicL3NetworkUuid;
  }

  // services - computed: false, optional: false, required: true
  private _services?: string[]; 
  public get services() {
    return cdktf.Fn.tolist(this.getListAttribute('services'));
  }
  public set services(value: string[]) {
    this._services = value;
  }
  // Temporarily expose input value. Use with caution.
  public get servicesInput() {
    return this._services;
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
      provider_uuid: cdktf.stringToTerraform(this._providerUuid),
      public_l3_network_uuid: cdktf.stringToTerraform(this._publicL3NetworkUuid),
      services: cdktf.listMapper(cdktf.stringToTerraform, false)(this._services),
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
      provider_uuid: {
        value: cdktf.stringToHclTerraform(this._providerUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      public_l3_network_uuid: {
        value: cdktf.stringToHclTerraform(this._publicL3NetworkUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      services: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._services),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
