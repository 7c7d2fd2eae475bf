// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/vm_instance
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface VmInstanceConfig extends cdktf.TerraformMetaArguments {
  /**
  * The host it runs on: the one given (it must be eligible), else where placement put it (the eligible host with the fewest VMs, so it can depend on creation order). Changing it replaces the VM.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/vm_instance#host_uuid VmInstance#host_uuid}
  */
  readonly hostUuid?: string;
  /**
  * DNS name (one label: letters, digits, -) on its L3 networks and the name DHCP gives it; defaults to the name in lower case with other characters made -.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/vm_instance#hostname VmInstance#hostname}
  */
  readonly hostname?: string;
  /**
  * L3 networks, one NIC each, in order.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/vm_instance#l3_network_uuids VmInstance#l3_network_uuids}
  */
  readonly l3NetworkUuids: string[];
  /**
  * Name: 1-128 letters, digits, spaces and . _ : @ ( ) / + , -
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/vm_instance#name VmInstance#name}
  */
  readonly name: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/vm_instance netforge_vm_instance}
*/
export class VmInstance extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_vm_instance";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a VmInstance resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the VmInstance to import
  * @param importFromId The id of the existing VmInstance that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/vm_instance#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the VmInstance to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_vm_instance", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/vm_instance netforge_vm_instance} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options VmInstanceConfig
  */
  public constructor(scope: Construct, id: string, config: VmInstanceConfig) {
    super(scope, id, {
      terraformResourceType: 'netforge_vm_instance',
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
    this._hostUuid = config.hostUuid;
    this._hostname = config.hostname;
    this._l3NetworkUuids = config.l3NetworkUuids;
    this._name = config.name;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // host_uuid - computed: true, optional: true, required: false
  private _hostUuid?: string; 
  public get hostUuid() {
    return this.getStringAttribute('host_uuid');
  }
  public set hostUuid(value: string) {
    this._hostUuid = value;
  }
  public resetHostUuid() {
    this._hostUuid = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get hostUuidInput() {
    return this._hostUuid;
  }

  // hostname - computed: true, optional: true, required: false
  private _hostname?: string; 
  public get hostname() {
    return this.getStringAttribute('hostname');
  }
  public set hostname(value: string) {
    this._hostname = value;
  }
  public resetHostname() {
    this._hostname = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get hostnameInput() {
    return this._hostname;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // ip_addresses - computed: true, optional: false, required: false
  public get ipAddresses() {
    return this.getListAttribute('ip_addresses');
  }

  // l3_network_uuids - computed: false, optional: false, required: true
  private _l3NetworkUuids?: string[]; 
  public get l3NetworkUuids() {
    return this.getListAttribute('l3_network_uuids');
  }
  public set l3NetworkUuids(value: string[]) {
    this._l3NetworkUuids = value;
  }
  // Temporarily expose input value. Use with caution.
  public get l3NetworkUuidsInput() {
    return this._l3NetworkUuids;
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

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      host_uuid: cdktf.stringToTerraform(this._hostUuid),
      hostname: cdktf.stringToTerraform(this._hostname),
      l3_network_uuids: cdktf.listMapper(cdktf.stringToTerraform, false)(this._l3NetworkUuids),
      name: cdktf.stringToTerraform(this._name),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      host_uuid: {
        value: cdktf.stringToHclTerraform(this._hostUuid),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      hostname: {
        value: cdktf.stringToHclTerraform(this._hostname),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      l3_network_uuids: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._l3NetworkUuids),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
