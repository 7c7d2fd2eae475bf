/**
 * What the server does with its database before it takes requests: expired idempotency
 * keys go, every connected host is brought in line with the database (leftovers of a crash
 * removed, missing devices and VMs back), and services left pending get another try.
 */
import type { ServerParts } from './context';
import { reconcileConnectedHosts } from './host-reconcile';
import { forgetExpiredKeys } from './idempotency';
import { convergeWaitingServices } from './service-convergence';

export async function prepareAtStart(parts: ServerParts): Promise<void> {
  await parts.db.write((tx) => forgetExpiredKeys({ parts, tx, dryRun: false }));
  await reconcileConnectedHosts(parts);
  await parts.db.write((tx) => convergeWaitingServices({ parts, tx, dryRun: false }));
}
