/**
 * GET /v1/overview (contract/overview.ts): the topology in one read for the live page.
 * An L2 network is realized on a host when the host's cluster is attached and the host is
 * Connected: attaching realizes it on every Connected host, and a host that comes back is
 * reconciled (host-reconcile.ts), so that is what the server knows of each host.
 */
import { createHash } from 'node:crypto';
import type { Overview, OverviewHost, OverviewL2, OverviewL3 } from '../../contract/overview';
import { totalRangeSize } from '../../topology/ip-allocation';
import { overviewDiagram } from '../ui/overview-diagram';
import * as M from '../db/models';
import type { Op } from './context';
import { listObjects } from './listing';

export async function readOverview(op: Pick<Op, 'tx'>): Promise<Overview> {
  const all = <T extends Parameters<typeof listObjects>[0]>(type: T) => listObjects(type, {}, op.tx);
  const [zones, clusters, hosts, l2s, l3s, ranges, providers, services, routers, vms, used] = await Promise.all([
    all('zone'),
    all('cluster'),
    all('host'),
    all('l2Network'),
    all('l3Network'),
    all('ipRange'),
    all('networkServiceProvider'),
    all('networkServiceAttachment'),
    all('virtualRouter'),
    all('vmInstance'),
    M.AllocatedIpRow.count({ group: ['l3NetworkUuid'], transaction: op.tx }),
  ]);
  const usedByL3 = new Map(used.map((g) => [String(g.l3NetworkUuid), Number(g.count)]));
  const providerName = new Map(providers.map((p) => [p.uuid, p.name]));
  const l2sOfCluster = (clusterUuid: string) => l2s.filter((l2) => l2.attachedClusterUuids.includes(clusterUuid));

  const overviewHosts: OverviewHost[] = hosts.map((h) => ({
    uuid: h.uuid,
    name: h.name,
    clusterUuid: h.clusterUuid,
    managementIp: h.managementIp,
    state: h.state,
    l2Networks: l2sOfCluster(h.clusterUuid).map((l2) => ({ l2NetworkUuid: l2.uuid, name: l2.name, realized: h.state === 'Connected' })),
  }));
  const l2Networks: OverviewL2[] = l2s.map((l2) => {
    const on = overviewHosts.filter((h) => l2.attachedClusterUuids.includes(h.clusterUuid));
    return {
      uuid: l2.uuid,
      name: l2.name,
      zoneUuid: l2.zoneUuid,
      type: l2.type,
      physicalInterface: l2.physicalInterface,
      vlan: l2.vlan,
      vni: l2.vni,
      attachedClusterUuids: l2.attachedClusterUuids,
      hosts: { realized: on.filter((h) => h.state === 'Connected').length, total: on.length },
    };
  });
  const l3Networks: OverviewL3[] = l3s.map((l3) => {
    const own = ranges.filter((r) => r.l3NetworkUuid === l3.uuid);
    const total = totalRangeSize(own);
    return {
      uuid: l3.uuid,
      name: l3.name,
      l2NetworkUuid: l3.l2NetworkUuid,
      cidr: l3.cidr,
      gateway: l3.gateway,
      ranges: own.map((r) => ({ uuid: r.uuid, name: r.name, startIp: r.startIp, endIp: r.endIp })),
      usage: { used: usedByL3.get(l3.uuid) ?? 0, total: total.toString() },
      services: services
        .filter((s) => s.l3NetworkUuid === l3.uuid)
        .map((s) => ({
          uuid: s.uuid,
          providerName: providerName.get(s.providerUuid) ?? s.providerUuid,
          services: s.services,
          state: s.state,
          pending: s.pendingServices.map((p) => `${p.service}: ${p.reason}`),
        })),
    };
  });
  const content: Omit<Overview, 'revision' | 'mermaid'> = {
    zones: zones.map((z) => ({ uuid: z.uuid, name: z.name })),
    clusters: clusters.map((c) => ({ uuid: c.uuid, name: c.name, zoneUuid: c.zoneUuid, hypervisorType: c.hypervisorType })),
    hosts: overviewHosts,
    l2Networks,
    l3Networks,
    virtualRouters: routers.map((r) => ({
      uuid: r.uuid,
      name: r.name,
      l3NetworkUuid: r.l3NetworkUuid,
      publicL3NetworkUuid: r.publicL3NetworkUuid,
      hostUuid: r.hostUuid,
      state: r.state,
      guestIp: r.guestIp,
      publicIp: r.publicIp,
    })),
    vms: vms.map((v) => ({ uuid: v.uuid, name: v.name, hostUuid: v.hostUuid, state: v.state, nics: v.nics.map((n) => ({ l3NetworkUuid: n.l3NetworkUuid, ip: n.ip })) })),
  };
  const revision = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
  return { revision, ...content, mermaid: overviewDiagram(content) };
}
