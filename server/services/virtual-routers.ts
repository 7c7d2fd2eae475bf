/**
 * Virtual routers, after ZStack's appliance VM: one per guest L3 network with VirtualRouter
 * services, created with the first such attachment and removed with the last. It is placed
 * like a VM (rule 19 over both its networks: a connected host whose cluster carries the
 * guest L2 and the public L2, the least loaded), takes the guest network's gateway address
 * and an address of the public network (the highest free one), and stays where it was placed. Until it has a host
 * and an address it is Pending with the reason, and so are the services it carries; every
 * change that could help (a cluster attachment, a host, an IP range, a released address)
 * tries again.
 */
import { placementFor } from '../../topology/evaluator';
import { hostnameFromName } from '../../topology/dns-names';
import { routerUnplaceable, routerWithoutPublicAddress } from '../../topology/rules/services';
import { NAME_MAX } from '../../topology/rules/names';
import { ROUTER_IP_OWNER_PREFIX } from '../../contract/schemas';
import { ApiError } from '../errors';
import * as M from '../db/models';
import { macOf, routerNicUuids, virtualRouterUuidOf } from '../network-services';
import type { Op } from './context';
import { allocateIp, releaseIps } from './ip-allocation';
import { withDatabaseView } from './rule-view';

/** "vrouter-<guest L3 name>", within the name rules. */
function routerName(l3: M.L3NetworkRow): string {
  return `vrouter-${hostnameFromName(l3.name) ?? l3.uuid.slice(0, 8)}`.slice(0, NAME_MAX);
}

async function releasePublicAddress(router: M.VirtualRouterRow, op: Op): Promise<void> {
  await releaseIps({ usedFor: `${ROUTER_IP_OWNER_PREFIX}${router.uuid}` }, op);
}

/** Removes the router row and its public address (its host side is removed by the convergence). */
export async function removeVirtualRouter(router: M.VirtualRouterRow, op: Op): Promise<void> {
  await releasePublicAddress(router, op);
  await router.destroy({ transaction: op.tx });
}

/** The least loaded eligible host (VMs and routers on it), then by name; null when none is eligible. */
async function chooseHost(guestL2: string, publicL2: string, op: Op): Promise<string | null> {
  const { hosts } = await withDatabaseView(op, (view) => placementFor(view, [...new Set([guestL2, publicL2])]));
  const connected = hosts.filter((h) => h.state === 'Connected');
  if (connected.length === 0) return null;
  const uuids = connected.map((h) => h.uuid);
  const load = new Map<string, number>();
  for (const row of [
    ...(await M.VmInstanceRow.findAll({ attributes: ['hostUuid'], where: { hostUuid: uuids }, transaction: op.tx })),
    ...(await M.VirtualRouterRow.findAll({ attributes: ['hostUuid'], where: { hostUuid: uuids }, transaction: op.tx })),
  ]) {
    if (row.hostUuid) load.set(row.hostUuid, (load.get(row.hostUuid) ?? 0) + 1);
  }
  // placementFor lists hosts by name: the first of the least loaded wins.
  return connected.reduce((a, h) => ((load.get(h.uuid) ?? 0) < (load.get(a.uuid) ?? 0) ? h : a)).uuid;
}

/**
 * Makes the L3's router match its VirtualRouter attachments: none, or one leaving through
 * `publicL3Uuid`, placed and addressed when it can be. Returns the row (null when none).
 */
export async function syncVirtualRouter(l3: M.L3NetworkRow, publicL3Uuid: string | null, op: Op): Promise<M.VirtualRouterRow | null> {
  let router = await M.VirtualRouterRow.findOne({ where: { l3NetworkUuid: l3.uuid }, transaction: op.tx });
  if (publicL3Uuid === null) {
    if (router) await removeVirtualRouter(router, op);
    return null;
  }
  if (router && router.publicL3NetworkUuid !== publicL3Uuid) {
    await removeVirtualRouter(router, op);
    router = null;
  }
  if (!router) {
    const uuid = virtualRouterUuidOf(l3.uuid);
    const nics = routerNicUuids(uuid);
    router = await M.VirtualRouterRow.create(
      {
        uuid,
        name: routerName(l3),
        l3NetworkUuid: l3.uuid,
        publicL3NetworkUuid: publicL3Uuid,
        hostUuid: null,
        guestNicUuid: nics.guestNic,
        guestIp: l3.gateway,
        guestMac: macOf(nics.guestNic),
        publicNicUuid: nics.publicNic,
        publicMac: macOf(nics.publicNic),
        publicIp: null,
        state: 'Pending',
        pendingReason: null,
      },
      { transaction: op.tx },
    );
  }
  const pub = await M.L3NetworkRow.findByPk(publicL3Uuid, { transaction: op.tx });
  const guestL2 = await M.L2NetworkRow.findByPk(l3.l2NetworkUuid, { transaction: op.tx });
  const publicL2 = pub ? await M.L2NetworkRow.findByPk(pub.l2NetworkUuid, { transaction: op.tx }) : null;
  let reason: string | null = null;
  if (!pub || !guestL2 || !publicL2) {
    reason = `the public network ${publicL3Uuid} is gone`;
  } else {
    if (!router.hostUuid) router.hostUuid = await chooseHost(guestL2.uuid, publicL2.uuid, op);
    if (!router.hostUuid) {
      const names = (row: { uuid: string; name: string }) => ({ uuid: row.uuid, name: row.name });
      reason = routerUnplaceable({ l3: names(l3), l2: names(guestL2) }, { l3: names(pub), l2: names(publicL2) });
    } else if (!router.publicIp) {
      try {
        // From the top of the ranges, like every address the server takes for itself: clear of VMs', in any order.
        router.publicIp = (await allocateIp({ l3NetworkUuid: pub.uuid, usedFor: `${ROUTER_IP_OWNER_PREFIX}${router.uuid}` }, op, 'publicL3NetworkUuid', true)).ip;
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 409) throw err;
        reason = routerWithoutPublicAddress({ uuid: pub.uuid, name: pub.name });
      }
    }
  }
  router.state = reason === null ? 'Running' : 'Pending';
  router.pendingReason = reason;
  if (router.changed()) await router.save({ transaction: op.tx });
  return router;
}
