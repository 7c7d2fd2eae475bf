import {
  checkIpRangeOverlaps,
  checkIpsInUse,
  checkL3CidrOverlap,
  defaultGateway,
  isValidDomainName,
  MAX_DNS_SERVERS,
  validateIpRange,
  validateL3Spec,
  type ExistingIpRange,
  type HostRoute,
  type IpRangeSpec,
  type L3Spec,
} from '../../../topology';
import { codesAt, expectNames, expectWellFormed, only } from './helpers';

describe('validateL3Spec(): CIDR (rules 8, 9)', () => {
  it.each([
    '10.0.0.0/24',
    '10.0.0.0/8',
    '192.168.0.0/16',
    '172.16.0.0/12',
    '10.0.0.0/30',
    '10.0.0.0/31',
    '10.0.0.7/32',
    '64.0.0.0/3',
    '2001:db8::/64',
    '2001:db8::/48',
    '2001:db8::1/128',
    'fd00::/8',
  ])('GIVEN CIDR %j WHEN validating THEN no violation', (cidr) => {
    expect(validateL3Spec({ cidr })).toEqual([]);
  });

  it.each([
    ['prefix > 32', '10.0.0.0/33'],
    ['three-part address', '10.0.0/24'],
    ['leading-zero octet', '010.0.0.0/8'],
    ['leading-zero prefix', '10.0.0.0/024'],
    ['no prefix', '10.0.0.0'],
    ['empty prefix', '10.0.0.0/'],
    ['netmask form', '10.0.0.0/255.255.255.0'],
    ['prefix > 128', '2001:db8::/129'],
    ['zone id', 'fe80::%eth0/64'],
    ['hex', '0x0a000000/8'],
    ['spaces', ' 10.0.0.0/24 '],
    ['empty', ''],
    ['word', 'ten-net'],
  ])('GIVEN a malformed CIDR (%s: %j) WHEN validating THEN INVALID_CIDR, the CIDR-independent fields still checked, the gateway not', (_l, cidr) => {
    const vs = validateL3Spec({ cidr, gateway: 'junk', dnsServers: ['junk'], dnsDomain: '..', hostRoutes: [{ prefix: 'x', nextHop: 'y' }] });
    expect(codesAt(vs)).toEqual([
      'INVALID_CIDR@cidr',
      'INVALID_DNS_SERVER@dnsServers[0]',
      'INVALID_DNS_DOMAIN@dnsDomain',
      'INVALID_HOST_ROUTE_PREFIX@hostRoutes[0].prefix',
      'INVALID_NEXT_HOP@hostRoutes[0].nextHop',
    ]);
    expect(vs[0].message).toContain(JSON.stringify(cidr));
  });

  it.each([
    ['10.0.0.5/24', '10.0.0.0/24'],
    ['192.168.1.1/16', '192.168.0.0/16'],
    ['10.0.0.1/31', '10.0.0.0/31'],
    ['2001:db8::1/64', '2001:db8::/64'],
  ])('GIVEN %j with host bits WHEN validating THEN CIDR_HOST_BITS_SET suggesting %j', (cidr, suggestion) => {
    const vs = validateL3Spec({ cidr });
    expect(codesAt(vs)).toEqual(['CIDR_HOST_BITS_SET@cidr']);
    expect(vs[0].message).toContain(suggestion);
  });

  it.each<[string, string[]]>([
    ['0.0.0.0/0', ['INVALID_NETMASK@cidr', 'RESERVED_ADDRESS@cidr']],
    ['10.0.0.0/0', ['CIDR_HOST_BITS_SET@cidr', 'INVALID_NETMASK@cidr', 'RESERVED_ADDRESS@cidr']],
    ['::/0', ['INVALID_NETMASK@cidr', 'RESERVED_ADDRESS@cidr']],
  ])('GIVEN a /0 CIDR %j WHEN validating THEN %j', (cidr, expected) => {
    expect(codesAt(validateL3Spec({ cidr }))).toEqual(expected);
  });

  it('GIVEN 0.0.0.0/0 WHEN validating THEN the netmask message shows 0.0.0.0', () => {
    expect(only(validateL3Spec({ cidr: '0.0.0.0/0' }), 'INVALID_NETMASK').message).toContain('0.0.0.0');
  });

  it.each([
    ['class D', '224.0.0.0/24', 'multicast'],
    ['class D (upper)', '239.255.0.0/16', 'multicast'],
    ['class D (whole)', '224.0.0.0/4', 'multicast'],
    ['class E', '240.0.0.0/24', 'class E'],
    ['class E (upper)', '250.0.0.0/8', 'class E'],
    ['limited broadcast', '255.255.255.255/32', 'broadcast'],
    ['link-local', '169.254.0.0/16', 'link-local'],
    ['link-local subnet', '169.254.10.0/24', 'link-local'],
    ['this-network', '0.0.0.0/8', 'unspecified'],
    ['IPv6 multicast', 'ff00::/8', 'multicast'],
    ['IPv6 link-local', 'fe80::/64', 'link-local'],
  ])('GIVEN a %s CIDR %j WHEN validating THEN RESERVED_ADDRESS at cidr', (_l, cidr, kind) => {
    const vs = validateL3Spec({ cidr });
    expect(codesAt(vs)).toEqual(['RESERVED_ADDRESS@cidr']);
    expect(vs[0].message).toContain(kind);
  });
});

