/**
 * Hosts. A host that joins a cluster or reconnects is reconciled with the database
 * (host-reconcile.ts): what no row explains is removed, the cluster's L2 networks are
 * realized and its VMs started, as ZStack does on host connect. KVM hosts are reached only
 * through the agent whose certificate fingerprint they were registered with.
 */
import { randomUUID } from 'node:crypto';
import { canonicalManagementIp, validateAgentFingerprint, validateManagementIp } from '../../topology/rules/hosts';
import { validateDescription, validateName } from '../../topology/rules/names';
import { violation } from '../../topology/violation';
import type { Host } from '../../topology/model';
import type { CreateHostInput, UpdateHostInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { deleteL2OnHosts } from './host-effects';
import { reconcileHost } from './host-reconcile';
import { hostInventory } from './inventory';
import { loadL2, mustFind } from './lookups';

async function l2sAttachedToCluster(clusterUuid: string, op: Op) {
  const attachments = await M.L2ClusterAttachmentRow.findAll({ where: { clusterUuid }, order: [['createdAt', 'ASC']], transaction: op.tx });
  return Promise.all(attachments.map((a) => loadL2(a.l2NetworkUuid, op)));
}

export async function createHost(input: CreateHostInput, op: Op): Promise<Host> {
  throwIfViolations([...validateName(input.name), ...validateDescription(input.description), ...validateManagementIp(input.managementIp)]);
  const cluster = await mustFind(M.ClusterRow, 'Cluster', input.clusterUuid, op, 'clusterUuid');
  throwIfViolations(validateAgentFingerprint(input.agentFingerprint, cluster.hypervisorType));
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
      agentFingerprint: input.agentFingerprint ?? null,
      state: input.state ?? 'Connected',
      description: input.description ?? '',
    },
    { transaction: op.tx },
  );
  await reconcileHost(row, op);
  return hostInventory(row);
}

export async function updateHost(uuid: string, input: UpdateHostInput, op: Op): Promise<Host> {
  const row = await mustFind(M.HostRow, 'Host', uuid, op);
  const cluster = await mustFind(M.ClusterRow, 'Cluster', row.clusterUuid, op);
  const agentFingerprint = input.agentFingerprint !== undefined ? input.agentFingerprint : row.agentFingerprint;
  throwIfViolations([
    ...(input.name !== undefined ? validateName(input.name) : []),
    ...validateDescription(input.description),
    ...(input.agentFingerprint !== undefined ? validateAgentFingerprint(agentFingerprint, cluster.hypervisorType) : []),
  ]);
  const reconnecting = input.state === 'Connected' && row.state !== 'Connected';
  await row.update(
    { name: input.name ?? row.name, description: input.description ?? row.description, agentFingerprint, state: input.state ?? row.state },
    { transaction: op.tx },
  );
  // Refused: the transaction rolls back (the host stays as it was) and so does what the reconcile created.
  if (reconnecting) await reconcileHost(row, op);
  return hostInventory(row);
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
