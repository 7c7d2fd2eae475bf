/**
 * What a change would realize, in words, for POST /v1/validate (and so `netforge review`):
 * where a virtual router runs and where its SNAT leaves, which DHCP server answers an L3's
 * VMs, and what a service still waits for. Read from the state the dry run left.
 */
import type { ObjectType } from '../../topology/model';
import * as M from '../db/models';
import type { Op } from './context';
import { flatDhcpAddress } from './service-plane';

async function hostName(uuid: string | null, op: Op): Promise<string> {
  const host = uuid ? await M.HostRow.findByPk(uuid, { transaction: op.tx }) : null;
  return host ? `host '${host.name}'` : 'a host chosen at apply';
}

async function attachmentNotes(uuid: string, op: Op): Promise<string[]> {
  const a = await M.NetworkServiceAttachmentRow.findByPk(uuid, { transaction: op.tx });
  if (!a) return [];
  const provider = await M.NetworkServiceProviderRow.findByPk(a.providerUuid, { transaction: op.tx });
  const l3 = await M.L3NetworkRow.findByPk(a.l3NetworkUuid, { transaction: op.tx });
  const services = a.services.join(', ');
  const on = `on ${l3 ? `L3 ${l3.name}` : a.l3NetworkUuid}`;
  const waiting = Object.entries(a.pendingServices ?? {}).map(([s, why]) => `${s} would wait: ${why}`);
  if (provider?.type === 'VirtualRouter') {
    const router = await M.VirtualRouterRow.findOne({ where: { l3NetworkUuid: a.l3NetworkUuid }, transaction: op.tx });
    if (router?.state !== 'Running') return waiting;
    const snat = a.services.includes('SNAT') ? `; SNAT through ${router.publicIp}` : '';
    return [`${services} ${on} served by virtual router ${router.name} on ${await hostName(router.hostUuid, op)} at ${router.guestIp}${snat}`, ...waiting];
  }
  if (provider?.type === 'Flat') {
    const server = await flatDhcpAddress(a.l3NetworkUuid, op);
    if (!server) return waiting;
    return [`${services} ${on} served at ${server.ip} on every host that runs its VMs, each answering its own host's VMs`, ...waiting];
  }
  return waiting;
}

async function vmNotes(uuid: string, op: Op): Promise<string[]> {
  const vm = await M.VmInstanceRow.findByPk(uuid, { transaction: op.tx });
  return vm ? [`placed on ${await hostName(vm.hostUuid, op)} as ${vm.hostname}`] : [];
}

const NOTES: Partial<Record<ObjectType, (uuid: string, op: Op) => Promise<string[]>>> = {
  networkServiceAttachment: attachmentNotes,
  vmInstance: vmNotes,
};

export function realizationNotes(type: ObjectType, uuid: string, op: Op): Promise<string[]> {
  return NOTES[type]?.(uuid, op) ?? Promise.resolve([]);
}
