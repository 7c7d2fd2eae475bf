/**
 * Addresses through the API: allocate one (a reservation, or a chosen address), release
 * one. Addresses the server allocates itself (VM NICs, virtual routers, DHCP servers) go
 * with what holds them; releasing one gives the network's waiting services another try.
 */
import { checkIpRelease } from '../../topology/rules/deletion';
import { FLAT_DHCP_IP_OWNER_PREFIX, ROUTER_IP_OWNER_PREFIX, VIP_IP_OWNER_PREFIX, VM_NIC_OWNER_PREFIX } from '../../contract/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { mustFind } from './lookups';
import { convergeWaitingServices } from './service-convergence';
import { releaseIps } from './ip-allocation';

export { allocateIp } from './ip-allocation';
export { VM_NIC_OWNER_PREFIX };

/** Who holds an address the server allocated, for the refusal to release it. */
async function holderOf(usedFor: string | null, op: Op): Promise<{ type: 'VmInstance' | 'VirtualRouter' | 'L3Network' | 'Vip'; uuid: string } | null> {
  if (usedFor?.startsWith(VIP_IP_OWNER_PREFIX)) return { type: 'Vip', uuid: usedFor.slice(VIP_IP_OWNER_PREFIX.length) };
  if (usedFor?.startsWith(VM_NIC_OWNER_PREFIX)) {
    const nic = await M.VmNicRow.findByPk(usedFor.slice(VM_NIC_OWNER_PREFIX.length), { transaction: op.tx });
    return nic ? { type: 'VmInstance', uuid: nic.vmInstanceUuid } : null;
  }
  if (usedFor?.startsWith(ROUTER_IP_OWNER_PREFIX)) return { type: 'VirtualRouter', uuid: usedFor.slice(ROUTER_IP_OWNER_PREFIX.length) };
  if (usedFor?.startsWith(FLAT_DHCP_IP_OWNER_PREFIX)) return { type: 'L3Network', uuid: usedFor.slice(FLAT_DHCP_IP_OWNER_PREFIX.length) };
  return null;
}

export async function releaseIp(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.AllocatedIpRow, 'ipAddress', uuid, op);
  throwIfViolations([], checkIpRelease(row.ip, await holderOf(row.usedFor, op)));
  await releaseIps({ uuid: row.uuid }, op);
  await convergeWaitingServices(op);
}
