/**
 * L3 network and IP range rules over HTTP (topology-rules.md 8-14): CIDR, gateway, DNS,
 * domain, host routes, range bounds and reserved space, overlaps, deleting with IPs in use.
 */
import { expectApiError, expectNothingWritten, expectStatus, list, snapshot, uniqueName, useServer } from './helpers';

const srv = useServer();

async function freshL2() {
  const zone = await srv.fx.zone();
  return srv.fx.vlan(zone.uuid, 100);
}

async function refusedL3(body: Record<string, unknown>) {
  const l2 = await freshL2();
  const before = await snapshot(srv.ts);
  const res = await srv.ts.api('POST', '/v1/l3-networks', { name: uniqueName('l3'), l2NetworkUuid: l2.uuid, ...body });
  await expectNothingWritten(srv.ts, before);
  expect(await list(srv.ts, 'l3-networks', { l2NetworkUuid: l2.uuid })).toEqual([]);
  return res;
}

describe('L3 CIDR and gateway (rules 8-10)', () => {
  it('GIVEN a /24 without a gateway WHEN the L3 is created THEN the gateway defaults to the first usable address', async () => {
    const l2 = await freshL2();
    const l3 = await srv.fx.l3(l2.uuid, '10.50.0.0/24');
    expect(l3).toMatchObject({ cidr: '10.50.0.0/24', gateway: '10.50.0.1', ipVersion: 4, l2NetworkUuid: l2.uuid, dnsServers: [], dnsDomain: null, hostRoutes: [] });
  });

  it('GIVEN an explicit gateway inside the CIDR WHEN the L3 is created THEN it is kept', async () => {
    const l2 = await freshL2();
    expect(await srv.fx.l3(l2.uuid, '10.51.0.0/24', { gateway: '10.51.0.254' })).toMatchObject({ gateway: '10.51.0.254' });
  });

  it('GIVEN an IPv6 /64 WHEN the L3 is created THEN it is stored in canonical form with ipVersion 6', async () => {
    const l2 = await freshL2();
    expect(await srv.fx.l3(l2.uuid, '2001:DB8:1::/64', { gateway: '2001:db8:1::0001' })).toMatchObject({ cidr: '2001:db8:1::/64', gateway: '2001:db8:1::1', ipVersion: 6 });
  });

  it.each([
    ['not a CIDR', 'banana', 'INVALID_CIDR'],
    ['a prefix longer than 32', '10.0.0.0/33', 'INVALID_CIDR'],
    ['host bits set', '10.52.0.5/24', 'CIDR_HOST_BITS_SET'],
    ['a class D network', '224.0.0.0/24', 'RESERVED_ADDRESS'],
    ['a class E network', '240.0.0.0/24', 'RESERVED_ADDRESS'],
    ['a link-local network', '169.254.0.0/16', 'RESERVED_ADDRESS'],
  ])('GIVEN a CIDR with %s WHEN the L3 is created THEN 400 %s at cidr and nothing is written', async (_what, cidr, code) => {
    expectApiError(await refusedL3({ cidr }), 400, code, { path: 'cidr', code });
  });

  it('GIVEN a /0 WHEN the L3 is created THEN 400 with INVALID_NETMASK at cidr', async () => {
    expectApiError(await refusedL3({ cidr: '0.0.0.0/0' }), 400, 'RULE_VIOLATIONS', { path: 'cidr', code: 'INVALID_NETMASK' });
  });

  it.each([
    ['outside the CIDR', '10.53.1.1', 'GATEWAY_OUTSIDE_CIDR'],
    ['the network address', '10.53.0.0', 'GATEWAY_IS_NETWORK_ADDRESS'],
    ['the broadcast address', '10.53.0.255', 'GATEWAY_IS_BROADCAST_ADDRESS'],
    ['not an IP', '10.53.0', 'INVALID_GATEWAY'],
  ])('GIVEN a gateway %s WHEN the L3 is created THEN 400 %s at gateway and nothing is written', async (_what, gateway, code) => {
    expectApiError(await refusedL3({ cidr: '10.53.0.0/24', gateway }), 400, code, { path: 'gateway', code });
  });
});

