/** What a VM backend is told to start: the VM on its host, each NIC with its networks and whether DHCP addresses it. */
import type { Host } from '../../topology/model';
import * as M from '../db/models';
import type { VmInstantiateSpec } from '../extension/points';
import type { Op } from './context';
import { hostInventory, l3Inventory, nicInventory } from './inventory';
import { loadL2, mustFind } from './lookups';
import { l3sServedByDhcp } from './service-plane';

export interface VmStart {
  spec: VmInstantiateSpec;
  hypervisorType: M.ClusterRow['hypervisorType'];
  host: Host;
}

export async function instantiateSpec(vm: M.VmInstanceRow, nics: M.VmNicRow[], op: Op): Promise<VmStart> {
  const hostRow = await mustFind(M.HostRow, 'host', vm.hostUuid, op);
  const cluster = await mustFind(M.ClusterRow, 'cluster', hostRow.clusterUuid, op);
  const sorted = [...nics].sort((a, b) => a.deviceIndex - b.deviceIndex);
  const dhcp = await l3sServedByDhcp(sorted.map((n) => n.l3NetworkUuid), op);
  const specs = [];
  for (const nic of sorted) {
    const l3 = l3Inventory(await mustFind(M.L3NetworkRow, 'l3Network', nic.l3NetworkUuid, op));
    specs.push({ nic: nicInventory(nic), l3, l2: await loadL2(l3.l2NetworkUuid, op), dhcp: dhcp.has(l3.uuid) });
  }
  const host = hostInventory(hostRow);
  return { spec: { vmUuid: vm.uuid, vmName: vm.name, host, nics: specs }, hypervisorType: cluster.hypervisorType, host };
}
