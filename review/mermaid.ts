/**
 * The topology after the change as a Mermaid flowchart: a subgraph per zone holding its
 * clusters and L2 networks; L2 networks linked to the clusters they are attached to;
 * L3 networks under their L2, with their IP ranges and network services; VMs on their L3s;
 * VIPs on their L3, with the EIPs and port forwarding rules that lead to VMs; security
 * groups (outside zones: they span them) with their rules, linked to their member VMs.
 * Created, updated, replaced and deleted objects (and attachments) are highlighted, and so
 * are ingress rules open to the world.
 * Node ids are generated identifiers; every label is quoted and escaped.
 */
import { label } from '../lib/mermaid-label';
import type { HostCounter } from './explain';
import { nicName, str } from './explain-input';
import { forwardedPortsOf } from './explain-nat';
import { rulePeers } from './explain-security';
import { REVIEW_KINDS, rulePorts, type Kind, type LinkName, type Status, type Topology, type TopoObject } from './topology';
import { isWorldOpen } from './world-open';

type Shape = 'box' | 'round' | 'stadium' | 'hex' | 'circle' | 'parallelogram' | 'trapezoid' | 'subroutine' | 'flag';

const SHAPES: Record<Shape, [string, string]> = {
  box: ['[', ']'],
  round: ['(', ')'],
  stadium: ['([', '])'],
  hex: ['{{', '}}'],
  circle: ['((', '))'],
  parallelogram: ['[/', '/]'],
  trapezoid: ['[/', '\\]'],
  subroutine: ['[[', ']]'],
  flag: ['>', ']'],
};

type DrawContext = { hostsLine(o: TopoObject): string; get(key: string | undefined): TopoObject | undefined; t: Topology };

/**
 * How each kind is drawn: as a node (its label lines and shape) under the object its `from`
 * link names, or not as a node of its own (zones are subgraphs, hosts are counted in their
 * cluster, attachments and group memberships are lines between what they join, providers
 * are named by the services they give). A new kind must say which.
 */
interface KindDrawing {
  node: ((o: TopoObject, ctx: DrawContext) => { lines: string[]; shape?: Shape }) | null;
  /** The link to draw an arrow from (the object this one sits on). */
  from?: LinkName;
  /** Further dotted arrows to (or, `inbound`, from) objects its links name: where its traffic goes or comes from. */
  arrows?: (o: TopoObject, ctx: DrawContext) => Array<{ link: LinkName; text: string; inbound?: boolean }>;
  /** Drawn as a line between the two objects it joins instead of a node. */
  joins?: { a: LinkName; b: LinkName; text: (o: TopoObject, ctx: DrawContext) => string };
}

const DRAWING: { readonly [K in Kind]: KindDrawing } = {
  zone: { node: null },
  cluster: { node: (o, ctx) => ({ lines: [`cluster ${o.name}`, [str(o.api.hypervisorType), ctx.hostsLine(o)].filter(Boolean).join(' · ')] }) },
  host: { node: null },
  l2: { node: (o) => ({ lines: [`L2 ${o.name}`, l2Line(o)], shape: 'hex' }) },
  attachment: { node: null, joins: { a: 'l2', b: 'cluster', text: (o) => (o.status === 'deleted' ? 'detached' : 'attached') } },
  l3: {
    node: (o) => ({ lines: [`L3 ${o.name}`, [str(o.api.cidr), str(o.api.gateway) ? `gw ${str(o.api.gateway)}` : ''].filter(Boolean).join(' · ')], shape: 'round' }),
    from: 'l2',
  },
  range: { node: (o) => ({ lines: [`range ${o.name}`, str(o.api.startIp) && str(o.api.endIp) ? `${str(o.api.startIp)} - ${str(o.api.endIp)}` : ''] }), from: 'l3' },
  services: {
    node: (o, ctx) => {
      const provider = ctx.get(o.links.provider);
      return { lines: [Array.isArray(o.api.services) ? (o.api.services as string[]).join(', ') : 'services', provider ? `via ${provider.name}` : ''], shape: 'stadium' };
    },
    from: 'l3',
  },
  vm: { node: (o) => ({ lines: [`VM ${o.name}`], shape: 'round' }) },
  vip: { node: (o) => ({ lines: [`VIP ${o.name}`, str(o.api.ip) ?? ''], shape: 'circle' }), from: 'l3' },
  eip: {
    node: (o) => ({ lines: [`EIP ${o.name}`, str(o.api.vipIp) && str(o.api.guestIp) ? `${str(o.api.vipIp)} → ${str(o.api.guestIp)}` : ''], shape: 'parallelogram' }),
    from: 'vip',
    arrows: (o, ctx) => [{ link: 'vm', text: nicName(ctx.t, o) }],
  },
  portForwarding: {
    node: (o) => {
      const ports = forwardedPortsOf(o);
      return { lines: [`forward ${o.name}`, ports ? `${ports.protocol} ${ports.vip} → ${ports.guest}` : '', str(o.api.allowedCidr) ? `from ${str(o.api.allowedCidr)}` : ''], shape: 'trapezoid' };
    },
    from: 'vip',
    arrows: (o, ctx) => [{ link: 'vm', text: nicName(ctx.t, o) }],
  },
  securityGroup: { node: (o) => ({ lines: [`security group ${o.name}`], shape: 'subroutine' }) },
  sgRule: {
    // Peers that are a group are drawn as an arrow from (ingress) or to (egress) it; others are written.
    node: (o, ctx) => {
      const peers = rulePeers(ctx.t, o);
      const direction = str(o.api.direction)?.toLowerCase() ?? 'rule';
      return { lines: [`${direction} ${rulePorts(o)}`, peers.group ? '' : `${direction === 'egress' ? 'to' : 'from'} ${peers.text}`], shape: 'flag' };
    },
    from: 'securityGroup',
    arrows: (o) => [{ link: 'remoteGroup', text: o.api.direction === 'Egress' ? 'to members' : 'from members', inbound: o.api.direction !== 'Egress' }],
  },
  sgMember: { node: null, joins: { a: 'securityGroup', b: 'vm', text: (o, ctx) => `${o.status === 'deleted' ? 'leaves' : 'member'}: ${nicName(ctx.t, o)}` } },
  provider: { node: null },
};