describe('DNS servers, DNS domain and host routes (rule 13)', () => {
  const eight = Array.from({ length: 8 }, (_, i) => `10.0.0.${i + 1}`);

  it('GIVEN 8 DNS servers, a domain and a host route WHEN the L3 is created THEN all are stored', async () => {
    const l2 = await freshL2();
    const l3 = await srv.fx.l3(l2.uuid, '10.54.0.0/24', {
      dnsServers: eight,
      dnsDomain: 'corp.example.com.',
      hostRoutes: [{ prefix: '192.168.0.0/16', nextHop: '10.54.0.254' }],
    });
    expect(l3).toMatchObject({ dnsServers: eight, dnsDomain: 'corp.example.com.', hostRoutes: [{ prefix: '192.168.0.0/16', nextHop: '10.54.0.254' }] });
  });

  it('GIVEN 9 DNS servers WHEN the L3 is created THEN 400 TOO_MANY_DNS_SERVERS at dnsServers', async () => {
    expectApiError(await refusedL3({ cidr: '10.55.0.0/24', dnsServers: [...eight, '10.0.0.9'] }), 400, 'TOO_MANY_DNS_SERVERS', { path: 'dnsServers' });
  });

  it('GIVEN a DNS server listed twice WHEN the L3 is created THEN 400 DUPLICATE_DNS_SERVER at the second', async () => {
    expectApiError(await refusedL3({ cidr: '10.55.0.0/24', dnsServers: ['8.8.8.8', '8.8.8.8'] }), 400, 'DUPLICATE_DNS_SERVER', { path: 'dnsServers[1]' });
  });

  it('GIVEN a DNS server that is not an IP WHEN the L3 is created THEN 400 INVALID_DNS_SERVER at its index', async () => {
    expectApiError(await refusedL3({ cidr: '10.55.0.0/24', dnsServers: ['8.8.8.8', 'dns.example.com'] }), 400, 'INVALID_DNS_SERVER', { path: 'dnsServers[1]' });
  });

  it.each(['bad_domain!', '-lead.example.com', 'a..b', `${'x'.repeat(64)}.com`])('GIVEN dnsDomain %j WHEN the L3 is created THEN 400 INVALID_DNS_DOMAIN', async (dnsDomain) => {
    expectApiError(await refusedL3({ cidr: '10.55.0.0/24', dnsDomain }), 400, 'INVALID_DNS_DOMAIN', { path: 'dnsDomain' });
  });

  it.each([
    ['a prefix that is not a CIDR', [{ prefix: '192.168.0.0', nextHop: '10.56.0.254' }], 'INVALID_HOST_ROUTE_PREFIX', 'hostRoutes[0].prefix'],
    ['an IPv6 prefix on an IPv4 L3', [{ prefix: '2001:db8::/32', nextHop: '10.56.0.254' }], 'HOST_ROUTE_FAMILY_MISMATCH', 'hostRoutes[0].prefix'],
    ['a next hop that is not an IP', [{ prefix: '192.168.0.0/16', nextHop: 'router' }], 'INVALID_NEXT_HOP', 'hostRoutes[0].nextHop'],
    ['an IPv6 next hop on an IPv4 L3', [{ prefix: '192.168.0.0/16', nextHop: '2001:db8::1' }], 'NEXT_HOP_FAMILY_MISMATCH', 'hostRoutes[0].nextHop'],
    [
      'two routes for one prefix',
      [
        { prefix: '192.168.0.0/16', nextHop: '10.56.0.254' },
        { prefix: '192.168.0.0/16', nextHop: '10.56.0.253' },
      ],
      'DUPLICATE_HOST_ROUTE',
      'hostRoutes[1].prefix',
    ],
  ])('GIVEN host routes with %s WHEN the L3 is created THEN 400 %s at %s', async (_what, hostRoutes, code, path) => {
    expectApiError(await refusedL3({ cidr: '10.56.0.0/24', hostRoutes }), 400, code, { path, code });
  });

  it('GIVEN an L3 WHEN patched with 9 DNS servers THEN 400 and the L3 is unchanged; WHEN patched with 2 THEN they are stored', async () => {
    const l2 = await freshL2();
    const l3 = await srv.fx.l3(l2.uuid, '10.57.0.0/24', { dnsServers: ['1.1.1.1'] });
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('PATCH', `/v1/l3-networks/${l3.uuid}`, { dnsServers: [...eight, '10.0.0.9'] }), 400, 'TOO_MANY_DNS_SERVERS', { path: 'dnsServers' });
    await expectNothingWritten(srv.ts, before);
    const res = await srv.ts.api('PATCH', `/v1/l3-networks/${l3.uuid}`, { dnsServers: ['9.9.9.9', '1.1.1.1'] });
    expectStatus(res, 200);
    expect(res.body.dnsServers).toEqual(['9.9.9.9', '1.1.1.1']);
  });
});

