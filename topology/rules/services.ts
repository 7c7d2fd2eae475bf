/**
 * Network service rules (topology-rules.md 15-18). Rule 18 (DHCP needs free addresses) is a
 * state, not a refusal: Terraform creates independent resources in any order, so a DHCP
 * attachment made before the IP ranges is accepted and stays pending until addresses exist.
 */
import { SERVICE_TYPES, type NetworkServiceProvider, type ProviderType, type ServiceType } from '../model';
import { cidrsOverlap, parseCidr } from '../ip';
import { describeObject, violation, type Violation } from '../violation';

/** Neutron refuses DHCP on IPv4 prefixes longer than /30: no room for server and clients. */
export const DHCP_MAX_IPV4_PREFIX = 30;

export interface ExistingServiceAttachment {
  uuid: string;
  providerUuid: string;
  providerName: string;
  services: readonly ServiceType[];
}

/** Stateless: the service list itself (rule 16). */
export function validateServiceList(services: readonly unknown[], path = 'services'): Violation[] {
  const out: Violation[] = [];
  if (services.length === 0) out.push(violation('NO_SERVICES', path, 'at least one service type is required'));
  const seen = new Set<unknown>();
  services.forEach((s, i) => {
    if (!(SERVICE_TYPES as readonly unknown[]).includes(s)) {
      out.push(violation('UNKNOWN_SERVICE_TYPE', `${path}[${i}]`, `${JSON.stringify(s)} is not a service type (${SERVICE_TYPES.join(', ')})`));
    } else if (seen.has(s)) out.push(violation('DUPLICATE_SERVICE', `${path}[${i}]`, `service ${String(s)} is listed twice`));
    seen.add(s);
  });
  return out;
}

/** Stateless: DHCP needs room on the subnet (rule 15). */
export function checkDhcpPrefix(services: readonly string[], cidr: string, path = 'services'): Violation[] {
  const c = parseCidr(cidr);
  if (!c || !services.includes('DHCP')) return [];
  if (c.family === 4 && c.prefix > DHCP_MAX_IPV4_PREFIX) {
    return [violation('DHCP_PREFIX_TOO_LONG', path, `DHCP can't serve ${c.text}: IPv4 prefixes longer than /${DHCP_MAX_IPV4_PREFIX} are refused`)];
  }
  return [];
}

export interface ServiceAttachmentCheck {
  /** An unknown `l2NetworkUuid` (at synth) skips rule 17. */
  l3: { uuid: string; name: string; cidr: string; l2NetworkUuid?: string };
  /** Unknown `attachedL2NetworkUuids` (a built-in provider found at plan time) skip rule 17. */
  provider: Pick<NetworkServiceProvider, 'uuid' | 'name' | 'type' | 'serviceTypes'> & { attachedL2NetworkUuids?: readonly string[] };
  services: readonly ServiceType[];
  /** Attachments already on this L3. */
  existing: ReadonlyArray<ExistingServiceAttachment>;
}

/** Rules 15-17 for attaching `services` of `provider` to an L3 network. */
export function checkServiceAttachment(c: ServiceAttachmentCheck): Violation[] {
  const out = validateServiceList(c.services);
  const providerRef = { type: 'NetworkServiceProvider', uuid: c.provider.uuid, name: c.provider.name };
  const l3Ref = { type: 'L3Network', uuid: c.l3.uuid, name: c.l3.name };
  c.services.forEach((s, i) => {
    if (!c.provider.serviceTypes.includes(s)) {
      out.push(
        violation(
          'PROVIDER_LACKS_SERVICE',
          `services[${i}]`,
          `${describeObject(providerRef)} (${c.provider.type}) does not offer ${s}; it offers ${c.provider.serviceTypes.join(', ')}`,
          providerRef,
        ),
      );
    }
    for (const other of c.existing) {
      if (other.services.includes(s)) {
        const otherRef = { type: 'NetworkServiceProvider', uuid: other.providerUuid, name: other.providerName };
        out.push(
          violation(
            'SERVICE_ALREADY_PROVIDED',
            `services[${i}]`,
            `${s} on ${describeObject(l3Ref)} is already provided by ${describeObject(otherRef)} (attachment ${other.uuid})`,
            otherRef,
          ),
        );
      }
    }
  });
  if (c.l3.l2NetworkUuid !== undefined && c.provider.attachedL2NetworkUuids && !c.provider.attachedL2NetworkUuids.includes(c.l3.l2NetworkUuid)) {
    out.push(
      violation(
        'PROVIDER_NOT_ON_L2',
        'providerUuid',
        `${describeObject(providerRef)} is not associated with the L2 network ${c.l3.l2NetworkUuid} under ${describeObject(l3Ref)}`,
        providerRef,
      ),
    );
  }
  out.push(...checkDhcpPrefix(c.services, c.l3.cidr));
  return out;
}

/** Services netforge realizes with IPv4 only (dnsmasq static DHCPv4, nftables ip NAT). */
const IPV4_SERVICES: readonly ServiceType[] = ['DHCP', 'SNAT', 'EIP', 'PortForwarding'];

/** Stateless: VirtualRouter names its public network, other providers don't (path publicL3NetworkUuid). */
export function checkPublicNetworkGiven(providerType: ProviderType, l3Uuid: string, publicL3NetworkUuid: string | null | undefined): Violation[] {
  const path = 'publicL3NetworkUuid';
  if (providerType === 'VirtualRouter') {
    if (publicL3NetworkUuid === null) {
      return [violation('PUBLIC_NETWORK_REQUIRED', path, 'a VirtualRouter provider needs the public L3 network its router leaves through (public_l3_network_uuid)')];
    }
    if (publicL3NetworkUuid === l3Uuid) return [violation('PUBLIC_NETWORK_IS_GUEST', path, 'the public network must be another L3 network than the one the router serves')];
    return [];
  }
  return publicL3NetworkUuid ? [violation('PUBLIC_NETWORK_NOT_ALLOWED', path, `only VirtualRouter providers have a public network; ${providerType} does not`)] : [];
}

