/**
 * What a deploy realized, read back from the server: per host, the devices and VMs it
 * carries; then the network services: per L3, who serves what, where its virtual router
 * or DHCP servers run, and the leases and DNS names they hand out.
 */
import type { NetforgeClient } from '../client';
import type { ServiceEndpointStatus } from '../contract';

interface SimulatedHost {
  hostUuid: string;
  devices: Array<{ type: string; name: string; l2NetworkUuid?: string; vmUuid?: string; ip?: string }>;
}

export async function realizationReport(client: NetforgeClient): Promise<string> {
  const [zones, clusters, hosts, l2s, l3s, vms, simulated, attachments, providers, routers, endpoints] = await Promise.all([
    client.list('zone'),
    client.list('cluster'),
    client.list('host'),
    client.list('l2Network'),
    client.list('l3Network'),
    client.list('vmInstance'),
    client.request<SimulatedHost[]>('GET', '/v1/simulator/hosts'),
    client.list('networkServiceAttachment'),
    client.list('networkServiceProvider'),
    client.list('virtualRouter'),
    client.request<ServiceEndpointStatus[]>('GET', '/v1/service-endpoints'),
  ]);
  const l2ByUuid = new Map(l2s.map((l) => [l.uuid, l]));
  const devicesByHost = new Map(simulated.map((h) => [h.hostUuid, h.devices]));
  const lines: string[] = [];
  for (const zone of zones) {
    lines.push(`zone ${zone.name}`);
    for (const cluster of clusters.filter((c) => c.zoneUuid === zone.uuid)) {
      const attached = l2s.filter((l) => l.attachedClusterUuids.includes(cluster.uuid)).map((l) => l.name);
      lines.push(`  cluster ${cluster.name} (${cluster.hypervisorType}) carries ${attached.length ? attached.join(', ') : 'no L2 networks'}`);
      for (const host of hosts.filter((h) => h.clusterUuid === cluster.uuid)) {
        lines.push(`    host ${host.name} ${host.managementIp} [${host.state}]`);
        const devices = devicesByHost.get(host.uuid);
        if (cluster.hypervisorType === 'Simulator' && devices) {
          for (const d of devices) {
            const owner = d.l2NetworkUuid ? l2ByUuid.get(d.l2NetworkUuid)?.name : undefined;
            const vm = d.vmUuid ? (vms.find((v) => v.uuid === d.vmUuid)?.name ?? routers.find((r) => r.uuid === d.vmUuid)?.name) : undefined;
            lines.push(`      ${d.type.padEnd(6)} ${d.name.padEnd(16)}${owner ? ` ${owner}` : ''}${vm ? ` vm ${vm}${d.ip ? ` ${d.ip}` : ''}` : ''}`);
          }
        } else if (cluster.hypervisorType === 'KVM') {
          lines.push(`      realized by its KVM agent: ${attached.join(', ') || 'nothing'}`);
        }
        for (const vm of vms.filter((v) => v.hostUuid === host.uuid)) {
          lines.push(`      vm     ${vm.name.padEnd(16)} ${vm.nics.map((n) => `${n.ip} (${l3s.find((l) => l.uuid === n.l3NetworkUuid)?.name ?? n.l3NetworkUuid})`).join(', ')}`);
        }
        for (const r of routers.filter((x) => x.hostUuid === host.uuid)) {
          lines.push(`      router ${r.name.padEnd(16)} ${r.guestIp} (${l3s.find((l) => l.uuid === r.l3NetworkUuid)?.name ?? r.l3NetworkUuid}), ${r.publicIp ?? '-'} (${l3s.find((l) => l.uuid === r.publicL3NetworkUuid)?.name ?? r.publicL3NetworkUuid})`);
        }
      }
    }
  }
  if (attachments.length > 0) lines.push('network services');
  const vmOfMac = new Map(vms.flatMap((v) => v.nics.map((n) => [n.mac, v.name] as const)));
  for (const l3 of l3s) {
    const mine = attachments.filter((a) => a.l3NetworkUuid === l3.uuid);
    if (mine.length === 0) continue;
    lines.push(`  L3 ${l3.name} (${l3.cidr})`);
    for (const a of mine) {
      const provider = providers.find((p) => p.uuid === a.providerUuid);
      const waiting = a.pendingServices.map((p) => `${p.service} pending: ${p.reason}`);
      lines.push(`    ${a.services.join(', ')} from ${provider?.name ?? a.providerUuid}: ${a.state}`, ...waiting.map((w) => `      ${w}`));
    }
    for (const e of endpoints.filter((x) => x.l3NetworkUuid === l3.uuid)) {
      const what = e.kind === 'virtualRouter' ? `virtual router ${e.applianceName}` : e.kind === 'flatEip' ? `flat EIP ${e.applianceName}` : 'flat DHCP server';
      const out = e.publicIp ? `, leaves through ${e.publicIp}${e.snat ? ' (SNAT)' : ''}` : '';
      lines.push(`    ${what} on ${e.hostName} at ${e.serveIp}${out}`);
      for (const eip of e.eips) lines.push(`      eip   ${eip.vip.padEnd(15)} -> ${eip.guestIp}`);
      for (const lease of e.dhcp?.leases ?? []) lines.push(`      lease ${lease.ip.padEnd(15)} ${lease.mac} ${vmOfMac.get(lease.mac) ?? ''} (${lease.hostname})`);
      if (e.dns && e.dns.records.length > 0) {
        lines.push(`      dns   ${e.dns.records.map((r) => (e.dns?.domain ? `${r.hostname}.${e.dns.domain}` : r.hostname)).join(', ')}`);
      }
    }
  }
  return lines.join('\n');
}
