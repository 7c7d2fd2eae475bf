/**
 * Each planned change in network terms: what appears or disappears on which hosts, which
 * addresses stop being allocatable, what has to move first, which public address reaches
 * which VM and what security groups let in (explain-nat.ts, explain-security.ts);
 * replacements and deletions name the attributes that force them.
 */
import { parseIp, rangeSize } from '../topology/ip';
import { gatewayOf } from '../topology/rules/l3';
import type { ExplainInput, KindText } from './explain-input';
import { explainEip, explainPortForwarding, explainVip } from './explain-nat';
import { explainSecurityGroup, explainSecurityGroupMember, explainSecurityGroupRule } from './explain-security';
import type { AttributeChange, ReviewChange } from './model';
import { isChange, type PlannedResource } from './plan';
import { describe, kindLabel, LINK_ATTRS, linkedTo, remains, type Topology, type TopoObject } from './topology';

export interface HostCount {
  /** Hosts in the cluster after the change. */
  count: number;
  /** False when the server could not be asked: only hosts in the plan are counted. */
  complete: boolean;
  /** Hosts of the plan whose cluster is decided only at apply (they may add to this one). */
  undecided: number;
}

export type HostCounter = (clusterKey: string) => HostCount | undefined;

const NOISE = new Set(['id', 'uuid']);

function show(v: unknown): string {
  if (v === undefined) return '(known after apply)';
  if (v === null) return 'null';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function attributeChanges(r: PlannedResource): AttributeChange[] {
  const before = r.before ?? {};
  const after = r.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(r.afterUnknown)])].sort();
  const out: AttributeChange[] = [];
  for (const k of keys) {
    if (NOISE.has(k)) continue;
    const unknown = r.afterUnknown[k] === true;
    const a = unknown ? undefined : after[k];
    const forces = r.replacePaths.includes(k);
    // Computed attributes re-read after apply are no change of their own.
    if (unknown && !forces && r.terraform?.def.fields.find((f) => f.tf === k)?.mode === 'computed') continue;
    if (!unknown && JSON.stringify(before[k] ?? null) === JSON.stringify(a ?? null)) continue;
    if (unknown && !(k in before) && !forces) continue;
    out.push({ attribute: k, before: before[k], after: a, forcesReplacement: forces });
  }
  return out;
}

function changeText(c: AttributeChange): string {
  return `${c.attribute} ${show(c.before)} → ${show(c.after)}`;
}

function hostsText(n: HostCount | undefined): string {
  if (!n) return 'on the hosts of the cluster';
  const hosts = `${n.count} host${n.count === 1 ? '' : 's'}${n.complete ? '' : ' known to this plan (server not asked)'}`;
  return n.undecided > 0 ? `${hosts}, and up to ${n.undecided} more whose cluster is decided at apply` : hosts;
}

function l2Text(l2: TopoObject | undefined): string {
  if (!l2) return 'its L2 network';
  const iface = l2.api.physicalInterface ? ` on ${String(l2.api.physicalInterface)}` : '';
  switch (l2.api.type) {
    case 'L2VlanNetwork':
      return `VLAN ${show(l2.api.vlan)}${iface}`;
    case 'L2VxlanNetwork':
      return `VXLAN VNI ${show(l2.api.vni)}${iface}`;
    case 'L2NoVlanNetwork':
      return `untagged${iface}`;
    default:
      return 'an L2 network';
  }
}

function rangeText(o: TopoObject): string {
  const s = typeof o.api.startIp === 'string' ? o.api.startIp : undefined;
  const e = typeof o.api.endIp === 'string' ? o.api.endIp : undefined;
  if (!s || !e) return 'addresses known after apply';
  const ps = parseIp(s);
  const pe = parseIp(e);
  const n = ps && pe ? rangeSize(ps.value, pe.value) : undefined;
  return `${s}-${e}${n !== undefined ? ` (${n} address${n === 1n ? '' : 'es'})` : ''}`;
}

function names(os: TopoObject[]): string {
  return os.map((o) => o.name).join(', ');
}

