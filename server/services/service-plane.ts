/**
 * The service plane of an L3 network: every service endpoint its applied network services
 * need, on the host that runs it, with what each serves (leases, records, NAT), and which
 * VM NICs get their address from DHCP. Read from the database as it stands (the router's
 * placement, the flat DHCP server's address, which services are pending): the plane
 * computed before a change is what the hosts run, the one computed after it is what they
 * must run (service-convergence.ts applies the difference).
 */
import { compareIps } from '../../topology/ip';
import type { L3Network, ProviderType, ServiceType } from '../../topology/model';
import { FLAT_DHCP_IP_OWNER_PREFIX } from '../../contract/schemas';
import * as M from '../db/models';
import type { HostTarget, RouterEip, RouterPortForward, ServedNic, ServiceContext, ServiceEndpoint } from '../extension/points';
import { flatDhcpEndpoint, flatEipEndpoint, virtualRouterEndpoint, type NetworkOf } from '../network-services';
import type { Op } from './context';
import { hostInventory, l3Inventory, virtualRouterInventory } from './inventory';
import { loadL2 } from './lookups';

export interface PlacedEndpoint {
  target: HostTarget;
  endpoint: ServiceEndpoint;
}

export interface L3ServicePlane {
  l3NetworkUuid: string;
  /** By `<endpoint key>@<host uuid>`. */
  endpoints: Map<string, PlacedEndpoint>;
  /** VMs on the L3 get their addresses from DHCP (a DHCP endpoint serves every VM NIC of it). */
  dhcp: boolean;
}

export function emptyPlane(l3NetworkUuid: string): L3ServicePlane {
  return { l3NetworkUuid, endpoints: new Map(), dhcp: false };
}

export const placementKey = (p: PlacedEndpoint) => `${p.endpoint.key}@${p.target.host.uuid}`;

/** The services of each provider type on the L3 that are applied (attached and not pending). */
export async function appliedServices(l3Uuid: string, op: Op): Promise<Map<ProviderType, Set<ServiceType>>> {
  const attachments = await M.NetworkServiceAttachmentRow.findAll({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx });
  const providers = await M.NetworkServiceProviderRow.findAll({ where: { uuid: [...new Set(attachments.map((a) => a.providerUuid))] }, transaction: op.tx });
  const typeOf = new Map(providers.map((p) => [p.uuid, p.type]));
  const out = new Map<ProviderType, Set<ServiceType>>();
  for (const a of attachments) {
    const type = typeOf.get(a.providerUuid);
    if (!type) continue;
    const set = out.get(type) ?? new Set<ServiceType>();
    for (const s of a.services) if (a.pendingServices?.[s] === undefined) set.add(s);
    out.set(type, set);
  }
  return out;
}

/** The flat DHCP server's address on the L3, if it has one. */
export function flatDhcpAddress(l3Uuid: string, op: Op): Promise<M.AllocatedIpRow | null> {
  return M.AllocatedIpRow.findOne({ where: { l3NetworkUuid: l3Uuid, usedFor: `${FLAT_DHCP_IP_OWNER_PREFIX}${l3Uuid}` }, transaction: op.tx });
}

async function targetOf(hostUuid: string, op: Op): Promise<HostTarget | null> {
  const host = await M.HostRow.findByPk(hostUuid, { transaction: op.tx });
  const cluster = host ? await M.ClusterRow.findByPk(host.clusterUuid, { transaction: op.tx }) : null;
  return host && cluster ? { host: hostInventory(host), hypervisorType: cluster.hypervisorType } : null;
}

async function networkOf(l3: L3Network, op: Op): Promise<NetworkOf> {
  return { l3, l2: await loadL2(l3.l2NetworkUuid, op) };
}

/** The VM NICs on the L3 with their VM's host and host name, by IP. */
async function nicsOn(l3Uuid: string, op: Op): Promise<Array<ServedNic & { hostUuid: string }>> {
  const nics = await M.VmNicRow.findAll({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx });
  const vms = new Map((await M.VmInstanceRow.findAll({ where: { uuid: [...new Set(nics.map((n) => n.vmInstanceUuid))] }, transaction: op.tx })).map((v) => [v.uuid, v]));
  return nics
    .flatMap((n) => {
      const vm = vms.get(n.vmInstanceUuid);
      return vm ? [{ vmUuid: vm.uuid, hostname: vm.hostname, mac: n.mac, ip: n.ip, hostUuid: vm.hostUuid }] : [];
    })
    .sort((a, b) => compareIps(a.ip, b.ip));
}

