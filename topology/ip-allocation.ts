/**
 * Picking addresses from an L3's IP ranges. Pure: the caller serializes allocation and
 * the database's unique (l3, ip) index is the last line of defence (rule 21).
 */
import { ipFromBigInt, parseIp, rangeSize } from './ip';

export interface RangeForAllocation {
  uuid: string;
  startIp: string;
  endIp: string;
}

/**
 * The allocated addresses of one L3 from `lo` to `hi` (inclusive) in order, ascending or
 * (`down`) descending, at most `limit` of them: an index range scan for the server, a sorted
 * set for tests.
 */
export type AllocatedBetween = (lo: bigint, hi: bigint, down: boolean, limit: number) => Promise<bigint[]>;

/** Allocated addresses read per step of a walk. */
export const WALK_BATCH = 256;

export interface FreeIp {
  ip: string;
  value: bigint;
  ipRangeUuid: string;
}

/**
 * The lowest free address across the ranges (sorted by their start), not below `floor`; or
 * with `fromTop` the highest, ranges taken in reverse: what infrastructure addresses (a flat
 * DHCP server's) take, so they stay clear of the VMs' from the bottom. Never the gateway.
 *
 * It reads the allocated addresses in order from where it starts, WALK_BATCH at a time, and
 * stops at the first gap: its cost is the run of taken addresses it steps over, not how many
 * the L3 holds. The caller keeps `floor` at or below the lowest free address (every address
 * of the ranges below it is taken), so that run is short.
 */
export async function firstFreeIp(
  ranges: readonly RangeForAllocation[],
  gateway: string,
  allocated: AllocatedBetween,
  opts: { fromTop?: boolean; floor?: bigint } = {},
): Promise<FreeIp | null> {
  const gw = parseIp(gateway)?.value;
  const parsed = ranges.flatMap((r) => {
    const start = parseIp(r.startIp);
    const end = parseIp(r.endIp);
    return start && end && start.family === end.family ? [{ uuid: r.uuid, family: start.family, start: start.value, end: end.value }] : [];
  });
  const down = opts.fromTop === true;
  for (const r of down ? [...parsed].reverse() : parsed) {
    const step = down ? -1n : 1n;
    let v = down ? r.end : opts.floor !== undefined && opts.floor > r.start ? opts.floor : r.start;
    const inRange = (x: bigint) => x >= r.start && x <= r.end;
    while (inRange(v)) {
      const batch = down ? await allocated(r.start, v, true, WALK_BATCH) : await allocated(v, r.end, false, WALK_BATCH);
      let i = 0;
      let more = false;
      while (inRange(v)) {
        if (v === gw) v += step;
        else if (i < batch.length && batch[i] === v) {
          v += step;
          i++;
        } else if (i < batch.length && (down ? batch[i] > v : batch[i] < v)) i++;
        else if (i < batch.length || batch.length < WALK_BATCH) return { ip: ipFromBigInt(v, r.family), value: v, ipRangeUuid: r.uuid };
        else {
          more = true; // read all of this batch: the next starts at v
          break;
        }
      }
      if (!more) break;
    }
  }
  return null;
}

/** An AllocatedBetween over a set of addresses (tests; a handful of addresses). */
export function allocatedIn(used: Iterable<string>): AllocatedBetween {
  const values = [...new Set([...used].flatMap((u) => (parseIp(u) ? [parseIp(u)!.value] : [])))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return async (lo, hi, down, limit) => {
    const inside = values.filter((v) => v >= lo && v <= hi);
    return (down ? inside.reverse() : inside).slice(0, limit);
  };
}

/** The range that holds `ip`, if any. */
export function rangeContaining(ranges: readonly RangeForAllocation[], ip: string): RangeForAllocation | null {
  const p = parseIp(ip);
  if (!p) return null;
  return (
    ranges.find((r) => {
      const s = parseIp(r.startIp);
      const e = parseIp(r.endIp);
      return !!s && !!e && s.family === p.family && s.value <= p.value && p.value <= e.value;
    }) ?? null
  );
}

/** Addresses in the ranges, all together (ends that don't parse count nothing). */
export function totalRangeSize(ranges: readonly Pick<RangeForAllocation, 'startIp' | 'endIp'>[]): bigint {
  let total = 0n;
  for (const r of ranges) {
    const s = parseIp(r.startIp);
    const e = parseIp(r.endIp);
    if (s && e) total += rangeSize(s.value, e.value);
  }
  return total;
}

/** Addresses left: the ranges' total size less the allocated ones. */
export function countFreeIps(ranges: readonly RangeForAllocation[], allocatedCount: number): bigint {
  const free = totalRangeSize(ranges) - BigInt(allocatedCount);
  return free > 0n ? free : 0n;
}
