/**
 * Which attached services can be realized now, stored with each attachment (pending, with
 * the reason) and in the virtual router's state. Recomputed by every change that may
 * affect it, so a service waits instead of failing, and is realized as soon as what it
 * needs exists, whatever order the objects came in:
 *
 *   VirtualRouter  all its services wait for the router: a host that carries both networks, a public address
 *   Flat           DHCP and DNS wait for an address of the L3's ranges for the DHCP server (rule 18)
 */
import { pendingServices } from '../../topology/rules/services';
import type { ServiceType } from '../../topology/model';
import { FLAT_DHCP_IP_OWNER_PREFIX } from '../../contract/schemas';
import { ApiError } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { allocateIp, releaseIps } from './ip-allocation';
import { flatDhcpAddress } from './service-plane';
import { syncVirtualRouter } from './virtual-routers';

export type PendingMap = Partial<Record<ServiceType, string>>;

/** What a row stores: null when nothing waits. */
export function storedPending(pending: PendingMap): PendingMap | null {
  return Object.keys(pending).length === 0 ? null : pending;
}

/**
 * The flat DHCP server's address: allocated while flat DHCP or DNS is attached (the highest
 * free address of the ranges there are when it becomes ready), released after.
 */
async function syncFlatAddress(l3: M.L3NetworkRow, needed: boolean, op: Op): Promise<boolean> {
  const held = await flatDhcpAddress(l3.uuid, op);
  if (!needed) {
    if (held) await releaseIps({ uuid: held.uuid }, op);
    return false;
  }
  if (held) return true;
  try {
    // From the top of the ranges: clear of the VMs' addresses, whatever order they come in.
    await allocateIp({ l3NetworkUuid: l3.uuid, usedFor: `${FLAT_DHCP_IP_OWNER_PREFIX}${l3.uuid}` }, op, 'l3NetworkUuid', true);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return false;
    throw err;
  }
}

/** Brings the L3's router, flat DHCP address and pending services up to date (see the file comment). */
export async function refreshServiceReadiness(l3Uuid: string, op: Op): Promise<void> {
  const l3 = await M.L3NetworkRow.findByPk(l3Uuid, { transaction: op.tx });
  if (!l3) return;
  const attachments = await M.NetworkServiceAttachmentRow.findAll({ where: { l3NetworkUuid: l3Uuid }, order: [['createdAt', 'ASC']], transaction: op.tx });
  const providers = await M.NetworkServiceProviderRow.findAll({ where: { uuid: [...new Set(attachments.map((a) => a.providerUuid))] }, transaction: op.tx });
  const typeOf = new Map(providers.map((p) => [p.uuid, p.type]));
  const ofType = (t: string) => attachments.filter((a) => typeOf.get(a.providerUuid) === t);

  const routerAttachments = ofType('VirtualRouter');
  const router = await syncVirtualRouter(l3, routerAttachments[0]?.publicL3NetworkUuid ?? null, op);
  const flatAttachments = ofType('Flat');
  const flatAddressed = await syncFlatAddress(l3, flatAttachments.some((a) => a.services.includes('DHCP') || a.services.includes('DNS')), op);

  for (const a of attachments) {
    const pending: PendingMap = {};
    const type = typeOf.get(a.providerUuid);
    if (type === 'VirtualRouter' && router?.state !== 'Running') {
      for (const s of a.services) pending[s] = router?.pendingReason ?? 'the virtual router is not running';
    }
    if (type === 'Flat' && !flatAddressed) for (const p of pendingServices(a.services, 'Flat', l3, 0n)) pending[p.service] = p.reason;
    await setPending(a, pending, op);
  }
}

export async function setPending(a: M.NetworkServiceAttachmentRow, pending: PendingMap, op: Op): Promise<void> {
  const next = storedPending(pending);
  if (JSON.stringify(next) !== JSON.stringify(a.pendingServices ?? null)) await a.update({ pendingServices: next }, { transaction: op.tx });
}
