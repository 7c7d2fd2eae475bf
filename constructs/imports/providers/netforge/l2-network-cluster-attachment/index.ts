// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l2_network_cluster_attachment
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface L2NetworkClusterAttachmentConfig extends cdktf.TerraformMetaArguments {
  /**
  * Cluster uuid.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l2_network_cluster_attachment#cluster_uuid L2NetworkClusterAttachment#cluster_uuid}
  */
  readonly clusterUuid: string;
  /**
  * L2 network uuid.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l2_network_cluster_attachment#l2_network_uuid L2NetworkClusterAttachment#l2_network_uuid}
  */
  readonly l2NetworkUuid: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l2_network_cluster_attachment netforge_l2_network_cluster_attachment}
*/
export class L2NetworkClusterAttachment extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_l2_network_cluster_attachment";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a L2NetworkClusterAttachment resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the L2NetworkClusterAttachment to import
  * @param importFromId The id of the existing L2NetworkClusterAttachment that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l2_network_cluster_attachment#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the L2NetworkClusterAttachment to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_l2_network_cluster_attachment", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l2_network_cluster_attachment netforge_l2_network_cluster_attachment} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options L2NetworkClusterAttachmentConfig
  */
  public constructor(scope: Construct, id: string, config: L2NetworkClusterAttachmentConfig) {
    super(scope, id, {
      terraformResourceType: 'netforge_l2_network_cluster_attachment',
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
    this._clusterUuid = config.clusterUuid;
    this._l2NetworkUuid = config.l2NetworkUuid;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // cluster_uuid - computed: false, optional: false, required: true
  private _clusterUuid?: string; 
  public get clusterUuid() {
    return this.getStringAttribute('cluster_uuid');
  }
  public set clusterUuid(value: string) {
    this._clusterUuid = value;
  }
  // Temporarily expose input value. Use with caution.
  public get clusterUuidInput() {
    return this._clusterUuid;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // l2_network_uuid - computed: false, optional: false, required: true
  private _l2NetworkUuid?: string; 
  public get l2NetworkUuid() {
    return this.getStringAttribute('l2_network_uuid');
  }
  public set l2NetworkUuid(value: string) {
    this._l2NetworkUuid = value;
  }
  // Temporarily expose input value. Use with caution.
  public get l2NetworkUuidInput() {
    return this._l2NetworkUuid;
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
      cluster_uuid: cdktf.stringToTerraform(this._clusterUuid),
      l2_network_uuid: cdktf.stringToTerraform(this._l2NetworkUuid),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      cluster_uuid: {
        value: cdktf.stringToHclTerraform(this._clusterUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      l2_network_uuid: {
        value: cdktf.stringToHclTerraform(this._l2NetworkUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
