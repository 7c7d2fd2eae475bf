import {
  checkL2Attach,
  checkL2Delete,
  checkL2Detach,
  checkVniUnique,
  INTERFACE_NAME_MAX,
  validateL2Spec,
  validatePhysicalInterface,
  validateVlanId,
  validateVni,
  VLAN_MAX,
  VLAN_MIN,
  VNI_MAX,
  VNI_MIN,
  type L2Network,
  type L2Spec,
} from '../../../topology';
import { codesAt, expectNames, expectWellFormed, only } from './helpers';

describe('validateVlanId() (rule 1)', () => {
  it('GIVEN the exported bounds THEN they are 1 and 4094', () => {
    expect([VLAN_MIN, VLAN_MAX]).toEqual([1, 4094]);
  });

  it.each([1, 2, 100, 4093, 4094])('GIVEN VLAN %j WHEN validating THEN no violation', (vlan) => {
    expect(validateVlanId(vlan)).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['0 (reserved)', 0],
    ['4095 (reserved)', 4095],
    ['4096', 4096],
    ['-1', -1],
    ['-0', -0],
    ['1.5', 1.5],
    ['4094.0001', 4094.0001],
    ['string "10"', '10'],
    ['string "abc"', 'abc'],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['null', null],
    ['undefined', undefined],
    ['bigint 10n', 10n],
    ['boolean true', true],
    ['array [10]', [10]],
  ])('GIVEN VLAN %s WHEN validating THEN VLAN_OUT_OF_RANGE at vlan', (_label, vlan) => {
    const vs = validateVlanId(vlan);
    expect(codesAt(vs)).toEqual(['VLAN_OUT_OF_RANGE@vlan']);
    expect(vs[0].message).toContain('1 to 4094');
    expectWellFormed(vs);
  });

  it('GIVEN a bad VLAN WHEN validating THEN the message shows what was given', () => {
    expect(validateVlanId(4095)[0].message).toContain('got 4095');
    expect(validateVlanId('10')[0].message).toContain('got 10');
  });

  it('GIVEN a custom path WHEN validating THEN the violation is reported there', () => {
    expect(codesAt(validateVlanId(0, 'segments[2].vlan'))).toEqual(['VLAN_OUT_OF_RANGE@segments[2].vlan']);
  });
});

describe('validateVni() (rule 1)', () => {
  it('GIVEN the exported bounds THEN they are 1 and 16777214', () => {
    expect([VNI_MIN, VNI_MAX]).toEqual([1, 16777214]);
  });

  it.each([1, 2, 4096, 5000, 16777213, 16777214])('GIVEN VNI %j WHEN validating THEN no violation', (vni) => {
    expect(validateVni(vni)).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['0', 0],
    ['16777215 (2^24 - 1)', 16777215],
    ['16777216 (2^24)', 16777216],
    ['-1', -1],
    ['1.5', 1.5],
    ['string "5000"', '5000'],
    ['NaN', NaN],
    ['null', null],
    ['undefined', undefined],
  ])('GIVEN VNI %s WHEN validating THEN VNI_OUT_OF_RANGE at vni', (_label, vni) => {
    const vs = validateVni(vni);
    expect(codesAt(vs)).toEqual(['VNI_OUT_OF_RANGE@vni']);
    expect(vs[0].message).toContain('1 to 16777214');
  });

  it('GIVEN a custom path WHEN validating THEN the violation is reported there', () => {
    expect(codesAt(validateVni(0, 'spec.vni'))).toEqual(['VNI_OUT_OF_RANGE@spec.vni']);
  });
});

