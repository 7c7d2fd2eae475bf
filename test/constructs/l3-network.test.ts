import { Testing, TerraformVariable, Token, type TerraformStack } from 'cdktf';
import { IpRange, L2NoVlanNetwork, L3Network, Zone, type IL2Network } from '../../constructs';
import { DataNetforgeL3Network } from '../../constructs/imports/providers/netforge/data-netforge-l3-network';
import { IpRange as IpRangeResource } from '../../constructs/imports/providers/netforge/ip-range';
import { L2NovlanNetwork as L2NoVlanResource } from '../../constructs/imports/providers/netforge/l2-novlan-network';
import { L3Network as L3NetworkResource } from '../../constructs/imports/providers/netforge/l3-network';
import { configOf, newStack, refTo, removeTestOutdir, resolve, resourcesOf, synthScope } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

function l2In(stack: TerraformStack, id = 'l2', zone = new Zone(stack, `${id}-zone`)): L2NoVlanNetwork {
  return new L2NoVlanNetwork(stack, id, { zone, physicalInterface: 'eth0' });
}

describe('L3Network', () => {
  it('GIVEN an L2 and a CIDR WHEN synthesized THEN the L3 is named after its id, references the L2 uuid and leaves the gateway to the server', () => {
    const stack = newStack();
    const l2 = l2In(stack);
    const l3 = new L3Network(stack, 'l3-public', { l2Network: l2, cidr: '192.168.100.0/24' });
    const synthesized = Testing.synth(stack);
    expect(configOf(synthesized, l3.resource)).toEqual({ name: 'l3-public', cidr: '192.168.100.0/24', l2_network_uuid: refTo(l2.node.defaultChild as L2NoVlanResource) });
    expect(l3.gateway).toBe('192.168.100.1');
    expect(l3.node.defaultChild).toBe(l3.resource);
    expect(resolve(stack, l3.l3NetworkUuid)).toBe(refTo(l3.resource));
    expect(l2.l3Networks).toEqual([l3]);
  });

  it('GIVEN every optional field WHEN synthesized THEN each is passed through', () => {
    const synthesized = synthScope((scope) => {
      new L3Network(scope, 'l3', {
        l2Network: l2In(scope as TerraformStack),
        cidr: '10.0.0.0/24',
        gateway: '10.0.0.254',
        dnsServers: ['10.0.0.2', '10.0.0.3'],
        dnsDomain: 'corp.example',
        hostRoutes: [{ prefix: '172.16.0.0/12', nextHop: '10.0.0.1' }],
        name: 'corp',
        description: 'corporate LAN',
      });
    });
    expect(synthesized).toHaveResourceWithProperties(L3NetworkResource, {
      name: 'corp',
      cidr: '10.0.0.0/24',
      gateway: '10.0.0.254',
      dns_servers: ['10.0.0.2', '10.0.0.3'],
      dns_domain: 'corp.example',
      host_routes: [{ prefix: '172.16.0.0/12', next_hop: '10.0.0.1' }],
      description: 'corporate LAN',
    });
  });

  it('GIVEN an L2 that is not a construct of this app WHEN synthesized THEN its uuid is referenced as given', () => {
    const stack = newStack();
    const l2: IL2Network = { l2NetworkUuid: 'c0ffee00-0000-4000-8000-000000000001', l2NetworkName: 'existing' };
    const l3 = new L3Network(stack, 'l3', { l2Network: l2, cidr: '10.0.0.0/24' });
    expect(configOf(Testing.synth(stack), l3.resource).l2_network_uuid).toBe('c0ffee00-0000-4000-8000-000000000001');
  });

  it('GIVEN L3Network.fromName WHEN synthesized THEN a netforge_l3_network data source filters by name', () => {
    const stack = newStack();
    const l3 = L3Network.fromName(stack, 'existing', 'shared-services');
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveDataSourceWithProperties(DataNetforgeL3Network, { name: 'shared-services' });
    expect(l3.l3NetworkName).toBe('shared-services');
    expect(resolve(stack, l3.l3NetworkUuid)).toBe('${data.netforge_l3_network.existing.uuid}');
    expect(resourcesOf(synthesized, L3NetworkResource)).toEqual({});
  });

  describe('rules on its own fields', () => {
    const cases: Array<[string, Partial<ConstructorParameters<typeof L3Network>[2]>, RegExp]> = [
      ['an invalid CIDR', { cidr: '10.0.0.0/33' }, /cidr: "10\.0\.0\.0\/33" is not a CIDR such as 10\.0\.0\.0\/24 \[INVALID_CIDR\]/],
      ['a CIDR that is not one', { cidr: 'ten-net' }, /cidr: "ten-net" is not a CIDR .*\[INVALID_CIDR\]/],
      ['host bits set', { cidr: '10.0.0.5/24' }, /cidr: 10\.0\.0\.5\/24 has host bits set; did you mean 10\.0\.0\.0\/24\? \[CIDR_HOST_BITS_SET\]/],
      ['a link-local CIDR', { cidr: '169.254.0.0/16' }, /cidr: .* link-local .*\[RESERVED_ADDRESS\]/],
      ['a gateway outside the CIDR', { gateway: '10.0.1.1' }, /gateway: gateway 10\.0\.1\.1 is outside 10\.0\.0\.0\/24 \[GATEWAY_OUTSIDE_CIDR\]/],
      ['the network address as gateway', { gateway: '10.0.0.0' }, /gateway: .*network address.*\[GATEWAY_IS_NETWORK_ADDRESS\]/],
      ['the broadcast address as gateway', { gateway: '10.0.0.255' }, /gateway: .*broadcast address.*\[GATEWAY_IS_BROADCAST_ADDRESS\]/],
      [
        'nine DNS servers',
        { dnsServers: Array.from({ length: 9 }, (_, i) => `10.0.0.${i + 2}`) },
        /dnsServers: at most 8 DNS servers are allowed, got 9 \[TOO_MANY_DNS_SERVERS\]/,
      ],
      ['a DNS server that is not an IP', { dnsServers: ['dns.example'] }, /dnsServers\[0\]: "dns\.example" is not an IP address \[INVALID_DNS_SERVER\]/],
      ['a DNS server listed twice', { dnsServers: ['10.0.0.2', '10.0.0.2'] }, /dnsServers\[1\]: DNS server 10\.0\.0\.2 is listed twice \[DUPLICATE_DNS_SERVER\]/],
      ['a bad dnsDomain (underscore)', { dnsDomain: 'bad_domain.example' }, /dnsDomain: "bad_domain\.example" is not a valid domain name \(letters, digits and - in dot-separated labels\) \[INVALID_DNS_DOMAIN\]/],
      ['an MTU too small for IPv4', { mtu: 500 }, /mtu: MTU must be an integer from 576 to 9000, got 500 \[INVALID_MTU\]/],
      ['a bad dnsDomain (leading dash)', { dnsDomain: '-corp.example' }, /dnsDomain: .*\[INVALID_DNS_DOMAIN\]/],
      ['a host route prefix that is not a CIDR', { hostRoutes: [{ prefix: '172.16.0.0', nextHop: '10.0.0.1' }] }, /hostRoutes\[0\]\.prefix: "172\.16\.0\.0" is not a CIDR \[INVALID_HOST_ROUTE_PREFIX\]/],
      ['a host route next hop that is not an IP', { hostRoutes: [{ prefix: '172.16.0.0/12', nextHop: 'router' }] }, /hostRoutes\[0\]\.nextHop: "router" is not an IP address \[INVALID_NEXT_HOP\]/],
      ['an IPv6 next hop on an IPv4 L3', { hostRoutes: [{ prefix: '172.16.0.0/12', nextHop: 'fd00::1' }] }, /hostRoutes\[0\]\.nextHop: .*\[NEXT_HOP_FAMILY_MISMATCH\]/],
      [
        'two routes for one prefix',
        { hostRoutes: [{ prefix: '172.16.0.0/12', nextHop: '10.0.0.1' }, { prefix: '172.16.0.0/12', nextHop: '10.0.0.2' }] },
        /hostRoutes\[1\]\.prefix: more than one host route for 172\.16\.0\.0\/12 \[DUPLICATE_HOST_ROUTE\]/,
      ],
      ['a name with a quote', { name: 'l3"x' }, /name: .*\[INVALID_NAME\]/],
      ['a unicode name', { name: 'réseau' }, /name: .*\[INVALID_NAME\]/],
    ];

    it.each(cases)('GIVEN %s WHEN constructed THEN it throws naming the construct path and the field', (_label, overrides, message) => {
      const stack = newStack();
      const l2 = l2In(stack);
      expect(() => new L3Network(stack, 'l3', { l2Network: l2, cidr: '10.0.0.0/24', ...overrides })).toThrow(
        new RegExp(`^stack/l3: invalid L3Network\\n[^]*${message.source}`),
      );
      expect(l2.l3Networks).toEqual([]);
    });

    it('GIVEN eight DNS servers and a trailing-dot domain WHEN constructed THEN they are accepted', () => {
      const stack = newStack();
      expect(
        () =>
          new L3Network(stack, 'l3', {
            l2Network: l2In(stack),
            cidr: '10.0.0.0/24',
            dnsServers: Array.from({ length: 8 }, (_, i) => `10.0.0.${i + 2}`),
            dnsDomain: 'corp.example.',
          }),
      ).not.toThrow();
    });
  });

  it('GIVEN two L3s with overlapping CIDRs on one L2 WHEN the second is constructed THEN it throws naming both', () => {
    const stack = newStack();
    const l2 = l2In(stack);
    new L3Network(stack, 'wide', { l2Network: l2, cidr: '10.0.0.0/16' });
    expect(() => new L3Network(stack, 'narrow', { l2Network: l2, cidr: '10.0.5.0/24' })).toThrow(
      /^stack\/narrow: invalid L3Network\n {2}cidr: 10\.0\.5\.0\/24 overlaps 10\.0\.0\.0\/16 of L3Network 'wide' \(stack\/wide\) on the same L2 network \[L3_CIDR_OVERLAP\]$/,
    );
  });

  it('GIVEN overlapping CIDRs on different L2s, or disjoint CIDRs on one L2 WHEN constructed THEN they are accepted', () => {
    const stack = newStack();
    const a = l2In(stack, 'l2-a');
    const b = l2In(stack, 'l2-b');
    new L3Network(stack, 'a1', { l2Network: a, cidr: '10.0.0.0/24' });
    expect(() => new L3Network(stack, 'b1', { l2Network: b, cidr: '10.0.0.0/24' })).not.toThrow();
    expect(() => new L3Network(stack, 'a2', { l2Network: a, cidr: '10.0.1.0/24' })).not.toThrow();
  });
});

