/**
 * Hosts. A host added to (or reconnected in) a cluster gets every L2 network attached to
 * that cluster realized on it, as ZStack does on host connect.
 */
import { randomUUID } from 'node:crypto';
import { canonicalManagementIp, validateManagementIp } from '../../topology/rules/hosts';
import { validateDescription, validateName } from '../../topology/rules/names';
import { violation } from '../../topology/violation';
import type { Host, L2Network } from '../../topology/model';
import type { CreateHostInput, UpdateHostInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { deleteL2OnHosts, realizeL2OnHosts } from './host-effects';
import { hostInventory } from './inventory';
import { loadL2, mustFind } from './lookups';

async function l2sAttachedToCluster(clusterUuid: string, op: Op) {
  const attachments = await M.L2ClusterAttachmentRow.findAll({ where: { clusterUuid }, order: [['createdAt', 'ASC']], transaction: op.tx });
  return Promise.all(attachments.map((a) => loadL2(a.l2NetworkUuid, op)));
}

export async function createHost(input: CreateHostInput, op: Op): Promise<Host> {
  throwIfViolations([...validateName(input.name), ...validateDescription(input.description), ...validateManagementIp(input.managementIp)]);
  const cluster = await mustFind(M.ClusterRow, 'Cluster', input.clusterUuid, op, 'clusterUuid');
  const managementIp = canonicalManagementIp(input.managementIp)!;
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
  await realizeAttachedL2s(host, cluster.hypervisorType, op, { rollBackOnFailure: true });
  return host;
}

/**
 * Realizes every L2 attached to the host's cluster on it, in attachment order. With
 * rollBackOnFailure (a new host: nothing was there before, and its row is rolled back with
 * the transaction), a failure deletes the L2s already realized on it, as an attach would.
 */
async function realizeAttachedL2s(
  host: Host,
  hypervisorType: M.ClusterRow['hypervisorType'],
  op: Op,
  { rollBackOnFailure = false }: { rollBackOnFailure?: boolean } = {},
): Promise<void> {
  if (host.state !== 'Connected') return;
  const target = [{ host, hypervisorType }];
  const realized: L2Network[] = [];
  try {
    for (const l2 of await l2sAttachedToCluster(host.clusterUuid, op)) {
      await realizeL2OnHosts(l2, target, op);
      realized.push(l2);
    }
  } catch (err) {
    if (rollBackOnFailure) {
      for (const l2 of realized.reverse()) {
        await deleteL2OnHosts(l2, target, op).catch((e: unknown) =>
          op.parts.log.warn({ err: e, l2: l2.uuid, host: host.uuid }, 'could not roll back an L2 network realized on a host that failed to join'),
        );
      }
    }
    throw err;
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