/** Why a replacement happens, in words: "vlan 30 → 31" or "l2_network_uuid changes (L2 x is replaced)". */
function forcedText(t: Topology, o: TopoObject, changes: AttributeChange[]): string {
  const forced = changes.filter((c) => c.forcesReplacement);
  if (forced.length === 0) return 'replacement requested';
  return forced
    .map((c) => {
      const link = LINK_ATTRS[c.attribute]?.link;
      if (c.after === undefined && link) {
        const parent = o.links[link] ? t.objects.get(o.links[link]!) : undefined;
        return parent && parent.status === 'replaced' ? `${c.attribute} changes (${describe(parent)} is replaced)` : `${c.attribute} changes`;
      }
      return changeText(c);
    })
    .join(', ');
}

export function explainChange(t: Topology, o: TopoObject, hosts: HostCounter): ReviewChange {
  const r = o.resource!;
  const changes = attributeChanges(r);
  const link = (name: keyof TopoObject['links']) => (o.links[name] ? t.objects.get(o.links[name]!) : undefined);
  const details: string[] = [];
  const label = describe(o);
  let summary: string;
  const replacedBy = forcedText(t, o, changes);
  const updated = changes.filter((c) => !c.forcesReplacement).map(changeText).join(', ');
  // Kinds explained in modules of their own: their details join this change's.
  const input: ExplainInput = { t, o, action: r.action as ReviewChange['action'], updated, replacedBy };
  const add = (text: KindText) => {
    details.push(...text.details);
    return text.summary;
  };

  switch (o.kind) {
    case 'zone':
      summary = { create: `${label} created`, update: `${label} updated: ${updated}`, replace: `${label} replaced: ${replacedBy}`, delete: `${label} deleted` }[r.action as 'create'] ?? label;
      break;
    case 'cluster': {
      const zone = link('zone');
      summary = {
        create: `${label} (${show(o.api.hypervisorType)}) created in ${describe(zone)}`,
        update: `${label} updated: ${updated}`,
        replace: `${label} replaced: ${replacedBy}`,
        delete: `${label} deleted`,
      }[r.action as 'create'];
      if (r.action === 'replace' || r.action === 'delete') details.push('its hosts and L2 attachments must go first');
      break;
    }
    case 'host': {
      const cluster = link('cluster');
      const l2s = cluster ? linkedTo(t, 'attachment', 'cluster', cluster.key).filter(remains).map((a) => (a.links.l2 ? t.objects.get(a.links.l2) : undefined)) : [];
      const carried = l2s.filter((x): x is TopoObject => !!x);
      const ip = o.api.managementIp ? ` (${String(o.api.managementIp)})` : '';
      summary = {
        create: `host ${o.name}${ip} added to ${cluster ? describe(cluster) : 'a cluster decided at apply (cluster_uuid depends on values known only then)'}`,
        update: `host ${o.name} updated: ${updated}`,
        replace: `host ${o.name}${ip} replaced: ${replacedBy}`,
        delete: `host ${o.name}${ip} removed from ${describe(cluster)}`,
      }[r.action as 'create'];
      if (carried.length > 0 && r.action !== 'update') {
        details.push(
          r.action === 'delete'
            ? `its devices for ${names(carried)} are removed; VMs on it must be moved first`
            : `the cluster's L2 networks are realized on it: ${carried.map((l2) => `${l2.name} (${l2Text(l2)})`).join(', ')}`,
        );
      }
      break;
    }
    case 'l2': {
      const zone = link('zone');
      const clusters = linkedTo(t, 'attachment', 'l2', o.key).filter(remains).map((a) => (a.links.cluster ? t.objects.get(a.links.cluster) : undefined));
      const l3s = linkedTo(t, 'l3', 'l2', o.key);
      summary = {
        create: `L2 ${o.name} created: ${l2Text(o)} in ${describe(zone)}`,
        update: `L2 ${o.name} updated: ${updated}`,
        replace: `L2 ${o.name} replaced: ${replacedBy}`,
        delete: `L2 ${o.name} deleted (${l2Text(o)})`,
      }[r.action as 'create'];
      if (r.action === 'create' || r.action === 'replace') {
        const attached = clusters.filter((x): x is TopoObject => !!x);
        details.push(attached.length > 0 ? `attached in this plan to ${names(attached)}` : 'not attached to any cluster: realized on no host');
      }
      if (r.action === 'replace') {
        details.push('a new L2 network: its cluster attachments, L3 networks and IP ranges are removed first and re-created on it; VMs on them must be moved first');
        if (l3s.length > 0) details.push(`L3 networks on it: ${names(l3s)}`);
      }
      if (r.action === 'delete') details.push('its L3 networks and cluster attachments must go first');
      break;
    }
    case 'attachment': {
      const l2 = link('l2');
      const cluster = link('cluster');
      const n = cluster ? hosts(cluster.key) : undefined;
      const what = `L2 ${l2?.name ?? '(known after apply)'}`;
      const where = cluster ? `${cluster.name}` : 'a cluster known after apply';
      summary = {
        create: `${what} attached to ${where}: realized on ${hostsText(n)}`,
        update: `${what} attachment to ${where} updated`,
        replace: `${what} re-attached to ${where} (${replacedBy}): removed from and realized again on ${hostsText(n)}`,
        delete: `${what} detached from ${where}: removed from ${hostsText(n)}`,
      }[r.action as 'create'];
      if (l2) details.push(`${l2Text(l2)}: a bridge${l2.api.type === 'L2VlanNetwork' ? ' and a VLAN device' : l2.api.type === 'L2VxlanNetwork' ? ' and a VXLAN device' : ''} per host`);
      if (r.action === 'delete' || r.action === 'replace') details.push(`VMs on its L3 networks running in ${where} must be moved or deleted first`);
      break;
    }
    case 'l3': {
      const l2 = link('l2');
      const cidr = typeof o.api.cidr === 'string' ? o.api.cidr : undefined;
      const gw = typeof o.api.gateway === 'string' ? o.api.gateway : undefined;
      let gateway = gw ? `gateway ${gw}` : '';
      const defaulted = !gw && cidr ? gatewayOf(cidr) : undefined;
      if (defaulted) gateway = `gateway ${defaulted} (default: first usable address)`;
      const dns = Array.isArray(o.api.dnsServers) && o.api.dnsServers.length > 0 ? `DNS ${(o.api.dnsServers as string[]).join(', ')}` : '';
      const facts = [cidr, gateway, dns].filter(Boolean).join(', ');
      summary = {
        create: `L3 ${o.name} created on ${describe(l2)}: ${facts}`,
        update: `L3 ${o.name} updated: ${updated}`,
        replace: `L3 ${o.name} replaced: ${replacedBy}`,
        delete: `L3 ${o.name} deleted (${cidr ?? 'subnet'} on ${describe(l2)})`,
      }[r.action as 'create'];
      if (r.action === 'replace' || r.action === 'delete') details.push('VMs with NICs on it must be moved first; its IP ranges and network services go with it');
      if (r.action === 'update' && changes.some((c) => c.attribute.startsWith('dns') || c.attribute === 'host_routes')) details.push('DHCP clients get the new settings on their next lease');
      break;
    }
    case 'range': {
      const l3 = link('l3');
      summary = {
        create: `IP range ${o.name} created in ${describe(l3)}: ${rangeText(o)}`,
        update: `IP range ${o.name} updated: ${updated}`,
        replace: `IP range ${o.name} replaced: ${replacedBy} (VMs holding addresses in it must be moved first)`,
        delete: `IP range ${o.name} deleted: ${rangeText(o)} no longer allocatable`,
      }[r.action as 'create'];
      if (r.action === 'replace' && r.before) details.push(`was ${show(r.before.start_ip)}-${show(r.before.end_ip)}, becomes ${rangeText(o)}`);
      if (r.action === 'delete') details.push('VMs holding addresses in it must be moved first');
      break;
    }
    case 'services': {
      const l3 = link('l3');
      const provider = link('provider');
      const services = Array.isArray(o.api.services) ? (o.api.services as string[]).join(', ') : 'services';
      const by = provider ? `${provider.name}${provider.api.type ? ` (${String(provider.api.type)})` : ''}` : 'a provider known after apply';
      summary = {
        create: `${services} from ${by} on ${describe(l3)}`,
        update: `${services} from ${by} on ${describe(l3)} updated: ${updated}`,
        replace: `${services} from ${by} on ${describe(l3)} re-attached: ${replacedBy}`,
        delete: `${services} from ${by} removed from ${describe(l3)}`,
      }[r.action as 'create'];
      if (r.action === 'delete' || r.action === 'replace') details.push('VMs on the L3 lose these services until they are attached again');
      const publicL3 = link('publicL3');
      if (provider?.api.type === 'VirtualRouter' && r.action !== 'delete') {
        details.push(`a virtual router holding the gateway of ${describe(l3)} leaves through ${describe(publicL3)}${Array.isArray(o.api.services) && o.api.services.includes('SNAT') ? ', where SNAT traffic gets its public address' : ''}`);
      }
      if (provider?.api.type === 'Flat' && r.action !== 'delete') {
        const offered = Array.isArray(o.api.services) ? o.api.services : [];
        if (offered.includes('DHCP') || offered.includes('DNS')) details.push('a DHCP server on every host that runs VMs of the L3, answering only that host\'s VMs');
        if (offered.includes('EIP')) details.push("each EIP a namespace on its VM's host, answering as that VM's gateway");
      }
      break;
    }
    case 'vm': {
      const l3s = o.l3s.map((k) => t.objects.get(k)).filter((x): x is TopoObject => !!x);
      const l2s = l3s.map((l3) => (l3.links.l2 ? t.objects.get(l3.links.l2) : undefined)).filter((x): x is TopoObject => !!x);
      const clusters = t.order
        .map((k) => t.objects.get(k)!)
        .filter((c) => c.kind === 'cluster' && remains(c))
        .filter((c) => l2s.every((l2) => linkedTo(t, 'attachment', 'cluster', c.key).some((a) => remains(a) && a.links.l2 === l2.key)));
      summary = {
        create: `VM ${o.name} created with NICs on ${names(l3s) || 'L3 networks known after apply'}`,
        update: `VM ${o.name} updated: ${updated}`,
        replace: `VM ${o.name} replaced: ${replacedBy}`,
        delete: `VM ${o.name} deleted: its addresses are released`,
      }[r.action as 'create'];
      const pinned = o.links.host ? t.objects.get(o.links.host) : undefined;
      if ((r.action === 'create' || r.action === 'replace') && pinned) details.push(`runs on host ${pinned.name}, as given`);
      else if ((r.action === 'create' || r.action === 'replace') && l2s.length > 0) {
        details.push(clusters.length > 0 ? `placed on a host of ${names(clusters)} (clusters carrying ${names(l2s)})` : `no cluster in this plan carries all of ${names(l2s)}`);
      }
      break;
    }
    case 'vip':
      summary = add(explainVip(input));
      break;
    case 'eip':
      summary = add(explainEip(input));
      break;
    case 'portForwarding':
      summary = add(explainPortForwarding(input));
      break;
    case 'securityGroup':
      summary = add(explainSecurityGroup(input));
      break;
    case 'sgRule':
      summary = add(explainSecurityGroupRule(input));
      break;
    case 'sgMember':
      summary = add(explainSecurityGroupMember(input));
      break;
    case 'provider':
      // Providers are read (data sources), never changed by a plan: a generic line suffices.
      summary = `${kindLabel(o.kind)} ${o.name}: ${r.action}`;
      break;
  }
  // No default: a review kind without a case leaves `summary` unassigned, a compile error.
  if (r.action === 'replace' && r.createBeforeDestroy) details.push('create_before_destroy: the new object is created before the old one is deleted');
  return {
    address: r.address,
    type: r.type,
    kind: o.kind,
    name: o.name,
    action: r.action as ReviewChange['action'],
    createBeforeDestroy: r.createBeforeDestroy,
    forcedBy: r.replacePaths,
    changedAttributes: changes,
    summary,
    details,
    notes: [],
    violations: [],
  };
}

export function explainPlan(t: Topology, hosts: HostCounter): ReviewChange[] {
  return t.order
    .map((k) => t.objects.get(k)!)
    .filter((o) => o.resource && o.resource.mode === 'managed' && isChange(o.resource))
    .map((o) => explainChange(t, o, hosts));
}
