/**
 * Hosts. A host that joins a cluster or reconnects is reconciled with the database
 * (host-reconcile.ts): what no row explains is removed, the cluster's L2 networks are
 * realized and its VMs started, as ZStack does on host connect. KVM hosts are reached only
 * through the agent whose certificate fingerprint they were registered with.
 */
import { randomUUID } from 'node:crypto';
import { canonicalManagementIp } from '../../topology/rules/hosts';
import type { Host } from '../../topology/model';
import type { CreateHostInput, UpdateHostInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { deleteL2 } from './host-effects';
import { reconcileHost } from './host-reconcile';
import { hostInventory } from './inventory';
import { loadL2, mustFind } from './lookups';
import { refuseBlockedDelete, refuseBrokenRules, refuseInvalidFields } from './rule-view';
import { convergeWaitingServices } from './service-convergence';

async function l2sAttachedToCluster(clusterUuid: string, op: Op) {
  const attachments = await M.L2ClusterAttachmentRow.findAll({ where: { clusterUuid }, order: [['createdAt', 'ASC']], transaction: op.tx });
  return Promise.all(attachments.map((a) => loadL2(a.l2NetworkUuid, op)));
}

export async function createHost(input: CreateHostInput, op: Op): Promise<Host> {
  refuseInvalidFields('host', input);
  const cluster = await mustFind(M.ClusterRow, 'cluster', input.clusterUuid, op, 'clusterUuid');
  const host = {
    uuid: randomUUID(),
    name: input.name,
    clusterUuid: cluster.uuid,
    managementIp: canonicalManagementIp(input.managementIp)!,
    agentFingerprint: input.agentFingerprint ?? null,
    state: input.state ?? 'Connected',
    description: input.description ?? '',
  };
  await refuseBrokenRules(op, 'host', host);
  const row = await M.HostRow.create(host, { transaction: op.tx });
  await reconcileHost(row, op);
  // A virtual router waiting for a host may land here.
  await convergeWaitingServices(op);
  return hostInventory(row);
}

export async function updateHost(uuid: string, input: UpdateHostInput, op: Op): Promise<Host> {
  const row = await mustFind(M.HostRow, 'host', uuid, op);
  const agentFingerprint = input.agentFingerprint !== undefined ? input.agentFingerprint : row.agentFingerprint;
  await refuseBrokenRules(op, 'host', { ...hostInventory(row), agentFingerprint }, { changed: new Set(Object.keys(input)) });
  const reconnecting = input.state === 'Connected' && row.state !== 'Connected';
  await row.update(
    { name: input.name ?? row.name, description: input.description ?? row.description, agentFingerprint, state: input.state ?? row.state },
    { transaction: op.tx },
  );
  // Refused: the transaction rolls back (the host stays as it was) and so does what the reconcile created.
  if (reconnecting) {
    await reconcileHost(row, op);
    await convergeWaitingServices(op);
  }
  return hostInventory(row);
}

export async function deleteHost(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.HostRow, 'host', uuid, op);
  const host = hostInventory(row);
  await refuseBlockedDelete(op, 'host', host);
  const cluster = await mustFind(M.ClusterRow, 'cluster', row.clusterUuid, op);
  if (host.state === 'Connected') {
    for (const l2 of await l2sAttachedToCluster(row.clusterUuid, op)) {
      await deleteL2(l2, [{ host, hypervisorType: cluster.hypervisorType }], op);
    }
  }
  await row.destroy({ transaction: op.tx });
}
