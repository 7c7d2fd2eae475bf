/**
 * Every rule that compares an object with others, keyed by the type of the object checked:
 * which objects it compares (queries on the view) and the predicate from topology/rules.
 * The constructs at synth, `netforge review` without a server and the server itself all
 * run these, so the selection can't drift between them.
 *
 * A rule's refusal says how the API refuses a violation: 'invalid' (400: the request can't
 * work against the objects it names) or 'conflict' (409: it clashes with other objects).
 */
import { canonicalManagementIp, validateAgentFingerprint } from '../rules/hosts';
import { checkL2Attach, checkVniUnique } from '../rules/l2';
import { checkIpRangeOverlaps, checkL3CidrOverlap, validateIpRange } from '../rules/l3';
import { candidateHosts, checkVmL3Networks } from '../rules/placement';
import { MAX_RULES_PER_GROUP } from '../rules/security-groups';
import { checkFlatEipReach } from '../rules/vip-services';
import { checkDhcpPrefix, checkPublicNetworkFits, checkPublicNetworkGiven, checkServiceAttachment, checkServicesNeedIpv4 } from '../rules/services';
import { parseCidr } from '../ip';
import type { L2Type, ObjectType } from '../model';
import { violation, type Violation } from '../violation';
import { getObject, getObjects, type Known, type TopologyView } from './view';

export type Refusal = 'invalid' | 'conflict';

export interface RuleContext<T extends ObjectType> {
  readonly view: TopologyView;
  /** The object checked: its uuid (or construct path, plan address) and what is known of it. */
  readonly subject: Known<T>;
  /**
   * Whether a violation against `other` is reported on the subject (default: always). Review
   * reports a conflict between two changed objects once; constructs check against earlier ones.
   */
  counts(other: { readonly uuid: string }): boolean;
}

export interface Rule<T extends ObjectType> {
  readonly name: string;
  readonly refusal: Refusal;
  check(ctx: RuleContext<T>): Violation[];
}

function rule<T extends ObjectType>(name: string, refusal: Refusal, check: Rule<T>['check']): Rule<T> {
  return { name, refusal, check };
}

/** The objects of `list` the subject is compared with: not itself, and counted. */
function others<T extends ObjectType, O extends { readonly uuid: string }>(ctx: RuleContext<T>, list: readonly O[]): O[] {
  return list.filter((o) => o.uuid !== ctx.subject.uuid && ctx.counts(o));
}

const nameOf = (o: { readonly uuid: string; readonly name?: string }): string => o.name ?? o.uuid;

/** An L3 network's CIDR and gateway, when its CIDR is known (a gateway not known yet is left out). */
function subnetOf(l3: Known<'l3Network'>): { cidr: string; gateway?: string } | null {
  if (l3.cidr === undefined || !parseCidr(l3.cidr)) return null;
  return { cidr: l3.cidr, gateway: l3.gateway };
}

/** L2 networks whose type and interface are known, shaped for the L2 rules. */
function l2Facts(l2: Known<'l2Network'>) {
  if (l2.type === undefined || l2.physicalInterface === undefined) return null;
  return { uuid: l2.uuid, name: nameOf(l2), zoneUuid: l2.zoneUuid ?? '', type: l2.type, physicalInterface: l2.physicalInterface, vlan: l2.vlan ?? null, vni: l2.vni ?? null };
}

// ---- Hosts ----

const agentFingerprintFits = rule<'host'>('agentFingerprintFits', 'invalid', ({ view, subject }) => {
  const cluster = getObject(view, 'cluster', subject.clusterUuid);
  if (!cluster?.hypervisorType || subject.agentFingerprint === undefined) return [];
  return validateAgentFingerprint(subject.agentFingerprint, cluster.hypervisorType);
});

const managementIpUnique = rule<'host'>('managementIpUnique', 'conflict', (ctx) => {
  const ip = ctx.subject.managementIp !== undefined ? canonicalManagementIp(ctx.subject.managementIp) : null;
  if (!ip) return [];
  const [clash] = others(ctx, ctx.view.find({ type: 'host', where: { managementIp: ip } }));
  return clash
    ? [
        violation('MANAGEMENT_IP_CONFLICT', 'managementIp', `management IP ${ip} is already used by host '${nameOf(clash)}' (${clash.uuid})`, {
          type: 'Host',
          uuid: clash.uuid,
          name: nameOf(clash),
        }),
      ]
    : [];
});