describe('validateL3Spec(): gateway (rule 10)', () => {
  it.each<[string, string]>([
    ['10.0.0.0/24', '10.0.0.1'],
    ['10.0.0.0/24', '10.0.0.254'],
    ['10.0.0.0/30', '10.0.0.2'],
    // /31 and /32 have no network or broadcast address (RFC 3021).
    ['10.0.0.0/31', '10.0.0.0'],
    ['10.0.0.0/31', '10.0.0.1'],
    ['10.0.0.7/32', '10.0.0.7'],
    ['2001:db8::/64', '2001:db8::1'],
    // IPv6 has no broadcast address: the last address is usable.
    ['2001:db8::/64', '2001:db8::ffff:ffff:ffff:ffff'],
    ['2001:db8::/64', '2001:DB8::0:1'],
    ['2001:db8::/127', '2001:db8::'],
  ])('GIVEN CIDR %j WHEN gateway is %j THEN no violation', (cidr, gateway) => {
    expect(validateL3Spec({ cidr, gateway })).toEqual([]);
  });

  it.each([null, undefined])('GIVEN gateway %j WHEN validating THEN the gateway is not checked', (gateway) => {
    expect(validateL3Spec({ cidr: '10.0.0.0/24', gateway })).toEqual([]);
  });

  it.each<[string, string, string, string]>([
    ['not an IP', '10.0.0.0/24', 'router', 'INVALID_GATEWAY'],
    ['empty', '10.0.0.0/24', '', 'INVALID_GATEWAY'],
    ['short form', '10.0.0.0/24', '10.1', 'INVALID_GATEWAY'],
    ['outside the CIDR', '10.0.0.0/24', '10.0.1.1', 'GATEWAY_OUTSIDE_CIDR'],
    ['just below the CIDR', '10.0.0.0/24', '9.255.255.255', 'GATEWAY_OUTSIDE_CIDR'],
    ['outside a /32', '10.0.0.7/32', '10.0.0.8', 'GATEWAY_OUTSIDE_CIDR'],
    ['IPv6 for an IPv4 CIDR', '10.0.0.0/24', '::ffff:10.0.0.1', 'GATEWAY_OUTSIDE_CIDR'],
    ['IPv4 for an IPv6 CIDR', '2001:db8::/64', '10.0.0.1', 'GATEWAY_OUTSIDE_CIDR'],
    ['the network address', '10.0.0.0/24', '10.0.0.0', 'GATEWAY_IS_NETWORK_ADDRESS'],
    ['the network address of a /30', '10.0.0.0/30', '10.0.0.0', 'GATEWAY_IS_NETWORK_ADDRESS'],
    ['the IPv6 subnet-router anycast address', '2001:db8::/64', '2001:db8::', 'GATEWAY_IS_NETWORK_ADDRESS'],
    ['the broadcast address', '10.0.0.0/24', '10.0.0.255', 'GATEWAY_IS_BROADCAST_ADDRESS'],
    ['the broadcast address of a /30', '10.0.0.0/30', '10.0.0.3', 'GATEWAY_IS_BROADCAST_ADDRESS'],
  ])('GIVEN a gateway that is %s WHEN validating THEN %s at gateway', (_l, cidr, gateway, code) => {
    const vs = validateL3Spec({ cidr, gateway });
    expect(codesAt(vs)).toEqual([`${code}@gateway`]);
    expectWellFormed(vs);
  });
});

describe('validateL3Spec(): DNS servers (rule 13)', () => {
  const eight = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7', '10.0.0.8', '2001:db8::53'];

  it('GIVEN Neutron\'s cap THEN MAX_DNS_SERVERS is 8', () => {
    expect(MAX_DNS_SERVERS).toBe(8);
  });

  it.each<[string, readonly string[] | undefined]>([
    ['none given', undefined],
    ['an empty list', []],
    ['one', ['8.8.8.8']],
    ['exactly 8, mixed families', eight],
  ])('GIVEN %s WHEN validating THEN no violation', (_l, dnsServers) => {
    expect(validateL3Spec({ cidr: '10.0.0.0/24', dnsServers })).toEqual([]);
  });

  it('GIVEN 9 DNS servers WHEN validating THEN TOO_MANY_DNS_SERVERS at dnsServers', () => {
    const vs = validateL3Spec({ cidr: '10.0.0.0/24', dnsServers: [...eight, '1.1.1.1'] });
    expect(codesAt(vs)).toEqual(['TOO_MANY_DNS_SERVERS@dnsServers']);
    expect(vs[0].message).toContain('9');
  });

  it.each<[string, string[], string[]]>([
    ['the same IPv4 twice', ['8.8.8.8', '1.1.1.1', '8.8.8.8'], ['DUPLICATE_DNS_SERVER@dnsServers[2]']],
    ['the same IPv6 spelled differently', ['2001:db8::1', '2001:DB8:0:0::1'], ['DUPLICATE_DNS_SERVER@dnsServers[1]']],
    ['three copies', ['8.8.8.8', '8.8.8.8', '8.8.8.8'], ['DUPLICATE_DNS_SERVER@dnsServers[1]', 'DUPLICATE_DNS_SERVER@dnsServers[2]']],
    ['a hostname', ['dns.google'], ['INVALID_DNS_SERVER@dnsServers[0]']],
    ['a short-form IPv4', ['8.8.8.8', '10.1'], ['INVALID_DNS_SERVER@dnsServers[1]']],
    ['an address with port', ['8.8.8.8:53'], ['INVALID_DNS_SERVER@dnsServers[0]']],
    ['an empty string', [''], ['INVALID_DNS_SERVER@dnsServers[0]']],
    ['a CIDR', ['8.8.8.0/24'], ['INVALID_DNS_SERVER@dnsServers[0]']],
    ['an IPv6 zone id', ['fe80::1%eth0'], ['INVALID_DNS_SERVER@dnsServers[0]']],
    ['an injected command', ['8.8.8.8; reboot'], ['INVALID_DNS_SERVER@dnsServers[0]']],
    [
      '9 servers with a duplicate and a bad one',
      [...eight.slice(0, 7), '10.0.0.2', 'bogus'],
      ['TOO_MANY_DNS_SERVERS@dnsServers', 'DUPLICATE_DNS_SERVER@dnsServers[7]', 'INVALID_DNS_SERVER@dnsServers[8]'],
    ],
  ])('GIVEN %s WHEN validating THEN exactly the listed violations (code@path)', (_l, dnsServers, expected) => {
    const vs = validateL3Spec({ cidr: '10.0.0.0/24', dnsServers });
    expect(codesAt(vs)).toEqual(expected);
    expectWellFormed(vs);
  });

  it('GIVEN a duplicate or a bad DNS server WHEN validating THEN the message shows it', () => {
    const vs = validateL3Spec({ cidr: '10.0.0.0/24', dnsServers: ['8.8.8.8', '8.8.8.8', 'dns.google'] });
    expect(only(vs, 'DUPLICATE_DNS_SERVER').message).toContain('8.8.8.8');
    expect(only(vs, 'INVALID_DNS_SERVER').message).toContain('dns.google');
  });
});