describe('validatePhysicalInterface() (rule 2)', () => {
  it('GIVEN Linux IFNAMSIZ THEN the maximum is 15 characters', () => {
    expect(INTERFACE_NAME_MAX).toBe(15);
  });

  it.each([
    'eth0',
    'ens3f0',
    'enp0s31f6',
    'bond0',
    'bond0.100',
    'br-ex',
    'eth_1',
    'a',
    '0',
    'vxlan.calico',
    'abcdefghijklmno', // exactly 15
    'eth0.4094-trunk', // exactly 15
  ])('GIVEN interface %j WHEN validating THEN no violation', (name) => {
    expect(validatePhysicalInterface(name)).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['empty', ''],
    ['16 chars (over IFNAMSIZ-1)', 'abcdefghijklmnop'],
    ['very long', 'x'.repeat(300)],
    ['semicolon', 'eth0;reboot'],
    ['command substitution', '$(reboot)'],
    ['dollar variable', 'eth$IFS0'],
    ['backticks', '`reboot`'],
    ['pipe', 'eth0|sh'],
    ['ampersand', 'eth0&'],
    ['redirect', 'eth0>x'],
    ['glob', 'eth*'],
    ['single quote', "eth0'"],
    ['double quote', 'eth0"'],
    ['backslash', 'eth\\0'],
    ['inner space', 'eth 0'],
    ['leading space', ' eth0'],
    ['trailing space', 'eth0 '],
    ['tab', 'eth\t0'],
    ['trailing newline', 'eth0\n'],
    ['NUL byte', 'eth0\u0000'],
    ['slash', 'eth0/1'],
    ['path traversal', '../eth0'],
    ['colon alias', 'eth0:1'],
    ['leading dash (option injection)', '-eth0'],
    ['long option', '--help'],
    ['leading dot', '.eth0'],
    ['dot', '.'],
    ['dot dot', '..'],
    ['at sign (iproute2 display)', 'eth0@if2'],
    ['accented letter', 'ethé0'],
    ['fullwidth digit', 'eth０'],
    ['CJK', '网卡0'],
    ['emoji', 'eth🔥'],
    ['zero-width space', 'eth\u200b0'],
    ['RTL override', 'eth\u202e0'],
    ['non-string number', 42],
    ['null', null],
    ['undefined', undefined],
  ])('GIVEN interface name with %s WHEN validating THEN INVALID_INTERFACE_NAME at physicalInterface', (_label, name) => {
    const vs = validatePhysicalInterface(name);
    expect(codesAt(vs)).toEqual(['INVALID_INTERFACE_NAME@physicalInterface']);
    expectWellFormed(vs);
  });

  it('GIVEN 15 vs 16 characters WHEN validating THEN the boundary is at 15 and the message says so', () => {
    expect(validatePhysicalInterface('e'.repeat(15))).toEqual([]);
    expect(only(validatePhysicalInterface('e'.repeat(16)), 'INVALID_INTERFACE_NAME').message).toContain('15 characters');
  });

  it('GIVEN 15 unicode characters WHEN validating THEN refused (not only the length is checked)', () => {
    expect(codesAt(validatePhysicalInterface('é'.repeat(15)))).toEqual(['INVALID_INTERFACE_NAME@physicalInterface']);
  });

  it('GIVEN a shell payload WHEN validating THEN the message shows it quoted, with control characters escaped', () => {
    const msg = validatePhysicalInterface('eth0;rm -rf /\n')[0].message;
    expect(msg).toContain(JSON.stringify('eth0;rm -rf /\n'));
    expect(msg).not.toContain('\n');
  });

  it('GIVEN a custom path WHEN validating THEN the violation is reported there', () => {
    expect(codesAt(validatePhysicalInterface('', 'spec.nic'))).toEqual(['INVALID_INTERFACE_NAME@spec.nic']);
  });
});

