/**
 * Attaching an L2 network to a cluster realizes it on every host of the cluster
 * (check everywhere, then realize, rolling back on failure); the attachment row is
 * written only when that succeeded. Detaching deletes it on every host.
 */
import { randomUUID } from 'node:crypto';
import { Op as Sq } from 'sequelize';
import { checkL2Attach, checkL2Detach } from '../../topology/rules/l2';
import type { L2ClusterAttachment } from '../../topology/model';
import type { CreateL2ClusterAttachmentInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import { L2DeletionError } from '../flows/l2-realization-flow';
import type { Op } from './context';
import { deleteL2OnHosts, realizeL2OnHosts } from './host-effects';
import { attachmentInventory, l2Inventory } from './inventory';
import { hostsOfCluster, loadL2, mustFind } from './lookups';

export async function attachL2ToCluster(input: CreateL2ClusterAttachmentInput, op: Op): Promise<L2ClusterAttachment> {
  const l2 = await loadL2(input.l2NetworkUuid, op, 'l2NetworkUuid');
  const cluster = await mustFind(M.ClusterRow, 'Cluster', input.clusterUuid, op, 'clusterUuid');
  const attachedUuids = (await M.L2ClusterAttachmentRow.findAll({ where: { clusterUuid: cluster.uuid }, transaction: op.tx })).map(
    (a) => a.l2NetworkUuid,
  );
  const attached = await M.L2NetworkRow.findAll({ where: { uuid: attachedUuids }, transaction: op.tx });
  throwIfViolations([], checkL2Attach(l2, cluster, attached.map((r) => l2Inventory(r, []))));
  await realizeL2OnHosts(l2, await hostsOfCluster(cluster.uuid, op), op);
  const row = await M.L2ClusterAttachmentRow.create({ uuid: randomUUID(), l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid }, { transaction: op.tx });
  return attachmentInventory(row);
}

export async function detachL2FromCluster(attachmentUuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.L2ClusterAttachmentRow, 'L2ClusterAttachment', attachmentUuid, op);
  const l2 = await loadL2(row.l2NetworkUuid, op);
  const cluster = await mustFind(M.ClusterRow, 'Cluster', row.clusterUuid, op);
  const hosts = await hostsOfCluster(cluster.uuid, op);
  const vms = await vmsOnL2InHosts(l2.uuid, hosts.map((h) => h.host.uuid), op);
  // Plain objects: the rule spreads them into messages and `conflicting`; Sequelize rows would leak their internals.
  throwIfViolations([], checkL2Detach(l2, { uuid: cluster.uuid, name: cluster.name }, vms.map((vm) => ({ uuid: vm.uuid, name: vm.name }))));
  try {
    await deleteL2OnHosts(l2, hosts, op);
  } catch (err) {
    // A refused detach leaves the L2 attached, so put it back on the hosts it was already deleted from.
    if (err instanceof L2DeletionError && err.deletedHostUuids.length > 0) {
      const undo = hosts.filter((h) => err.deletedHostUuids.includes(h.host.uuid));
      await realizeL2OnHosts(l2, undo, op).catch((e: unknown) =>
        op.parts.log.warn({ err: e, l2: l2.uuid, cluster: cluster.uuid }, 'could not re-realize an L2 network after a failed detach'),
      );
    }
    throw err;
  }
  await row.destroy({ transaction: op.tx });
}

/** VMs with a NIC on any L3 of the L2, running on one of the hosts. */
async function vmsOnL2InHosts(l2Uuid: string, hostUuids: string[], op: Op) {
  if (hostUuids.length === 0) return [];
  const l3Uuids = (await M.L3NetworkRow.findAll({ where: { l2NetworkUuid: l2Uuid }, transaction: op.tx })).map((l) => l.uuid);
  if (l3Uuids.length === 0) return [];
  const nics = await M.VmNicRow.findAll({ where: { l3NetworkUuid: l3Uuids }, transaction: op.tx });
  const vmUuids = [...new Set(nics.map((n) => n.vmInstanceUuid))];
  if (vmUuids.length === 0) return [];
  return M.VmInstanceRow.findAll({ where: { uuid: vmUuids, hostUuid: { [Sq.in]: hostUuids } }, order: [['name', 'ASC']], transaction: op.tx });
}