const served = (n: ServedNic): ServedNic => ({ vmUuid: n.vmUuid, hostname: n.hostname, mac: n.mac, ip: n.ip });

/** The EIPs and port forwarding rules on NICs of the L3, in a stable order. */
async function natOn(l3Uuid: string, op: Op): Promise<{ eips: RouterEip[]; portForwards: RouterPortForward[] }> {
  const eips = await M.EipRow.findAll({ where: { l3NetworkUuid: l3Uuid }, order: [['vipIp', 'ASC']], transaction: op.tx });
  const rules = await M.PortForwardingRuleRow.findAll({ where: { l3NetworkUuid: l3Uuid }, order: [['vipIp', 'ASC'], ['protocol', 'ASC'], ['vipPortStart', 'ASC']], transaction: op.tx });
  return {
    eips: eips.map((e) => ({ vip: e.vipIp, guestIp: e.guestIp })),
    portForwards: rules.map((r) => ({
      protocol: r.protocol,
      vip: r.vipIp,
      vipPorts: [r.vipPortStart, r.vipPortEnd],
      guestIp: r.guestIp,
      guestPorts: [r.guestPortStart, r.guestPortEnd],
      allowedCidr: r.allowedCidr ?? null,
    })),
  };
}

/** The EIPs on NICs of the L3 with what a flat EIP namespace needs: the VIP's network, the NIC, the VM's host. */
async function flatEipsOn(l3Uuid: string, op: Op) {
  const eips = await M.EipRow.findAll({ where: { l3NetworkUuid: l3Uuid }, order: [['vipIp', 'ASC']], transaction: op.tx });
  const vips = new Map((await M.VipRow.findAll({ where: { uuid: eips.map((e) => e.vipUuid) }, transaction: op.tx })).map((v) => [v.uuid, v]));
  const vms = new Map((await M.VmInstanceRow.findAll({ where: { uuid: eips.map((e) => e.vmInstanceUuid) }, transaction: op.tx })).map((v) => [v.uuid, v]));
  const nics = await M.VmNicRow.findAll({ where: { l3NetworkUuid: l3Uuid, vmInstanceUuid: eips.map((e) => e.vmInstanceUuid) }, transaction: op.tx });
  const nicOf = new Map(nics.map((n) => [n.vmInstanceUuid, n]));
  return eips.flatMap((e) => {
    const vip = vips.get(e.vipUuid);
    const vm = vms.get(e.vmInstanceUuid);
    const nic = nicOf.get(e.vmInstanceUuid);
    return vip && vm?.hostUuid && nic ? [{ uuid: e.uuid, name: e.name, vipIp: e.vipIp, guestIp: e.guestIp, vipL3Uuid: vip.l3NetworkUuid, nicUuid: nic.uuid, hostUuid: vm.hostUuid }] : [];
  });
}