describe('IP ranges', () => {
  it('GIVEN ipRanges in the props WHEN synthesized THEN each range references the L3 uuid and is named after its key', () => {
    const stack = newStack();
    const l3 = new L3Network(stack, 'l3', {
      l2Network: l2In(stack),
      cidr: '192.168.100.0/24',
      ipRanges: { low: { startIp: '192.168.100.10', endIp: '192.168.100.99' }, high: { startIp: '192.168.100.150', endIp: '192.168.100.199', name: 'upper' } },
    });
    const synthesized = Testing.synth(stack);
    expect(l3.ipRanges.map((r) => r.node.id)).toEqual(['low', 'high']);
    expect(configOf(synthesized, l3.ipRanges[0].resource)).toEqual({ name: 'low', start_ip: '192.168.100.10', end_ip: '192.168.100.99', l3_network_uuid: refTo(l3.resource) });
    expect(synthesized).toHaveResourceWithProperties(IpRangeResource, { name: 'upper', start_ip: '192.168.100.150', end_ip: '192.168.100.199', l3_network_uuid: refTo(l3.resource) });
  });

  it('GIVEN addIpRange WHEN synthesized THEN the range is a child of the L3, tracked on it and references it', () => {
    const stack = newStack();
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24' });
    const range = l3.addIpRange('pool', { startIp: '10.0.0.100', endIp: '10.0.0.200' });
    const synthesized = Testing.synth(stack);
    expect(range.node.scope).toBe(l3);
    expect(l3.ipRanges).toEqual([range]);
    expect(configOf(synthesized, range.resource)).toEqual({ name: 'pool', start_ip: '10.0.0.100', end_ip: '10.0.0.200', l3_network_uuid: refTo(l3.resource) });
    expect(resolve(stack, range.ipRangeUuid)).toBe(refTo(range.resource));
  });

  it('GIVEN a single-address range WHEN added THEN it is accepted', () => {
    const stack = newStack();
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24' });
    expect(() => l3.addIpRange('one', { startIp: '10.0.0.5', endIp: '10.0.0.5' })).not.toThrow();
  });

  it.each<[string, string, string, RegExp]>([
    ['starting outside the CIDR', '10.0.1.10', '10.0.0.20', /startIp: startIp 10\.0\.1\.10 is outside the L3 network's 10\.0\.0\.0\/24 \[IP_RANGE_OUTSIDE_CIDR\]/],
    ['ending outside the CIDR', '10.0.0.10', '10.0.1.20', /endIp: endIp 10\.0\.1\.20 is outside the L3 network's 10\.0\.0\.0\/24 \[IP_RANGE_OUTSIDE_CIDR\]/],
    ['containing the gateway', '10.0.0.1', '10.0.0.20', /startIp: range 10\.0\.0\.1-10\.0\.0\.20 contains the gateway 10\.0\.0\.1 \[GATEWAY_IN_IP_RANGE\]/],
    ['reversed', '10.0.0.20', '10.0.0.10', /startIp: startIp 10\.0\.0\.20 is after endIp 10\.0\.0\.10 \[START_AFTER_END\]/],
    ['including the network address', '10.0.0.0', '10.0.0.0', /IP_RANGE_INCLUDES_NETWORK_ADDRESS/],
    ['including the broadcast address', '10.0.0.200', '10.0.0.255', /endIp: .*broadcast address.*\[IP_RANGE_INCLUDES_BROADCAST_ADDRESS\]/],
    ['with an end that is not an IP', '10.0.0.10', '10.0.0', /endIp: "10\.0\.0" is not an IP address \[INVALID_IP\]/],
    ['of IPv6 on an IPv4 L3', 'fd00::10', 'fd00::20', /startIp: .*is not IPv4 like 10\.0\.0\.0\/24 \[IP_FAMILY_MISMATCH\]/],
  ])('GIVEN a range %s WHEN added THEN it throws naming the range path and the field', (_label, startIp, endIp, message) => {
    const stack = newStack();
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24' });
    expect(() => l3.addIpRange('pool', { startIp, endIp })).toThrow(new RegExp(`^stack/l3/pool: invalid IpRange\\n[^]*${message.source}`));
    expect(l3.ipRanges).toEqual([]);
  });

  it('GIVEN an explicit gateway WHEN a range holds it THEN it is refused, and the default gateway is free for ranges', () => {
    const stack = newStack();
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24', gateway: '10.0.0.254' });
    expect(() => l3.addIpRange('low', { startIp: '10.0.0.1', endIp: '10.0.0.100' })).not.toThrow();
    expect(() => l3.addIpRange('high', { startIp: '10.0.0.200', endIp: '10.0.0.254' })).toThrow(/contains the gateway 10\.0\.0\.254 \[GATEWAY_IN_IP_RANGE\]/);
  });

  it('GIVEN a range with a bad name WHEN added THEN it throws at name', () => {
    const stack = newStack();
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24' });
    expect(() => l3.addIpRange('pool', { startIp: '10.0.0.10', endIp: '10.0.0.20', name: "o'brien" })).toThrow(/^stack\/l3\/pool: invalid IpRange\n {2}name: .*\[INVALID_NAME\]$/);
  });

  it('GIVEN two overlapping ranges in one L3 WHEN the second is added THEN it throws naming both ranges', () => {
    const stack = newStack();
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24' });
    l3.addIpRange('first', { startIp: '10.0.0.10', endIp: '10.0.0.50' });
    expect(() => l3.addIpRange('second', { startIp: '10.0.0.50', endIp: '10.0.0.60' })).toThrow(
      /^stack\/l3\/second: invalid IpRange\n {2}startIp: range 10\.0\.0\.50-10\.0\.0\.60 overlaps IpRange 'first' \(stack\/l3\/first\) 10\.0\.0\.10-10\.0\.0\.50 \[IP_RANGE_OVERLAP\]$/,
    );
    expect(l3.ipRanges.map((r) => r.node.id)).toEqual(['first']);
  });

  it('GIVEN overlapping ranges in the props WHEN constructed THEN the L3 constructor throws naming both', () => {
    const stack = newStack();
    expect(
      () =>
        new L3Network(stack, 'l3', {
          l2Network: l2In(stack),
          cidr: '10.0.0.0/24',
          ipRanges: { a: { startIp: '10.0.0.10', endIp: '10.0.0.50' }, b: { startIp: '10.0.0.20', endIp: '10.0.0.30' } },
        }),
    ).toThrow(/stack\/l3\/b: invalid IpRange\n {2}startIp: range 10\.0\.0\.20-10\.0\.0\.30 overlaps IpRange 'a' \(stack\/l3\/a\)/);
  });

  it('GIVEN adjacent ranges WHEN added THEN they are accepted', () => {
    const stack = newStack();
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24' });
    l3.addIpRange('a', { startIp: '10.0.0.10', endIp: '10.0.0.49' });
    expect(() => l3.addIpRange('b', { startIp: '10.0.0.50', endIp: '10.0.0.60' })).not.toThrow();
  });

  it('GIVEN a CIDR known only at plan time WHEN DNS servers are duplicated THEN it still throws on dnsServers (the CIDR check waits)', () => {
    const stack = newStack();
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    expect(() => new L3Network(stack, 'dns', { l2Network: l2In(stack), cidr: cidr.stringValue, dnsServers: ['10.0.0.1', '10.0.0.1'] })).toThrow(
      /^stack\/dns: invalid L3Network\n {2}dnsServers\[1\]: DNS server 10\.0\.0\.1 is listed twice \[DUPLICATE_DNS_SERVER\]$/,
    );
  });

  it('GIVEN a range on one L3 WHEN an overlapping range is added to another L3 of the same L2 (CIDR known only at plan time) THEN it throws naming both', () => {
    const stack = newStack();
    const l2 = l2In(stack);
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    const known = new L3Network(stack, 'known', { l2Network: l2, cidr: '10.0.0.0/24' });
    known.addIpRange('pool', { startIp: '10.0.0.10', endIp: '10.0.0.50' });
    const fromVariable = new L3Network(stack, 'from-variable', { l2Network: l2, cidr: cidr.stringValue });
    expect(() => fromVariable.addIpRange('pool', { startIp: '10.0.0.40', endIp: '10.0.0.45' })).toThrow(
      /^stack\/from-variable\/pool: invalid IpRange\n {2}startIp: range 10\.0\.0\.40-10\.0\.0\.45 overlaps IpRange 'pool' \(stack\/known\/pool\) 10\.0\.0\.10-10\.0\.0\.50 \[IP_RANGE_OVERLAP\]$/,
    );
  });

  it('GIVEN a range on an L3 whose CIDR is a variable WHEN an overlapping range is added to a known L3 of the same L2 THEN it throws naming both', () => {
    const stack = newStack();
    const l2 = l2In(stack);
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    const fromVariable = new L3Network(stack, 'from-variable', { l2Network: l2, cidr: cidr.stringValue });
    fromVariable.addIpRange('pool', { startIp: '10.0.0.40', endIp: '10.0.0.45' });
    const known = new L3Network(stack, 'known', { l2Network: l2, cidr: '10.0.0.0/24' });
    expect(() => known.addIpRange('pool', { startIp: '10.0.0.10', endIp: '10.0.0.50' })).toThrow(
      /^stack\/known\/pool: invalid IpRange\n {2}startIp: range 10\.0\.0\.10-10\.0\.0\.50 overlaps IpRange 'pool' \(stack\/from-variable\/pool\) 10\.0\.0\.40-10\.0\.0\.45 \[IP_RANGE_OVERLAP\]$/,
    );
  });

  it('GIVEN an L3 whose CIDR is a variable WHEN two of its own ranges overlap THEN the second is refused', () => {
    const stack = newStack();
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: cidr.stringValue });
    l3.addIpRange('a', { startIp: '10.0.0.10', endIp: '10.0.0.50' });
    expect(() => l3.addIpRange('b', { startIp: '10.0.0.20', endIp: '10.0.0.30' })).toThrow(/stack\/l3\/b: invalid IpRange\n {2}startIp: .*overlaps IpRange 'a' \(stack\/l3\/a\).*\[IP_RANGE_OVERLAP\]/);
  });

  it('GIVEN equal ranges on L3s of different L2s WHEN added THEN they are accepted', () => {
    const stack = newStack();
    const a = new L3Network(stack, 'a', { l2Network: l2In(stack, 'l2-a'), cidr: '10.0.0.0/24' });
    const b = new L3Network(stack, 'b', { l2Network: l2In(stack, 'l2-b'), cidr: '10.0.0.0/24' });
    a.addIpRange('pool', { startIp: '10.0.0.10', endIp: '10.0.0.50' });
    expect(() => b.addIpRange('pool', { startIp: '10.0.0.10', endIp: '10.0.0.50' })).not.toThrow();
  });

  it('GIVEN a range on an L3 looked up by name WHEN added THEN only its own ends are checked and it references the data source', () => {
    const stack = newStack();
    const existing = L3Network.fromName(stack, 'existing', 'shared');
    const range = new IpRange(stack, 'pool', { l3Network: existing, startIp: '10.9.0.10', endIp: '10.9.0.20' });
    expect(configOf(Testing.synth(stack), range.resource).l3_network_uuid).toBe('${data.netforge_l3_network.existing.uuid}');
    expect(() => new IpRange(stack, 'reversed', { l3Network: existing, startIp: '10.9.0.20', endIp: '10.9.0.10' })).toThrow(/stack\/reversed: invalid IpRange\n {2}startIp: .*\[START_AFTER_END\]/);
  });
});

