/** What a deploy realized, read back from the server: per host, the devices and VMs it carries. */
import type { NetforgeClient } from '../client';

interface SimulatedHost {
  hostUuid: string;
  devices: Array<{ type: string; name: string; l2NetworkUuid?: string; vmUuid?: string; ip?: string }>;
}

export async function realizationReport(client: NetforgeClient): Promise<string> {
  const [zones, clusters, hosts, l2s, l3s, vms, simulated] = await Promise.all([
    client.list('zone'),
    client.list('cluster'),
    client.list('host'),
    client.list('l2Network'),
    client.list('l3Network'),
    client.list('vmInstance'),
    client.request<SimulatedHost[]>('GET', '/v1/simulator/hosts'),
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
            const vm = d.vmUuid ? vms.find((v) => v.uuid === d.vmUuid)?.name : undefined;
            lines.push(`      ${d.type.padEnd(6)} ${d.name.padEnd(16)}${owner ? ` ${owner}` : ''}${vm ? ` vm ${vm}${d.ip ? ` ${d.ip}` : ''}` : ''}`);
          }
        } else if (cluster.hypervisorType === 'KVM') {
          lines.push(`      realized by its KVM agent: ${attached.join(', ') || 'nothing'}`);
        }
        for (const vm of vms.filter((v) => v.hostUuid === host.uuid)) {
          lines.push(`      vm     ${vm.name.padEnd(16)} ${vm.nics.map((n) => `${n.ip} (${l3s.find((l) => l.uuid === n.l3NetworkUuid)?.name ?? n.l3NetworkUuid})`).join(', ')}`);
        }
      }
    }
  }
  return lines.join('\n');
}