describe('validateL3Spec() / isValidDomainName(): dnsDomain (rule 13)', () => {
  const label63 = 'a'.repeat(63);
  const name253 = [label63, label63, label63, 'a'.repeat(61)].join('.');

  it('GIVEN the length fixtures THEN they are at the limits', () => {
    expect(name253.length).toBe(253);
  });

  it.each([
    'example.com',
    'example.com.',
    'corp',
    'EXAMPLE.Com',
    'a-b.example',
    'a--b.example',
    'xn--bcher-kva.example',
    '1.example',
    '123',
    `${label63}.example`,
    name253,
    `${name253}.`,
  ])('GIVEN dnsDomain %j WHEN validating THEN valid', (name) => {
    expect(isValidDomainName(name)).toBe(true);
    expect(validateL3Spec({ cidr: '10.0.0.0/24', dnsDomain: name })).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['only a dot', '.'],
    ['empty label', 'example..com'],
    ['leading dot', '.example.com'],
    ['two trailing dots', 'example.com..'],
    ['label starting with -', '-example.com'],
    ['label ending with -', 'example-.com'],
    ['space', 'exa mple.com'],
    ['underscore', 'exa_mple.com'],
    ['unicode (not punycode)', 'bücher.example'],
    ['label of 64', `${'a'.repeat(64)}.example`],
    ['254 characters', `${name253}a`],
    ['semicolon', 'ex;ample.com'],
    ['command substitution', '$(reboot).com'],
    ['newline', 'example.com\n'],
    ['slash', 'example.com/x'],
    ['wildcard', '*.example.com'],
  ])('GIVEN dnsDomain with %s WHEN validating THEN INVALID_DNS_DOMAIN at dnsDomain', (_l, name) => {
    expect(isValidDomainName(name)).toBe(false);
    const vs = validateL3Spec({ cidr: '10.0.0.0/24', dnsDomain: name });
    expect(codesAt(vs)).toEqual(['INVALID_DNS_DOMAIN@dnsDomain']);
    expect(vs[0].message).toContain(JSON.stringify(name));
  });

  it.each([null, undefined])('GIVEN dnsDomain %j WHEN validating THEN it is not checked', (dnsDomain) => {
    expect(validateL3Spec({ cidr: '10.0.0.0/24', dnsDomain })).toEqual([]);
  });
});

