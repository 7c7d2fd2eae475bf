/**
 * VM instances: placement on a host whose cluster carries every L2 under the VM's L3s
 * (rule 19), one IP per NIC from the L3's ranges, its lease and DNS record added to the
 * networks' services, then the hypervisor prepares and starts it (the VM takes its address
 * from DHCP where a DHCP service serves it). Deleting it removes its leases and records.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { placementFor } from '../../topology/evaluator';
import type { L3Network, VmInstance } from '../../topology/model';
import type { CreateVmInstanceInput, UpdateVmInstanceInput } from '../../contract/schemas';
import * as M from '../db/models';
import { vmNicDeviceName } from '../../hosts/linux/device-names';
import { hostnameFromName } from '../../topology/dns-names';
import { VM_NIC_OWNER_PREFIX } from '../../contract/schemas';
import type { Op } from './context';
import { destroyVm, startVm } from './host-effects';
import { allocateIp, releaseIps } from './ip-allocation';
import { l3Inventory, vmInventory } from './inventory';
import { mustFind } from './lookups';
import { firewallChangeFor } from './host-firewalls';
import { refuseBlockedDelete, refuseBrokenRules, refuseInvalidFields, withDatabaseView } from './rule-view';
import { beginServiceChange } from './service-convergence';
import { instantiateSpec } from './vm-specs';


/** Locally administered unicast MAC (fa:...), as ZStack assigns. */
function randomMac(): string {
  return ['fa', ...[...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The host asked for (already checked eligible), else the eligible host with the fewest VMs (rule 19). */
async function chooseHost(input: CreateVmInstanceInput, l3s: L3Network[], op: Op): Promise<M.HostRow> {
  if (input.hostUuid !== undefined) return mustFind(M.HostRow, 'host', input.hostUuid, op, 'hostUuid');
  const l2Uuids = [...new Set(l3s.map((l) => l.l2NetworkUuid))];
  const { hosts } = await withDatabaseView(op, (view) => placementFor(view, l2Uuids));
  // Least loaded first (virtual routers are VMs too); name order breaks ties so placement is predictable.
  const counts = new Map<string, number>();
  const where = { hostUuid: hosts.map((h) => h.uuid) };
  for (const row of [
    ...(await M.VmInstanceRow.findAll({ attributes: ['hostUuid'], where, transaction: op.tx })),
    ...(await M.VirtualRouterRow.findAll({ attributes: ['hostUuid'], where, transaction: op.tx })),
  ]) {
    if (row.hostUuid) counts.set(row.hostUuid, (counts.get(row.hostUuid) ?? 0) + 1);
  }
  const best = hosts.reduce((a, h) => ((counts.get(h.uuid) ?? 0) < (counts.get(a.uuid) ?? 0) ? h : a));
  return mustFind(M.HostRow, 'host', best.uuid, op);
}

/** The host name asked for, else the name made a DNS label (a name with nothing of one left must be given one). */
function hostnameOf(input: CreateVmInstanceInput, uuid: string): string {
  return input.hostname ?? hostnameFromName(input.name) ?? `vm-${uuid.slice(0, 8)}`;
}

export async function createVmInstance(input: CreateVmInstanceInput, op: Op): Promise<VmInstance> {
  refuseInvalidFields('vmInstance', input);
  const l3s: L3Network[] = [];
  for (const [i, uuid] of input.l3NetworkUuids.entries()) {
    l3s.push(l3Inventory(await mustFind(M.L3NetworkRow, 'l3Network', uuid, op, `l3NetworkUuids[${i}]`)));
  }
  const uuid = randomUUID();
  const hostname = hostnameOf(input, uuid);
  // Distinct L3s and host names on them, then a host to land on (the one asked for must be eligible).
  await refuseBrokenRules(op, 'vmInstance', { uuid, name: input.name, hostname, l3NetworkUuids: [...input.l3NetworkUuids], hostUuid: input.hostUuid });
  const host = await chooseHost(input, l3s, op);
  const services = await beginServiceChange(op, input.l3NetworkUuids);
  const firewalls = await firewallChangeFor(op, input.l3NetworkUuids);
  services.startsVm(uuid);
  const vm = await M.VmInstanceRow.create({ uuid, name: input.name, hostname, hostUuid: host.uuid, state: 'Running' }, { transaction: op.tx });
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
  // Its leases and records first: a VM that asks DHCP for its address must find it there.
  await services.finish('strict');
  const { spec, hypervisorType } = await instantiateSpec(vm, nics, op);
  try {
    // On networks with security groups its ports are guarded before it starts.
    await firewalls?.finish();
    await startVm(spec, hypervisorType, op);
  } catch (err) {
    await services.rollback();
    throw err;
  }
  return vmInventory(vm, nics);
}

export async function updateVmInstance(uuid: string, input: UpdateVmInstanceInput, op: Op): Promise<VmInstance> {
  const vm = await mustFind(M.VmInstanceRow, 'vmInstance', uuid, op);
  const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: uuid }, transaction: op.tx });
  const hostname = input.hostname ?? vm.hostname;
  if (hostname !== vm.hostname) {
    const l3NetworkUuids = [...nics].sort((a, b) => a.deviceIndex - b.deviceIndex).map((n) => n.l3NetworkUuid);
    await refuseBrokenRules(op, 'vmInstance', { uuid, hostname, l3NetworkUuids }, { changed: new Set(['hostname']) });
  }
  // Its DNS records and DHCP host names follow the new name.
  const services = await beginServiceChange(op, nics.map((n) => n.l3NetworkUuid));
  await vm.update({ name: input.name ?? vm.name, hostname }, { transaction: op.tx });
  await services.finish('strict');
  return vmInventory(vm, nics);
}

export async function deleteVmInstance(uuid: string, op: Op): Promise<void> {
  const vm = await mustFind(M.VmInstanceRow, 'vmInstance', uuid, op);
  const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid: uuid }, transaction: op.tx });
  // EIPs, port forwarding rules and security group memberships name its NICs: they go first.
  await refuseBlockedDelete(op, 'vmInstance', vmInventory(vm, nics));
  const { spec, hypervisorType } = await instantiateSpec(vm, nics, op);
  const services = await beginServiceChange(op, nics.map((n) => n.l3NetworkUuid));
  const firewalls = await firewallChangeFor(op, nics.map((n) => n.l3NetworkUuid));
  await releaseIps({ usedFor: nics.map((n) => `${VM_NIC_OWNER_PREFIX}${n.uuid}`) }, op);
  await M.VmNicRow.destroy({ where: { vmInstanceUuid: uuid }, transaction: op.tx });
  await vm.destroy({ transaction: op.tx });
  // Its leases and records go (a network it was the last VM of on that host loses the host's flat DHCP server), then the VM.
  await services.finish('strict');
  try {
    await destroyVm(spec, hypervisorType, op);
    await firewalls?.finish();
  } catch (err) {
    await services.rollback();
    throw err;
  }
}
