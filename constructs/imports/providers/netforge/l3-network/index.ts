// https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface L3NetworkConfig extends cdktf.TerraformMetaArguments {
  /**
  * Network in CIDR form, e.g. 10.0.0.0/24.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#cidr L3Network#cidr}
  */
  readonly cidr: string;
  /**
  * Free text.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#description L3Network#description}
  */
  readonly description?: string;
  /**
  * DNS search domain.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#dns_domain L3Network#dns_domain}
  */
  readonly dnsDomain?: string;
  /**
  * DNS servers, at most 8, in order.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#dns_servers L3Network#dns_servers}
  */
  readonly dnsServers?: string[];
  /**
  * Gateway; defaults to the first usable address.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#gateway L3Network#gateway}
  */
  readonly gateway?: string;
  /**
  * L2 network uuid.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#l2_network_uuid L3Network#l2_network_uuid}
  */
  readonly l2NetworkUuid: string;
  /**
  * MTU DHCP sends to VMs, 576-9000; defaults to 1450 on VXLAN networks and 1500 elsewhere.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#mtu L3Network#mtu}
  */
  readonly mtu?: number;
  /**
  * Name: 1-128 letters, digits, spaces and . _ : @ ( ) / + , -
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#name L3Network#name}
  */
  readonly name: string;
  /**
  * host_routes block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#host_routes L3Network#host_routes}
  */
  readonly hostRoutes?: L3NetworkHostRoutes[] | cdktf.IResolvable;
}
export interface L3NetworkHostRoutes {
  /**
  * Next hop IP, in the L3 network
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#next_hop L3Network#next_hop}
  */
  readonly nextHop: string;
  /**
  * Destination CIDR
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#prefix L3Network#prefix}
  */
  readonly prefix: string;
}

export function l3NetworkHostRoutesToTerraform(struct?: L3NetworkHostRoutes | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    next_hop: cdktf.stringToTerraform(struct!.nextHop),
    prefix: cdktf.stringToTerraform(struct!.prefix),
  }
}


export function l3NetworkHostRoutesToHclTerraform(struct?: L3NetworkHostRoutes | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    next_hop: {
      value: cdktf.stringToHclTerraform(struct!.nextHop),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    prefix: {
      value: cdktf.stringToHclTerraform(struct!.prefix),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class L3NetworkHostRoutesOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): L3NetworkHostRoutes | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._nextHop !== undefined) {
      hasAnyValues = true;
      internalValueResult.nextHop = this._nextHop;
    }
    if (this._prefix !== undefined) {
      hasAnyValues = true;
      internalValueResult.prefix = this._prefix;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: L3NetworkHostRoutes | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._nextHop = undefined;
      this._prefix = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._nextHop = value.nextHop;
      this._prefix = value.prefix;
    }
  }

  // next_hop - computed: false, optional: false, required: true
  private _nextHop?: string; 
  public get nextHop() {
    return this.getStringAttribute('next_hop');
  }
  public set nextHop(value: string) {
    this._nextHop = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nextHopInput() {
    return this._nextHop;
  }

  // prefix - computed: false, optional: false, required: true
  private _prefix?: string; 
  public get prefix() {
    return this.getStringAttribute('prefix');
  }
  public set prefix(value: string) {
    this._prefix = value;
  }
  // Temporarily expose input value. Use with caution.
  public get prefixInput() {
    return this._prefix;
  }
}