describe('validateL3Spec(): host routes (rule 13)', () => {
  const v4 = (hostRoutes: HostRoute[]): L3Spec => ({ cidr: '10.0.0.0/24', gateway: '10.0.0.1', hostRoutes });
  const v6 = (hostRoutes: HostRoute[]): L3Spec => ({ cidr: '2001:db8::/64', gateway: '2001:db8::1', hostRoutes });

  it.each<[string, L3Spec]>([
    ['none', v4([])],
    ['one IPv4 route', v4([{ prefix: '172.16.0.0/16', nextHop: '10.0.0.254' }])],
    [
      'several distinct prefixes',
      v4([
        { prefix: '172.16.0.0/16', nextHop: '10.0.0.254' },
        { prefix: '172.16.0.0/24', nextHop: '10.0.0.253' },
        { prefix: '192.168.7.7/32', nextHop: '10.0.0.254' },
      ]),
    ],
    ['a default route', v4([{ prefix: '0.0.0.0/0', nextHop: '10.0.0.254' }])],
    ['one IPv6 route', v6([{ prefix: '2001:db8:ff::/48', nextHop: '2001:db8::fe' }])],
  ])('GIVEN %s WHEN validating THEN no violation', (_l, spec) => {
    expect(validateL3Spec(spec)).toEqual([]);
  });

  it.each<[string, L3Spec, string[]]>([
    ['a prefix without length', v4([{ prefix: '172.16.0.0', nextHop: '10.0.0.254' }]), ['INVALID_HOST_ROUTE_PREFIX@hostRoutes[0].prefix']],
    ['a malformed prefix', v4([{ prefix: '172.16.0/16', nextHop: '10.0.0.254' }]), ['INVALID_HOST_ROUTE_PREFIX@hostRoutes[0].prefix']],
    ['a prefix > 32', v4([{ prefix: '172.16.0.0/33', nextHop: '10.0.0.254' }]), ['INVALID_HOST_ROUTE_PREFIX@hostRoutes[0].prefix']],
    [
      'the same prefix twice',
      v4([
        { prefix: '172.16.0.0/16', nextHop: '10.0.0.254' },
        { prefix: '192.168.0.0/16', nextHop: '10.0.0.254' },
        { prefix: '172.16.0.0/16', nextHop: '10.0.0.253' },
      ]),
      ['DUPLICATE_HOST_ROUTE@hostRoutes[2].prefix'],
    ],
    [
      'the same prefix spelled with host bits',
      v4([
        { prefix: '172.16.0.0/16', nextHop: '10.0.0.254' },
        { prefix: '172.16.9.9/16', nextHop: '10.0.0.253' },
      ]),
      ['DUPLICATE_HOST_ROUTE@hostRoutes[1].prefix'],
    ],
    [
      'the same IPv6 prefix spelled differently',
      v6([
        { prefix: '2001:db8:ff::/48', nextHop: '2001:db8::fe' },
        { prefix: '2001:DB8:FF:0::/48', nextHop: '2001:db8::fe' },
      ]),
      ['DUPLICATE_HOST_ROUTE@hostRoutes[1].prefix'],
    ],
    ['a next hop that is not an IP', v4([{ prefix: '172.16.0.0/16', nextHop: 'router1' }]), ['INVALID_NEXT_HOP@hostRoutes[0].nextHop']],
    ['an empty next hop', v4([{ prefix: '172.16.0.0/16', nextHop: '' }]), ['INVALID_NEXT_HOP@hostRoutes[0].nextHop']],
    ['a next hop in CIDR form', v4([{ prefix: '172.16.0.0/16', nextHop: '10.0.0.254/32' }]), ['INVALID_NEXT_HOP@hostRoutes[0].nextHop']],
    ['an IPv6 next hop on an IPv4 L3', v4([{ prefix: '172.16.0.0/16', nextHop: '2001:db8::1' }]), ['NEXT_HOP_FAMILY_MISMATCH@hostRoutes[0].nextHop']],
    ['an IPv4 next hop on an IPv6 L3', v6([{ prefix: '2001:db8:ff::/48', nextHop: '10.0.0.1' }]), ['NEXT_HOP_FAMILY_MISMATCH@hostRoutes[0].nextHop']],
    ['an IPv6 prefix on an IPv4 L3', v4([{ prefix: '2001:db8:ff::/48', nextHop: '10.0.0.254' }]), ['HOST_ROUTE_FAMILY_MISMATCH@hostRoutes[0].prefix']],
    ['an IPv4 prefix on an IPv6 L3', v6([{ prefix: '172.16.0.0/16', nextHop: '2001:db8::fe' }]), ['HOST_ROUTE_FAMILY_MISMATCH@hostRoutes[0].prefix']],
    ['a next hop outside the subnet (the kernel refuses such a route)', v4([{ prefix: '172.16.0.0/16', nextHop: '10.0.1.254' }]), ['NEXT_HOP_OUTSIDE_CIDR@hostRoutes[0].nextHop']],
    [
      'more host routes than DHCP option 121 carries',
      v4(Array.from({ length: 65 }, (_, i) => ({ prefix: `172.16.${i}.0/24`, nextHop: '10.0.0.254' }))),
      ['TOO_MANY_HOST_ROUTES@hostRoutes'],
    ],
    [
      'a bad prefix and a bad next hop on the second route',
      v4([
        { prefix: '172.16.0.0/16', nextHop: '10.0.0.254' },
        { prefix: 'any', nextHop: '$(reboot)' },
      ]),
      ['INVALID_HOST_ROUTE_PREFIX@hostRoutes[1].prefix', 'INVALID_NEXT_HOP@hostRoutes[1].nextHop'],
    ],
  ])('GIVEN %s WHEN validating THEN exactly the listed violations (code@path)', (_l, spec, expected) => {
    const vs = validateL3Spec(spec);
    expect(codesAt(vs)).toEqual(expected);
    expectWellFormed(vs);
  });

  it('GIVEN a family mismatch WHEN validating THEN the message names the L3 family and CIDR', () => {
    const msg = validateL3Spec(v4([{ prefix: '172.16.0.0/16', nextHop: '2001:db8::1' }]))[0].message;
    expect(msg).toContain('IPv4');
    expect(msg).toContain('10.0.0.0/24');
  });
});