// ---- L2 networks and their attachments ----

const vniUnique = rule<'l2Network'>('vniUnique', 'conflict', (ctx) => {
  const { subject } = ctx;
  if (subject.type !== 'L2VxlanNetwork' || subject.vni === undefined || subject.vni === null || !subject.zoneUuid) return [];
  // Only those with the same VNI can clash: an indexed query, not every VXLAN of the zone.
  const vxlans = others(ctx, ctx.view.find({ type: 'l2Network', where: { zoneUuid: subject.zoneUuid, type: 'L2VxlanNetwork', vni: subject.vni } }));
  const known = vxlans.flatMap((o) => (o.vni === undefined || o.vni === null ? [] : [{ uuid: o.uuid, name: nameOf(o), zoneUuid: subject.zoneUuid!, type: 'L2VxlanNetwork' as L2Type, vni: o.vni }]));
  return checkVniUnique({ uuid: subject.uuid, zoneUuid: subject.zoneUuid, type: subject.type, vni: subject.vni }, known);
});

const fitsCluster = rule<'l2ClusterAttachment'>('fitsCluster', 'conflict', (ctx) => {
  const { view, subject } = ctx;
  const l2 = getObject(view, 'l2Network', subject.l2NetworkUuid);
  const cluster = getObject(view, 'cluster', subject.clusterUuid);
  const facts = l2 && l2Facts(l2);
  if (!facts || !cluster) return [];
  const attached = others(ctx, view.find({ type: 'l2ClusterAttachment', where: { clusterUuid: cluster.uuid } }));
  const onCluster = getObjects(view, 'l2Network', attached.flatMap((a) => (a.l2NetworkUuid ? [a.l2NetworkUuid] : [])));
  // Attached in attachment order (the order conflicts are named in).
  const byUuid = new Map(onCluster.map((o) => [o.uuid, o]));
  const known = attached.flatMap((a) => {
    const other = a.l2NetworkUuid ? byUuid.get(a.l2NetworkUuid) : undefined;
    const f = other && l2Facts(other);
    return f && !(f.type === 'L2VlanNetwork' && other.vlan === undefined) ? [f] : [];
  });
  const differ = zonesKnownToDiffer(view, l2.zoneUuid, cluster.zoneUuid);
  const zoneUuid = differ ? cluster.zoneUuid! : facts.zoneUuid;
  return checkL2Attach(facts, { uuid: cluster.uuid, name: nameOf(cluster), zoneUuid }, known);
});

// ---- L3 networks and IP ranges ----

const cidrUnique = rule<'l3Network'>('cidrUnique', 'conflict', (ctx) => {
  const { subject } = ctx;
  if (!subject.l2NetworkUuid || subject.cidr === undefined) return [];
  const siblings = others(ctx, ctx.view.find({ type: 'l3Network', where: { l2NetworkUuid: subject.l2NetworkUuid } }));
  return checkL3CidrOverlap(
    { uuid: subject.uuid, cidr: subject.cidr },
    siblings.flatMap((o) => (o.cidr !== undefined ? [{ uuid: o.uuid, name: nameOf(o), cidr: o.cidr }] : [])),
  );
});

const withinL3 = rule<'ipRange'>('withinL3', 'invalid', ({ view, subject }) => {
  const l3 = getObject(view, 'l3Network', subject.l3NetworkUuid);
  const net = l3 && subnetOf(l3);
  if (!net || subject.startIp === undefined || subject.endIp === undefined) return [];
  return validateIpRange({ startIp: subject.startIp, endIp: subject.endIp }, net);
});

