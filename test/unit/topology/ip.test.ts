import {
  cidrContains,
  cidrHasHostBits,
  cidrsOverlap,
  intervalsOverlap,
  ipFromBigInt,
  isIp,
  parseCidr,
  parseIp,
  rangeSize,
  reservedKind,
  type ParsedCidr,
  type ParsedIp,
} from '../../../topology';

const V4_MAX = 2n ** 32n - 1n;
const V6_MAX = 2n ** 128n - 1n;

function ip(text: string): ParsedIp {
  const p = parseIp(text);
  if (!p) throw new Error(`test setup: ${text} does not parse`);
  return p;
}
function cidr(text: string): ParsedCidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`test setup: ${text} does not parse`);
  return c;
}

describe('parseIp()', () => {
  describe('valid IPv4', () => {
    it.each<[string, bigint, string]>([
      ['0.0.0.0', 0n, '0.0.0.0'],
      ['10.0.0.1', 167772161n, '10.0.0.1'],
      ['192.168.1.254', 0xc0a801fen, '192.168.1.254'],
      ['255.255.255.255', V4_MAX, '255.255.255.255'],
      ['1.2.3.4', 0x01020304n, '1.2.3.4'],
    ])('GIVEN %j WHEN parsing THEN family 4, value %s, text %j', (text, value, canonical) => {
      expect(parseIp(text)).toEqual({ family: 4, value, text: canonical });
    });
  });

  describe('valid IPv6', () => {
    it.each<[string, bigint, string]>([
      ['::', 0n, '::'],
      ['::1', 1n, '::1'],
      ['2001:db8::1', 0x20010db8000000000000000000000001n, '2001:db8::1'],
      ['2001:DB8::1', 0x20010db8000000000000000000000001n, '2001:db8::1'],
      ['2001:0db8:0000:0000:0000:0000:0000:0001', 0x20010db8000000000000000000000001n, '2001:db8::1'],
      ['2001:0db8:0000:0000:0001:0000:0000:0001', 0x20010db8000000000001000000000001n, '2001:db8::1:0:0:1'],
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', V6_MAX, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
      ['::ffff:1.2.3.4', 0xffff01020304n, '::ffff:102:304'],
      ['::ffff:0:0', 0xffff00000000n, '::ffff:0:0'],
      // Embedded IPv4 means its 32 bits, wherever it sits (RFC 4291 2.2, form 3).
      ['::1.2.3.4', 0x01020304n, '::102:304'],
      ['1:2:3:4:5:6:1.2.3.4', 0x00010002000300040005000601020304n, '1:2:3:4:5:6:102:304'],
      ['ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255', V6_MAX, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ])('GIVEN %j WHEN parsing THEN family 6, value %s, canonical (RFC 5952) text %j', (text, value, canonical) => {
      expect(parseIp(text)).toEqual({ family: 6, value, text: canonical });
    });

    it('GIVEN "::1.2.3.4" and "::102:304" WHEN parsing THEN they are the same address', () => {
      expect(ip('::1.2.3.4').value).toBe(ip('::102:304').value);
      expect(ip('::ffff:1.2.3.4').value).not.toBe(ip('::1.2.3.4').value);
    });
  });

  describe('strictness', () => {
    it.each([
      ['short form', '10.1'],
      ['three parts', '10.0.1'],
      ['single decimal', '167772161'],
      ['single part', '10'],
      ['hex octet', '0x0a.0.0.1'],
      ['hex long', '0xa000001'],
      ['hex last octet', '10.0.0.0x1'],
      ['leading zero (octal?)', '010.0.0.1'],
      ['leading zero last octet', '10.0.0.01'],
      ['octet > 255', '10.0.0.256'],
      ['negative octet', '10.0.0.-1'],
      ['five parts', '1.2.3.4.5'],
      ['empty part', '10..0.1'],
      ['trailing dot', '10.0.0.1.'],
      ['leading space', ' 10.0.0.1'],
      ['trailing space', '10.0.0.1 '],
      ['trailing newline', '10.0.0.1\n'],
      ['with port', '10.0.0.1:80'],
      ['with prefix', '10.0.0.1/32'],
      ['empty', ''],
      ['word', 'localhost'],
      ['IPv6 zone id (name)', 'fe80::1%eth0'],
      ['IPv6 zone id (number)', 'fe80::1%1'],
      ['IPv6 empty zone id', 'fe80::1%'],
      ['IPv6 in brackets', '[::1]'],
      ['IPv6 two ::', '1::2::3'],
      ['IPv6 :::', ':::'],
      ['IPv6 nine groups', '1:2:3:4:5:6:7:8:9'],
      ['IPv6 seven groups', '1:2:3:4:5:6:7'],
      ['IPv6 group > 16 bits', '12345::1'],
      ['IPv6 non-hex', 'g::1'],
      ['IPv6 with prefix', '2001:db8::/64'],
      ['IPv6 trailing newline', '2001:db8::1\n'],
      ['IPv6 embedded short IPv4', '::ffff:10.1'],
      ['IPv6 embedded hex IPv4', '::ffff:0xa.0.0.1'],
      ['IPv6 embedded leading-zero IPv4', '::ffff:010.0.0.1'],
      ['IPv6 embedded IPv4 octet > 255', '::ffff:1.2.3.256'],
      ['IPv6 embedded IPv4 with too many groups', '1:2:3:4:5:6:7:1.2.3.4'],
      ['IPv6 embedded IPv4 not last', '::1.2.3.4:1'],
      ['garbage over 45 chars', `${'0'.repeat(40)}::1:2:3`],
    ])('GIVEN %s (%j) WHEN parsing THEN null', (_label, text) => {
      expect(parseIp(text)).toBeNull();
      expect(isIp(text)).toBe(false);
    });

    it.each([42, null, undefined, {}, ['10.0.0.1']])('GIVEN a non-string %j WHEN parsing THEN null, not a throw', (v) => {
      expect(parseIp(v as unknown as string)).toBeNull();
    });
  });

  it.each(['10.0.0.1', '::', '2001:db8::1', '::ffff:1.2.3.4'])('GIVEN %j WHEN isIp THEN true', (t) => {
    expect(isIp(t)).toBe(true);
  });
});

describe('ipFromBigInt()', () => {
  it.each<[bigint, 4 | 6, string]>([
    [0n, 4, '0.0.0.0'],
    [1n, 4, '0.0.0.1'],
    [167772161n, 4, '10.0.0.1'],
    [V4_MAX, 4, '255.255.255.255'],
    [0n, 6, '::'],
    [1n, 6, '::1'],
    [0x20010db8000000000000000000010000n, 6, '2001:db8::1:0'],
    [V6_MAX, 6, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('GIVEN %s as IPv%s WHEN formatting THEN %j', (value, family, text) => {
    expect(ipFromBigInt(value, family)).toBe(text);
  });

  it.each([
    '0.0.0.0', '10.0.0.1', '172.16.254.3', '255.255.255.255',
    '::', '::1', '2001:db8::1', '2001:DB8:0:0:1:0:0:1', 'fe80::abcd:ef01', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8',
  ])('GIVEN %j WHEN parse -> format -> parse THEN text and value round-trip', (text) => {
    const p = ip(text);
    const formatted = ipFromBigInt(p.value, p.family);
    expect(formatted).toBe(p.text);
    expect(parseIp(formatted)).toEqual(p);
  });

  it.each<[bigint, 4 | 6]>([
    [0n, 4], [0xdeadbeefn, 4], [V4_MAX, 4], [0n, 6], [0x1234n << 64n, 6], [V6_MAX, 6], [2n ** 127n + 12345n, 6],
  ])('GIVEN value %s of IPv%s WHEN format -> parse THEN the value comes back', (value, family) => {
    expect(ip(ipFromBigInt(value, family))).toMatchObject({ family, value });
  });
});

describe('parseCidr()', () => {
  it.each<[string, Partial<ParsedCidr>]>([
    ['10.0.0.0/24', { family: 4, prefix: 24, bits: 32, network: 0x0a000000n, broadcast: 0x0a0000ffn, text: '10.0.0.0/24', netmask: '255.255.255.0' }],
    ['10.0.0.5/24', { prefix: 24, network: 0x0a000000n, broadcast: 0x0a0000ffn, text: '10.0.0.0/24' }],
    ['0.0.0.0/0', { prefix: 0, network: 0n, broadcast: V4_MAX, text: '0.0.0.0/0', netmask: '0.0.0.0' }],
    ['10.0.0.0/31', { prefix: 31, network: 0x0a000000n, broadcast: 0x0a000001n, netmask: '255.255.255.254' }],
    ['10.0.0.7/32', { prefix: 32, network: 0x0a000007n, broadcast: 0x0a000007n, text: '10.0.0.7/32', netmask: '255.255.255.255' }],
    ['172.16.0.0/12', { network: 0xac100000n, broadcast: 0xac1fffffn, netmask: '255.240.0.0' }],
    ['2001:db8::/64', { family: 6, prefix: 64, bits: 128, network: 0x20010db8n << 96n, broadcast: (0x20010db8n << 96n) | (2n ** 64n - 1n), text: '2001:db8::/64', netmask: 'ffff:ffff:ffff:ffff::' }],
    ['2001:DB8:0::/48', { text: '2001:db8::/48' }],
    ['::/0', { family: 6, prefix: 0, network: 0n, broadcast: V6_MAX, text: '::/0', netmask: '::' }],
    ['2001:db8::1/128', { prefix: 128, network: (0x20010db8n << 96n) | 1n, broadcast: (0x20010db8n << 96n) | 1n, text: '2001:db8::1/128' }],
  ])('GIVEN %j WHEN parsing THEN %o', (text, expected) => {
    expect(parseCidr(text)).toMatchObject(expected);
  });

  it.each([
    ['prefix > 32', '10.0.0.0/33'],
    ['prefix > 128', '2001:db8::/129'],
    ['three-part address', '10.0.0/24'],
    ['leading-zero octet', '010.0.0.0/8'],
    ['hex octet', '0x0a.0.0.0/8'],
    ['leading-zero prefix', '10.0.0.0/024'],
    ['leading-zero prefix (08)', '10.0.0.0/08'],
    ['no prefix', '10.0.0.0'],
    ['empty prefix', '10.0.0.0/'],
    ['negative prefix', '10.0.0.0/-1'],
    ['plus prefix', '10.0.0.0/+24'],
    ['netmask form', '10.0.0.0/255.255.255.0'],
    ['double slash', '10.0.0.0/24/1'],
    ['space in prefix', '10.0.0.0/ 24'],
    ['trailing space', '10.0.0.0/24 '],
    ['leading space', ' 10.0.0.0/24'],
    ['no address', '/24'],
    ['zone id', 'fe80::%eth0/64'],
    ['word', 'default'],
    ['empty', ''],
    ['four-digit prefix', '10.0.0.0/0024'],
  ])('GIVEN %s (%j) WHEN parsing THEN null', (_l, text) => {
    expect(parseCidr(text)).toBeNull();
  });

  it('GIVEN a non-string WHEN parsing THEN null', () => {
    expect(parseCidr(undefined as unknown as string)).toBeNull();
  });
});

describe('cidrHasHostBits()', () => {
  it.each<[string, boolean]>([
    ['10.0.0.0/24', false],
    ['10.0.0.5/24', true],
    ['10.0.0.255/24', true],
    ['10.0.0.1/32', false],
    ['10.0.0.0/31', false],
    ['10.0.0.1/31', true],
    ['0.0.0.0/0', false],
    ['10.0.0.0/0', true],
    ['2001:db8::/64', false],
    ['2001:db8::1/64', true],
    ['not-a-cidr', false],
    ['10.0.0.5', false],
  ])('GIVEN %j WHEN checking THEN %s', (text, expected) => {
    expect(cidrHasHostBits(text)).toBe(expected);
  });
});

describe('cidrContains()', () => {
  it.each<[string, string, boolean]>([
    ['10.0.0.0/24', '10.0.0.0', true],
    ['10.0.0.0/24', '10.0.0.255', true],
    ['10.0.0.0/24', '10.0.0.128', true],
    ['10.0.0.0/24', '10.0.1.0', false],
    ['10.0.0.0/24', '9.255.255.255', false],
    ['10.0.0.7/32', '10.0.0.7', true],
    ['10.0.0.7/32', '10.0.0.8', false],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['2001:db8::/64', '2001:db8::ffff:ffff:ffff:ffff', true],
    ['2001:db8::/64', '2001:db8:0:1::', false],
    // Same numeric value, other family: never contained.
    ['10.0.0.0/8', '::a00:1', false],
    ['::/0', '10.0.0.1', false],
  ])('GIVEN %j and %j WHEN checking THEN %s', (c, a, expected) => {
    expect(cidrContains(cidr(c), ip(a))).toBe(expected);
  });
});

describe('cidrsOverlap()', () => {
  it.each<[string, string, boolean]>([
    ['10.0.0.0/24', '10.0.0.0/24', true],
    ['10.0.0.0/24', '10.0.0.128/25', true],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['10.0.0.0/25', '10.0.0.128/25', false],
    ['10.0.0.7/32', '10.0.0.0/29', true],
    ['10.0.0.8/32', '10.0.0.0/29', false],
    ['0.0.0.0/0', '192.168.0.0/16', true],
    ['2001:db8::/32', '2001:db8:1::/48', true],
    ['2001:db8::/48', '2001:db8:1::/48', false],
    ['0.0.0.0/0', '::/0', false],
    ['10.0.0.0/8', '::a00:0/104', false],
  ])('GIVEN %j and %j WHEN checking THEN %s (both orders)', (a, b, expected) => {
    expect(cidrsOverlap(cidr(a), cidr(b))).toBe(expected);
    expect(cidrsOverlap(cidr(b), cidr(a))).toBe(expected);
  });
});

describe('intervalsOverlap()', () => {
  it.each<[bigint, bigint, bigint, bigint, boolean]>([
    [1n, 5n, 5n, 9n, true],
    [1n, 5n, 6n, 9n, false],
    [1n, 9n, 3n, 4n, true],
    [3n, 3n, 3n, 3n, true],
    [3n, 3n, 4n, 4n, false],
    [10n, 20n, 0n, 9n, false],
    [10n, 20n, 0n, 10n, true],
  ])('GIVEN [%s,%s] and [%s,%s] WHEN checking THEN %s (both orders)', (a, b, c, d, expected) => {
    expect(intervalsOverlap(a, b, c, d)).toBe(expected);
    expect(intervalsOverlap(c, d, a, b)).toBe(expected);
  });
});

describe('reservedKind()', () => {
  it.each<[string, string | null]>([
    ['224.0.0.1', 'multicast (class D)'],
    ['239.255.255.255', 'multicast (class D)'],
    ['240.0.0.1', 'reserved (class E)'],
    ['254.255.255.255', 'reserved (class E)'],
    ['255.255.255.255', 'broadcast'],
    ['169.254.0.0', 'link-local (169.254.0.0/16)'],
    ['169.254.255.255', 'link-local (169.254.0.0/16)'],
    ['0.0.0.0', 'unspecified (0.0.0.0/8)'],
    ['0.255.255.255', 'unspecified (0.0.0.0/8)'],
    ['223.255.255.255', null],
    ['169.253.255.255', null],
    ['169.255.0.0', null],
    ['1.0.0.0', null],
    ['10.0.0.1', null],
    ['192.168.1.1', null],
    ['100.64.0.1', null],
    ['192.0.2.1', null],
    ['ff02::1', 'multicast'],
    ['fe80::1', 'link-local (fe80::/10)'],
    ['febf:ffff::1', 'link-local (fe80::/10)'],
    ['fec0::1', null],
    ['::', 'unspecified'],
    ['::1', null],
    ['2001:db8::1', null],
    ['fd00::1', null],
  ])('GIVEN %j WHEN classifying THEN %j', (a, kind) => {
    expect(reservedKind(ip(a))).toBe(kind);
  });
});

describe('rangeSize()', () => {
  it.each<[bigint, bigint, bigint]>([
    [5n, 5n, 1n],
    [1n, 10n, 10n],
    [0n, V4_MAX, 2n ** 32n],
    [0n, V6_MAX, 2n ** 128n],
    [10n, 1n, 0n],
  ])('GIVEN %s..%s WHEN sizing THEN %s', (s, e, n) => {
    expect(rangeSize(s, e)).toBe(n);
  });
});

describe('compareIps', () => {
  it('GIVEN addresses in any order WHEN sorted THEN numeric order, IPv4 before IPv6, junk last', () => {
    const { compareIps } = require('../../../topology/ip') as typeof import('../../../topology/ip');
    expect(['10.0.0.100', 'fe::1', 'junk', '10.0.0.9', '2001:db8::1', '9.255.255.255'].sort(compareIps)).toEqual([
      '9.255.255.255',
      '10.0.0.9',
      '10.0.0.100',
      'fe::1', // 00fe::1
      '2001:db8::1',
      'junk',
    ]);
  });
});