const CLASS_DEFS: Record<Exclude<Status, 'unchanged' | 'existing'>, string> = {
  created: 'fill:#dafbe1,stroke:#1a7f37,color:#0a3622',
  updated: 'fill:#fff8c5,stroke:#9a6700,color:#3b2300',
  replaced: 'fill:#ffe8d1,stroke:#bc4c00,color:#3d1a00,stroke-width:2px',
  deleted: 'fill:#ffebe9,stroke:#cf222e,color:#5c0f14,stroke-dasharray:5 3',
};
const LINK_STYLE: Partial<Record<Status, string>> = {
  created: 'stroke:#1a7f37,stroke-width:2px',
  replaced: 'stroke:#bc4c00,stroke-width:2px',
  deleted: 'stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 3',
};
const VIOLATION_STYLE = 'stroke:#cf222e,stroke-width:4px';
const WORLD_OPEN_STYLE = 'stroke:#bf8700,stroke-width:4px,stroke-dasharray:2 2';
const MARK: Partial<Record<Status, string>> = { created: 'new', updated: 'changed', replaced: 'replaced', deleted: 'deleted' };


function l2Line(o: TopoObject): string {
  const iface = str(o.api.physicalInterface) ? ` on ${str(o.api.physicalInterface)}` : '';
  if (o.api.type === 'L2VlanNetwork') return `VLAN ${String(o.api.vlan ?? '?')}${iface}`;
  if (o.api.type === 'L2VxlanNetwork') return `VXLAN ${String(o.api.vni ?? '?')}${iface}`;
  if (o.api.type === 'L2NoVlanNetwork') return `no VLAN${iface}`;
  return iface.trim();
}

/** A broken rule drawn as an edge from the object to the one it conflicts with. */
export interface ConflictEdge {
  from: string;
  to?: string;
  code: string;
}

