import { randomUUID } from 'node:crypto';
import { parseCidr, parseIp } from '../../topology/ip';
import { checkIpsInUse, checkL3CidrOverlap, defaultGateway, validateL3Spec } from '../../topology/rules/l3';
import { validateDescription, validateName } from '../../topology/rules/names';
import type { L3Network } from '../../topology/model';
import type { CreateL3NetworkInput, UpdateL3NetworkInput } from '../api/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { l3Inventory } from './inventory';
import { mustFind } from './lookups';
import { releaseServiceAttachment } from './service-attachments';

/** Stored forms are canonical (lower-case IPv6, compressed) so reads compare equal. */
const canonicalIp = (ip: string) => parseIp(ip)?.text ?? ip;

export async function createL3Network(input: CreateL3NetworkInput, op: Op): Promise<L3Network> {
  const gateway = input.gateway ?? (parseCidr(input.cidr) ? defaultGateway(input.cidr) : undefined);
  throwIfViolations([
    ...validateName(input.name),
    ...validateDescription(input.description),
    ...validateL3Spec({ ...input, gateway }),
  ]);
  await mustFind(M.L2NetworkRow, 'L2Network', input.l2NetworkUuid, op, 'l2NetworkUuid');
  const siblings = await M.L3NetworkRow.findAll({ where: { l2NetworkUuid: input.l2NetworkUuid }, transaction: op.tx });
  throwIfViolations([], checkL3CidrOverlap(input, siblings));
  const cidr = parseCidr(input.cidr)!;
  const row = await M.L3NetworkRow.create(
    {
      uuid: randomUUID(),
      name: input.name,
      l2NetworkUuid: input.l2NetworkUuid,
      ipVersion: cidr.family,
      cidr: cidr.text,
      gateway: canonicalIp(gateway!),
      dnsServers: (input.dnsServers ?? []).map(canonicalIp),
      dnsDomain: input.dnsDomain ?? null,
      hostRoutes: (input.hostRoutes ?? []).map((r) => ({ prefix: parseCidr(r.prefix)!.text, nextHop: canonicalIp(r.nextHop) })),
      description: input.description ?? '',
    },
    { transaction: op.tx },
  );
  return l3Inventory(row);
}

export async function updateL3Network(uuid: string, input: UpdateL3NetworkInput, op: Op): Promise<L3Network> {
  const row = await mustFind(M.L3NetworkRow, 'L3Network', uuid, op);
  const next = {
    cidr: row.cidr,
    gateway: row.gateway,
    dnsServers: input.dnsServers ?? row.dnsServers,
    dnsDomain: input.dnsDomain !== undefined ? input.dnsDomain : row.dnsDomain,
    hostRoutes: input.hostRoutes ?? row.hostRoutes,
  };
  throwIfViolations([...(input.name !== undefined ? validateName(input.name) : []), ...validateDescription(input.description), ...validateL3Spec(next)]);
  await row.update(
    {
      name: input.name ?? row.name,
      description: input.description ?? row.description,
      dnsServers: next.dnsServers.map(canonicalIp),
      dnsDomain: next.dnsDomain,
      hostRoutes: next.hostRoutes.map((r) => ({ prefix: parseCidr(r.prefix)!.text, nextHop: canonicalIp(r.nextHop) })),
    },
    { transaction: op.tx },
  );
  return l3Inventory(row);
}

/** Deleting an L3 takes its IP ranges and service attachments with it, not its allocated IPs. */
export async function deleteL3Network(uuid: string, op: Op): Promise<void> {
  const row = await mustFind(M.L3NetworkRow, 'L3Network', uuid, op);
  const allocated = await M.AllocatedIpRow.findAll({ where: { l3NetworkUuid: uuid }, order: [['ip', 'ASC']], transaction: op.tx });
  throwIfViolations([], checkIpsInUse({ type: 'L3Network', uuid, name: row.name }, allocated));
  const attachments = await M.NetworkServiceAttachmentRow.findAll({ where: { l3NetworkUuid: uuid }, transaction: op.tx });
  for (const a of attachments) await releaseServiceAttachment(a, op);
  await M.IpRangeRow.destroy({ where: { l3NetworkUuid: uuid }, transaction: op.tx });
  await row.destroy({ transaction: op.tx });
}