const noOverlap = rule<'ipRange'>('noOverlap', 'conflict', (ctx) => {
  const { view, subject } = ctx;
  const l3 = getObject(view, 'l3Network', subject.l3NetworkUuid);
  if (!l3 || subject.startIp === undefined || subject.endIp === undefined) return [];
  // Rule 12 spans the L2: every L3 on it, or this L3 alone when its L2 is not known.
  const l3s = l3.l2NetworkUuid ? view.find({ type: 'l3Network', where: { l2NetworkUuid: l3.l2NetworkUuid } }) : [l3];
  const candidates = others(ctx, view.rangesOverlapping({ l3NetworkUuids: l3s.map((l) => l.uuid), startIp: subject.startIp, endIp: subject.endIp }));
  return checkIpRangeOverlaps(
    { uuid: subject.uuid, startIp: subject.startIp, endIp: subject.endIp },
    candidates.flatMap((r) => (r.startIp !== undefined && r.endIp !== undefined ? [{ uuid: r.uuid, name: nameOf(r), startIp: r.startIp, endIp: r.endIp }] : [])),
  );
});

// ---- Network services ----

const nameUnique = rule<'networkServiceProvider'>('nameUnique', 'conflict', (ctx) => {
  if (ctx.subject.name === undefined) return [];
  const [clash] = others(ctx, ctx.view.find({ type: 'networkServiceProvider', where: { name: ctx.subject.name } }));
  return clash
    ? [
        violation('NAME_CONFLICT', 'name', `a network service provider named '${ctx.subject.name}' already exists (${clash.uuid})`, {
          type: 'NetworkServiceProvider',
          uuid: clash.uuid,
          name: nameOf(clash),
        }),
      ]
    : [];
});

const dhcpPrefix = rule<'networkServiceAttachment'>('dhcpPrefix', 'invalid', ({ view, subject }) => {
  const l3 = getObject(view, 'l3Network', subject.l3NetworkUuid);
  return l3?.cidr !== undefined && subject.services ? checkDhcpPrefix(subject.services, l3.cidr) : [];
});

const providerFits = rule<'networkServiceAttachment'>('providerFits', 'conflict', (ctx) => {
  const { view, subject } = ctx;
  const l3 = getObject(view, 'l3Network', subject.l3NetworkUuid);
  const provider = getObject(view, 'networkServiceProvider', subject.providerUuid);
  if (!l3 || !provider || !subject.services || !provider.type || !provider.serviceTypes) return [];
  const existing = others(ctx, view.find({ type: 'networkServiceAttachment', where: { l3NetworkUuid: l3.uuid } }));
  const names = new Map(getObjects(view, 'networkServiceProvider', existing.flatMap((e) => (e.providerUuid ? [e.providerUuid] : []))).map((p) => [p.uuid, nameOf(p)]));
  return checkServiceAttachment({
    l3: { uuid: l3.uuid, name: nameOf(l3), cidr: l3.cidr ?? '', l2NetworkUuid: l3.l2NetworkUuid },
    provider: { uuid: provider.uuid, name: nameOf(provider), type: provider.type, serviceTypes: provider.serviceTypes, attachedL2NetworkUuids: provider.attachedL2NetworkUuids },
    services: subject.services,
    existing: existing.flatMap((e) =>
      e.providerUuid && e.services ? [{ uuid: e.uuid, providerUuid: e.providerUuid, providerName: names.get(e.providerUuid) ?? e.providerUuid, services: e.services }] : [],
    ),
  });
});

const servicesNeedIpv4 = rule<'networkServiceAttachment'>('servicesNeedIpv4', 'conflict', ({ view, subject }) => {
  const l3 = getObject(view, 'l3Network', subject.l3NetworkUuid);
  return l3 && subject.services ? checkServicesNeedIpv4(subject.services, { uuid: l3.uuid, name: nameOf(l3), cidr: l3.cidr }) : [];
});

/** VirtualRouter names a public network (another L3), the other providers none. */
const publicNetworkGiven = rule<'networkServiceAttachment'>('publicNetworkGiven', 'invalid', ({ view, subject }) => {
  const provider = getObject(view, 'networkServiceProvider', subject.providerUuid);
  if (!provider?.type || !subject.l3NetworkUuid || subject.publicL3NetworkUuid === undefined) return [];
  return checkPublicNetworkGiven(provider.type, subject.l3NetworkUuid, subject.publicL3NetworkUuid);
});

