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
 * The lowest free address across the ranges (in the order given), or null when full. From
 * the top (`fromTop`) the highest instead, ranges taken in reverse: what infrastructure
 * addresses (a flat DHCP server's) take, so they stay clear of the VMs' from the bottom.
 */
export function firstFreeIp(
  ranges: readonly RangeForAllocation[],
  used: ReadonlySet<string>,
  gateway: string,
  fromTop = false,
): { ip: string; ipRangeUuid: string } | null {
  const gw = parseIp(gateway)?.text;
  // Compare canonical forms: "2001:DB8::0a" in `used` is the same address as 2001:db8::a.
  const taken = new Set<string>();
  for (const u of used) taken.add(parseIp(u)?.text ?? u);
  for (const r of fromTop ? [...ranges].reverse() : ranges) {
    const start = parseIp(r.startIp);
    const end = parseIp(r.endIp);
    if (!start || !end) continue;
    const [first, last, step] = fromTop ? [end.value, start.value, -1n] : [start.value, end.value, 1n];
    for (let v = first; fromTop ? v >= last : v <= last; v += step) {
      const ip = ipFromBigInt(v, start.family);
      if (ip !== gw && !taken.has(ip)) return { ip, ipRangeUuid: r.uuid };
    }
  }
  return null;
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

/** Addresses left: the ranges' total size less the allocated ones. */
export function countFreeIps(ranges: readonly RangeForAllocation[], allocatedCount: number): bigint {
  let total = 0n;
  for (const r of ranges) {
    const s = parseIp(r.startIp);
    const e = parseIp(r.endIp);
    if (s && e) total += rangeSize(s.value, e.value);
  }
  const free = total - BigInt(allocatedCount);
  return free > 0n ? free : 0n;
}
