import {
  InvalidDeviceNameInputError,
  MAX_DEVICE_NAME_LENGTH,
  l2DeviceNames,
  vmNicDeviceName,
  type L2DeviceNames,
} from '../../../hosts/linux/device-names';
import type { L2Network, L2Type } from '../../../topology/model';

type L2Fields = Pick<L2Network, 'uuid' | 'type' | 'physicalInterface' | 'vlan' | 'vni'>;

function l2(type: L2Type, physicalInterface: string, vlan: number | null = null, vni: number | null = null): L2Fields {
  return { uuid: 'l2-uuid', type, physicalInterface, vlan, vni };
}

function allNames(n: L2DeviceNames): string[] {
  return [n.bridge, n.vlanDevice, n.vxlanDevice].filter((x): x is string => x !== undefined);
}

describe('l2DeviceNames: readable ZStack-style names', () => {
  it.each<[string, L2Fields, L2DeviceNames]>([
    ['NoVlan on eth0', l2('L2NoVlanNetwork', 'eth0'), { bridge: 'br_eth0' }],
    ['NoVlan on a 12-char interface', l2('L2NoVlanNetwork', 'enp3s0f1np10'), { bridge: 'br_enp3s0f1np10' }],
    ['VLAN 10 on eth0', l2('L2VlanNetwork', 'eth0', 10), { bridge: 'br_eth0_10', vlanDevice: 'eth0.10' }],
    ['VLAN 4094 on bond0', l2('L2VlanNetwork', 'bond0', 4094), { bridge: 'br_bond0_4094', vlanDevice: 'bond0.4094' }],
    ['VXLAN 5000', l2('L2VxlanNetwork', 'eth0', null, 5000), { bridge: 'br_vx_5000', vxlanDevice: 'vxlan5000' }],
    ['VXLAN at the largest VNI', l2('L2VxlanNetwork', 'eth0', null, 16777214), { bridge: 'br_vx_16777214', vxlanDevice: 'vxlan16777214' }],
  ])('GIVEN %s WHEN naming its devices THEN they are exactly the readable names', (_, input, expected) => {
    expect(l2DeviceNames(input)).toEqual(expected);
  });
});

describe('l2DeviceNames: names that would be too long or ambiguous are hashed, never truncated', () => {
  it('GIVEN NoVlan on a 13-char interface WHEN naming THEN the bridge is br_ + 12 hex, pinned so names on hosts survive upgrades', () => {
    // 'br_enp129s0f1np1' would be 16 chars.
    expect(l2DeviceNames(l2('L2NoVlanNetwork', 'enp129s0f1np1'))).toEqual({ bridge: 'br_773140ea8d19' });
  });

  it('GIVEN VLAN 4094 on a 13-char interface WHEN naming THEN bridge and VLAN device are hashed and pinned', () => {
    expect(l2DeviceNames(l2('L2VlanNetwork', 'enp129s0f1np1', 4094))).toEqual({ bridge: 'br_9f64c7946835', vlanDevice: 'vlanff6ee126027' });
  });

  it('GIVEN NoVlan on "eth0_10" and VLAN 10 on "eth0" (both would be br_eth0_10) WHEN naming THEN the VLAN keeps the readable name and the NoVlan one is hashed', () => {
    expect(l2DeviceNames(l2('L2VlanNetwork', 'eth0', 10)).bridge).toBe('br_eth0_10');
    expect(l2DeviceNames(l2('L2NoVlanNetwork', 'eth0_10')).bridge).toBe('br_d9dddd2568aa');
  });

  it('GIVEN VXLAN 5, NoVlan on "vx_5" and VLAN 5 on "vx" (all would be br_vx_5) WHEN naming THEN only VXLAN gets br_vx_5', () => {
    expect(l2DeviceNames(l2('L2VxlanNetwork', 'eth0', null, 5)).bridge).toBe('br_vx_5');
    expect(l2DeviceNames(l2('L2NoVlanNetwork', 'vx_5')).bridge).toBe('br_9be924df818e');
    expect(l2DeviceNames(l2('L2VlanNetwork', 'vx', 5))).toEqual({ bridge: 'br_4e9595ffee98', vlanDevice: 'vx.5' });
  });

  it('GIVEN NoVlan on a 12-hex-char interface (readable name looks hashed) WHEN naming THEN it is hashed so it cannot equal another hashed name', () => {
    const name = l2DeviceNames(l2('L2NoVlanNetwork', 'abcdef012345')).bridge;
    expect(name).not.toBe('br_abcdef012345');
    expect(name).toMatch(/^br_[0-9a-f]{12}$/);
  });
});