/**
 * Zones known to differ: both known, and one of them new (two references to existing zones
 * may name the same zone); otherwise no mismatch is claimed.
 */
function zonesKnownToDiffer(view: TopologyView, a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a !== b && (view.isComplete('zone', a) || view.isComplete('zone', b));
}

/** The zone of an L3 network's L2, when known. */
function zoneOf(view: TopologyView, l3: Known<'l3Network'>): string | undefined {
  return getObject(view, 'l2Network', l3.l2NetworkUuid)?.zoneUuid;
}

/** The public network can serve the guest: IPv4, no overlap, the same zone, the one other routers of the guest use. */
const publicNetworkFits = rule<'networkServiceAttachment'>('publicNetworkFits', 'conflict', (ctx) => {
  const { view, subject } = ctx;
  const provider = getObject(view, 'networkServiceProvider', subject.providerUuid);
  if (provider?.type !== 'VirtualRouter' || !subject.publicL3NetworkUuid || subject.publicL3NetworkUuid === subject.l3NetworkUuid) return [];
  const guest = getObject(view, 'l3Network', subject.l3NetworkUuid);
  const pub = getObject(view, 'l3Network', subject.publicL3NetworkUuid);
  if (!guest || !pub) return [];
  const guestZone = zoneOf(view, guest);
  const publicZone = zoneOf(view, pub);
  const zonesDiffer = zonesKnownToDiffer(view, guestZone, publicZone);
  const routers = others(ctx, view.find({ type: 'networkServiceAttachment', where: { l3NetworkUuid: guest.uuid } })).filter((a) => {
    const p = getObject(view, 'networkServiceProvider', a.providerUuid);
    return p?.type === 'VirtualRouter' && !!a.publicL3NetworkUuid;
  });
  return checkPublicNetworkFits({
    guest: { uuid: guest.uuid, name: nameOf(guest), cidr: guest.cidr },
    public: { uuid: pub.uuid, name: nameOf(pub), cidr: pub.cidr },
    zonesDiffer,
    otherRouterAttachments: routers.map((a) => ({ uuid: a.uuid, publicL3NetworkUuid: a.publicL3NetworkUuid! })),
  });
});

// ---- VMs ----

/** Host names are DNS names on the VM's networks: two VMs sharing an L3 network don't share one. */
const hostnameUnique = rule<'vmInstance'>('hostnameUnique', 'conflict', (ctx) => {
  const { view, subject } = ctx;
  const l3s = new Set((subject.l3NetworkUuids ?? []).filter((u): u is string => !!u));
  if (!subject.hostname || l3s.size === 0) return [];
  const clash = others(ctx, view.find({ type: 'vmInstance', where: { hostname: subject.hostname } })).find((vm) => (vm.l3NetworkUuids ?? []).some((u) => l3s.has(u)));
  if (!clash) return [];
  const shared = (clash.l3NetworkUuids ?? []).find((u) => l3s.has(u))!;
  const l3 = getObject(view, 'l3Network', shared);
  return [
    violation(
      'HOSTNAME_CONFLICT',
      'hostname',
      `hostname '${subject.hostname}' is already used by VM '${nameOf(clash)}' (${clash.uuid}) on L3 network '${l3 ? nameOf(l3) : shared}'; give this VM another hostname`,
      { type: 'VmInstance', uuid: clash.uuid, name: nameOf(clash) },
    ),
  ];
});

/** The VM's L3 networks in NIC order; undefined where one is not known. */
function vmL3s(view: TopologyView, vm: Known<'vmInstance'>): Array<Known<'l3Network'> | undefined> {
  const uuids = vm.l3NetworkUuids ?? [];
  const found = new Map(getObjects(view, 'l3Network', uuids.filter((u): u is string => !!u)).map((l) => [l.uuid, l]));
  return uuids.map((u) => (u ? found.get(u) : undefined));
}