describe('validateL2Spec() (rules 1, 2)', () => {
  it.each<[string, L2Spec]>([
    ['NoVlan', { type: 'L2NoVlanNetwork', physicalInterface: 'eth0' }],
    ['NoVlan with explicit nulls', { type: 'L2NoVlanNetwork', physicalInterface: 'eth0', vlan: null, vni: null }],
    ['Vlan 10', { type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 10 }],
    ['Vlan 4094 with vni null', { type: 'L2VlanNetwork', physicalInterface: 'bond0', vlan: 4094, vni: null }],
    ['Vxlan 5000', { type: 'L2VxlanNetwork', physicalInterface: 'eth1', vni: 5000 }],
    ['Vxlan max VNI', { type: 'L2VxlanNetwork', physicalInterface: 'eth1', vni: 16777214, vlan: null }],
  ])('GIVEN a valid %s spec WHEN validating THEN no violation', (_l, spec) => {
    expect(validateL2Spec(spec)).toEqual([]);
  });

  it.each<[string, L2Spec, string[]]>([
    ['Vlan without vlan', { type: 'L2VlanNetwork', physicalInterface: 'eth0' }, ['VLAN_OUT_OF_RANGE@vlan']],
    ['Vlan with vlan null', { type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: null }, ['VLAN_OUT_OF_RANGE@vlan']],
    ['Vlan 0', { type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 0 }, ['VLAN_OUT_OF_RANGE@vlan']],
    ['Vlan 4095', { type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 4095 }, ['VLAN_OUT_OF_RANGE@vlan']],
    ['Vxlan without vni', { type: 'L2VxlanNetwork', physicalInterface: 'eth0' }, ['VNI_OUT_OF_RANGE@vni']],
    ['Vxlan vni 0', { type: 'L2VxlanNetwork', physicalInterface: 'eth0', vni: 0 }, ['VNI_OUT_OF_RANGE@vni']],
    ['NoVlan with a vlan', { type: 'L2NoVlanNetwork', physicalInterface: 'eth0', vlan: 10 }, ['FIELD_NOT_ALLOWED@vlan']],
    ['NoVlan with vlan 0', { type: 'L2NoVlanNetwork', physicalInterface: 'eth0', vlan: 0 }, ['FIELD_NOT_ALLOWED@vlan']],
    ['NoVlan with a vni', { type: 'L2NoVlanNetwork', physicalInterface: 'eth0', vni: 10 }, ['FIELD_NOT_ALLOWED@vni']],
    ['Vlan with a vni', { type: 'L2VlanNetwork', physicalInterface: 'eth0', vlan: 10, vni: 10 }, ['FIELD_NOT_ALLOWED@vni']],
    ['Vxlan with a vlan', { type: 'L2VxlanNetwork', physicalInterface: 'eth0', vlan: 10, vni: 10 }, ['FIELD_NOT_ALLOWED@vlan']],
    ['bad interface', { type: 'L2NoVlanNetwork', physicalInterface: 'eth0;reboot' }, ['INVALID_INTERFACE_NAME@physicalInterface']],
    [
      'bad interface and bad vlan',
      { type: 'L2VlanNetwork', physicalInterface: '$(reboot)', vlan: 4095 },
      ['INVALID_INTERFACE_NAME@physicalInterface', 'VLAN_OUT_OF_RANGE@vlan'],
    ],
    [
      'NoVlan with vlan and vni',
      { type: 'L2NoVlanNetwork', physicalInterface: 'eth0', vlan: 1, vni: 1 },
      ['FIELD_NOT_ALLOWED@vlan', 'FIELD_NOT_ALLOWED@vni'],
    ],
  ])('GIVEN %s WHEN validating THEN exactly the listed violations (code@path)', (_l, spec, expected) => {
    const vs = validateL2Spec(spec);
    expect(codesAt(vs)).toEqual(expected);
    expectWellFormed(vs);
  });

  it('GIVEN a field that is not allowed WHEN validating THEN the message names the field and the type', () => {
    const msg = validateL2Spec({ type: 'L2NoVlanNetwork', physicalInterface: 'eth0', vlan: 10 })[0].message;
    expect(msg).toContain('vlan');
    expect(msg).toContain('L2NoVlanNetwork');
  });
});

type AttachedL2 = Pick<L2Network, 'uuid' | 'name' | 'type' | 'physicalInterface' | 'vlan' | 'vni'>;
type CandidateL2 = AttachedL2 & Pick<L2Network, 'zoneUuid'>;

const cluster = { uuid: 'cluster-uuid-1', name: 'rack-a', zoneUuid: 'zone-1' };

function l2(over: Partial<CandidateL2> & Pick<CandidateL2, 'uuid' | 'name'>): CandidateL2 {
  return { zoneUuid: 'zone-1', type: 'L2NoVlanNetwork', physicalInterface: 'eth0', vlan: null, vni: null, ...over };
}

const noVlanEth0 = l2({ uuid: 'l2-novlan-eth0', name: 'flat-eth0' });
const noVlanEth1 = l2({ uuid: 'l2-novlan-eth1', name: 'flat-eth1', physicalInterface: 'eth1' });
const vlan10Eth0 = l2({ uuid: 'l2-vlan10-eth0', name: 'prod-vlan10', type: 'L2VlanNetwork', vlan: 10 });
const vlan20Eth0 = l2({ uuid: 'l2-vlan20-eth0', name: 'prod-vlan20', type: 'L2VlanNetwork', vlan: 20 });
const vlan10Eth1 = l2({ uuid: 'l2-vlan10-eth1', name: 'dev-vlan10', type: 'L2VlanNetwork', vlan: 10, physicalInterface: 'eth1' });
const vxlan100 = l2({ uuid: 'l2-vx100', name: 'overlay-100', type: 'L2VxlanNetwork', vni: 100 });