describe('unresolved L3 and range values', () => {
  it('GIVEN CIDR, gateway, DNS and name from variables WHEN constructed THEN nothing is rejected and the references synthesize', () => {
    const stack = newStack();
    const s = (id: string) => new TerraformVariable(stack, id, { type: 'string' }).stringValue;
    const l3 = new L3Network(stack, 'l3', {
      l2Network: l2In(stack),
      cidr: s('cidr'),
      gateway: s('gateway'),
      dnsServers: [s('dns')],
      dnsDomain: s('domain'),
      hostRoutes: [{ prefix: s('prefix'), nextHop: s('hop') }],
      name: s('name'),
    });
    expect(configOf(Testing.synth(stack), l3.resource)).toEqual(
      expect.objectContaining({ cidr: '${var.cidr}', gateway: '${var.gateway}', dns_servers: ['${var.dns}'], dns_domain: '${var.domain}', name: '${var.name}' }),
    );
    expect(Token.isUnresolved(l3.gateway)).toBe(true); // the variable, not a default computed from an unknown CIDR
  });

  it('GIVEN a known CIDR and a gateway from a variable WHEN a range is added THEN the unknown gateway is not checked against it', () => {
    const stack = newStack();
    const gateway = new TerraformVariable(stack, 'gateway', { type: 'string' });
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24', gateway: gateway.stringValue });
    expect(() => l3.addIpRange('all', { startIp: '10.0.0.1', endIp: '10.0.0.254' })).not.toThrow();
  });

  it('GIVEN a CIDR from a variable WHEN a range anywhere is added THEN containment is left to plan time', () => {
    const stack = newStack();
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: cidr.stringValue });
    expect(l3.gateway).toBe('');
    expect(() => l3.addIpRange('pool', { startIp: '172.20.0.10', endIp: '172.20.0.20' })).not.toThrow();
  });

  it('GIVEN a CIDR from a variable WHEN a second L3 on the L2 is constructed THEN no CIDR overlap is reported', () => {
    const stack = newStack();
    const l2 = l2In(stack);
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    new L3Network(stack, 'a', { l2Network: l2, cidr: cidr.stringValue });
    expect(() => new L3Network(stack, 'b', { l2Network: l2, cidr: '10.0.0.0/24' })).not.toThrow();
  });

  it('GIVEN range ends from variables WHEN added next to a known range THEN no overlap or order is reported and the range still synthesizes', () => {
    const stack = newStack();
    const start = new TerraformVariable(stack, 'start', { type: 'string' });
    const end = new TerraformVariable(stack, 'end', { type: 'string' });
    const l3 = new L3Network(stack, 'l3', { l2Network: l2In(stack), cidr: '10.0.0.0/24' });
    l3.addIpRange('known', { startIp: '10.0.0.10', endIp: '10.0.0.50' });
    const unknown = l3.addIpRange('unknown', { startIp: start.stringValue, endIp: end.stringValue, name: start.stringValue });
    expect(() => l3.addIpRange('after', { startIp: '10.0.0.60', endIp: '10.0.0.70' })).not.toThrow();
    expect(configOf(Testing.synth(stack), unknown.resource)).toEqual({ name: '${var.start}', start_ip: '${var.start}', end_ip: '${var.end}', l3_network_uuid: refTo(l3.resource) });
    expect(l3.ipRanges.map((r) => r.node.id)).toEqual(['known', 'unknown', 'after']);
  });
});