const l3sDistinct = rule<'vmInstance'>('l3sDistinct', 'conflict', ({ view, subject }) => {
  const uuids = subject.l3NetworkUuids ?? [];
  const l3s = vmL3s(view, subject);
  // An L3 the view doesn't have still counts for duplicates (the same reference twice).
  return checkVmL3Networks(uuids.map((u, i) => (u ? { uuid: u, name: l3s[i] ? nameOf(l3s[i]!) : u, cidr: l3s[i]?.cidr } : undefined)));
});

export interface Placement {
  /** Clusters attached to every one of the L2 networks. */
  clusters: Known<'cluster'>[];
  /** Their hosts that are connected (or whose state is not known yet), by name. */
  hosts: Known<'host'>[];
}

/** Where a VM on these L2 networks may land (rule 19). */
export function placementFor(view: TopologyView, l2Uuids: readonly string[]): Placement {
  const attachments = view.find({ type: 'l2ClusterAttachment', where: { l2NetworkUuid: [...l2Uuids] } });
  const l2sByCluster = new Map<string, Set<string>>();
  for (const a of attachments) {
    if (!a.clusterUuid || !a.l2NetworkUuid) continue;
    if (!l2sByCluster.has(a.clusterUuid)) l2sByCluster.set(a.clusterUuid, new Set());
    l2sByCluster.get(a.clusterUuid)!.add(a.l2NetworkUuid);
  }
  const clusterUuids = [...l2sByCluster].filter(([, l2s]) => l2Uuids.every((l2) => l2s.has(l2))).map(([c]) => c);
  const clusters = getObjects(view, 'cluster', clusterUuids);
  const hosts = clusterUuids.length > 0 ? view.find({ type: 'host', where: { clusterUuid: clusterUuids }, orderBy: ['name', 'uuid'] }) : [];
  return { clusters, hosts: candidateHosts(l2Uuids, hosts, l2sByCluster) };
}

const placement = rule<'vmInstance'>('placement', 'conflict', ({ view, subject }) => {
  const l3s = vmL3s(view, subject);
  if (l3s.length === 0 || l3s.some((l) => !l?.l2NetworkUuid)) return [];
  const l2Uuids = [...new Set(l3s.map((l) => l!.l2NetworkUuid!))];
  const { clusters, hosts } = placementFor(view, l2Uuids);
  if (subject.hostUuid) {
    const host = getObject(view, 'host', subject.hostUuid);
    if (!host || hosts.some((h) => h.uuid === host.uuid)) return [];
    const why = host.state === undefined || host.state === 'Connected' ? "not in a cluster attached to every L2 network under the VM's L3 networks" : host.state;
    return [violation('HOST_NOT_ELIGIBLE', 'hostUuid', `host '${nameOf(host)}' is ${why}`, { type: 'Host', uuid: host.uuid, name: nameOf(host) })];
  }
  if (view.extent === null) {
    return hosts.length > 0 ? [] : [violation('NO_ELIGIBLE_HOST', 'l3NetworkUuids', `no connected host is in a cluster attached to all of the L2 networks ${l2Uuids.join(', ')}`)];
  }
  // A partial view concludes from absence only over objects nothing outside it can extend.
  const l2s = getObjects(view, 'l2Network', l2Uuids);
  const names = [...new Set(l2Uuids.map((u) => `'${nameOf(l2s.find((l) => l.uuid === u) ?? { uuid: u })}'`))].join(', ');
  if (clusters.length === 0) {
    return l2Uuids.every((u) => view.isComplete('l2Network', u))
      ? [violation('NO_ELIGIBLE_HOST', 'l3NetworkUuids', `no cluster in ${view.extent} is attached to every L2 network of the VM (${names})`)]
      : [];
  }
  return hosts.length === 0 && clusters.every((c) => view.isComplete('cluster', c.uuid))
    ? [violation('NO_ELIGIBLE_HOST', 'l3NetworkUuids', `the clusters attached to ${names} have no hosts in ${view.extent}`)]
    : [];
});

// ---- VIPs, EIPs, port forwarding, security groups ----

/** The L3 network of the NIC an object names: the one given, else the VM's first NIC's. */
export function nicL3Of(view: TopologyView, subject: { readonly vmInstanceUuid?: string; readonly l3NetworkUuid?: string }): string | undefined {
  if (subject.l3NetworkUuid) return subject.l3NetworkUuid;
  return getObject(view, 'vmInstance', subject.vmInstanceUuid)?.l3NetworkUuids?.[0];
}