export function renderMermaid(t: Topology, hosts: HostCounter, conflicts: ConflictEdge[] = []): string {
  const ids = new Map<string, string>();
  let counter = 0;
  const idOf = (o: TopoObject) => {
    let id = ids.get(o.key);
    if (!id) {
      // Lower case like the older kinds' ids (sgRule_3 -> sgrule_3): ids stay [a-z0-9_].
      id = `${o.kind.toLowerCase()}_${++counter}`;
      ids.set(o.key, id);
    }
    return id;
  };
  const objects = t.order.map((k) => t.objects.get(k)!);
  const of = (kind: TopoObject['kind']) => objects.filter((o) => o.kind === kind);
  const get = (key: string | undefined) => (key ? t.objects.get(key) : undefined);
  const mark = (o: TopoObject) => (MARK[o.status] ? `(${MARK[o.status]})` : o.fromServer ? '(on server)' : '');
  // Zones first, so their ids come first.
  of('zone').forEach(idOf);

  const nodeLine = (o: TopoObject, lines: string[], shape: Shape = 'box') => {
    const l = label(lines);
    const [open, close] = SHAPES[shape];
    return `${idOf(o)}${open}${l}${close}`;
  };

  // Which zone each object sits in, following links up to a zone.
  const zoneOf = (o: TopoObject | undefined, depth = 0): string | undefined => {
    if (!o || depth > 4) return undefined;
    if (o.kind === 'zone') return o.key;
    if (o.links.zone) return o.links.zone;
    if (o.kind === 'vm') return zoneOf(get(o.l3s[0]), depth + 1);
    return zoneOf(get(o.links.l2 ?? o.links.l3 ?? o.links.cluster ?? o.links.vip ?? o.links.vm), depth + 1);
  };

  const nodes: Array<{ zone?: string; line: string }> = [];
  const hostsLine = (o: TopoObject) => {
    const n = hosts(o.key);
    return n ? `${n.count} host${n.count === 1 ? '' : 's'}${n.complete ? '' : ' in plan'}${n.undecided > 0 ? ` (+${n.undecided} decided at apply?)` : ''}` : '';
  };
  const ctx: DrawContext = { hostsLine, get, t };
  for (const kind of REVIEW_KINDS) {
    const draw = DRAWING[kind].node;
    if (!draw) continue;
    for (const o of of(kind)) {
      const { lines, shape } = draw(o, ctx);
      nodes.push({ zone: zoneOf(o), line: nodeLine(o, [...lines, mark(o)], shape) });
    }
  }

  const edges: Array<{ line: string; status?: Status | 'violation' }> = [];
  const edge = (from: TopoObject | undefined, to: TopoObject, arrow: string, status?: Status | 'violation', text?: string) => {
    if (!from) return;
    edges.push({ line: `${idOf(from)} ${arrow}${text ? `|${label([text])}|` : ''} ${idOf(to)}`, status });
  };
  for (const kind of REVIEW_KINDS) {
    const joins = DRAWING[kind].joins;
    if (!joins) continue;
    for (const o of of(kind)) {
      const a = get(o.links[joins.a]);
      const b = get(o.links[joins.b]);
      if (a && b) edge(a, b, o.status === 'deleted' ? '-.-' : '---', o.status, joins.text(o, ctx));
    }
  }
  for (const kind of REVIEW_KINDS) {
    const from = DRAWING[kind].from;
    if (from) for (const o of of(kind)) edge(get(o.links[from]), o, '-->');
  }
  for (const o of of('vm')) for (const l3 of o.l3s) edge(get(l3), o, '-.->');
  // A virtual router's way out: its services to the public network.
  for (const o of of('services')) {
    const pub = get(o.links.publicL3);
    if (pub && ids.has(pub.key)) edge(o, pub, '-.->', undefined, 'leaves through');
  }
  for (const kind of REVIEW_KINDS) {
    const arrows = DRAWING[kind].arrows;
    if (!arrows) continue;
    for (const o of of(kind)) {
      for (const a of arrows(o, ctx)) {
        const other = get(o.links[a.link]);
        if (!other || !ids.has(other.key)) continue;
        const [from, to] = a.inbound ? [other, o] : [o, other];
        edge(from, to, '-.->', undefined, a.text);
      }
    }
  }
  const flagged = new Set<string>();
  for (const c of conflicts) {
    const from = get(c.from);
    const to = get(c.to);
    if (!from || !ids.has(from.key)) continue;
    flagged.add(from.key);
    if (to && ids.has(to.key) && to.key !== from.key) {
      flagged.add(to.key);
      edge(from, to, '-.-', 'violation', c.code);
    }
  }

  const out: string[] = ['flowchart LR'];
  // Zones with their objects; objects of no known zone stay outside.
  const zones = of('zone');
  for (const z of zones) {
    out.push(`  subgraph ${idOf(z)}[${label([`zone ${z.name}`, mark(z)])}]`);
    for (const n of nodes.filter((n) => n.zone === z.key)) out.push(`    ${n.line}`);
    out.push('  end');
  }
  for (const n of nodes.filter((n) => !n.zone || !zones.some((z) => z.key === n.zone))) out.push(`  ${n.line}`);
  for (const e of edges) out.push(`  ${e.line}`);

  for (const [name, style] of Object.entries(CLASS_DEFS)) out.push(`  classDef ${name} ${style}`);
  for (const status of Object.keys(CLASS_DEFS) as Status[]) {
    const members = objects.filter((o) => o.status === status && o.kind !== 'attachment' && o.kind !== 'host' && ids.has(o.key)).map(idOf);
    if (members.length > 0) out.push(`  class ${members.join(',')} ${status}`);
  }
  const open = objects.filter((o) => isWorldOpen(o) && ids.has(o.key));
  if (open.length > 0) {
    out.push(`  classDef worldOpen ${WORLD_OPEN_STYLE}`);
    out.push(`  class ${open.map(idOf).join(',')} worldOpen`);
  }
  if (flagged.size > 0) {
    out.push(`  classDef violation ${VIOLATION_STYLE}`);
    out.push(`  class ${[...flagged].map((k) => ids.get(k)).join(',')} violation`);
  }
  edges.forEach((e, i) => {
    const style = e.status === 'violation' ? 'stroke:#cf222e,stroke-width:3px,stroke-dasharray:2 2' : e.status ? LINK_STYLE[e.status] : undefined;
    if (style) out.push(`  linkStyle ${i} ${style}`);
  });
  return out.join('\n') + '\n';
}

/** For the legend under the diagram. */
export const LEGEND = 'green: created · yellow: updated · orange: replaced · red, dashed: deleted · thick red border: breaks a rule (dotted red line: the object it conflicts with)';
const WORLD_OPEN_LEGEND = 'thick dotted amber border: ingress open to the world';

/** The legend under a diagram: its world-open entry only when it draws such rules, so other reports keep the legend they had. */
export function legendOf(diagram: string): string {
  return diagram.includes('classDef worldOpen ') ? `${LEGEND} · ${WORLD_OPEN_LEGEND}` : LEGEND;
}
