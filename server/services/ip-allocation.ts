/**
 * IP allocation. Callers hold the topology write lock, so picking the first free address
 * and writing it are atomic; the unique (l3, ip) index backs that up (rule 21).
 */
import { randomUUID } from 'node:crypto';
import { compareIps, parseIp } from '../../topology/ip';
import { firstFreeIp, rangeContaining } from '../../topology/ip-allocation';
import { checkRequestedIp, noFreeIp, validateRequestedIp } from '../../topology/rules/allocation';
import type { AllocatedIp } from '../../topology/model';
import type { AllocateIpInput } from '../../contract/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { allocatedIpInventory } from './inventory';
import { mustFind } from './lookups';

/** `fromTop`: the highest free address instead of the lowest (infrastructure addresses, see firstFreeIp). */
export async function allocateIp(input: AllocateIpInput, op: Op, path = 'l3NetworkUuid', fromTop = false): Promise<AllocatedIp> {
  const l3 = await mustFind(M.L3NetworkRow, 'l3Network', input.l3NetworkUuid, op, path);
  // Lowest free address first, whatever order the ranges were created in.
  const ranges = (await M.IpRangeRow.findAll({ where: { l3NetworkUuid: l3.uuid }, transaction: op.tx })).sort((a, b) => compareIps(a.startIp, b.startIp));
  // Raw rows: a busy L3 has thousands of allocations, and model instances cost more than the query.
  const used = await M.AllocatedIpRow.findAll({ where: { l3NetworkUuid: l3.uuid }, attributes: ['ip'], raw: true, transaction: op.tx });
  const usedSet = new Set(used.map((u) => u.ip));
  let pick: { ip: string; ipRangeUuid: string } | null;
  if (input.ip !== undefined) {
    throwIfViolations(validateRequestedIp(input.ip));
    const ip = parseIp(input.ip)!.text;
    const range = rangeContaining(ranges, ip);
    throwIfViolations([], checkRequestedIp(ip, l3, { inRange: !!range, inUse: usedSet.has(ip) }));
    pick = { ip, ipRangeUuid: range!.uuid };
  } else {
    pick = firstFreeIp(ranges, usedSet, l3.gateway, fromTop);
    throwIfViolations([], pick ? [] : [noFreeIp(l3, path)]);
  }
  const row = await M.AllocatedIpRow.create(
    { uuid: randomUUID(), l3NetworkUuid: l3.uuid, ipRangeUuid: pick!.ipRangeUuid, ip: pick!.ip, usedFor: input.usedFor ?? null },
    { transaction: op.tx },
  );
  return allocatedIpInventory(row);
}
