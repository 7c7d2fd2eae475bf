/**
 * Attaching an L2 network to a cluster realizes it on every host of the cluster (checked
 * everywhere, then realized, rolled back on failure: flows/l2-realization-flow.ts); the
 * attachment row is written only when that succeeded. Detaching deletes it on every host,
 * and a host that refuses leaves it attached everywhere.
 */
import { randomUUID } from 'node:crypto';
import type { L2ClusterAttachment } from '../../topology/model';
import type { CreateL2ClusterAttachmentInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { detachL2, realizeL2 } from './host-effects';
import { attachmentInventory } from './inventory';
import { hostsOfCluster, loadL2, mustFind } from './lookups';
import { refuseBlockedDelete, refuseBrokenRules } from './rule-view';
import { convergeWaitingServices } from './service-convergence';

export async function attachL2ToCluster(input: CreateL2ClusterAttachmentInput, op: Op): Promise<L2ClusterAttachment> {
  const l2 = await loadL2(input.l2NetworkUuid, op, 'l2NetworkUuid');
  const cluster = await mustFind(M.ClusterRow, 'cluster', input.clusterUuid, op, 'clusterUuid');
  const fields = { uuid: randomUUID(), l2NetworkUuid: l2.uuid, clusterUuid: cluster.uuid };
  await refuseBrokenRules(op, 'l2ClusterAttachment', fields);
  await realizeL2(l2, await hostsOfCluster(cluster.uuid, op), op);
  const row = await M.L2ClusterAttachmentRow.create(fields, { transaction: op.tx });
  // A virtual router waiting for a cluster that carries both its networks may be placed now.
  await convergeWaitingServices(op);
  return attachmentInventory(row);
}

export async function detachL2FromCluster(attachmentUuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.L2ClusterAttachmentRow, 'l2ClusterAttachment', attachmentUuid, op);
  await refuseBlockedDelete(op, 'l2ClusterAttachment', attachmentInventory(row));
  await detachL2(await loadL2(row.l2NetworkUuid, op), row.clusterUuid, await hostsOfCluster(row.clusterUuid, op), op);
  await row.destroy({ transaction: op.tx });
}
