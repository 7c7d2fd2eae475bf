import { Construct } from 'constructs';
import type { HostRoute } from '../topology/model';
import { checkL3CidrOverlap, defaultGateway, validateL3Spec } from '../topology/rules/l3';
import { validateDescription, validateName } from '../topology/rules/names';
import { parseCidr } from '../topology/ip';
import { assertValid, isUnresolved, withoutUnresolved } from './_validation';
import { DataNetforgeL3Network } from './imports/providers/netforge/data-netforge-l3-network';
import { L3Network as L3NetworkResource } from './imports/providers/netforge/l3-network';
import { IpRange, type IpRangeOptions } from './ip-range';
import { L2NetworkBase, type IL2Network } from './l2-network-base';
import { NetworkServiceAttachment, type NetworkServiceOptions } from './network-service-attachment';

/** An L3 network: a subnet on an L2 network. */
export interface IL3Network {
  readonly l3NetworkUuid: string;
  readonly l3NetworkName: string;
}

export interface L3NetworkProps {
  readonly l2Network: IL2Network;
  /** Network in CIDR form, e.g. 10.0.0.0/24. */
  readonly cidr: string;
  /** @default the first usable address of the CIDR */
  readonly gateway?: string;
  /** At most 8, in order. @default none */
  readonly dnsServers?: readonly string[];
  /** DNS search domain. @default none */
  readonly dnsDomain?: string;
  /** Static routes pushed to hosts. @default none */
  readonly hostRoutes?: readonly HostRoute[];
  /** IP ranges to create now; more with addIpRange. @default none */
  readonly ipRanges?: Readonly<Record<string, IpRangeOptions>>;
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

export class L3Network extends Construct implements IL3Network {
  /** An existing L3 network on the server, looked up by name at plan time. */
  static fromName(scope: Construct, id: string, name: string): IL3Network {
    const data = new DataNetforgeL3Network(scope, id, { name });
    return { l3NetworkUuid: data.uuid, l3NetworkName: name };
  }

  readonly l3NetworkUuid: string;
  readonly l3NetworkName: string;
  readonly l2Network: IL2Network;
  readonly cidr: string;
  readonly gateway: string;
  readonly resource: L3NetworkResource;
  readonly ipRanges: IpRange[] = [];
  readonly serviceAttachments: NetworkServiceAttachment[] = [];

  constructor(scope: Construct, id: string, props: L3NetworkProps) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = { name, description: props.description, cidr: props.cidr, gateway: props.gateway, dnsServers: props.dnsServers, dnsDomain: props.dnsDomain, hostRoutes: props.hostRoutes };
    assertValid(this, withoutUnresolved([...validateName(name), ...validateDescription(props.description), ...validateL3Spec(fields as never)], fields));
    this.l2Network = props.l2Network;
    this.cidr = props.cidr;
    this.gateway = props.gateway ?? (!isUnresolved(props.cidr) && parseCidr(props.cidr) ? defaultGateway(props.cidr) : '');
    if (props.l2Network instanceof L2NetworkBase) {
      if (!isUnresolved(props.cidr)) {
        const siblings = props.l2Network.l3Networks.filter((l3) => !isUnresolved(l3.cidr)).map((l3) => ({ uuid: l3.node.path, name: l3.l3NetworkName, cidr: l3.cidr }));
        assertValid(this, checkL3CidrOverlap({ cidr: props.cidr }, siblings));
      }
      // Registered even when the CIDR is a token: its ranges still count for overlaps on the L2.
      props.l2Network.l3Networks.push(this);
    }
    this.resource = new L3NetworkResource(this, 'Resource', {
      name,
      l2NetworkUuid: props.l2Network.l2NetworkUuid,
      cidr: props.cidr,
      gateway: props.gateway,
      dnsServers: props.dnsServers ? [...props.dnsServers] : undefined,
      dnsDomain: props.dnsDomain,
      hostRoutes: props.hostRoutes?.map((r) => ({ prefix: r.prefix, nextHop: r.nextHop })),
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.l3NetworkUuid = this.resource.uuid;
    this.l3NetworkName = name;
    for (const [rangeId, options] of Object.entries(props.ipRanges ?? {})) this.addIpRange(rangeId, options);
  }

  /** Adds a range of allocatable addresses; addresses outside every range stay reserved. */
  addIpRange(id: string, options: IpRangeOptions): IpRange {
    return new IpRange(this, id, { ...options, l3Network: this });
  }

  /** Attaches network services of one provider type to this network. */
  addNetworkServices(id: string, options: NetworkServiceOptions): NetworkServiceAttachment {
    return new NetworkServiceAttachment(this, id, { ...options, l3Network: this });
  }
}