type NicSubject = 'eip' | 'portForwardingRule' | 'securityGroupAttachment';

/** The VM has a NIC on the L3 network named. */
function nicExists<T extends NicSubject>(): Rule<T> {
  return rule<T>('nicExists', 'conflict', ({ view, subject }) => {
    const vm = getObject(view, 'vmInstance', subject.vmInstanceUuid);
    if (!vm?.l3NetworkUuids || !subject.l3NetworkUuid || vm.l3NetworkUuids.includes(subject.l3NetworkUuid)) return [];
    const l3 = getObject(view, 'l3Network', subject.l3NetworkUuid);
    return [
      violation('NIC_NOT_FOUND', 'l3NetworkUuid', `VM '${nameOf(vm)}' has no NIC on L3 network '${nameOf(l3 ?? { uuid: subject.l3NetworkUuid })}'`, {
        type: 'VmInstance',
        uuid: vm.uuid,
        name: nameOf(vm),
      }),
    ];
  });
}

/**
 * The NIC's L3 network has `service` attached by a provider that offers it; for the virtual
 * router, the VIP is on the router's public network (EIP and port forwarding leave through it).
 */
function serviceOnNicL3<T extends NicSubject>(service: 'EIP' | 'PortForwarding' | 'SecurityGroup'): Rule<T> {
  return rule<T>(`${service}Attached`, 'conflict', ({ view, subject }) => {
    const l3Uuid = nicL3Of(view, subject);
    const l3 = getObject(view, 'l3Network', l3Uuid);
    if (!l3) return [];
    const attachments = view.find({ type: 'networkServiceAttachment', where: { l3NetworkUuid: l3.uuid } });
    const serving = attachments.find((a) => a.services?.includes(service));
    if (!serving) {
      return view.isComplete('l3Network', l3.uuid)
        ? [violation('SERVICE_NOT_ATTACHED', 'l3NetworkUuid', `L3 network '${nameOf(l3)}' has no ${service} service; attach it with a provider that offers it first`, { type: 'L3Network', uuid: l3.uuid, name: nameOf(l3) })]
        : [];
    }
    if (service === 'SecurityGroup' || !('vipUuid' in subject) || typeof subject.vipUuid !== 'string') return [];
    const provider = getObject(view, 'networkServiceProvider', serving.providerUuid);
    const vip = getObject(view, 'vip', subject.vipUuid);
    if (provider?.type === 'Flat') return vip ? flatEipReach(view, vip, l3, subject.vmInstanceUuid) : [];
    if (provider?.type !== 'VirtualRouter' || !vip?.l3NetworkUuid || !serving.publicL3NetworkUuid || vip.l3NetworkUuid === serving.publicL3NetworkUuid) return [];
    const pub = getObject(view, 'l3Network', serving.publicL3NetworkUuid);
    return [
      violation(
        'VIP_NOT_ON_PUBLIC_NETWORK',
        'vipUuid',
        `VIP '${nameOf(vip)}' is not on L3 network '${nameOf(pub ?? { uuid: serving.publicL3NetworkUuid })}', where the virtual router of '${nameOf(l3)}' has its public NIC`,
        { type: 'Vip', uuid: vip.uuid, name: nameOf(vip) },
      ),
    ];
  });
}

