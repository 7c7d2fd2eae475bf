import { randomUUID } from 'node:crypto';
import { parseCidr, parseIp } from '../../topology/ip';
import { defaultMtu, gatewayOf } from '../../topology/rules/l3';
import type { L3Network } from '../../topology/model';
import type { CreateL3NetworkInput, UpdateL3NetworkInput } from '../../contract/schemas';
import * as M from '../db/models';
import type { Op } from './context';
import { l3Inventory } from './inventory';
import { mustFind } from './lookups';
import { refuseBlockedDelete, refuseBrokenRules, refuseInvalidFields } from './rule-view';
import { releaseServiceAttachment } from './service-attachments';
import { beginServiceChange } from './service-convergence';

/** Stored forms are canonical (lower-case IPv6, compressed) so reads compare equal. */
const canonicalIp = (ip: string) => parseIp(ip)?.text ?? ip;

export async function createL3Network(input: CreateL3NetworkInput, op: Op): Promise<L3Network> {
  refuseInvalidFields('l3Network', input);
  const l2 = await mustFind(M.L2NetworkRow, 'l2Network', input.l2NetworkUuid, op, 'l2NetworkUuid');
  const cidr = parseCidr(input.cidr)!;
  const fields = {
    uuid: randomUUID(),
    name: input.name,
    l2NetworkUuid: input.l2NetworkUuid,
    ipVersion: cidr.family,
    cidr: cidr.text,
    gateway: canonicalIp(gatewayOf(input.cidr, input.gateway)!),
    dnsServers: (input.dnsServers ?? []).map(canonicalIp),
    dnsDomain: input.dnsDomain ?? null,
    hostRoutes: (input.hostRoutes ?? []).map((r) => ({ prefix: parseCidr(r.prefix)!.text, nextHop: canonicalIp(r.nextHop) })),
    mtu: input.mtu ?? defaultMtu(l2.type),
    description: input.description ?? '',
  };
  await refuseBrokenRules(op, 'l3Network', fields);
  return l3Inventory(await M.L3NetworkRow.create(fields, { transaction: op.tx }));
}

/** What DHCP and DNS hand out changes with the network: its services are re-applied. */
export async function updateL3Network(uuid: string, input: UpdateL3NetworkInput, op: Op): Promise<L3Network> {
  const row = await mustFind(M.L3NetworkRow, 'l3Network', uuid, op);
  const services = await beginServiceChange(op, [uuid]);
  await row.update(
    {
      name: input.name ?? row.name,
      description: input.description ?? row.description,
      dnsServers: (input.dnsServers ?? row.dnsServers).map(canonicalIp),
      dnsDomain: input.dnsDomain !== undefined ? input.dnsDomain : row.dnsDomain,
      hostRoutes: (input.hostRoutes ?? row.hostRoutes).map((r) => ({ prefix: parseCidr(r.prefix)!.text, nextHop: canonicalIp(r.nextHop) })),
      mtu: input.mtu ?? row.mtu,
    },
    { transaction: op.tx },
  );
  await services.finish('strict');
  return l3Inventory(row);
}

/** Deleting an L3 takes its IP ranges and service attachments with it, not its allocated IPs. */
export async function deleteL3Network(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.L3NetworkRow, 'l3Network', uuid, op);
  await refuseBlockedDelete(op, 'l3Network', l3Inventory(row));
  const attachments = await M.NetworkServiceAttachmentRow.findAll({ where: { l3NetworkUuid: uuid }, transaction: op.tx });
  for (const a of attachments) await releaseServiceAttachment(a, op);
  await M.IpRangeRow.destroy({ where: { l3NetworkUuid: uuid }, transaction: op.tx });
  await row.destroy({ transaction: op.tx });
}