describe('validateL3Spec(): everything at once', () => {
  it('GIVEN a spec breaking several rules WHEN validating THEN every violation is reported once, in field order', () => {
    const vs = validateL3Spec({
      cidr: '10.0.0.5/24',
      gateway: '10.0.0.255',
      dnsServers: ['8.8.8.8', '8.8.8.8'],
      dnsDomain: 'bad domain',
      hostRoutes: [{ prefix: 'x', nextHop: '::1' }],
    });
    expect(codesAt(vs)).toEqual([
      'CIDR_HOST_BITS_SET@cidr',
      'GATEWAY_IS_BROADCAST_ADDRESS@gateway',
      'DUPLICATE_DNS_SERVER@dnsServers[1]',
      'INVALID_DNS_DOMAIN@dnsDomain',
      'INVALID_HOST_ROUTE_PREFIX@hostRoutes[0].prefix',
      'NEXT_HOP_FAMILY_MISMATCH@hostRoutes[0].nextHop',
    ]);
  });
});

describe('defaultGateway()', () => {
  it.each<[string, string]>([
    ['10.0.0.0/24', '10.0.0.1'],
    ['10.0.0.5/24', '10.0.0.1'],
    ['10.0.0.0/30', '10.0.0.1'],
    ['10.0.0.0/31', '10.0.0.0'],
    ['10.0.0.7/32', '10.0.0.7'],
    ['2001:db8::/64', '2001:db8::1'],
    ['2001:db8::/127', '2001:db8::'],
    ['2001:db8::9/128', '2001:db8::9'],
  ])('GIVEN %j WHEN picking the default gateway THEN %j, which the gateway rule accepts', (cidr, gw) => {
    expect(defaultGateway(cidr)).toBe(gw);
    const c = cidr.replace('10.0.0.5/24', '10.0.0.0/24');
    expect(validateL3Spec({ cidr: c, gateway: defaultGateway(cidr) })).toEqual([]);
  });

  it.each(['10.0.0.0/33', '10.0.0/24', 'nope', ''])('GIVEN an invalid CIDR %j WHEN picking the default gateway THEN it throws', (cidr) => {
    expect(() => defaultGateway(cidr)).toThrow(/invalid CIDR/);
  });
});