describe('L3 CIDRs on one L2 (rule 12)', () => {
  it('GIVEN 10.60.0.0/24 on an L2 WHEN 10.60.0.128/25 is added to the same L2 THEN 409 L3_CIDR_OVERLAP naming the first L3', async () => {
    const l2 = await freshL2();
    const first = await srv.fx.l3(l2.uuid, '10.60.0.0/24');
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/l3-networks', { name: uniqueName('l3'), l2NetworkUuid: l2.uuid, cidr: '10.60.0.128/25' });
    expectApiError(res, 409, 'L3_CIDR_OVERLAP', {
      path: 'cidr',
      conflicting: { type: 'L3Network', uuid: first.uuid, name: first.name },
      message: ['10.60.0.128/25', '10.60.0.0/24', first.name],
    });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN 10.61.0.0/24 on an L2 WHEN 10.61.1.0/24 is added to it and 10.61.0.0/24 to another L2 THEN both succeed', async () => {
    const l2 = await freshL2();
    const other = await freshL2();
    await srv.fx.l3(l2.uuid, '10.61.0.0/24');
    await expect(srv.fx.l3(l2.uuid, '10.61.1.0/24')).resolves.toMatchObject({ cidr: '10.61.1.0/24' });
    await expect(srv.fx.l3(other.uuid, '10.61.0.0/24')).resolves.toMatchObject({ cidr: '10.61.0.0/24' });
  });
});

