/**
 * The live topology as a Mermaid flowchart: a subgraph per zone holding its clusters (each
 * a subgraph of its hosts, with their state and the L2 networks realized on them) and its L2
 * networks, linked to the clusters they are attached to; L3 networks under their L2 with
 * their ranges, address usage and services; virtual routers and VMs on their L3s, with the
 * host each runs on. Node ids are generated; every label goes through lib/mermaid-label.
 */
import { label } from '../../lib/mermaid-label';
import type { Overview, OverviewL2 } from '../../contract/overview';

type Content = Omit<Overview, 'revision' | 'mermaid'>;

const CLASS_DEFS = {
  pending: 'fill:#fff8c5,stroke:#9a6700,color:#3b2300,stroke-dasharray:4 3',
  down: 'fill:#ffebe9,stroke:#cf222e,color:#5c0f14',
};

function l2Line(l2: OverviewL2): string {
  if (l2.type === 'L2VlanNetwork') return `VLAN ${String(l2.vlan)} on ${l2.physicalInterface}`;
  if (l2.type === 'L2VxlanNetwork') return `VXLAN ${String(l2.vni)} on ${l2.physicalInterface}`;
  return `no VLAN on ${l2.physicalInterface}`;
}

export function overviewDiagram(t: Content): string {
  const ids = new Map<string, string>();
  let counter = 0;
  const id = (prefix: string, uuid: string) => {
    let v = ids.get(uuid);
    if (!v) ids.set(uuid, (v = `${prefix}_${++counter}`));
    return v;
  };
  const out = ['flowchart LR'];
  const pending: string[] = [];
  const down: string[] = [];

  for (const zone of t.zones) {
    out.push(`  subgraph ${id('zone', zone.uuid)}[${label([`zone ${zone.name}`])}]`);
    for (const cluster of t.clusters.filter((c) => c.zoneUuid === zone.uuid)) {
      const hosts = t.hosts.filter((h) => h.clusterUuid === cluster.uuid);
      // One line: Mermaid draws a subgraph's title over its first node when it wraps.
      out.push(`    subgraph ${id('cluster', cluster.uuid)}[${label([`cluster ${cluster.name} · ${cluster.hypervisorType} · ${hosts.length} host${hosts.length === 1 ? '' : 's'}`])}]`);
      for (const h of hosts) {
        const l2s = h.l2Networks.map((l) => `${l.name} ${l.realized ? '✓' : '(waits for the host)'}`).join(' · ');
        out.push(`      ${id('host', h.uuid)}[${label([`host ${h.name}`, `${h.managementIp} · ${h.state}`, l2s ? `L2: ${l2s}` : ''])}]`);
        if (h.state !== 'Connected') down.push(id('host', h.uuid));
      }
      out.push('    end');
    }
    for (const l2 of t.l2Networks.filter((l) => l.zoneUuid === zone.uuid)) {
      const realized = l2.hosts.total === 0 ? 'attached to no cluster' : `realized on ${l2.hosts.realized} of ${l2.hosts.total} hosts`;
      out.push(`    ${id('l2', l2.uuid)}{{${label([`L2 ${l2.name}`, l2Line(l2), realized])}}}`);
      if (l2.hosts.realized < l2.hosts.total) pending.push(id('l2', l2.uuid));
    }
    out.push('  end');
  }

  const edges: string[] = [];
  for (const l2 of t.l2Networks) {
    for (const c of l2.attachedClusterUuids) if (ids.has(c)) edges.push(`${id('l2', l2.uuid)} ---|${label(['attached'])}| ${ids.get(c)}`);
  }
  for (const l3 of t.l3Networks) {
    const l3Id = id('l3', l3.uuid);
    out.push(`  ${l3Id}(${label([`L3 ${l3.name}`, `${l3.cidr} · gw ${l3.gateway}`, `${l3.usage.used} of ${l3.usage.total} addresses used`])})`);
    if (ids.has(l3.l2NetworkUuid)) edges.push(`${ids.get(l3.l2NetworkUuid)} --> ${l3Id}`);
    for (const r of l3.ranges) {
      out.push(`  ${id('range', r.uuid)}[${label([`range ${r.name}`, `${r.startIp} - ${r.endIp}`])}]`);
      edges.push(`${l3Id} --> ${id('range', r.uuid)}`);
    }
    for (const s of l3.services) {
      out.push(`  ${id('svc', s.uuid)}([${label([s.services.join(', '), `via ${s.providerName} · ${s.state}`, ...s.pending])}])`);
      edges.push(`${l3Id} --> ${id('svc', s.uuid)}`);
      if (s.state !== 'Applied') pending.push(id('svc', s.uuid));
    }
  }
  for (const r of t.virtualRouters) {
    const rId = id('router', r.uuid);
    out.push(`  ${rId}[[${label([`router ${r.name}`, `${r.guestIp}${r.publicIp ? ` / ${r.publicIp}` : ''} · ${r.state}`])}]]`);
    if (ids.has(r.l3NetworkUuid)) edges.push(`${ids.get(r.l3NetworkUuid)} --- ${rId}`);
    if (ids.has(r.publicL3NetworkUuid)) edges.push(`${rId} -.->|${label(['leaves through'])}| ${ids.get(r.publicL3NetworkUuid)}`);
    if (r.hostUuid && ids.has(r.hostUuid)) edges.push(`${rId} -.->|${label(['runs on'])}| ${ids.get(r.hostUuid)}`);
    if (r.state !== 'Running') pending.push(rId);
  }
  for (const vm of t.vms) {
    const vmId = id('vm', vm.uuid);
    out.push(`  ${vmId}(${label([`VM ${vm.name}`, vm.state])})`);
    for (const nic of vm.nics) if (ids.has(nic.l3NetworkUuid)) edges.push(`${ids.get(nic.l3NetworkUuid)} -->|${label([nic.ip])}| ${vmId}`);
    if (ids.has(vm.hostUuid)) edges.push(`${vmId} -.->|${label(['runs on'])}| ${ids.get(vm.hostUuid)}`);
    if (vm.state !== 'Running') down.push(vmId);
  }
  for (const e of edges) out.push(`  ${e}`);
  for (const [name, style] of Object.entries(CLASS_DEFS)) out.push(`  classDef ${name} ${style}`);
  if (pending.length > 0) out.push(`  class ${pending.join(',')} pending`);
  if (down.length > 0) out.push(`  class ${down.join(',')} down`);
  return `${out.join('\n')}\n`;
}