/** A Flat EIP's VIP, on another network than the VM's, whose L2 the VM's cluster carries (checkFlatEipReach). */
function flatEipReach(view: TopologyView, vip: Known<'vip'>, guestL3: Known<'l3Network'>, vmUuid: string | undefined): Violation[] {
  const vm = getObject(view, 'vmInstance', vmUuid);
  if (!vm || !vip.l3NetworkUuid) return [];
  const host = getObject(view, 'host', vm.hostUuid);
  const vipL3 = getObject(view, 'l3Network', vip.l3NetworkUuid);
  const vipL2 = getObject(view, 'l2Network', vipL3?.l2NetworkUuid);
  let carried: boolean | undefined;
  if (host?.clusterUuid && vipL2) {
    const attached = view.find({ type: 'l2ClusterAttachment', where: { clusterUuid: host.clusterUuid, l2NetworkUuid: vipL2.uuid } }).length > 0;
    // Absent only counts where nothing outside the view can attach it.
    carried = attached ? true : view.isComplete('cluster', host.clusterUuid) ? false : undefined;
  }
  return checkFlatEipReach({
    vip: { uuid: vip.uuid, name: nameOf(vip), l3NetworkUuid: vip.l3NetworkUuid },
    guestL3: { uuid: guestL3.uuid, name: nameOf(guestL3) },
    vm: { uuid: vm.uuid, name: nameOf(vm) },
    host: host ? { uuid: host.uuid, name: nameOf(host) } : null,
    vipL2: vipL2 ? { uuid: vipL2.uuid, name: nameOf(vipL2) } : null,
    carried,
  });
}

/** A VIP serves one EIP, or port forwarding rules: never both. */
function vipAvailable<T extends 'eip' | 'portForwardingRule'>(): Rule<T> {
  return rule<T>('vipAvailable', 'conflict', (ctx) => {
    const vip = getObject(ctx.view, 'vip', ctx.subject.vipUuid);
    if (!vip) return [];
    const ref = { type: 'Vip', uuid: vip.uuid, name: nameOf(vip) };
    const [eip] = others(ctx, ctx.view.find({ type: 'eip', where: { vipUuid: vip.uuid } }));
    if (eip) return [violation('VIP_IN_USE_BY_EIP', 'vipUuid', `VIP '${nameOf(vip)}' already serves EIP '${nameOf(eip)}' (${eip.uuid})`, { ...ref, type: 'Eip', uuid: eip.uuid, name: nameOf(eip) })];
    const [forwarding] = ctx.view.find({ type: 'portForwardingRule', where: { vipUuid: vip.uuid } }).filter((r) => r.uuid !== ctx.subject.uuid);
    // A VIP's forwarding rules lead into one guest network: its router alone may hold the address.
    const subjectL3 = nicL3Of(ctx.view, ctx.subject);
    if (forwarding && !isEip(ctx.subject) && subjectL3 && forwarding.l3NetworkUuid && forwarding.l3NetworkUuid !== subjectL3) {
      return [
        violation('VIP_IN_USE_ON_OTHER_NETWORK', 'vipUuid', `VIP '${nameOf(vip)}' forwards into another L3 network (${forwarding.l3NetworkUuid}) with rule '${nameOf(forwarding)}'; one VIP serves one router`, {
          type: 'PortForwardingRule',
          uuid: forwarding.uuid,
          name: nameOf(forwarding),
        }),
      ];
    }
    if (forwarding && isEip(ctx.subject)) {
      return [
        violation('VIP_IN_USE_BY_PORT_FORWARDING', 'vipUuid', `VIP '${nameOf(vip)}' serves port forwarding rule '${nameOf(forwarding)}' (${forwarding.uuid}); an EIP needs a VIP of its own`, {
          type: 'PortForwardingRule',
          uuid: forwarding.uuid,
          name: nameOf(forwarding),
        }),
      ];
    }
    return [];
  });
}

function isEip(subject: Known<'eip'> | Known<'portForwardingRule'>): boolean {
  return !('protocol' in subject) && !('vipPortStart' in subject);
}

const oneEipPerNic = rule<'eip'>('oneEipPerNic', 'conflict', (ctx) => {
  const l3 = nicL3Of(ctx.view, ctx.subject);
  if (!ctx.subject.vmInstanceUuid || !l3) return [];
  const [clash] = others(ctx, ctx.view.find({ type: 'eip', where: { vmInstanceUuid: ctx.subject.vmInstanceUuid } })).filter((e) => nicL3Of(ctx.view, e) === l3);
  return clash ? [violation('NIC_HAS_EIP', 'vmInstanceUuid', `the VM's NIC on that L3 network already has EIP '${nameOf(clash)}' (${clash.uuid}); one EIP per NIC`, { type: 'Eip', uuid: clash.uuid, name: nameOf(clash) })] : [];
});