describe('IP ranges (rules 8-12)', () => {
  async function l3(cidr = '10.70.0.0/24', extra: Record<string, unknown> = {}) {
    const l2 = await freshL2();
    return srv.fx.l3(l2.uuid, cidr, extra);
  }

  async function refusedRange(l3Uuid: string, startIp: string, endIp: string) {
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/ip-ranges', { name: uniqueName('range'), l3NetworkUuid: l3Uuid, startIp, endIp });
    await expectNothingWritten(srv.ts, before);
    return res;
  }

  it('GIVEN a range inside the CIDR away from the gateway WHEN created THEN it carries the L3 netmask and gateway', async () => {
    const net = await l3();
    const range = await srv.fx.range(net.uuid, '10.70.0.10', '10.70.0.20');
    expect(range).toMatchObject({ l3NetworkUuid: net.uuid, startIp: '10.70.0.10', endIp: '10.70.0.20', netmask: '255.255.255.0', gateway: '10.70.0.1' });
    await expect(srv.fx.range(net.uuid, '10.70.0.30', '10.70.0.30')).resolves.toMatchObject({ startIp: '10.70.0.30', endIp: '10.70.0.30' });
  });

  it('GIVEN a range outside the CIDR WHEN created THEN 400 IP_RANGE_OUTSIDE_CIDR at startIp and endIp', async () => {
    const net = await l3();
    const res = await refusedRange(net.uuid, '10.71.0.10', '10.71.0.20');
    expectApiError(res, 400, 'RULE_VIOLATIONS', { path: 'startIp', code: 'IP_RANGE_OUTSIDE_CIDR' });
    expectApiError(res, 400, 'RULE_VIOLATIONS', { path: 'endIp', code: 'IP_RANGE_OUTSIDE_CIDR' });
  });

  it('GIVEN a range whose end leaves the CIDR WHEN created THEN 400 IP_RANGE_OUTSIDE_CIDR at endIp', async () => {
    const net = await l3('10.72.0.0/24', { gateway: '10.72.0.254' });
    expectApiError(await refusedRange(net.uuid, '10.72.0.100', '10.72.1.5'), 400, 'RULE_VIOLATIONS', { path: 'endIp', code: 'IP_RANGE_OUTSIDE_CIDR' });
  });

  it('GIVEN start after end WHEN created THEN 400 START_AFTER_END at startIp', async () => {
    const net = await l3();
    expectApiError(await refusedRange(net.uuid, '10.70.0.20', '10.70.0.10'), 400, 'START_AFTER_END', { path: 'startIp' });
  });

  it('GIVEN a range containing the gateway WHEN created THEN 400 GATEWAY_IN_IP_RANGE', async () => {
    const net = await l3('10.73.0.0/24', { gateway: '10.73.0.50' });
    expectApiError(await refusedRange(net.uuid, '10.73.0.40', '10.73.0.60'), 400, 'GATEWAY_IN_IP_RANGE', { path: 'startIp', message: ['10.73.0.50'] });
  });

  it('GIVEN a range containing the network address WHEN created THEN 400 IP_RANGE_INCLUDES_NETWORK_ADDRESS', async () => {
    const net = await l3('10.74.0.0/24', { gateway: '10.74.0.254' });
    expectApiError(await refusedRange(net.uuid, '10.74.0.0', '10.74.0.10'), 400, 'IP_RANGE_INCLUDES_NETWORK_ADDRESS', { path: 'startIp' });
  });

  it('GIVEN a range containing the broadcast address WHEN created THEN 400 IP_RANGE_INCLUDES_BROADCAST_ADDRESS', async () => {
    const net = await l3();
    expectApiError(await refusedRange(net.uuid, '10.70.0.250', '10.70.0.255'), 400, 'IP_RANGE_INCLUDES_BROADCAST_ADDRESS', { path: 'endIp' });
  });

  it('GIVEN a /31 WHEN a range covers both addresses THEN it is allowed (no network/broadcast on /31)', async () => {
    const net = await l3('10.75.0.0/31', { gateway: '10.75.0.0' });
    await expect(srv.fx.range(net.uuid, '10.75.0.1', '10.75.0.1')).resolves.toMatchObject({ startIp: '10.75.0.1' });
  });

  it.each([
    ['class D (multicast)', '224.0.0.10', '224.0.0.20', 'class D'],
    ['class E', '240.0.0.10', '240.0.0.20', 'class E'],
  ])('GIVEN a %s range in a large CIDR WHEN created THEN 400 RESERVED_ADDRESS', async (_what, start, end, kind) => {
    const net = await l3('128.0.0.0/1');
    expectApiError(await refusedRange(net.uuid, start, end), 400, 'RULE_VIOLATIONS', { path: 'startIp', code: 'RESERVED_ADDRESS', message: [kind] });
  });

  it('GIVEN a range spanning link-local space though both ends are ordinary WHEN created THEN 400 RESERVED_ADDRESS', async () => {
    const net = await l3('169.0.0.0/8');
    expectApiError(await refusedRange(net.uuid, '169.253.255.1', '169.255.0.1'), 400, 'RESERVED_ADDRESS', { path: 'startIp', message: ['169.254.0.0/16'] });
  });

  it('GIVEN a link-local range WHEN created THEN 400 RESERVED_ADDRESS', async () => {
    const net = await l3('169.0.0.0/8');
    expectApiError(await refusedRange(net.uuid, '169.254.0.10', '169.254.0.20'), 400, 'RULE_VIOLATIONS', { path: 'startIp', code: 'RESERVED_ADDRESS', message: ['link-local'] });
  });

  it('GIVEN an IPv4 start and an IPv6 end WHEN created THEN 400 IP_FAMILY_MISMATCH at endIp', async () => {
    const net = await l3();
    expectApiError(await refusedRange(net.uuid, '10.70.0.10', '2001:db8::10'), 400, 'IP_FAMILY_MISMATCH', { path: 'endIp' });
  });

  it('GIVEN an IPv6 range on an IPv4 L3 WHEN created THEN 400 IP_FAMILY_MISMATCH at startIp', async () => {
    const net = await l3();
    expectApiError(await refusedRange(net.uuid, '2001:db8::10', '2001:db8::20'), 400, 'IP_FAMILY_MISMATCH', { path: 'startIp' });
  });

  it('GIVEN addresses that are not IPs WHEN created THEN 400 INVALID_IP at both fields', async () => {
    const net = await l3();
    const res = await refusedRange(net.uuid, '10.70.0', '10.70.0.0.1');
    expectApiError(res, 400, 'RULE_VIOLATIONS', { path: 'startIp', code: 'INVALID_IP' });
    expectApiError(res, 400, 'RULE_VIOLATIONS', { path: 'endIp', code: 'INVALID_IP' });
  });

  it('GIVEN range .100-.150 WHEN .140-.160 is added to the same L3 THEN 409 IP_RANGE_OVERLAP naming both ranges', async () => {
    const net = await l3();
    const first = await srv.fx.range(net.uuid, '10.70.0.100', '10.70.0.150');
    const res = await refusedRange(net.uuid, '10.70.0.140', '10.70.0.160');
    expectApiError(res, 409, 'IP_RANGE_OVERLAP', {
      path: 'startIp',
      conflicting: { type: 'IpRange', uuid: first.uuid, name: first.name },
      message: ['10.70.0.140-10.70.0.160', first.name, first.uuid, '10.70.0.100-10.70.0.150'],
    });
  });

  it('GIVEN range .100-.150 WHEN .151-.160 is added THEN it succeeds (adjacent is not overlapping)', async () => {
    const net = await l3();
    await srv.fx.range(net.uuid, '10.70.0.100', '10.70.0.150');
    await expect(srv.fx.range(net.uuid, '10.70.0.151', '10.70.0.160')).resolves.toMatchObject({ startIp: '10.70.0.151' });
  });

  it('GIVEN the same CIDR and range on L3s of two different L2s WHEN created THEN both succeed (overlap is checked per L2)', async () => {
    const a = await l3('10.76.0.0/24');
    const b = await l3('10.76.0.0/24');
    await srv.fx.range(a.uuid, '10.76.0.10', '10.76.0.20');
    await expect(srv.fx.range(b.uuid, '10.76.0.10', '10.76.0.20')).resolves.toMatchObject({ l3NetworkUuid: b.uuid });
  });

  it('GIVEN an IPv6 L3 WHEN a range inside is created and an IP allocated THEN the IP is the first of the range', async () => {
    const net = await l3('2001:db8:77::/64');
    const range = await srv.fx.range(net.uuid, '2001:db8:77::10', '2001:db8:77::20');
    expect(range).toMatchObject({ netmask: 'ffff:ffff:ffff:ffff::', gateway: '2001:db8:77::1' });
    const ip = await srv.fx.create('ip-addresses', { l3NetworkUuid: net.uuid });
    expect(ip).toMatchObject({ ip: '2001:db8:77::10', ipRangeUuid: range.uuid });
  });
});

