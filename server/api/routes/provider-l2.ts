/** Associating network service providers with L2 networks (ZStack's AttachNetworkServiceProviderToL2Network). */
import { Router } from 'express';
import type { ServerParts } from '../../services/context';
import { associateProviderWithL2, disassociateProviderFromL2 } from '../../services/providers';
import { ProviderL2Association } from '../../../contract/schemas';
import { zodToApiError } from '../error-handler';

export function providerL2Router(parts: ServerParts): Router {
  const router = Router();
  router.post('/:uuid/l2-networks', async (req, res) => {
    const parsed = ProviderL2Association.safeParse(req.body);
    if (!parsed.success) throw zodToApiError(parsed.error);
    res.json(await parts.db.write((tx) => associateProviderWithL2(req.params.uuid, parsed.data.l2NetworkUuid, { parts, tx, dryRun: false })));
  });
  router.delete('/:uuid/l2-networks/:l2NetworkUuid', async (req, res) => {
    res.json(await parts.db.write((tx) => disassociateProviderFromL2(req.params.uuid, req.params.l2NetworkUuid, { parts, tx, dryRun: false })));
  });
  return router;
}