/** Port ranges of one VIP and protocol don't overlap. */
const portsFree = rule<'portForwardingRule'>('portsFree', 'conflict', (ctx) => {
  const { subject } = ctx;
  if (!subject.vipUuid || !subject.protocol || typeof subject.vipPortStart !== 'number') return [];
  const start = subject.vipPortStart;
  const end = typeof subject.vipPortEnd === 'number' ? subject.vipPortEnd : start;
  const [clash] = others(ctx, ctx.view.find({ type: 'portForwardingRule', where: { vipUuid: subject.vipUuid, protocol: subject.protocol } })).filter((r) => {
    if (typeof r.vipPortStart !== 'number') return false;
    const rEnd = typeof r.vipPortEnd === 'number' ? r.vipPortEnd : r.vipPortStart;
    return r.vipPortStart <= end && start <= rEnd;
  });
  if (!clash) return [];
  return [
    violation('PORT_RANGE_OVERLAP', 'vipPortStart', `${subject.protocol} ports ${start}-${end} of this VIP overlap rule '${nameOf(clash)}' (${clash.vipPortStart}-${clash.vipPortEnd ?? clash.vipPortStart})`, {
      type: 'PortForwardingRule',
      uuid: clash.uuid,
      name: nameOf(clash),
    }),
  ];
});

const rulesBounded = rule<'securityGroupRule'>('rulesBounded', 'conflict', (ctx) => {
  const group = getObject(ctx.view, 'securityGroup', ctx.subject.securityGroupUuid);
  if (!group) return [];
  const count = others(ctx, ctx.view.find({ type: 'securityGroupRule', where: { securityGroupUuid: group.uuid } })).length;
  return count >= MAX_RULES_PER_GROUP
    ? [violation('TOO_MANY_RULES', 'securityGroupUuid', `security group '${nameOf(group)}' already has ${count} rules; at most ${MAX_RULES_PER_GROUP} are allowed`, { type: 'SecurityGroup', uuid: group.uuid, name: nameOf(group) })]
    : [];
});

const memberOnce = rule<'securityGroupAttachment'>('memberOnce', 'conflict', (ctx) => {
  const l3 = nicL3Of(ctx.view, ctx.subject);
  if (!ctx.subject.securityGroupUuid || !ctx.subject.vmInstanceUuid || !l3) return [];
  const [clash] = others(ctx, ctx.view.find({ type: 'securityGroupAttachment', where: { securityGroupUuid: ctx.subject.securityGroupUuid, vmInstanceUuid: ctx.subject.vmInstanceUuid } })).filter(
    (a) => nicL3Of(ctx.view, a) === l3,
  );
  return clash ? [violation('ALREADY_MEMBER', 'securityGroupUuid', `the VM's NIC on that L3 network is already a member of this security group (${clash.uuid})`, { type: 'SecurityGroupAttachment', uuid: clash.uuid })] : [];
});

/** The rules of each object type (a new type must say which it has, if any). */
export const RULES: { readonly [T in ObjectType]: readonly Rule<T>[] } = {
  zone: [],
  cluster: [],
  host: [agentFingerprintFits, managementIpUnique],
  l2Network: [vniUnique],
  l2ClusterAttachment: [fitsCluster],
  l3Network: [cidrUnique],
  ipRange: [withinL3, noOverlap],
  networkServiceProvider: [nameUnique],
  networkServiceAttachment: [dhcpPrefix, publicNetworkGiven, providerFits, servicesNeedIpv4, publicNetworkFits],
  vmInstance: [l3sDistinct, hostnameUnique, placement],
  ipAddress: [],
  virtualRouter: [],
  vip: [],
  eip: [nicExists(), serviceOnNicL3('EIP'), vipAvailable(), oneEipPerNic],
  portForwardingRule: [nicExists(), serviceOnNicL3('PortForwarding'), vipAvailable(), portsFree],
  securityGroup: [],
  securityGroupRule: [rulesBounded],
  securityGroupAttachment: [nicExists(), serviceOnNicL3('SecurityGroup'), memberOnce],
};