describe('deleting ranges and L3s with allocated IPs (rule 14)', () => {
  it('GIVEN a range with two allocated IPs WHEN deleted THEN 409 IP_RANGE_IN_USE naming the IPs; after releasing them THEN 204', async () => {
    const l2 = await freshL2();
    const l3 = await srv.fx.l3(l2.uuid, '10.80.0.0/24');
    const range = await srv.fx.range(l3.uuid, '10.80.0.10', '10.80.0.20');
    const a = await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid, usedFor: 'lb-vip' });
    const b = await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid });
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('DELETE', `/v1/ip-ranges/${range.uuid}`);

    expectApiError(res, 409, 'IP_RANGE_IN_USE', { path: 'uuid', message: [range.name, '2 allocated', `${a.ip} (lb-vip)`, b.ip] });
    await expectNothingWritten(srv.ts, before);
    expectStatus(await srv.ts.api('DELETE', `/v1/ip-addresses/${a.uuid}`), 204);
    expectStatus(await srv.ts.api('DELETE', `/v1/ip-addresses/${b.uuid}`), 204);
    expectStatus(await srv.ts.api('DELETE', `/v1/ip-ranges/${range.uuid}`), 204);
    expectApiError(await srv.ts.api('GET', `/v1/ip-ranges/${range.uuid}`), 404, 'NOT_FOUND');
  });

  it('GIVEN an L3 with a VM NIC IP WHEN deleted THEN 409 L3_IN_USE naming the IP; its ranges remain', async () => {
    const net = await srv.fx.network({ cidr: '10.81.0.0/24', range: ['10.81.0.10', '10.81.0.20'] });
    const vm = await srv.fx.vm([net.l3.uuid]);
    const before = await snapshot(srv.ts);

    const res = await srv.ts.api('DELETE', `/v1/l3-networks/${net.l3.uuid}`);

    expectApiError(res, 409, 'L3_IN_USE', { path: 'uuid', message: [net.l3.name, vm.nics[0].ip] });
    await expectNothingWritten(srv.ts, before);
    expect(await list(srv.ts, 'ip-ranges', { l3NetworkUuid: net.l3.uuid })).toHaveLength(1);
  });

  it('GIVEN an L3 with ranges and no allocated IPs WHEN deleted THEN 204 and its ranges are gone too', async () => {
    const l2 = await freshL2();
    const l3 = await srv.fx.l3(l2.uuid, '10.82.0.0/24');
    await srv.fx.range(l3.uuid, '10.82.0.10', '10.82.0.20');
    expectStatus(await srv.ts.api('DELETE', `/v1/l3-networks/${l3.uuid}`), 204);
    expect(await list(srv.ts, 'ip-ranges', { l3NetworkUuid: l3.uuid })).toEqual([]);
    expectApiError(await srv.ts.api('GET', `/v1/l3-networks/${l3.uuid}`), 404, 'NOT_FOUND', { path: 'uuid' });
  });
});