describe('validateIpRange() (rules 8-11)', () => {
  const l3 = { cidr: '10.0.0.0/24', gateway: '10.0.0.1' };
  const r = (startIp: string, endIp: string): IpRangeSpec => ({ startIp, endIp });

  it.each<[string, IpRangeSpec, { cidr: string; gateway: string }]>([
    ['a range inside the CIDR', r('10.0.0.10', '10.0.0.100'), l3],
    ['a single address', r('10.0.0.2', '10.0.0.2'), l3],
    ['every usable address but the gateway', r('10.0.0.2', '10.0.0.254'), l3],
    ['a range below the gateway', r('10.0.0.1', '10.0.0.9'), { cidr: '10.0.0.0/24', gateway: '10.0.0.254' }],
    ['both addresses of a /31', r('10.0.0.0', '10.0.0.1'), { cidr: '10.0.0.0/31', gateway: '' }],
    ['the other address of a /31', r('10.0.0.1', '10.0.0.1'), { cidr: '10.0.0.0/31', gateway: '10.0.0.0' }],
    ['the only address of a /32', r('10.0.0.7', '10.0.0.7'), { cidr: '10.0.0.7/32', gateway: '' }],
    ['a range in a /30', r('10.0.0.2', '10.0.0.2'), { cidr: '10.0.0.0/30', gateway: '10.0.0.1' }],
    ['IPv6', r('2001:db8::10', '2001:db8::ff'), { cidr: '2001:db8::/64', gateway: '2001:db8::1' }],
    ['IPv6 up to the last address (no broadcast)', r('2001:db8::2', '2001:db8::ffff:ffff:ffff:ffff'), { cidr: '2001:db8::/64', gateway: '2001:db8::1' }],
    ['IPv6 in non-canonical spelling', r('2001:DB8:0::10', '2001:db8::00ff'), { cidr: '2001:db8::/64', gateway: '2001:db8::1' }],
    ['a range ending just below link-local space', r('169.253.0.2', '169.253.255.254'), { cidr: '169.253.0.0/16', gateway: '169.253.0.1' }],
    ['a range starting just above link-local space', r('169.255.0.2', '169.255.0.254'), { cidr: '169.255.0.0/24', gateway: '169.255.0.1' }],
    ['a range just below class D', r('223.255.255.2', '223.255.255.254'), { cidr: '223.255.255.0/24', gateway: '223.255.255.1' }],
  ])('GIVEN %s WHEN validating THEN no violation', (_l, range, where) => {
    expect(validateIpRange(range, where)).toEqual([]);
  });

  it.each<[string, IpRangeSpec, { cidr: string; gateway: string }, string[]]>([
    ['an invalid start', r('10.0.0', '10.0.0.20'), l3, ['INVALID_IP@startIp']],
    ['an invalid end', r('10.0.0.10', 'x'), l3, ['INVALID_IP@endIp']],
    ['both invalid', r('', '10.1'), l3, ['INVALID_IP@startIp', 'INVALID_IP@endIp']],
    ['a hex start', r('0x0a.0.0.10', '10.0.0.20'), l3, ['INVALID_IP@startIp']],
    ['an IPv4 start and IPv6 end', r('10.0.0.10', '2001:db8::20'), l3, ['IP_FAMILY_MISMATCH@endIp']],
    ['an IPv6 start and IPv4 end', r('2001:db8::10', '10.0.0.20'), l3, ['IP_FAMILY_MISMATCH@endIp']],
    ['an IPv6 range on an IPv4 L3', r('2001:db8::10', '2001:db8::20'), l3, ['IP_FAMILY_MISMATCH@startIp']],
    ['an IPv4 range on an IPv6 L3', r('10.0.0.10', '10.0.0.20'), { cidr: '2001:db8::/64', gateway: '2001:db8::1' }, ['IP_FAMILY_MISMATCH@startIp']],
    ['a reversed range', r('10.0.0.100', '10.0.0.10'), l3, ['START_AFTER_END@startIp']],
    ['a reversed range around the network address', r('10.0.0.5', '10.0.0.0'), { cidr: '10.0.0.0/24', gateway: '10.0.0.254' }, ['START_AFTER_END@startIp']],
    ['an end outside the CIDR', r('10.0.0.10', '10.0.1.5'), l3, ['IP_RANGE_OUTSIDE_CIDR@endIp', 'IP_RANGE_INCLUDES_BROADCAST_ADDRESS@endIp']],
    ['a start outside the CIDR', r('9.255.255.250', '10.0.0.0'), { cidr: '10.0.0.0/24', gateway: '10.0.0.254' }, ['IP_RANGE_OUTSIDE_CIDR@startIp', 'IP_RANGE_INCLUDES_NETWORK_ADDRESS@startIp']],
    ['a range wholly outside the CIDR', r('10.0.1.10', '10.0.1.20'), l3, ['IP_RANGE_OUTSIDE_CIDR@startIp', 'IP_RANGE_OUTSIDE_CIDR@endIp']],
    ['a range outside a /32', r('10.0.0.8', '10.0.0.8'), { cidr: '10.0.0.7/32', gateway: '10.0.0.7' }, ['IP_RANGE_OUTSIDE_CIDR@startIp', 'IP_RANGE_OUTSIDE_CIDR@endIp']],
    ['the network address', r('10.0.0.0', '10.0.0.50'), { cidr: '10.0.0.0/24', gateway: '10.0.0.254' }, ['IP_RANGE_INCLUDES_NETWORK_ADDRESS@startIp']],
    ['only the network address', r('10.0.0.0', '10.0.0.0'), { cidr: '10.0.0.0/24', gateway: '10.0.0.254' }, ['IP_RANGE_INCLUDES_NETWORK_ADDRESS@startIp']],
    ['the broadcast address', r('10.0.0.200', '10.0.0.255'), l3, ['IP_RANGE_INCLUDES_BROADCAST_ADDRESS@endIp']],
    ['only the broadcast address', r('10.0.0.255', '10.0.0.255'), l3, ['IP_RANGE_INCLUDES_BROADCAST_ADDRESS@endIp']],
    ['the IPv6 subnet-router anycast address', r('2001:db8::', '2001:db8::20'), { cidr: '2001:db8::/64', gateway: '2001:db8::ffff' }, ['IP_RANGE_INCLUDES_NETWORK_ADDRESS@startIp']],
    [
      'the whole CIDR',
      r('10.0.0.0', '10.0.0.255'),
      l3,
      ['IP_RANGE_INCLUDES_NETWORK_ADDRESS@startIp', 'IP_RANGE_INCLUDES_BROADCAST_ADDRESS@endIp', 'GATEWAY_IN_IP_RANGE@startIp'],
    ],
    ['the gateway inside', r('10.0.0.1', '10.0.0.50'), l3, ['GATEWAY_IN_IP_RANGE@startIp']],
    ['the gateway in the middle', r('10.0.0.2', '10.0.0.50'), { cidr: '10.0.0.0/24', gateway: '10.0.0.20' }, ['GATEWAY_IN_IP_RANGE@startIp']],
    ['the gateway as the end', r('10.0.0.10', '10.0.0.20'), { cidr: '10.0.0.0/24', gateway: '10.0.0.20' }, ['GATEWAY_IN_IP_RANGE@startIp']],
    ['the gateway as the only address', r('10.0.0.1', '10.0.0.1'), l3, ['GATEWAY_IN_IP_RANGE@startIp']],
    ['the gateway of a /32', r('10.0.0.7', '10.0.0.7'), { cidr: '10.0.0.7/32', gateway: '10.0.0.7' }, ['GATEWAY_IN_IP_RANGE@startIp']],
    ['the IPv6 gateway, spelled differently', r('2001:db8::1', '2001:db8::20'), { cidr: '2001:db8::/64', gateway: '2001:DB8:0::1' }, ['GATEWAY_IN_IP_RANGE@startIp']],
    ['class D addresses', r('224.0.0.10', '224.0.0.20'), { cidr: '224.0.0.0/24', gateway: '224.0.0.1' }, ['RESERVED_ADDRESS@startIp', 'RESERVED_ADDRESS@endIp']],
    ['class E addresses', r('240.0.0.10', '240.0.0.20'), { cidr: '240.0.0.0/24', gateway: '240.0.0.1' }, ['RESERVED_ADDRESS@startIp', 'RESERVED_ADDRESS@endIp']],
    ['link-local addresses', r('169.254.1.10', '169.254.1.20'), { cidr: '169.254.1.0/24', gateway: '169.254.1.1' }, ['RESERVED_ADDRESS@startIp', 'RESERVED_ADDRESS@endIp']],
    ['an end reaching into class D', r('223.255.255.250', '224.0.0.5'), { cidr: '192.0.0.0/2', gateway: '192.0.0.1' }, ['RESERVED_ADDRESS@endIp']],
    ['an end reaching into link-local', r('169.253.255.250', '169.254.0.5'), { cidr: '169.0.0.0/8', gateway: '169.0.0.1' }, ['RESERVED_ADDRESS@endIp']],
    // Neither end is link-local, but every address between 169.254.0.0 and 169.254.255.255 is.
    ['a range spanning link-local space', r('169.253.255.1', '169.255.0.1'), { cidr: '169.0.0.0/8', gateway: '169.0.0.1' }, ['RESERVED_ADDRESS@startIp']],
    ['a range spanning IPv6 link-local space', r('fe7f::1', 'fec0::1'), { cidr: 'fe00::/8', gateway: 'fe00::1' }, ['RESERVED_ADDRESS@startIp']],
    ['IPv6 multicast addresses', r('ff02::10', 'ff02::20'), { cidr: 'ff02::/64', gateway: 'ff02::1' }, ['RESERVED_ADDRESS@startIp', 'RESERVED_ADDRESS@endIp']],
  ])('GIVEN %s WHEN validating THEN exactly the listed violations (code@path)', (_l, range, where, expected) => {
    const vs = validateIpRange(range, where);
    expect(codesAt(vs)).toEqual(expected);
    expectWellFormed(vs);
  });

  it('GIVEN a range spanning link-local space WHEN validating THEN the message names the reserved block', () => {
    const vs = validateIpRange(r('169.253.255.1', '169.255.0.1'), { cidr: '169.0.0.0/8', gateway: '169.0.0.1' });
    expect(vs[0].message).toContain('169.254.0.0/16');
    expect(vs[0].message).toContain('link-local');
  });

  it('GIVEN the gateway inside a range WHEN validating THEN the message names the gateway', () => {
    expect(validateIpRange(r('10.0.0.1', '10.0.0.50'), l3)[0].message).toContain('10.0.0.1');
  });

  it('GIVEN an invalid L3 CIDR WHEN validating a well-formed range THEN nothing is reported here (validateL3Spec reports the CIDR)', () => {
    expect(validateIpRange(r('10.0.0.10', '10.0.0.20'), { cidr: '10.0.0.0/33', gateway: '10.0.0.1' })).toEqual([]);
  });
});

