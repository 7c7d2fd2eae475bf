import { allocatedIn, countFreeIps, firstFreeIp, rangeContaining, WALK_BATCH, type AllocatedBetween, type RangeForAllocation } from '../../../topology';
import { ipFromBigInt, parseIp } from '../../../topology/ip';

const r1: RangeForAllocation = { uuid: 'range-1', startIp: '10.0.0.10', endIp: '10.0.0.12' };
const r2: RangeForAllocation = { uuid: 'range-2', startIp: '10.0.0.20', endIp: '10.0.0.21' };
const v6: RangeForAllocation = { uuid: 'range-6', startIp: '2001:db8::fffe', endIp: '2001:db8::1:1' };
const GW = '10.0.0.1';

describe('firstFreeIp() (rule 21)', () => {
  it.each<[string, RangeForAllocation[], string[], string, { ip: string; ipRangeUuid: string } | null]>([
    ['nothing used', [r1, r2], [], GW, { ip: '10.0.0.10', ipRangeUuid: 'range-1' }],
    ['the first address used', [r1, r2], ['10.0.0.10'], GW, { ip: '10.0.0.11', ipRangeUuid: 'range-1' }],
    ['a hole in the used addresses', [r1, r2], ['10.0.0.10', '10.0.0.12'], GW, { ip: '10.0.0.11', ipRangeUuid: 'range-1' }],
    ['the first range full', [r1, r2], ['10.0.0.10', '10.0.0.11', '10.0.0.12'], GW, { ip: '10.0.0.20', ipRangeUuid: 'range-2' }],
    ['ranges given in another order', [r2, r1], [], GW, { ip: '10.0.0.20', ipRangeUuid: 'range-2' }],
    ['everything used', [r1, r2], ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.20', '10.0.0.21'], GW, null],
    ['no ranges', [], [], GW, null],
    ['used addresses outside the ranges', [r1], ['10.0.0.9', '10.0.0.13', '2001:db8::a'], GW, { ip: '10.0.0.10', ipRangeUuid: 'range-1' }],
    ['the gateway at the start of a range', [{ uuid: 'g', startIp: '10.0.0.1', endIp: '10.0.0.5' }], [], GW, { ip: '10.0.0.2', ipRangeUuid: 'g' }],
    ['the gateway as the only free address', [{ uuid: 'g', startIp: '10.0.0.1', endIp: '10.0.0.2' }], ['10.0.0.2'], GW, null],
    ['a single-address range', [{ uuid: 's', startIp: '10.0.0.7', endIp: '10.0.0.7' }], [], GW, { ip: '10.0.0.7', ipRangeUuid: 's' }],
    ['a reversed (invalid) range', [{ uuid: 'rev', startIp: '10.0.0.12', endIp: '10.0.0.10' }, r2], [], GW, { ip: '10.0.0.20', ipRangeUuid: 'range-2' }],
    ['an unparsable range', [{ uuid: 'bad', startIp: 'x', endIp: '10.0.0.10' }, r2], [], GW, { ip: '10.0.0.20', ipRangeUuid: 'range-2' }],
    ['an unparsable gateway', [r1], [], '', { ip: '10.0.0.10', ipRangeUuid: 'range-1' }],
    ['a range across an octet boundary', [{ uuid: 'b', startIp: '10.0.0.254', endIp: '10.0.1.2' }], ['10.0.0.254', '10.0.0.255'], GW, { ip: '10.0.1.0', ipRangeUuid: 'b' }],
    ['IPv6 across a group boundary', [v6], ['2001:db8::fffe', '2001:db8::ffff'], '2001:db8::1', { ip: '2001:db8::1:0', ipRangeUuid: 'range-6' }],
    ['IPv6 with the gateway in the range', [v6], ['2001:db8::fffe'], '2001:db8::ffff', { ip: '2001:db8::1:0', ipRangeUuid: 'range-6' }],
    // `used` and the gateway may come in any valid spelling; they are the same addresses.
    ['IPv6 used addresses in non-canonical spelling', [v6], ['2001:DB8::FFFE', '2001:db8:0:0:0:0:0:ffff'], '2001:db8::1', { ip: '2001:db8::1:0', ipRangeUuid: 'range-6' }],
    ['an IPv6 gateway in non-canonical spelling', [v6], ['2001:db8::fffe'], '2001:DB8:0::FFFF', { ip: '2001:db8::1:0', ipRangeUuid: 'range-6' }],
    ['IPv6 range bounds in non-canonical spelling', [{ uuid: 'nc', startIp: '2001:DB8::000A', endIp: '2001:db8::c' }], ['2001:db8::a'], '2001:db8::1', { ip: '2001:db8::b', ipRangeUuid: 'nc' }],
    ['IPv6 full', [v6], ['2001:db8::fffe', '2001:db8::ffff', '2001:db8::1:0', '2001:db8::1:1'], '2001:db8::1', null],
  ])('GIVEN %s WHEN picking THEN the expected address (or null)', async (_l, ranges, used, gateway, expected) => {
    const free = await firstFreeIp(ranges, gateway, allocatedIn(used));
    expect(free && { ip: free.ip, ipRangeUuid: free.ipRangeUuid }).toEqual(expected);
  });

  it('GIVEN a /64-sized IPv6 range WHEN picking THEN the first address comes back at once', async () => {
    const big = { uuid: 'big', startIp: '2001:db8::1', endIp: '2001:db8::ffff:ffff:ffff:ffff' };
    expect(await firstFreeIp([big], '2001:db8::ffff', allocatedIn(['2001:db8::1']))).toMatchObject({ ip: '2001:db8::2', ipRangeUuid: 'big' });
  });

  it.each<[string, RangeForAllocation[], string]>([
    ['IPv4 over two ranges with the gateway inside one', [{ uuid: 'a', startIp: '10.0.0.1', endIp: '10.0.0.6' }, { uuid: 'b', startIp: '10.0.0.250', endIp: '10.0.1.3' }], '10.0.0.1'],
    ['IPv6', [v6], '2001:db8::1'],
  ])('GIVEN %s WHEN allocating until full THEN every address is handed out once, never the gateway, and countFreeIps agrees', async (_l, ranges, gateway) => {
    const used = new Set<string>();
    const handedOut: string[] = [];
    for (let i = 0; i < 100; i++) {
      const next = await firstFreeIp(ranges, gateway, allocatedIn(used));
      if (!next) break;
      expect(rangeContaining(ranges, next.ip)?.uuid).toBe(next.ipRangeUuid);
      handedOut.push(next.ip);
      used.add(next.ip);
    }
    expect(new Set(handedOut).size).toBe(handedOut.length);
    expect(handedOut).not.toContain(gateway);
    const gatewayInRanges = rangeContaining(ranges, gateway) ? 1 : 0;
    expect(BigInt(handedOut.length)).toBe(countFreeIps(ranges, 0) - BigInt(gatewayInRanges));
  });

  it('GIVEN the highest free address asked for (infrastructure) THEN it walks down from the last range', async () => {
    expect(await firstFreeIp([r1, r2], GW, allocatedIn(['10.0.0.21']), { fromTop: true })).toMatchObject({ ip: '10.0.0.20', ipRangeUuid: 'range-2' });
    expect(await firstFreeIp([r1, r2], GW, allocatedIn(['10.0.0.21', '10.0.0.20', '10.0.0.12']), { fromTop: true })).toMatchObject({ ip: '10.0.0.11', ipRangeUuid: 'range-1' });
  });

  it('GIVEN a floor WHEN picking THEN nothing below it is considered, and ranges below it are skipped', async () => {
    const floor = parseIp('10.0.0.12')!.value;
    expect(await firstFreeIp([r1, r2], GW, allocatedIn([]), { floor })).toMatchObject({ ip: '10.0.0.12' });
    expect(await firstFreeIp([r1, r2], GW, allocatedIn(['10.0.0.12']), { floor })).toMatchObject({ ip: '10.0.0.20', ipRangeUuid: 'range-2' });
  });

  it(`GIVEN more than ${WALK_BATCH} taken addresses in a row WHEN picking from the start THEN it reads on in batches to the first gap`, async () => {
    const range = { uuid: 'w', startIp: '10.1.0.0', endIp: '10.1.255.255' };
    const start = parseIp('10.1.0.0')!.value;
    const used = Array.from({ length: WALK_BATCH * 3 + 7 }, (_, i) => ipFromBigInt(start + BigInt(i), 4));
    expect(await firstFreeIp([range], GW, allocatedIn(used))).toMatchObject({ ip: ipFromBigInt(start + BigInt(used.length), 4) });
  });

  it('GIVEN 10,000 taken addresses and the floor after them WHEN picking THEN it reads one batch, not the taken ones (the cost of an allocation does not grow as the L3 fills)', async () => {
    const range = { uuid: 'f', startIp: '10.2.0.0', endIp: '10.2.255.255' };
    const start = parseIp('10.2.0.0')!.value;
    const used = Array.from({ length: 10_000 }, (_, i) => ipFromBigInt(start + BigInt(i), 4));
    const all = allocatedIn(used);
    let rowsRead = 0;
    let reads = 0;
    const counting: AllocatedBetween = async (...args) => {
      const rows = await all(...args);
      rowsRead += rows.length;
      reads++;
      return rows;
    };
    expect(await firstFreeIp([range], GW, counting, { floor: start + 10_000n })).toMatchObject({ ip: ipFromBigInt(start + 10_000n, 4) });
    expect({ reads, rowsRead }).toEqual({ reads: 1, rowsRead: 0 });
  });
});

describe('countFreeIps()', () => {
  it.each<[string, RangeForAllocation[], number, bigint]>([
    ['no ranges', [], 0, 0n],
    ['one range, none allocated', [r1], 0, 3n],
    ['two ranges, none allocated', [r1, r2], 0, 5n],
    ['two ranges, two allocated', [r1, r2], 2, 3n],
    ['all allocated', [r1, r2], 5, 0n],
    ['more allocated than exist (clamped)', [r1], 7, 0n],
    ['a single-address range', [{ uuid: 's', startIp: '10.0.0.7', endIp: '10.0.0.7' }], 0, 1n],
    ['a reversed range counts nothing', [{ uuid: 'rev', startIp: '10.0.0.12', endIp: '10.0.0.10' }], 0, 0n],
    ['an unparsable range counts nothing', [{ uuid: 'bad', startIp: '10.0.0', endIp: '10.0.0.10' }, r2], 0, 2n],
    ['a /24 worth of IPv4', [{ uuid: 'w', startIp: '10.0.0.0', endIp: '10.0.0.255' }], 1, 255n],
    ['IPv6 across a group boundary', [v6], 0, 4n],
    ['a /64 worth of IPv6 (beyond Number precision)', [{ uuid: 'big', startIp: '2001:db8::', endIp: '2001:db8::ffff:ffff:ffff:ffff' }], 3, 2n ** 64n - 3n],
  ])('GIVEN %s WHEN counting free IPs THEN the expected number', (_l, ranges, allocated, expected) => {
    expect(countFreeIps(ranges, allocated)).toBe(expected);
  });
});

describe('rangeContaining()', () => {
  const ranges = [r1, r2, v6];

  it.each<[string, string | null]>([
    ['10.0.0.10', 'range-1'],
    ['10.0.0.11', 'range-1'],
    ['10.0.0.12', 'range-1'],
    ['10.0.0.20', 'range-2'],
    ['10.0.0.21', 'range-2'],
    ['10.0.0.9', null],
    ['10.0.0.13', null],
    ['10.0.0.19', null],
    ['10.0.0.22', null],
    ['2001:db8::ffff', 'range-6'],
    ['2001:DB8:0::1:1', 'range-6'],
    ['2001:db8::1:2', null],
    // Same 32-bit value as 10.0.0.10, but IPv6: not in the IPv4 range.
    ['::a00:a', null],
    ['not-an-ip', null],
    ['', null],
    ['10.0.0.010', null],
  ])('GIVEN %j WHEN looking up its range THEN %j', (ip, uuid) => {
    expect(rangeContaining(ranges, ip)?.uuid ?? null).toBe(uuid);
  });

  it('GIVEN overlapping ranges WHEN looking up THEN the first in order wins', () => {
    const wide = { uuid: 'wide', startIp: '10.0.0.0', endIp: '10.0.0.255' };
    expect(rangeContaining([wide, r1], '10.0.0.11')).toBe(wide);
    expect(rangeContaining([r1, wide], '10.0.0.11')).toBe(r1);
  });
});