describe('l2DeviceNames: properties over many networks', () => {
  const ifaces = [
    'eth0', 'eth1', 'eth0_10', 'eth0_1', 'vx', 'vx_5', 'vx_10', 'bond0', 'bond0.100', 'eth0.5',
    'enp3s0f1np10', 'enp129s0f1np1', 'enp129s0f1np2', 'abcdef012345', 'a', 'a_1', 'a_1_2', 'x-y.z_9', 'ens1234567890ab',
  ];
  const vlans = [1, 2, 5, 10, 12, 100, 4094];
  const vnis = [1, 5, 10, 12, 100, 4094, 16777214];
  const networks: L2Fields[] = [
    ...ifaces.map((i) => l2('L2NoVlanNetwork', i)),
    ...ifaces.flatMap((i) => vlans.map((v) => l2('L2VlanNetwork', i, v))),
    ...vnis.map((v) => l2('L2VxlanNetwork', 'eth0', null, v)),
  ];

  it(`GIVEN ${networks.length} distinct networks WHEN naming them THEN every name fits ${MAX_DEVICE_NAME_LENGTH} chars and no two networks share a device name`, () => {
    const owner = new Map<string, string>();
    for (const n of networks) {
      for (const name of allNames(l2DeviceNames(n))) {
        expect(name.length).toBeLessThanOrEqual(MAX_DEVICE_NAME_LENGTH);
        const who = JSON.stringify(n);
        expect({ name, owner: owner.get(name) ?? who }).toEqual({ name, owner: who });
        owner.set(name, who);
      }
    }
  });

  it('GIVEN the same network twice WHEN naming THEN the names are identical (deterministic)', () => {
    for (const n of networks) expect(l2DeviceNames({ ...n, uuid: 'another-uuid' })).toEqual(l2DeviceNames(n));
  });
});

describe('l2DeviceNames: invalid input is refused, since names reach host commands', () => {
  it.each<[string, L2Fields, RegExp]>([
    ['a shell metacharacter in the interface', l2('L2NoVlanNetwork', 'eth0;reboot'), /physical interface name/],
    ['a 16-char interface', l2('L2NoVlanNetwork', 'eth0123456789abc'), /longer than 15/],
    ['a leading dash', l2('L2NoVlanNetwork', '-eth0'), /must start with a letter or digit/],
    ['a VLAN network without a VLAN id', l2('L2VlanNetwork', 'eth0', null), /VLAN id must be an integer/],
    ['VLAN 4095', l2('L2VlanNetwork', 'eth0', 4095), /VLAN id must be an integer from 1 to 4094, got 4095/],
    ['VNI 0', l2('L2VxlanNetwork', 'eth0', null, 0), /VNI must be an integer/],
  ])('GIVEN %s WHEN naming THEN InvalidDeviceNameInputError', (_, input, message) => {
    expect(() => l2DeviceNames(input)).toThrow(InvalidDeviceNameInputError);
    expect(() => l2DeviceNames(input)).toThrow(message);
  });
});

describe('vmNicDeviceName', () => {
  it('GIVEN a NIC uuid WHEN naming its tap THEN it is vnic + 11 hex, pinned, and case-insensitive in the uuid', () => {
    expect(vmNicDeviceName('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('vnica432dda8147');
    expect(vmNicDeviceName('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('vnica432dda8147');
  });

  it('GIVEN time-ordered uuids sharing their first 12 hex chars WHEN naming THEN the names differ and fit 15 chars', () => {
    const uuids = Array.from({ length: 500 }, (_, i) => `01890a5d-ac96-7${String(i).padStart(3, '0')}-8000-000000000000`);
    const names = uuids.map(vmNicDeviceName);
    expect(new Set(names).size).toBe(uuids.length);
    for (const n of names) expect(n).toMatch(/^vnic[0-9a-f]{11}$/);
  });

  it('GIVEN an empty uuid WHEN naming THEN it is refused', () => {
    expect(() => vmNicDeviceName(' ')).toThrow(InvalidDeviceNameInputError);
  });
});
