import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import type { HostRoute } from '../topology/model';
import { gatewayOf } from '../topology/rules/l3';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, isUnresolved, withoutUnresolved } from './_validation';
import { DataNetforgeL3Network } from './imports/providers/netforge/data-netforge-l3-network';
import { L3Network as L3NetworkResource } from './imports/providers/netforge/l3-network';
import type { IL2Network, IL3Network } from './interfaces';
import { IpRange, type IpRangeOptions } from './ip-range';
import { NetworkServiceAttachment, type NetworkServiceOptions } from './network-service-attachment';

export type { IL3Network };

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
  /** Static routes DHCP sends to VMs (option 121). @default none */
  readonly hostRoutes?: readonly HostRoute[];
  /** MTU DHCP sends to VMs, 576-9000. @default 1450 on VXLAN networks, 1500 elsewhere */
  readonly mtu?: number;
  /** IP ranges to create now; more with addIpRange. @default none */
  readonly ipRanges?: Readonly<Record<string, IpRangeOptions>>;
  /** @default the construct id */
  readonly name?: string;
  /** @default '' */
  readonly description?: string;
}

/** An L3 network that exists on the server, looked up by name at plan time. */
export class ImportedL3Network extends DataNetforgeL3Network implements IL3Network {
  readonly l3NetworkName: string;

  constructor(scope: Construct, id: string, name: string) {
    super(scope, id, { name });
    this.l3NetworkName = name;
    AppTopology.of(this).register('l3Network', this, { name: known(name) }, { complete: false });
  }

  get l3NetworkUuid(): string {
    return this.uuid;
  }
}

/** A subnet on an L2 network, with the IP ranges and network services it owns. */
export class L3Network extends Construct implements IL3Network {
  /** An existing L3 network on the server, looked up by name at plan time. */
  static fromName(scope: Construct, id: string, name: string): ImportedL3Network {
    return new ImportedL3Network(scope, id, name);
  }

  readonly l3NetworkUuid: string;
  readonly l3NetworkName: string;
  readonly l2Network: IL2Network;
  readonly cidr: string;
  readonly gateway: string;
  readonly resource: L3NetworkResource;

  constructor(scope: Construct, id: string, props: L3NetworkProps) {
    super(scope, id);
    const name = props.name ?? id;
    const fields = {
      name,
      description: props.description,
      cidr: props.cidr,
      gateway: props.gateway,
      dnsServers: props.dnsServers,
      dnsDomain: props.dnsDomain,
      hostRoutes: props.hostRoutes,
      mtu: props.mtu,
    };
    assertValid(this, withoutUnresolved(OBJECTS.l3Network.rules?.(fields) ?? [], fields));
    this.l2Network = props.l2Network;
    this.cidr = props.cidr;
    this.gateway = props.gateway ?? (isUnresolved(props.cidr) ? undefined : gatewayOf(props.cidr)) ?? '';
    this.resource = new L3NetworkResource(this, 'Resource', {
      name,
      l2NetworkUuid: props.l2Network.l2NetworkUuid,
      cidr: props.cidr,
      gateway: props.gateway,
      dnsServers: props.dnsServers ? [...props.dnsServers] : undefined,
      dnsDomain: props.dnsDomain,
      hostRoutes: props.hostRoutes?.map((r) => ({ prefix: r.prefix, nextHop: r.nextHop })),
      mtu: props.mtu,
      description: props.description,
    });
    this.node.defaultChild = this.resource;
    this.l3NetworkUuid = this.resource.uuid;
    this.l3NetworkName = name;
    const topology = AppTopology.of(this);
    // The gateway the server will use: the one given, else the first usable address (unknown while either is a token).
    const facts = { name: known(name), l2NetworkUuid: keyOf(props.l2Network, props.l2Network.l2NetworkUuid), cidr: known(props.cidr), gateway: known(this.gateway) || undefined };
    // CIDRs of L3s on one L2 don't overlap: checked against those made before.
    assertValid(this, topology.checkObject('l3Network', { uuid: this.node.path, ...facts }));
    topology.register('l3Network', this, facts, { complete: true, resource: this.resource });
    for (const [rangeId, options] of Object.entries(props.ipRanges ?? {})) this.addIpRange(rangeId, options);
  }

  /** Adds a range of allocatable addresses; addresses outside every range stay reserved. */
  addIpRange(id: string, options: IpRangeOptions): IpRange {
    return new IpRange(this, id, { ...options, l3Network: this });
  }

  /**
   * Attaches network services of one provider type to this network. A virtual router
   * (the default provider) needs `publicNetwork`: the L3 network SNAT leaves through.
   */
  addNetworkServices(id: string, options: NetworkServiceOptions): NetworkServiceAttachment {
    return new NetworkServiceAttachment(this, id, { ...options, l3Network: this });
  }

  /** The IP ranges of this app in the network, in the order they were made. */
  get ipRanges(): IpRange[] {
    return AppTopology.of(this)
      .constructs('ipRange', { l3NetworkUuid: this.node.path })
      .filter((c): c is IpRange => c instanceof IpRange);
  }

  /** The network services of this app on the network, in the order they were attached. */
  get serviceAttachments(): NetworkServiceAttachment[] {
    return AppTopology.of(this)
      .constructs('networkServiceAttachment', { l3NetworkUuid: this.node.path })
      .filter((c): c is NetworkServiceAttachment => c instanceof NetworkServiceAttachment);
  }
}