describe('checkL2Attach() (rules 3, 4)', () => {
  it.each<[string, CandidateL2, AttachedL2[]]>([
    ['NoVlan on an empty cluster', noVlanEth0, []],
    ['Vlan on an empty cluster', vlan10Eth0, []],
    ['a second VLAN id on the same interface', l2({ ...vlan20Eth0 }), [vlan10Eth0]],
    ['the same VLAN id on another interface', vlan10Eth0, [vlan10Eth1]],
    ['a Vlan next to a NoVlan on the same interface', vlan10Eth0, [noVlanEth0]],
    ['a NoVlan next to a Vlan on the same interface', noVlanEth0, [vlan10Eth0, vlan20Eth0]],
    ['a NoVlan on another interface than an existing NoVlan', noVlanEth1, [noVlanEth0]],
    ['a Vxlan next to a NoVlan on the same interface', vxlan100, [noVlanEth0]],
    ['a Vlan next to a Vxlan on the same interface', vlan10Eth0, [vxlan100]],
    ['interface names differing only in case', l2({ uuid: 'l2-x', name: 'x', physicalInterface: 'ETH0' }), [noVlanEth0]],
  ])('GIVEN %s WHEN attaching THEN no violation', (_l, candidate, attached) => {
    expect(checkL2Attach(candidate, cluster, attached)).toEqual([]);
  });

  it('GIVEN an L2 in another zone WHEN attaching THEN ZONE_MISMATCH naming the cluster', () => {
    const candidate = l2({ uuid: 'l2-other-zone', name: 'elsewhere', zoneUuid: 'zone-2' });
    const vs = checkL2Attach(candidate, cluster, []);
    expect(codesAt(vs)).toEqual(['ZONE_MISMATCH@clusterUuid']);
    expect(vs[0].conflicting).toEqual({ type: 'Cluster', uuid: cluster.uuid, name: cluster.name });
    expectNames(vs[0].message, cluster);
    expectNames(vs[0].message, candidate);
  });

  it('GIVEN the L2 already attached WHEN attaching again THEN only L2_ALREADY_ATTACHED (not a conflict with itself)', () => {
    const vs = checkL2Attach(noVlanEth0, cluster, [noVlanEth0]);
    expect(codesAt(vs)).toEqual(['L2_ALREADY_ATTACHED@clusterUuid']);
    expect(vs[0].conflicting).toEqual({ type: 'Cluster', uuid: cluster.uuid, name: cluster.name });
    expectNames(vs[0].message, cluster);
    expectNames(vs[0].message, noVlanEth0);
  });

  it('GIVEN a NoVlan on the interface WHEN attaching a second NoVlan on it THEN NOVLAN_INTERFACE_CONFLICT naming the existing L2', () => {
    const second = l2({ uuid: 'l2-novlan-eth0-b', name: 'flat-eth0-b' });
    const vs = checkL2Attach(second, cluster, [vlan10Eth0, noVlanEth0]);
    expect(codesAt(vs)).toEqual(['NOVLAN_INTERFACE_CONFLICT@clusterUuid']);
    expect(vs[0].conflicting).toEqual({ type: 'L2Network', uuid: noVlanEth0.uuid, name: noVlanEth0.name });
    expectNames(vs[0].message, noVlanEth0);
    expectNames(vs[0].message, cluster);
    expect(vs[0].message).toContain('eth0');
  });

  it('GIVEN VLAN 10 on eth0 WHEN attaching another VLAN 10 on eth0 THEN VLAN_CONFLICT naming the existing L2', () => {
    const dup = l2({ uuid: 'l2-vlan10-eth0-b', name: 'prod-vlan10-b', type: 'L2VlanNetwork', vlan: 10 });
    const vs = checkL2Attach(dup, cluster, [noVlanEth0, vlan20Eth0, vlan10Eth0, vlan10Eth1]);
    expect(codesAt(vs)).toEqual(['VLAN_CONFLICT@clusterUuid']);
    expect(vs[0].conflicting).toEqual({ type: 'L2Network', uuid: vlan10Eth0.uuid, name: vlan10Eth0.name });
    expectNames(vs[0].message, vlan10Eth0);
    expectNames(vs[0].message, cluster);
    expect(vs[0].message).toContain('VLAN 10');
  });

  it('GIVEN several problems WHEN attaching THEN each is reported', () => {
    const dup = l2({ uuid: 'l2-dup', name: 'dup', type: 'L2VlanNetwork', vlan: 10, zoneUuid: 'zone-9' });
    const vs = checkL2Attach(dup, cluster, [vlan10Eth0]);
    expect(codesAt(vs)).toEqual(['ZONE_MISMATCH@clusterUuid', 'VLAN_CONFLICT@clusterUuid']);
    expectWellFormed(vs);
  });
});