describe('checkIpRangeOverlaps() (rule 12)', () => {
  const poolA: ExistingIpRange = { uuid: 'range-a', name: 'pool-a', startIp: '10.0.0.10', endIp: '10.0.0.20', l3NetworkUuid: 'l3-1' };
  const poolB: ExistingIpRange = { uuid: 'range-b', name: 'pool-b', startIp: '10.0.0.30', endIp: '10.0.0.40', l3NetworkUuid: 'l3-2' };
  const poolV6: ExistingIpRange = { uuid: 'range-6', name: 'pool-v6', startIp: '2001:db8::100', endIp: '2001:db8::1ff' };
  const others = [poolA, poolB, poolV6];
  const r = (startIp: string, endIp: string, uuid?: string): IpRangeSpec => ({ startIp, endIp, uuid });

  it.each<[string, IpRangeSpec]>([
    ['the gap between two ranges, adjacent to both', r('10.0.0.21', '10.0.0.29')],
    ['a range adjacent below', r('10.0.0.1', '10.0.0.9')],
    ['a range adjacent above', r('10.0.0.41', '10.0.0.50')],
    ['a single address in the gap', r('10.0.0.25', '10.0.0.25')],
    ['an IPv6 range next to IPv6 ones', r('2001:db8::200', '2001:db8::2ff')],
    ['an IPv6 range with the same numeric values as an IPv4 one', r('::a00:a', '::a00:14')],
    ['the range itself, on update', r('10.0.0.10', '10.0.0.25', 'range-a')],
    ['an invalid start', r('bogus', '10.0.0.15')],
    ['an invalid end', r('10.0.0.15', '10.0.0.15.1')],
  ])('GIVEN %s WHEN checking THEN no violation', (_l, range) => {
    expect(checkIpRangeOverlaps(range, others)).toEqual([]);
  });

  it.each<[string, IpRangeSpec, ExistingIpRange[]]>([
    ['touching the end at one address', r('10.0.0.20', '10.0.0.25'), [poolA]],
    ['touching the start at one address', r('10.0.0.5', '10.0.0.10'), [poolA]],
    ['the single last address', r('10.0.0.20', '10.0.0.20'), [poolA]],
    ['identical', r('10.0.0.10', '10.0.0.20'), [poolA]],
    ['contained', r('10.0.0.12', '10.0.0.15'), [poolA]],
    ['containing', r('10.0.0.5', '10.0.0.25'), [poolA]],
    ['bridging two ranges', r('10.0.0.20', '10.0.0.30'), [poolA, poolB]],
    ['containing two ranges', r('10.0.0.1', '10.0.0.254'), [poolA, poolB]],
    ['touching both at one address', r('10.0.0.20', '10.0.0.30'), [poolA, poolB]],
    ['IPv6, spelled differently', r('2001:DB8::1FF', '2001:db8::0:2ff'), [poolV6]],
    ['another range while updating itself', r('10.0.0.10', '10.0.0.35', 'range-a'), [poolB]],
  ])('GIVEN a range %s WHEN checking THEN IP_RANGE_OVERLAP naming each overlapped range', (_l, range, hit) => {
    const vs = checkIpRangeOverlaps(range, others);
    expect(codesAt(vs)).toEqual(hit.map(() => 'IP_RANGE_OVERLAP@startIp'));
    vs.forEach((v, i) => {
      expect(v.conflicting).toEqual({ type: 'IpRange', uuid: hit[i].uuid, name: hit[i].name });
      expectNames(v.message, hit[i]);
      expect(v.message).toContain(`${hit[i].startIp}-${hit[i].endIp}`);
    });
  });

  it('GIVEN an existing range with no uuid match and a new range without uuid WHEN checking THEN nothing is skipped', () => {
    expect(checkIpRangeOverlaps(r('10.0.0.10', '10.0.0.10'), [{ ...poolA, uuid: '' }])).toHaveLength(1);
  });

  it('GIVEN malformed existing ranges WHEN checking THEN they are ignored, not thrown on', () => {
    const broken: ExistingIpRange = { uuid: 'x', name: 'x', startIp: 'nope', endIp: '10.0.0.20' };
    expect(checkIpRangeOverlaps(r('10.0.0.10', '10.0.0.20'), [broken])).toEqual([]);
  });
});

