/**
 * IP allocation. Callers hold the topology write lock, so picking the first free address
 * and writing it are atomic; the unique (l3, ip) index backs that up (rule 21).
 *
 * Neither picking nor checking reads the L3's allocated addresses wholesale: an address is
 * looked up by its key, and the lowest free one is found by walking the (l3, ip_key) index
 * from the L3's floor (every address of its ranges below the floor is taken). Allocating
 * from the bottom raises the floor past the address; releasing lowers it to the released
 * address; changing the ranges forgets it (the next walk starts at the first range). So one
 * allocation costs the same with 60,000 addresses taken as with 10.
 */
import { randomUUID } from 'node:crypto';
import { Op as SqlOp, type WhereOptions } from 'sequelize';
import { compareIps, ipKeyOf, ipKeyOfValue, ipValueOfKey, parseIp } from '../../topology/ip';
import { firstFreeIp, rangeContaining, type AllocatedBetween } from '../../topology/ip-allocation';
import { checkRequestedIp, noFreeIp, validateRequestedIp } from '../../topology/rules/allocation';
import type { AllocatedIp } from '../../topology/model';
import type { AllocateIpInput } from '../../contract/schemas';
import { throwIfViolations } from '../errors';
import * as M from '../db/models';
import type { Op } from './context';
import { allocatedIpInventory } from './inventory';
import { mustFind } from './lookups';

const MAX_IPV6 = 2n ** 128n - 1n;

/** The L3's allocated addresses between two values, in order, through the index. */
function allocatedOn(l3Uuid: string, op: Op): AllocatedBetween {
  return async (lo, hi, down, limit) => {
    const rows = await M.AllocatedIpRow.findAll({
      where: { l3NetworkUuid: l3Uuid, ipKey: { [SqlOp.between]: [ipKeyOfValue(lo), ipKeyOfValue(hi)] } },
      attributes: ['ipKey'],
      order: [['ipKey', down ? 'DESC' : 'ASC']],
      limit,
      raw: true,
      transaction: op.tx,
    });
    return rows.map((r) => ipValueOfKey(r.ipKey));
  };
}

async function floorOf(l3Uuid: string, op: Op): Promise<bigint | undefined> {
  const row = await M.IpAllocationFloorRow.findByPk(l3Uuid, { transaction: op.tx });
  return row ? ipValueOfKey(row.floorKey) : undefined;
}

async function setFloor(l3Uuid: string, value: bigint, op: Op): Promise<void> {
  await M.IpAllocationFloorRow.upsert({ l3NetworkUuid: l3Uuid, floorKey: ipKeyOfValue(value) }, { transaction: op.tx });
}

/** `fromTop`: the highest free address instead of the lowest (infrastructure addresses, see firstFreeIp). */
export async function allocateIp(input: AllocateIpInput, op: Op, path = 'l3NetworkUuid', fromTop = false): Promise<AllocatedIp> {
  const l3 = await mustFind(M.L3NetworkRow, 'l3Network', input.l3NetworkUuid, op, path);
  // Lowest free address first, whatever order the ranges were created in.
  const ranges = (await M.IpRangeRow.findAll({ where: { l3NetworkUuid: l3.uuid }, transaction: op.tx })).sort((a, b) => compareIps(a.startIp, b.startIp));
  let pick: { ip: string; ipRangeUuid: string };
  if (input.ip !== undefined) {
    throwIfViolations(validateRequestedIp(input.ip));
    const ip = parseIp(input.ip)!.text;
    const range = rangeContaining(ranges, ip);
    const inUse = (await M.AllocatedIpRow.count({ where: { l3NetworkUuid: l3.uuid, ipKey: ipKeyOf(ip) }, transaction: op.tx })) > 0;
    throwIfViolations([], checkRequestedIp(ip, l3, { inRange: !!range, inUse }));
    pick = { ip, ipRangeUuid: range!.uuid };
  } else {
    const floor = fromTop ? undefined : await floorOf(l3.uuid, op);
    const free = await firstFreeIp(ranges, l3.gateway, allocatedOn(l3.uuid, op), { fromTop, floor });
    throwIfViolations([], free ? [] : [noFreeIp(l3, path)]);
    // Everything below it is taken now, it included. Not in a dry run (on PostgreSQL it runs
    // beside the writes, and the floor row would be one more lock for them to wait on), nor
    // past the family's last address (no key for 2^128).
    if (!fromTop && !op.dryRun && free!.value < MAX_IPV6) await setFloor(l3.uuid, free!.value + 1n, op);
    pick = free!;
  }
  const row = await M.AllocatedIpRow.create(
    { uuid: randomUUID(), l3NetworkUuid: l3.uuid, ipRangeUuid: pick.ipRangeUuid, ip: pick.ip, ipKey: ipKeyOf(pick.ip), usedFor: input.usedFor ?? null },
    { transaction: op.tx },
  );
  return allocatedIpInventory(row);
}

/** Releases the allocations `where` selects; each L3's floor drops to the lowest address released. */
export async function releaseIps(where: WhereOptions<M.AllocatedIpRow>, op: Op): Promise<number> {
  const rows = await M.AllocatedIpRow.findAll({ where, attributes: ['l3NetworkUuid', 'ipKey'], raw: true, transaction: op.tx });
  if (rows.length === 0) return 0;
  await M.AllocatedIpRow.destroy({ where, transaction: op.tx });
  const lowest = new Map<string, bigint>();
  for (const r of rows) {
    const v = ipValueOfKey(r.ipKey);
    const seen = lowest.get(r.l3NetworkUuid);
    if (seen === undefined || v < seen) lowest.set(r.l3NetworkUuid, v);
  }
  for (const [l3Uuid, v] of lowest) {
    const floor = await floorOf(l3Uuid, op);
    if (floor !== undefined && v < floor) await setFloor(l3Uuid, v, op);
  }
  return rows.length;
}

/** The L3's ranges changed: its floor may be wrong (a new range below it), so the next allocation walks from the first range. */
export async function forgetFloor(l3Uuid: string, op: Op): Promise<void> {
  await M.IpAllocationFloorRow.destroy({ where: { l3NetworkUuid: l3Uuid }, transaction: op.tx });
}
