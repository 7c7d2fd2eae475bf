/**
 * Hosts. A host added to (or reconnected in) a cluster gets every L2 network attached to
 * that cluster realized on it, as ZStack does on host connect.
 */
import { randomUUID } from 'node:crypto';
import { parseIp } from '../../topology/ip';
import { validateDescription, validateName } from '../../topology/rules/names';
import { violation, type Violation } from '../../topology/violation';
import type { Host } from '../../topology/model';
import type { CreateHostInput, UpdateHostInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { deleteL2OnHosts, realizeL2OnHosts } from './host-effects';
import { hostInventory } from './inventory';
import { loadL2, mustFind } from './lookups';

function validateManagementIp(ip: string): Violation[] {
  return parseIp(ip) ? [] : [violation('INVALID_IP', 'managementIp', `${JSON.stringify(ip)} is not an IP address`)];
}

async function l2sAttachedToCluster(clusterUuid: string, op: Op) {
  const attachments = await M.L2ClusterAttachmentRow.findAll({ where: { clusterUuid }, order: [['createdAt', 'ASC']], transaction: op.tx });
  return Promise.all(attachments.map((a) => loadL2(a.l2NetworkUuid, op)));
}

export async function createHost(input: CreateHostInput, op: Op): Promise<Host> {
  throwIfViolations([...validateName(input.name), ...validateDescription(input.description), ...validateManagementIp(input.managementIp)]);
  const cluster = await mustFind(M.ClusterRow, 'Cluster', input.clusterUuid, op, 'clusterUuid');
  const managementIp = parseIp(input.managementIp)!.text;
  const clash = await M.HostRow.findOne({ where: { managementIp }, transaction: op.tx });
  if (clash) {
    throwIfViolations(
      [],
      [
        violation('MANAGEMENT_IP_CONFLICT', 'managementIp', `management IP ${managementIp} is already used by host '${clash.name}' (${clash.uuid})`, {
          type: 'Host',
          uuid: clash.uuid,
          name: clash.name,
        }),
      ],
    );
  }
  const row = await M.HostRow.create(
    {
      uuid: randomUUID(),
      name: input.name,
      clusterUuid: cluster.uuid,
      managementIp,
      state: input.state ?? 'Connected',
      description: input.description ?? '',
    },
    { transaction: op.tx },
  );
  const host = hostInventory(row);
  await realizeAttachedL2s(host, cluster.hypervisorType, op);
  return host;
}

async function realizeAttachedL2s(host: Host, hypervisorType: M.ClusterRow['hypervisorType'], op: Op): Promise<void> {
  if (host.state !== 'Connected') return;
  for (const l2 of await l2sAttachedToCluster(host.clusterUuid, op)) {
    await realizeL2OnHosts(l2, [{ host, hypervisorType }], op);
  }
}

export async function updateHost(uuid: string, input: UpdateHostInput, op: Op): Promise<Host> {
  const row = await mustFind(M.HostRow, 'Host', uuid, op);
  throwIfViolations([...(input.name !== undefined ? validateName(input.name) : []), ...validateDescription(input.description)]);
  const reconnecting = input.state === 'Connected' && row.state !== 'Connected';
  await row.update(
    { name: input.name ?? row.name, description: input.description ?? row.description, state: input.state ?? row.state },
    { transaction: op.tx },
  );
  const host = hostInventory(row);
  if (reconnecting) {
    const cluster = await mustFind(M.ClusterRow, 'Cluster', row.clusterUuid, op);
    await realizeAttachedL2s(host, cluster.hypervisorType, op);
  }
  return host;
}

export async function deleteHost(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.HostRow, 'Host', uuid, op);
  const vms = await M.VmInstanceRow.findAll({ where: { hostUuid: uuid }, transaction: op.tx });
  throwIfViolations(
    [],
    vms.map((vm) =>
      violation('HOST_IN_USE', 'uuid', `host '${row.name}' still runs VM '${vm.name}' (${vm.uuid}); delete it first`, {
        type: 'VmInstance',
        uuid: vm.uuid,
        name: vm.name,
      }),
    ),
  );
  const cluster = await mustFind(M.ClusterRow, 'Cluster', row.clusterUuid, op);
  const host = hostInventory(row);
  if (host.state === 'Connected') {
    for (const l2 of await l2sAttachedToCluster(row.clusterUuid, op)) {
      await deleteL2OnHosts(l2, [{ host, hypervisorType: cluster.hypervisorType }], op);
    }
  }
  await row.destroy({ transaction: op.tx });
}