export class L3NetworkHostRoutesList extends cdktf.ComplexList {
  public internalValue? : L3NetworkHostRoutes[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): L3NetworkHostRoutesOutputReference {
    return new L3NetworkHostRoutesOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network netforge_l3_network}
*/
export class L3Network extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "netforge_l3_network";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a L3Network resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the L3Network to import
  * @param importFromId The id of the existing L3Network that should be imported. Refer to the {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the L3Network to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "netforge_l3_network", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/netforge/netforge/0.1.0/docs/resources/l3_network netforge_l3_network} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options L3NetworkConfig
  */
  public constructor(scope: Construct, id: string, config: L3NetworkConfig) {
    super(scope, id, {
      terraformResourceType: 'netforge_l3_network',
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
    this._cidr = config.cidr;
    this._description = config.description;
    this._dnsDomain = config.dnsDomain;
    this._dnsServers = config.dnsServers;
    this._gateway = config.gateway;
    this._l2NetworkUuid = config.l2NetworkUuid;
    this._mtu = config.mtu;
    this._name = config.name;
    this._hostRoutes.internalValue = config.hostRoutes;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // cidr - computed: false, optional: false, required: true
  private _cidr?: string; 
  public get cidr() {
    return this.getStringAttribute('cidr');
  }
  public set cidr(value: string) {
    this._cidr = value;
  }
  // Temporarily expose input value. Use with caution.
  public get cidrInput() {
    return this._cidr;
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

  // dns_domain - computed: false, optional: true, required: false
  private _dnsDomain?: string; 
  public get dnsDomain() {
    return this.getStringAttribute('dns_domain');
  }
  public set dnsDomain(value: string) {
    this._dnsDomain = value;
  }
  public resetDnsDomain() {
    this._dnsDomain = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get dnsDomainInput() {
    return this._dnsDomain;
  }

  // dns_servers - computed: true, optional: true, required: false
  private _dnsServers?: string[]; 
  public get dnsServers() {
    return this.getListAttribute('dns_servers');
  }
  public set dnsServers(value: string[]) {
    this._dnsServers = value;
  }
  public resetDnsServers() {
    this._dnsServers = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get dnsServersInput() {
    return this._dnsServers;
  }

  // gateway - computed: true, optional: true, required: false
  private _gateway?: string; 
  public get gateway() {
    return this.getStringAttribute('gateway');
  }
  public set gateway(value: string) {
    this._gateway = value;
  }
  public resetGateway() {
    this._gateway = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get gatewayInput() {
    return this._gateway;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // ip_version - computed: true, optional: false, required: false
  public get ipVersion() {
    return this.getNumberAttribute('ip_version');
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

  // mtu - computed: true, optional: true, required: false
  private _mtu?: number; 
  public get mtu() {
    return this.getNumberAttribute('mtu');
  }
  public set mtu(value: number) {
    this._mtu = value;
  }
  public resetMtu() {
    this._mtu = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get mtuInput() {
    return this._mtu;
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

  // host_routes - computed: false, optional: true, required: false
  private _hostRoutes = new L3NetworkHostRoutesList(this, "host_routes", false);
  public get hostRoutes() {
    return this._hostRoutes;
  }
  public putHostRoutes(value: L3NetworkHostRoutes[] | cdktf.IResolvable) {
    this._hostRoutes.internalValue = value;
  }
  public resetHostRoutes() {
    this._hostRoutes.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get hostRoutesInput() {
    return this._hostRoutes.internalValue;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      cidr: cdktf.stringToTerraform(this._cidr),
      description: cdktf.stringToTerraform(this._description),
      dns_domain: cdktf.stringToTerraform(this._dnsDomain),
      dns_servers: cdktf.listMapper(cdktf.stringToTerraform, false)(this._dnsServers),
      gateway: cdktf.stringToTerraform(this._gateway),
      l2_network_uuid: cdktf.stringToTerraform(this._l2NetworkUuid),
      mtu: cdktf.numberToTerraform(this._mtu),
      name: cdktf.stringToTerraform(this._name),
      host_routes: cdktf.listMapper(l3NetworkHostRoutesToTerraform, true)(this._hostRoutes.internalValue),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      cidr: {
        value: cdktf.stringToHclTerraform(this._cidr),
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
      dns_domain: {
        value: cdktf.stringToHclTerraform(this._dnsDomain),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      dns_servers: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._dnsServers),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      gateway: {
        value: cdktf.stringToHclTerraform(this._gateway),
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
      mtu: {
        value: cdktf.numberToHclTerraform(this._mtu),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      host_routes: {
        value: cdktf.listMapperHcl(l3NetworkHostRoutesToHclTerraform, true)(this._hostRoutes.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "L3NetworkHostRoutesList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
