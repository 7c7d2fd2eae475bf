/**
 * VM instances: placement on a host whose cluster carries every L2 under the VM's L3s
 * (rule 19), one IP per NIC from the L3's ranges, then the hypervisor prepares and starts it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { candidateHosts, checkVmL3Networks } from '../../topology/rules/placement';
import { validateName } from '../../topology/rules/names';
import { violation } from '../../topology/violation';
import type { L3Network, VmInstance } from '../../topology/model';
import type { CreateVmInstanceInput, UpdateVmInstanceInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import { vmNicDeviceName } from '../hypervisors/device-names';
import type { VmInstantiateSpec } from '../extension/points';
import type { Op } from './context';
import { destroyVm, startVm } from './host-effects';
import { allocateIp, VM_NIC_OWNER_PREFIX } from './ip-addresses';
import { hostInventory, l3Inventory, nicInventory, vmInventory } from './inventory';
import { loadL2, mustFind } from './lookups';
import { convergeServices } from './service-attachments';

/** Locally administered unicast MAC (fa:...), as ZStack assigns. */
function randomMac(): string {
  return ['fa', ...[...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

async function l2sByCluster(op: Op): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (const a of await M.L2ClusterAttachmentRow.findAll({ transaction: op.tx })) {
    if (!map.has(a.clusterUuid)) map.set(a.clusterUuid, new Set());
    map.get(a.clusterUuid)!.add(a.l2NetworkUuid);
  }
  return map;
}

async function chooseHost(input: CreateVmInstanceInput, l3s: L3Network[], op: Op): Promise<M.HostRow> {
  const l2Uuids = [...new Set(l3s.map((l) => l.l2NetworkUuid))];
  const hosts = await M.HostRow.findAll({ order: [['name', 'ASC'], ['uuid', 'ASC']], transaction: op.tx });
  const candidates = candidateHosts(l2Uuids, hosts, await l2sByCluster(op));
  if (input.hostUuid !== undefined) {
    const host = await mustFind(M.HostRow, 'Host', input.hostUuid, op, 'hostUuid');
    const ok = candidates.some((c) => c.uuid === host.uuid);
    throwIfViolations(
      [],
      ok
        ? []
        : [
            violation(
              'HOST_NOT_ELIGIBLE',
              'hostUuid',
              `host '${host.name}' is ${host.state === 'Connected' ? 'not in a cluster attached to every L2 network under the VM\'s L3 networks' : host.state}`,
              { type: 'Host', uuid: host.uuid, name: host.name },
            ),
          ],
    );
    return host;
  }
  throwIfViolations(
    [],
    candidates.length > 0
      ? []
      : [violation('NO_ELIGIBLE_HOST', 'l3NetworkUuids', `no connected host is in a cluster attached to all of the L2 networks ${l2Uuids.join(', ')}`)],
  );
  // Least loaded first; name order breaks ties so placement is predictable.
  const counts = new Map<string, number>();
  for (const vm of await M.VmInstanceRow.findAll({ attributes: ['hostUuid'], transaction: op.tx })) counts.set(vm.hostUuid, (counts.get(vm.hostUuid) ?? 0) + 1);
  return candidates.reduce((best, h) => ((counts.get(h.uuid) ?? 0) < (counts.get(best.uuid) ?? 0) ? h : best));
}

export async function instantiateSpec(vm: M.VmInstanceRow, nics: M.VmNicRow[], op: Op): Promise<{ spec: VmInstantiateSpec; hypervisorType: M.ClusterRow['hypervisorType'] }> {
  const hostRow = await mustFind(M.HostRow, 'Host', vm.hostUuid, op);
  const cluster = await mustFind(M.ClusterRow, 'Cluster', hostRow.clusterUuid, op);
  const specs = [];
  for (const nic of [...nics].sort((a, b) => a.deviceIndex - b.deviceIndex)) {
    const l3 = l3Inventory(await mustFind(M.L3NetworkRow, 'L3Network', nic.l3NetworkUuid, op));
    specs.push({ nic: nicInventory(nic), l3, l2: await loadL2(l3.l2NetworkUuid, op) });
  }
  return { spec: { vmUuid: vm.uuid, vmName: vm.name, host: hostInventory(hostRow), nics: specs }, hypervisorType: cluster.hypervisorType };
}

export async function createVmInstance(input: CreateVmInstanceInput, op: Op): Promise<VmInstance> {
  throwIfViolations(validateName(input.name));
  const l3s: L3Network[] = [];
  for (const [i, uuid] of input.l3NetworkUuids.entries()) {
    l3s.push(l3Inventory(await mustFind(M.L3NetworkRow, 'L3Network', uuid, op, `l3NetworkUuids[${i}]`)));
  }
  throwIfViolations([], checkVmL3Networks(l3s));
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
  const vm = await mustFind(M.VmInstanceRow, 'VmInstance', uuid, op);
  throwIfViolations(input.name !== undefined ? validateName(input.name) : []);
  await vm.update({ name: input.name ?? vm.name }, { transaction: op.tx });
  return vmInventory(vm, await M.VmNicRow.findAll({ where: { vmInstanceUuid: uuid }, transaction: op.tx }));
}

export async function deleteVmInstance(uuid: string, op: Op): Promise<void> {
  const vm = await mustFind(M.VmInstanceRow, 'VmInstance', uuid, op);
  const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: uuid }, transaction: op.tx });
  const { spec, hypervisorType } = await instantiateSpec(vm, nics, op);
  await destroyVm(spec, hypervisorType, op);
  await M.AllocatedIpRow.destroy({ where: { usedFor: nics.map((n) => `${VM_NIC_OWNER_PREFIX}${n.uuid}`) }, transaction: op.tx });
  await M.VmNicRow.destroy({ where: { vmInstanceUuid: uuid }, transaction: op.tx });
  await vm.destroy({ transaction: op.tx });
  for (const l3Uuid of new Set(nics.map((n) => n.l3NetworkUuid))) await convergeServices(l3Uuid, op);
}

export async function loadVm(uuid: string, op: Op): Promise<VmInstance> {
  const vm = await mustFind(M.VmInstanceRow, 'VmInstance', uuid, op);
  return vmInventory(vm, await M.VmNicRow.findAll({ where: { vmInstanceUuid: uuid }, transaction: op.tx }));
}
