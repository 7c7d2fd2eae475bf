/** A VM NIC named as Terraform can (its VM and L3 network, by default the first NIC's). */
import { violation } from '../../topology/violation';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { mustFind } from './lookups';

export async function nicOf(vmInstanceUuid: string, l3NetworkUuid: string | undefined, op: Op): Promise<{ vm: M.VmInstanceRow; nic: M.VmNicRow }> {
  const vm = await mustFind(M.VmInstanceRow, 'vmInstance', vmInstanceUuid, op, 'vmInstanceUuid');
  if (l3NetworkUuid !== undefined) await mustFind(M.L3NetworkRow, 'l3Network', l3NetworkUuid, op, 'l3NetworkUuid');
  const nics = await M.VmNicRow.findAll({ where: { vmInstanceUuid }, order: [['deviceIndex', 'ASC']], transaction: op.tx });
  const nic = l3NetworkUuid === undefined ? nics[0] : nics.find((n) => n.l3NetworkUuid === l3NetworkUuid);
  if (!nic) {
    throwIfViolations([], [violation('NIC_NOT_FOUND', 'l3NetworkUuid', `VM '${vm.name}' has no NIC on L3 network ${l3NetworkUuid ?? '(none)'}`, { type: 'VmInstance', uuid: vm.uuid, name: vm.name })]);
  }
  return { vm, nic: nic! };
}