/** The plane of one L3 network as the database says it is (see the file comment). */
export async function servicePlaneOf(l3Uuid: string, op: Op): Promise<L3ServicePlane> {
  const plane = emptyPlane(l3Uuid);
  const l3Row = await M.L3NetworkRow.findByPk(l3Uuid, { transaction: op.tx });
  if (!l3Row) return plane;
  const { routerServices, flatServices, router, flatIp, dhcp } = await servingOf(l3Uuid, op);
  if (routerServices.size === 0 && flatServices.size === 0) return plane;

  const guest = await networkOf(l3Inventory(l3Row), op);
  const nics = await nicsOn(l3Uuid, op);
  const { eips, portForwards } = await natOn(l3Uuid, op);
  const dnsServer = routerServices.has('DNS') && router ? router.guestIp : flatServices.has('DNS') && flatIp ? flatIp : null;
  const contribute = (providerType: ProviderType, services: Set<ServiceType>, endpoint: ServiceEndpoint, ctx: ServiceContext) => {
    for (const s of services) if (op.parts.registry.hasServiceBackend(providerType, s)) op.parts.registry.getServiceBackend(providerType, s).contribute(endpoint, ctx);
  };

  if (router && router.hostUuid && router.publicIp) {
    const target = await targetOf(router.hostUuid, op);
    const publicRow = await M.L3NetworkRow.findByPk(router.publicL3NetworkUuid, { transaction: op.tx });
    if (target && publicRow) {
      const endpoint = virtualRouterEndpoint({ ...router, publicIp: router.publicIp }, target.host, guest, await networkOf(l3Inventory(publicRow), op));
      contribute('VirtualRouter', routerServices, endpoint, { ...guest, nics: nics.map(served), dhcpNics: nics.map(served), dnsServer, eips, portForwards });
      plane.endpoints.set(placementKey({ target, endpoint }), { target, endpoint });
    }
  }

  const flatDhcpServices = new Set([...flatServices].filter((s) => s === 'DHCP' || s === 'DNS'));
  if (flatIp && flatDhcpServices.size > 0) {
    // One DHCP namespace on every host that runs VMs of the L3, answering those VMs only.
    for (const hostUuid of [...new Set(nics.map((n) => n.hostUuid))].sort()) {
      const target = await targetOf(hostUuid, op);
      if (!target) continue;
      const local = nics.filter((n) => n.hostUuid === hostUuid);
      const endpoint = flatDhcpEndpoint(guest, target.host, flatIp);
      contribute('Flat', flatDhcpServices, endpoint, { ...guest, nics: nics.map(served), dhcpNics: local.map(served), dnsServer, eips, portForwards });
      plane.endpoints.set(placementKey({ target, endpoint }), { target, endpoint });
    }
  }

  if (flatServices.has('EIP')) {
    // One namespace per EIP, on its VM's host, doing that EIP's NAT.
    for (const eip of await flatEipsOn(l3Uuid, op)) {
      const target = await targetOf(eip.hostUuid, op);
      const publicRow = await M.L3NetworkRow.findByPk(eip.vipL3Uuid, { transaction: op.tx });
      if (!target || !publicRow) continue;
      const endpoint = flatEipEndpoint(eip, target.host, guest, await networkOf(l3Inventory(publicRow), op));
      const own = [{ vip: eip.vipIp, guestIp: eip.guestIp }];
      contribute('Flat', new Set(['EIP']), endpoint, { ...guest, nics: nics.map(served), dhcpNics: [], dnsServer, eips: own, portForwards: [] });
      plane.endpoints.set(placementKey({ target, endpoint }), { target, endpoint });
    }
  }
  plane.dhcp = dhcp;
  return plane;
}

/**
 * What serves an L3: the services applied by each provider, its router if running, its flat
 * DHCP server's address if it has one, and whether its VMs get their addresses by DHCP.
 */
async function servingOf(l3Uuid: string, op: Op) {
  const applied = await appliedServices(l3Uuid, op);
  const routerServices = applied.get('VirtualRouter') ?? new Set<ServiceType>();
  const flatServices = applied.get('Flat') ?? new Set<ServiceType>();
  const routerRow = routerServices.size > 0 ? await M.VirtualRouterRow.findOne({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx }) : null;
  const router = routerRow?.state === 'Running' && routerRow.hostUuid && routerRow.publicIp ? virtualRouterInventory(routerRow) : null;
  const flatIp = flatServices.size > 0 ? ((await flatDhcpAddress(l3Uuid, op))?.ip ?? null) : null;
  const dhcp = (routerServices.has('DHCP') && router !== null) || (flatServices.has('DHCP') && flatIp !== null);
  return { routerServices, flatServices, router, flatIp, dhcp };
}

/** The L3 networks among `l3Uuids` whose VMs get their addresses by DHCP (as servicePlaneOf says). */
export async function l3sServedByDhcp(l3Uuids: readonly string[], op: Op): Promise<Set<string>> {
  const out = new Set<string>();
  for (const l3Uuid of new Set(l3Uuids)) if ((await servingOf(l3Uuid, op)).dhcp) out.add(l3Uuid);
  return out;
}
