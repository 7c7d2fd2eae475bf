/**
 * The skeletons of service endpoints, before the backends fill in what each service
 * needs: where the provider runs its services on a host (the appliance, started like a VM)
 * and how it is wired.
 *
 *   virtual router   eth0 on the public L3 (its allocated address; default route via the
 *                    public gateway), eth1 on the guest L3 holding the guest's gateway
 *   flat DHCP        eth0 on the guest L3 with the L3's DHCP server address, the same on
 *                    every host, its port kept from the uplink (isolation)
 *   flat EIP         on the VM's host: eth0 on the VIP's L3 holding the VIP (default route via
 *                    that network's gateway), eth1 on the VM's L3 holding its gateway address;
 *                    the VM's off-subnet frames are steered to eth1, which talks to that VM
 *                    only (steering)
 */
import { vmNicDeviceName } from '../../hosts/linux/device-names';
import { vmInterfaceName } from '../../hosts/linux/names';
import { parseCidr } from '../../topology/ip';
import type { Host, L2Network, L3Network, VirtualRouter } from '../../topology/model';
import type { RouterForwarding, ServiceEndpoint, VmNicSpec } from '../extension/points';
import { flatDhcpApplianceUuid, flatDhcpNicUuid, flatEipApplianceUuid, flatEipNicUuids, macOf, routerNicUuids } from './ids';

export interface NetworkOf {
  l3: L3Network;
  l2: L2Network;
}

function applianceNic(uuid: string, on: NetworkOf, ip: string, mac: string): VmNicSpec {
  return { nic: { uuid, l3NetworkUuid: on.l3.uuid, ip, mac, deviceName: vmNicDeviceName(uuid) }, l3: on.l3, l2: on.l2, dhcp: false };
}

/** eth1 on the guest network, eth0 on the public one; nothing forwarded until the backends say what. */
function forwardingBetween(guest: NetworkOf, pub: NetworkOf): RouterForwarding {
  return {
    guestInterface: vmInterfaceName(1),
    publicInterface: vmInterfaceName(0),
    guestCidr: guest.l3.cidr,
    publicPrefix: parseCidr(pub.l3.cidr)?.prefix ?? 32,
    snat: false,
    eips: [],
    portForwards: [],
  };
}

/** A running router (placed, with a public address) on its host. */
export function virtualRouterEndpoint(router: VirtualRouter & { publicIp: string }, host: Host, guest: NetworkOf, pub: NetworkOf): ServiceEndpoint {
  const nics = routerNicUuids(router.uuid);
  return {
    key: `virtualRouter:${router.uuid}`,
    kind: 'virtualRouter',
    providerType: 'VirtualRouter',
    l3NetworkUuid: guest.l3.uuid,
    appliance: {
      vmUuid: router.uuid,
      vmName: router.name,
      host,
      nics: [applianceNic(nics.publicNic, pub, router.publicIp, router.publicMac), applianceNic(nics.guestNic, guest, router.guestIp, router.guestMac)],
    },
    serveInterface: vmInterfaceName(1),
    serveIp: router.guestIp,
    dhcp: null,
    dns: null,
    routing: forwardingBetween(guest, pub),
    isolation: null,
    steering: null,
  };
}

/** The flat provider's DHCP namespace of `on` on one host, answering from `serverIp`. */
export function flatDhcpEndpoint(on: NetworkOf, host: Host, serverIp: string): ServiceEndpoint {
  const applianceUuid = flatDhcpApplianceUuid(on.l3.uuid, host.uuid);
  const nicUuid = flatDhcpNicUuid(applianceUuid);
  return {
    key: `flatDhcp:${on.l3.uuid}`,
    kind: 'flatDhcp',
    providerType: 'Flat',
    l3NetworkUuid: on.l3.uuid,
    appliance: { vmUuid: applianceUuid, vmName: `dhcp-${on.l3.name}`.slice(0, 128), host, nics: [applianceNic(nicUuid, on, serverIp, macOf(nicUuid))] },
    serveInterface: vmInterfaceName(0),
    serveIp: serverIp,
    dhcp: null,
    dns: null,
    routing: null,
    isolation: { l2: on.l2, port: vmNicDeviceName(nicUuid) },
    steering: null,
  };
}

/** What a flat EIP names: the EIP, its VIP's address and the VM NIC it binds (its uuid names the NIC's host port). */
export interface FlatEip {
  uuid: string;
  name: string;
  vipIp: string;
  nicUuid: string;
}

/** The flat EIP namespace of `eip` on its VM's host: NAT between `pub` (the VIP's network) and `guest`. */
export function flatEipEndpoint(eip: FlatEip, host: Host, guest: NetworkOf, pub: NetworkOf): ServiceEndpoint {
  const applianceUuid = flatEipApplianceUuid(eip.uuid);
  const nics = flatEipNicUuids(applianceUuid);
  const guestMac = macOf(nics.guestNic);
  return {
    key: `flatEip:${eip.uuid}`,
    kind: 'flatEip',
    providerType: 'Flat',
    l3NetworkUuid: guest.l3.uuid,
    appliance: {
      vmUuid: applianceUuid,
      vmName: `eip-${eip.name}`.slice(0, 128),
      host,
      nics: [applianceNic(nics.publicNic, pub, eip.vipIp, macOf(nics.publicNic)), applianceNic(nics.guestNic, guest, guest.l3.gateway, guestMac)],
    },
    serveInterface: vmInterfaceName(1),
    serveIp: guest.l3.gateway,
    dhcp: null,
    dns: null,
    routing: forwardingBetween(guest, pub),
    isolation: null,
    steering: { port: vmNicDeviceName(nics.guestNic), mac: guestMac, vmPort: vmNicDeviceName(eip.nicUuid), guestCidr: guest.l3.cidr },
  };
}
