/**
 * Network service rules (topology-rules.md 15-18). Rule 18 (DHCP needs free addresses) is a
 * state, not a refusal: Terraform creates independent resources in any order, so a DHCP
 * attachment made before the IP ranges is accepted and stays pending until addresses exist.
 */
import { SERVICE_TYPES, type NetworkServiceProvider, type ServiceType } from '../model';
import { parseCidr } from '../ip';
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

/** A service that is attached but can't be realized yet, and why. */
export interface PendingService {
  service: ServiceType;
  reason: string;
}

/**
 * Rule 18 as a readiness check: which of `services` must wait, and for what. DHCP waits
 * until the L3's ranges have a free address (they may be created after the attachment).
 */
export function pendingServices(services: readonly ServiceType[], l3: { uuid: string; name: string }, freeIpCount: bigint): PendingService[] {
  const l3Ref = { type: 'L3Network', uuid: l3.uuid, name: l3.name };
  return services.includes('DHCP') && freeIpCount <= 0n
    ? [{ service: 'DHCP', reason: `${describeObject(l3Ref)} has no free IP address in its IP ranges yet` }]
    : [];
}