describe('checkL3CidrOverlap() (rule 12)', () => {
  const netA = { uuid: 'l3-a', name: 'net-a', cidr: '10.0.0.0/24' };
  const netB = { uuid: 'l3-b', name: 'net-b', cidr: '10.1.0.0/16' };
  const netV6 = { uuid: 'l3-6', name: 'net-v6', cidr: '2001:db8::/64' };
  const others = [netA, netB, netV6];

  it.each<[string, { uuid?: string; cidr: string }]>([
    ['an adjacent CIDR', { cidr: '10.0.1.0/24' }],
    ['a disjoint CIDR', { cidr: '192.168.0.0/24' }],
    ['a /25 adjacent below another', { cidr: '9.255.255.128/25' }],
    ['an IPv6 CIDR next to another', { cidr: '2001:db8:0:1::/64' }],
    ['an IPv6 CIDR numerically equal to an IPv4 one', { cidr: '::a00:0/120' }],
    ['the L3 itself, on update', { uuid: 'l3-a', cidr: '10.0.0.0/23' }],
    ['an invalid CIDR', { cidr: '10.0.0.0/33' }],
  ])('GIVEN %s WHEN checking THEN no violation', (_l, l3) => {
    expect(checkL3CidrOverlap(l3, others)).toEqual([]);
  });

  it.each<[string, { uuid?: string; cidr: string }, (typeof netA)[]]>([
    ['an identical CIDR', { cidr: '10.0.0.0/24' }, [netA]],
    ['a CIDR inside another', { cidr: '10.0.0.128/25' }, [netA]],
    ['a host route sized CIDR inside another', { cidr: '10.1.2.3/32' }, [netB]],
    ['a CIDR containing two', { cidr: '10.0.0.0/8' }, [netA, netB]],
    ['a CIDR written with host bits', { cidr: '10.0.0.5/24' }, [netA]],
    ['an IPv6 CIDR containing another', { cidr: '2001:db8::/48' }, [netV6]],
    ['another L3 overlapping while updating itself', { uuid: 'l3-a', cidr: '10.0.0.0/15' }, [netB]],
  ])('GIVEN %s WHEN checking THEN L3_CIDR_OVERLAP naming each overlapped L3', (_l, l3, hit) => {
    const vs = checkL3CidrOverlap(l3, others);
    expect(codesAt(vs)).toEqual(hit.map(() => 'L3_CIDR_OVERLAP@cidr'));
    vs.forEach((v, i) => {
      expect(v.conflicting).toEqual({ type: 'L3Network', uuid: hit[i].uuid, name: hit[i].name });
      expectNames(v.message, hit[i]);
      expect(v.message).toContain(hit[i].cidr);
    });
  });
});

describe('checkIpsInUse() (rule 14)', () => {
  const range = { type: 'IpRange' as const, uuid: 'range-a', name: 'pool-a' };
  const l3 = { type: 'L3Network' as const, uuid: 'l3-a', name: 'web' };

  it.each([range, l3])('GIVEN no allocated IPs WHEN deleting %j THEN no violation', (o) => {
    expect(checkIpsInUse(o, [])).toEqual([]);
  });

  it.each<[typeof range | typeof l3, string]>([
    [range, 'IP_RANGE_IN_USE'],
    [l3, 'L3_IN_USE'],
  ])('GIVEN allocated IPs WHEN deleting %j THEN %s at uuid naming the object and the IPs', (o, code) => {
    const vs = checkIpsInUse(o, [
      { ip: '10.0.0.10', usedFor: 'nic-1' },
      { ip: '10.0.0.11', usedFor: null },
    ]);
    expect(codesAt(vs)).toEqual([`${code}@uuid`]);
    expectNames(vs[0].message, o);
    expect(vs[0].message).toContain('10.0.0.10 (nic-1)');
    expect(vs[0].message).toContain('10.0.0.11');
    expect(vs[0].message).toContain('2 allocated');
  });

  it('GIVEN 12 allocated IPs WHEN deleting THEN the message lists 10 and counts the rest', () => {
    const allocated = Array.from({ length: 12 }, (_, i) => ({ ip: `10.0.0.${i + 10}`, usedFor: null }));
    const msg = checkIpsInUse(range, allocated)[0].message;
    expect(msg).toContain('12 allocated');
    expect(msg).toContain('10.0.0.19');
    expect(msg).not.toContain('10.0.0.20');
    expect(msg).toContain('and 2 more');
  });
});
