/**
 * VM instances: placement on a host whose cluster carries every L2 under the VM's L3s
 * (rule 19), one IP per NIC from the L3's ranges, then the hypervisor prepares and starts it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { placementFor } from '../../topology/evaluator';
import type { L3Network, VmInstance } from '../../topology/model';
import type { CreateVmInstanceInput, UpdateVmInstanceInput } from '../../contract/schemas';
import * as M from '../db/models';
import { vmNicDeviceName } from '../../hosts/linux/device-names';
import type { VmInstantiateSpec } from '../extension/points';
import type { Op } from './context';
import { destroyVm, startVm } from './host-effects';
import { allocateIp, VM_NIC_OWNER_PREFIX } from './ip-addresses';
import { hostInventory, l3Inventory, nicInventory, vmInventory } from './inventory';
import { loadL2, mustFind } from './lookups';
import { refuseBrokenRules, refuseInvalidFields, withDatabaseView } from './rule-view';
import { convergeServices } from './service-attachments';

/** Locally administered unicast MAC (fa:...), as ZStack assigns. */
function randomMac(): string {
  return ['fa', ...[...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The host asked for (already checked eligible), else the eligible host with the fewest VMs (rule 19). */
async function chooseHost(input: CreateVmInstanceInput, l3s: L3Network[], op: Op): Promise<M.HostRow> {
  if (input.hostUuid !== undefined) return mustFind(M.HostRow, 'host', input.hostUuid, op, 'hostUuid');
  const l2Uuids = [...new Set(l3s.map((l) => l.l2NetworkUuid))];
  const { hosts } = await withDatabaseView(op, (view) => placementFor(view, l2Uuids));
  // Least loaded first; name order breaks ties so placement is predictable.
  const counts = new Map<string, number>();
  for (const vm of await M.VmInstanceRow.findAll({ attributes: ['hostUuid'], where: { hostUuid: hosts.map((h) => h.uuid) }, transaction: op.tx })) {
    counts.set(vm.hostUuid, (counts.get(vm.hostUuid) ?? 0) + 1);
  }
  const best = hosts.reduce((a, h) => ((counts.get(h.uuid) ?? 0) < (counts.get(a.uuid) ?? 0) ? h : a));
  return mustFind(M.HostRow, 'host', best.uuid, op);
}

export async function instantiateSpec(vm: M.VmInstanceRow, nics: M.VmNicRow[], op: Op): Promise<{ spec: VmInstantiateSpec; hypervisorType: M.ClusterRow['hypervisorType'] }> {
  const hostRow = await mustFind(M.HostRow, 'host', vm.hostUuid, op);
  const cluster = await mustFind(M.ClusterRow, 'cluster', hostRow.clusterUuid, op);
  const specs = [];
  for (const nic of [...nics].sort((a, b) => a.deviceIndex - b.deviceIndex)) {
    const l3 = l3Inventory(await mustFind(M.L3NetworkRow, 'l3Network', nic.l3NetworkUuid, op));
    specs.push({ nic: nicInventory(nic), l3, l2: await loadL2(l3.l2NetworkUuid, op) });
  }
  return { spec: { vmUuid: vm.uuid, vmName: vm.name, host: hostInventory(hostRow), nics: specs }, hypervisorType: cluster.hypervisorType };
}

export async function createVmInstance(input: CreateVmInstanceInput, op: Op): Promise<VmInstance> {
  refuseInvalidFields('vmInstance', input);
  const l3s: L3Network[] = [];
  for (const [i, uuid] of input.l3NetworkUuids.entries()) {
    l3s.push(l3Inventory(await mustFind(M.L3NetworkRow, 'l3Network', uuid, op, `l3NetworkUuids[${i}]`)));
  }
  // Distinct L3s, then a host to land on (the one asked for must be eligible).
  await refuseBrokenRules(op, 'vmInstance', { uuid: randomUUID(), name: input.name, l3NetworkUuids: [...input.l3NetworkUuids], hostUuid: input.hostUuid });
  const host = await chooseHost(input, l3s, op);
  const vm = await M.VmInstanceRow.create({ uuid: randomUUID(), name: input.name, hostUuid: host.uuid, state: 'Running' }, { transaction: op.tx });
  const nics: M.VmNicRow[] = [];
  for (const [i, l3] of l3s.entries()) {
    const nicUuid = randomUUID();
    const ip = await allocateIp({ l3NetworkUuid: l3.uuid, usedFor: `${VM_NIC_OWNER_PREFIX}${nicUuid}` }, op, `l3NetworkUuids[${i}]`);
    nics.push(
      await M.VmNicRow.create(
        { uuid: nicUuid, vmInstanceUuid: vm.uuid, l3NetworkUuid: l3.uuid, deviceIndex: i, ip: ip.ip, mac: randomMac(), deviceName: vmNicDeviceName(nicUuid) },
        { transaction: op.tx },
      ),
    );
  }
  const { spec, hypervisorType } = await instantiateSpec(vm, nics, op);
  await startVm(spec, hypervisorType, op);
  return vmInventory(vm, nics);
}

export async function updateVmInstance(uuid: string, input: UpdateVmInstanceInput, op: Op): Promise<VmInstance> {
  const vm = await mustFind(M.VmInstanceRow, 'vmInstance', uuid, op);
  await vm.update({ name: input.name ?? vm.name }, { transaction: op.tx });
  return vmInventory(vm, await M.VmNicRow.findAll({ where: { vmInstanceUuid: uuid }, transaction: op.tx }));
}

export async function deleteVmInstance(uuid: string, op: Op): Promise<void> {
  const vm = await mustFind(M.VmInstanceRow, 'vmInstance', uuid, op);
  const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: uuid }, transaction: op.tx });
  const { spec, hypervisorType } = await instantiateSpec(vm, nics, op);
  await destroyVm(spec, hypervisorType, op);
  await M.AllocatedIpRow.destroy({ where: { usedFor: nics.map((n) => `${VM_NIC_OWNER_PREFIX}${n.uuid}`) }, transaction: op.tx });
  await M.VmNicRow.destroy({ where: { vmInstanceUuid: uuid }, transaction: op.tx });
  await vm.destroy({ transaction: op.tx });
  for (const l3Uuid of new Set(nics.map((n) => n.l3NetworkUuid))) await convergeServices(l3Uuid, op);
}
