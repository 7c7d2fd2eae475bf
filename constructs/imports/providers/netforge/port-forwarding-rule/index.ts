// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface PortForwardingRuleConfig extends cdktf.TerraformMetaArguments {
  /**
  * Only sources in this IPv4 CIDR may use it; any when not set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#allowed_cidr PortForwardingRule#allowed_cidr}
  */
  readonly allowedCidr?: string;
  /**
  * Free text.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#description PortForwardingRule#description}
  */
  readonly description?: string;
  /**
  * Last guest port: the guest range is as long as the VIP range.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#guest_port_end PortForwardingRule#guest_port_end}
  */
  readonly guestPortEnd?: number;
  /**
  * First guest port; defaults to vip_port_start.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#guest_port_start PortForwardingRule#guest_port_start}
  */
  readonly guestPortStart?: number;
  /**
  * The L3 network of the VM's NIC; defaults to its first NIC's.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#l3_network_uuid PortForwardingRule#l3_network_uuid}
  */
  readonly l3NetworkUuid?: string;
  /**
  * Name: 1-128 letters, digits, spaces and . _ : @ ( ) / + , -
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#name PortForwardingRule#name}
  */
  readonly name: string;
  /**
  * TCP or UDP.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#protocol PortForwardingRule#protocol}
  */
  readonly protocol: string;
  /**
  * Last VIP port; defaults to vip_port_start.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#vip_port_end PortForwardingRule#vip_port_end}
  */
  readonly vipPortEnd?: number;
  /**
  * First VIP port, 1-65535.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#vip_port_start PortForwardingRule#vip_port_start}
  */
  readonly vipPortStart: number;
  /**
  * The VIP.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#vip_uuid PortForwardingRule#vip_uuid}
  */
  readonly vipUuid: string;
  /**
  * The VM whose NIC it is.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#vm_instance_uuid PortForwardingRule#vm_instance_uuid}
  */
  readonly vmInstanceUuid: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule netforge_port_forwarding_rule}
*/
export class PortForwardingRule extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_port_forwarding_rule";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a PortForwardingRule resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the PortForwardingRule to import
  * @param importFromId The id of the existing PortForwardingRule that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the PortForwardingRule to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_port_forwarding_rule", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/port_forwarding_rule netforge_port_forwarding_rule} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options PortForwardingRuleConfig
  */
  public constructor(scope: Construct, id: string, config: PortForwardingRuleConfig) {
    super(scope, id, {
      terraformResourceType: 'netforge_port_forwarding_rule',
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
    this._allowedCidr = config.allowedCidr;
    this._description = config.description;
    this._guestPortEnd = config.guestPortEnd;
    this._guestPortStart = config.guestPortStart;
    this._l3NetworkUuid = config.l3NetworkUuid;
    this._name = config.name;
    this._protocol = config.protocol;
    this._vipPortEnd = config.vipPortEnd;
    this._vipPortStart = config.vipPortStart;
    this._vipUuid = config.vipUuid;
    this._vmInstanceUuid = config.vmInstanceUuid;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // allowed_cidr - computed: false, optional: true, required: false
  private _allowedCidr?: string; 
  public get allowedCidr() {
    return this.getStringAttribute('allowed_cidr');
  }
  public set allowedCidr(value: string) {
    this._allowedCidr = value;
  }
  public resetAllowedCidr() {
    this._allowedCidr = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowedCidrInput() {
    return this._allowedCidr;
  }

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

  // guest_port_end - computed: true, optional: true, required: false
  private _guestPortEnd?: number; 
  public get guestPortEnd() {
    return this.getNumberAttribute('guest_port_end');
  }
  public set guestPortEnd(value: number) {
    this._guestPortEnd = value;
  }
  public resetGuestPortEnd() {
    this._guestPortEnd = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get guestPortEndInput() {
    return this._guestPortEnd;
  }

  // guest_port_start - computed: true, optional: true, required: false
  private _guestPortStart?: number; 
  public get guestPortStart() {
    return this.getNumberAttribute('guest_port_start');
  }
  public set guestPortStart(value: number) {
    this._guestPortStart = value;
  }
  public resetGuestPortStart() {
    this._guestPortStart = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get guestPortStartInput() {
    return this._guestPortStart;
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

  // uuid - computed: true, optional: false, required: false
  public get uuid() {
    return this.getStringAttribute('uuid');
  }

  // vip_ip - computed: true, optional: false, required: false
  public get vipIp() {
    return this.getStringAttribute('vip_ip');
  }

  // vip_port_end - computed: true, optional: true, required: false
  private _vipPortEnd?: number; 
  public get vipPortEnd() {
    return this.getNumberAttribute('vip_port_end');
  }
  public set vipPortEnd(value: number) {
    this._vipPortEnd = value;
  }
  public resetVipPortEnd() {
    this._vipPortEnd = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get vipPortEndInput() {
    return this._vipPortEnd;
  }

  // vip_port_start - computed: false, optional: false, required: true
  private _vipPortStart?: number; 
  public get vipPortStart() {
    return this.getNumberAttribute('vip_port_start');
  }
  public set vipPortStart(value: number) {
    this._vipPortStart = value;
  }
  // Temporarily expose input value. Use with caution.
  public get vipPortStartInput() {
    return this._vipPortStart;
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
      allowed_cidr: cdktf.stringToTerraform(this._allowedCidr),
      description: cdktf.stringToTerraform(this._description),
      guest_port_end: cdktf.numberToTerraform(this._guestPortEnd),
      guest_port_start: cdktf.numberToTerraform(this._guestPortStart),
      l3_network_uuid: cdktf.stringToTerraform(this._l3NetworkUuid),
      name: cdktf.stringToTerraform(this._name),
      protocol: cdktf.stringToTerraform(this._protocol),
      vip_port_end: cdktf.numberToTerraform(this._vipPortEnd),
      vip_port_start: cdktf.numberToTerraform(this._vipPortStart),
      vip_uuid: cdktf.stringToTerraform(this._vipUuid),
      vm_instance_uuid: cdktf.stringToTerraform(this._vmInstanceUuid),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      allowed_cidr: {
        value: cdktf.stringToHclTerraform(this._allowedCidr),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      description: {
        value: cdktf.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      guest_port_end: {
        value: cdktf.numberToHclTerraform(this._guestPortEnd),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      guest_port_start: {
        value: cdktf.numberToHclTerraform(this._guestPortStart),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
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
      protocol: {
        value: cdktf.stringToHclTerraform(this._protocol),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      vip_port_end: {
        value: cdktf.numberToHclTerraform(this._vipPortEnd),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      vip_port_start: {
        value: cdktf.numberToHclTerraform(this._vipPortStart),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
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