export interface PublicNetworkFit {
  guest: { uuid: string; name: string; cidr?: string };
  public: { uuid: string; name: string; cidr?: string };
  /** True when the two networks' L2s are known to be in different zones (no cluster can carry both). */
  zonesDiffer: boolean;
  /** Other VirtualRouter attachments on the guest network and the public network each names. */
  otherRouterAttachments: ReadonlyArray<{ uuid: string; publicL3NetworkUuid: string }>;
}

/** The public network can serve this guest network (path publicL3NetworkUuid). */
export function checkPublicNetworkFits(c: PublicNetworkFit): Violation[] {
  const path = 'publicL3NetworkUuid';
  const publicRef = { type: 'L3Network', uuid: c.public.uuid, name: c.public.name };
  const guestRef = { type: 'L3Network', uuid: c.guest.uuid, name: c.guest.name };
  const out: Violation[] = [];
  const guest = c.guest.cidr !== undefined ? parseCidr(c.guest.cidr) : null;
  const pub = c.public.cidr !== undefined ? parseCidr(c.public.cidr) : null;
  if (pub && pub.family !== 4) out.push(violation('SERVICE_NEEDS_IPV4', path, `the public network ${describeObject(publicRef)} is ${pub.text}: virtual routers need an IPv4 public network`, publicRef));
  if (guest && pub && cidrsOverlap(guest, pub)) {
    out.push(violation('PUBLIC_CIDR_OVERLAP', path, `${describeObject(guestRef)} (${guest.text}) overlaps its public network ${describeObject(publicRef)} (${pub.text}): the router could not route between them`, publicRef));
  }
  if (c.zonesDiffer) {
    out.push(violation('PUBLIC_NETWORK_UNREACHABLE', path, `${describeObject(publicRef)} is in another zone than ${describeObject(guestRef)}: no cluster can carry both, so no host can run the router`, publicRef));
  }
  for (const other of c.otherRouterAttachments) {
    if (other.publicL3NetworkUuid !== c.public.uuid) {
      out.push(
        violation('PUBLIC_NETWORK_CONFLICT', path, `${describeObject(guestRef)} already has a virtual router leaving through L3 network ${other.publicL3NetworkUuid} (attachment ${other.uuid}); one router serves a network`, {
          type: 'NetworkServiceAttachment',
          uuid: other.uuid,
        }),
      );
    }
  }
  return out;
}

/** DHCP, SNAT, EIP and port forwarding are realized on IPv4 networks only (path services[i]). */
export function checkServicesNeedIpv4(services: readonly ServiceType[], l3: { uuid: string; name: string; cidr?: string }): Violation[] {
  const c = l3.cidr !== undefined ? parseCidr(l3.cidr) : null;
  if (!c || c.family === 4) return [];
  const ref = { type: 'L3Network', uuid: l3.uuid, name: l3.name };
  return services.flatMap((s, i) =>
    IPV4_SERVICES.includes(s) ? [violation('SERVICE_NEEDS_IPV4', `services[${i}]`, `${s} is realized on IPv4 networks only; ${describeObject(ref)} is ${c.text}`, ref)] : [],
  );
}

/** A service that is attached but can't be realized yet, and why. */
export interface PendingService {
  service: ServiceType;
  reason: string;
}

/**
 * Rule 18 as a readiness check: the flat provider serves DHCP (and DNS) from a namespace
 * with an address of the L3's ranges, so those wait until the ranges have a free one (they
 * may be created after the attachment). A virtual router answers from the gateway address.
 */
export function pendingServices(services: readonly ServiceType[], providerType: ProviderType, l3: { uuid: string; name: string }, freeIpCount: bigint): PendingService[] {
  if (providerType !== 'Flat' || freeIpCount > 0n) return [];
  const reason = `${describeObject({ type: 'L3Network', uuid: l3.uuid, name: l3.name })} has no free IP address in its IP ranges yet for the DHCP server`;
  return services.filter((s) => s === 'DHCP' || s === 'DNS').map((service) => ({ service, reason }));
}

interface NetworkNames {
  l3: { uuid: string; name: string };
  l2: { uuid: string; name: string };
}

/** Why a virtual router can't be placed: no connected host in a cluster carrying both its networks' L2s. */
export function routerUnplaceable(guest: NetworkNames, pub: NetworkNames): string {
  const l2 = (n: NetworkNames) => describeObject({ type: 'L2Network', ...n.l2 });
  const l3 = (n: NetworkNames) => describeObject({ type: 'L3Network', ...n.l3 });
  return guest.l2.uuid === pub.l2.uuid
    ? `no connected host is in a cluster attached to ${l2(guest)} (under ${l3(guest)} and its public network ${l3(pub)}), so the virtual router has nowhere to run`
    : `no connected host is in a cluster attached to both ${l2(guest)} (under ${l3(guest)}) and ${l2(pub)} (under the public network ${l3(pub)}), so the virtual router has nowhere to run`;
}

/** Why a virtual router has no public address. */
export function routerWithoutPublicAddress(pub: { uuid: string; name: string }): string {
  return `the public network ${describeObject({ type: 'L3Network', ...pub })} has no free IP address in its IP ranges for the virtual router`;
}
