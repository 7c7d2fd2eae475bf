/**
 * The network service backends of the built-in providers (registered by
 * registerNetworkServices): what DHCP, DNS and SNAT need from the endpoint that serves them.
 * Pure contributions; the hypervisor's NetworkServiceRealizer makes them real.
 *
 *   VirtualRouter  DHCP  static leases for every VM NIC of the L3, the router (the L3's gateway) as default route
 *                  DNS   a record for every VM NIC, the rest forwarded to the L3's DNS servers
 *                  SNAT  guest traffic leaves masqueraded behind the router's public address
 *   Flat           DHCP  static leases for the VMs on the endpoint's host only; the gateway is outside netforge;
 *                        the flat server, then the L3's DNS servers, as resolvers
 *                  DNS   the records, answered on every host that runs VMs of the L3 from its DHCP namespace;
 *                        nothing forwarded (the namespace is kept off the uplink)
 *
 *   VirtualRouter  EIP   each EIP's VIP on the public NIC, DNAT to the NIC and SNAT from it
 *                  PortForwarding  each rule's VIP on the public NIC, DNAT of its ports (from its allowed sources)
 *   Flat           EIP   the same DNAT and SNAT in the EIP's own namespace on the VM's host (the
 *                        context of a flat EIP endpoint holds its one EIP)
 *
 * EIPs and port forwarding rules are objects with their own API: an L3 network with those
 * services attached has nothing more to realize until such objects exist.
 */
import { parseIp } from '../../topology/ip';
import type { ProviderType, ServiceType } from '../../topology/model';
import type { DhcpServing, DnsServing, NetworkServiceBackend, ServiceContext, ServiceEndpoint } from '../extension/points';

/** IPv4 DNS servers of the L3 other than `self` (a network whose DNS server is its own router would loop). */
function upstreams(ctx: ServiceContext, self: string | null): string[] {
  return ctx.l3.dnsServers.filter((s) => parseIp(s)?.family === 4 && s !== self);
}

function dhcpServing(ctx: ServiceContext, router: string | null, dnsServers: string[]): DhcpServing {
  return {
    subnet: ctx.l3.cidr,
    hosts: ctx.dhcpNics.map((n) => ({ mac: n.mac, ip: n.ip, hostname: n.hostname })),
    router,
    dnsServers,
    domain: ctx.l3.dnsDomain,
    classlessRoutes: ctx.l3.hostRoutes.map((r) => ({ prefix: r.prefix, nextHop: r.nextHop })),
    mtu: ctx.l3.mtu,
  };
}

function dnsServing(ctx: ServiceContext, forwarders: string[]): DnsServing {
  return { domain: ctx.l3.dnsDomain, records: ctx.nics.map((n) => ({ hostname: n.hostname, ip: n.ip })), forwarders };
}

class Backend implements NetworkServiceBackend {
  constructor(
    readonly providerType: ProviderType,
    readonly serviceType: ServiceType,
    private readonly apply: (endpoint: ServiceEndpoint, ctx: ServiceContext) => void,
  ) {}

  contribute(endpoint: ServiceEndpoint, ctx: ServiceContext): void {
    this.apply(endpoint, ctx);
  }
}

export const BUILTIN_SERVICE_BACKENDS: readonly NetworkServiceBackend[] = [
  new Backend('VirtualRouter', 'DHCP', (e, ctx) => {
    // The router holds the gateway address: it is the default route, and with DNS the resolver.
    e.dhcp = dhcpServing(ctx, e.serveIp, ctx.dnsServer ? [ctx.dnsServer] : upstreams(ctx, null));
  }),
  new Backend('VirtualRouter', 'DNS', (e, ctx) => {
    e.dns = dnsServing(ctx, upstreams(ctx, e.serveIp));
  }),
  new Backend('VirtualRouter', 'SNAT', (e) => {
    if (e.routing) e.routing = { ...e.routing, snat: true };
  }),
  new Backend('VirtualRouter', 'EIP', (e, ctx) => {
    if (e.routing) e.routing = { ...e.routing, eips: ctx.eips };
  }),
  new Backend('VirtualRouter', 'PortForwarding', (e, ctx) => {
    if (e.routing) e.routing = { ...e.routing, portForwards: ctx.portForwards };
  }),
  new Backend('Flat', 'DHCP', (e, ctx) => {
    // The flat server answers the L3's names; the L3's DNS servers follow it for the rest.
    e.dhcp = dhcpServing(ctx, ctx.l3.gateway, ctx.dnsServer ? [ctx.dnsServer, ...upstreams(ctx, ctx.dnsServer)] : upstreams(ctx, null));
  }),
  new Backend('Flat', 'EIP', (e, ctx) => {
    if (e.kind === 'flatEip' && e.routing) e.routing = { ...e.routing, eips: ctx.eips };
  }),
  new Backend('Flat', 'DNS', (e, ctx) => {
    // No forwarders: the flat namespace has no way out (its port is kept off the uplink), so
    // it answers only the L3's domain and refuses the rest, and resolvers ask the next server.
    e.dns = dnsServing(ctx, []);
  }),
];