describe('checkVniUnique() (rule 6)', () => {
  const existing = [
    vxlan100,
    l2({ uuid: 'l2-vx200-z2', name: 'overlay-200-z2', type: 'L2VxlanNetwork', vni: 200, zoneUuid: 'zone-2' }),
    l2({ uuid: 'l2-vlan300', name: 'weird-vlan', type: 'L2VlanNetwork', vlan: 300, vni: 300 }),
  ];

  it.each<[string, Parameters<typeof checkVniUnique>[0]]>([
    ['a new VNI', { zoneUuid: 'zone-1', type: 'L2VxlanNetwork', vni: 101 }],
    ['a VNI used only in another zone', { zoneUuid: 'zone-1', type: 'L2VxlanNetwork', vni: 200 }],
    ['the same L2 updated in place', { uuid: vxlan100.uuid, zoneUuid: 'zone-1', type: 'L2VxlanNetwork', vni: 100 }],
    ['a number held by a non-VXLAN L2 only', { zoneUuid: 'zone-1', type: 'L2VxlanNetwork', vni: 300 }],
    ['a non-VXLAN L2', { zoneUuid: 'zone-1', type: 'L2VlanNetwork', vni: 100 }],
  ])('GIVEN %s WHEN checking THEN no violation', (_l, candidate) => {
    expect(checkVniUnique(candidate, existing)).toEqual([]);
  });

  it.each<[string, Parameters<typeof checkVniUnique>[0]]>([
    ['a new L2 without uuid', { zoneUuid: 'zone-1', type: 'L2VxlanNetwork', vni: 100 }],
    ['another L2', { uuid: 'l2-new', zoneUuid: 'zone-1', type: 'L2VxlanNetwork', vni: 100 }],
  ])('GIVEN VNI 100 taken in the zone WHEN checking %s THEN VNI_CONFLICT naming the holder', (_l, candidate) => {
    const vs = checkVniUnique(candidate, existing);
    expect(codesAt(vs)).toEqual(['VNI_CONFLICT@vni']);
    expect(vs[0].conflicting).toEqual({ type: 'L2Network', uuid: vxlan100.uuid, name: vxlan100.name });
    expectNames(vs[0].message, vxlan100);
    expect(vs[0].message).toContain('100');
  });
});

describe('checkL2Delete() (rule 7)', () => {
  const target = { uuid: 'l2-uuid-9', name: 'prod-vlan10' };

  it('GIVEN an L2 without L3 networks WHEN deleting THEN no violation', () => {
    expect(checkL2Delete(target, [])).toEqual([]);
  });

  it('GIVEN an L2 with two L3 networks WHEN deleting THEN L2_IN_USE for each, naming it', () => {
    const l3s = [
      { uuid: 'l3-a', name: 'web' },
      { uuid: 'l3-b', name: 'db' },
    ];
    const vs = checkL2Delete(target, l3s);
    expect(codesAt(vs)).toEqual(['L2_IN_USE@uuid', 'L2_IN_USE@uuid']);
    vs.forEach((v, i) => {
      expect(v.conflicting).toEqual({ type: 'L3Network', ...l3s[i] });
      expectNames(v.message, l3s[i]);
      expectNames(v.message, target);
    });
  });
});

describe('checkL2Detach() (rule 7)', () => {
  const target = { uuid: 'l2-uuid-9', name: 'prod-vlan10' };
  const c = { uuid: 'cluster-uuid-1', name: 'rack-a' };

  it('GIVEN no VMs in the cluster WHEN detaching THEN no violation', () => {
    expect(checkL2Detach(target, c, [])).toEqual([]);
  });

  it('GIVEN running VMs WHEN detaching THEN L2_IN_USE_BY_VMS for each, naming VM, L2 and cluster', () => {
    const vms = [
      { uuid: 'vm-1', name: 'web-1' },
      { uuid: 'vm-2', name: 'web-2' },
    ];
    const vs = checkL2Detach(target, c, vms);
    expect(codesAt(vs)).toEqual(['L2_IN_USE_BY_VMS@clusterUuid', 'L2_IN_USE_BY_VMS@clusterUuid']);
    vs.forEach((v, i) => {
      expect(v.conflicting).toEqual({ type: 'VmInstance', ...vms[i] });
      expectNames(v.message, vms[i]);
      expectNames(v.message, target);
      expectNames(v.message, c);
    });
  });
});
