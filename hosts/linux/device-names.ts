/**
 * Deterministic Linux device names for what an L2 network and a VM NIC need on a host,
 * shared by the Simulator and the KVM realizers so both name things the same way.
 *
 * Every name fits IFNAMSIZ-1 (15 characters). The readable ZStack-style name is used
 * whenever it fits and cannot be mistaken for another network's name; otherwise a short
 * stable name is derived from a SHA-1 of the network's identity. Names are never
 * truncated, so two different networks never get the same name by cutting.
 *
 *   L2NoVlanNetwork  bridge br_<iface>
 *   L2VlanNetwork    VLAN device <iface>.<vlan>, bridge br_<iface>_<vlan>
 *   L2VxlanNetwork   VXLAN device vxlan<vni>, bridge br_vx_<vni>
 *   VM NIC           vnic<11 hex of sha1(nic uuid)>
 *
 * Fallbacks (the readable name would be ambiguous or longer than 15 characters):
 *   bridge       br_<12 hex>   of sha1("<type>:<iface>[:<vlan>]")
 *   VLAN device  vlan<11 hex>  of sha1("vlan:<iface>:<vlan>")
 */
import { createHash } from 'node:crypto';
import { CodedError } from '../../lib/coded-error';
import type { L2Network } from '../../topology/model';
import { validatePhysicalInterface, validateVlanId, validateVni } from '../../topology/rules/l2';

/** Linux IFNAMSIZ is 16 including the terminating NUL. */
export const MAX_DEVICE_NAME_LENGTH = 15;

const BRIDGE_PREFIX = 'br_';
const VXLAN_BRIDGE_PREFIX = 'br_vx_';
const VXLAN_DEVICE_PREFIX = 'vxlan';
const VLAN_HASH_PREFIX = 'vlan';
const VM_NIC_PREFIX = 'vnic';

/** What the hashed bridge names look like; a readable name of this shape is hashed too. */
const HASHED_BRIDGE = /^br_[0-9a-f]{12}$/;
/** A NoVlan interface ending in "_<digits>" would read like a VLAN or VXLAN bridge. */
const ENDS_LIKE_VLAN_SUFFIX = /_[0-9]+$/;

export interface L2DeviceNames {
  /** The Linux bridge the network's VM NICs are plugged into. */
  bridge: string;
  /** L2VlanNetwork only: the 802.1Q device on the physical interface. */
  vlanDevice?: string;
  /** L2VxlanNetwork only: the VXLAN tunnel device. */
  vxlanDevice?: string;
}

/** Thrown when an L2 network's fields can't name devices (bad interface, VLAN id or VNI). */
export class InvalidDeviceNameInputError extends CodedError<'INVALID_DEVICE_NAME_INPUT'> {
  constructor(message: string) {
    super('INVALID_DEVICE_NAME_INPUT', message);
  }
}

function sha1Hex(input: string, length: number): string {
  return createHash('sha1').update(input, 'utf8').digest('hex').slice(0, length);
}

function fitsAndUnambiguous(name: string): boolean {
  return name.length <= MAX_DEVICE_NAME_LENGTH && !HASHED_BRIDGE.test(name);
}

/** A bridge name: the readable one if `readable` allows it, else br_ + 12 hex of the identity. */
function bridgeName(readable: string, identity: string, readableAllowed = true): string {
  if (readableAllowed && fitsAndUnambiguous(readable)) return readable;
  return BRIDGE_PREFIX + sha1Hex(identity, MAX_DEVICE_NAME_LENGTH - BRIDGE_PREFIX.length);
}

function assertValid(violations: { message: string }[], l2: Pick<L2Network, 'uuid'>): void {
  if (violations.length > 0) {
    throw new InvalidDeviceNameInputError(`cannot name devices for L2 network ${l2.uuid}: ${violations.map((v) => v.message).join('; ')}`);
  }
}

/** Bridge for an L2NoVlanNetwork on `iface`: br_<iface>. */
export function noVlanBridgeName(iface: string): string {
  // "br_eth0_10" could be NoVlan on "eth0_10" or VLAN 10 on "eth0": the NoVlan one is hashed.
  return bridgeName(BRIDGE_PREFIX + iface, `L2NoVlanNetwork:${iface}`, !ENDS_LIKE_VLAN_SUFFIX.test(iface));
}

/** Bridge for VLAN `vlan` on `iface`: br_<iface>_<vlan>. */
export function vlanBridgeName(iface: string, vlan: number): string {
  // "br_vx_5" is VXLAN 5's bridge, so VLAN 5 on an interface named "vx" is hashed.
  return bridgeName(`${BRIDGE_PREFIX}${iface}_${vlan}`, `L2VlanNetwork:${iface}:${vlan}`, iface !== 'vx');
}

/** 802.1Q device for VLAN `vlan` on `iface`: <iface>.<vlan>, or vlan<11 hex> when too long. */
export function vlanDeviceName(iface: string, vlan: number): string {
  const readable = `${iface}.${vlan}`;
  if (readable.length <= MAX_DEVICE_NAME_LENGTH) return readable;
  // The hashed form has no '.', so it never equals a readable one.
  return VLAN_HASH_PREFIX + sha1Hex(`vlan:${iface}:${vlan}`, MAX_DEVICE_NAME_LENGTH - VLAN_HASH_PREFIX.length);
}

/** Bridge for VXLAN `vni`: br_vx_<vni> (at most 14 characters for the largest VNI). */
export function vxlanBridgeName(vni: number): string {
  return VXLAN_BRIDGE_PREFIX + String(vni);
}

/** VXLAN tunnel device for `vni`: vxlan<vni> (at most 13 characters). */
export function vxlanDeviceName(vni: number): string {
  return VXLAN_DEVICE_PREFIX + String(vni);
}

/**
 * The devices `l2` needs on a host. Throws InvalidDeviceNameInputError when the network's
 * fields are invalid (the names reach host commands, so nothing unvalidated gets through).
 */
export function l2DeviceNames(l2: Pick<L2Network, 'uuid' | 'type' | 'physicalInterface' | 'vlan' | 'vni'>): L2DeviceNames {
  assertValid(validatePhysicalInterface(l2.physicalInterface), l2);
  const iface = l2.physicalInterface;
  switch (l2.type) {
    case 'L2NoVlanNetwork':
      return { bridge: noVlanBridgeName(iface) };
    case 'L2VlanNetwork': {
      assertValid(validateVlanId(l2.vlan), l2);
      const vlan = l2.vlan as number;
      return { bridge: vlanBridgeName(iface, vlan), vlanDevice: vlanDeviceName(iface, vlan) };
    }
    case 'L2VxlanNetwork': {
      assertValid(validateVni(l2.vni), l2);
      const vni = l2.vni as number;
      return { bridge: vxlanBridgeName(vni), vxlanDevice: vxlanDeviceName(vni) };
    }
    default: {
      const unknownType: never = l2.type;
      throw new InvalidDeviceNameInputError(`cannot name devices for L2 network ${l2.uuid}: unknown L2 type '${String(unknownType)}'`);
    }
  }
}

/**
 * Host-side tap/veth name of a VM NIC: vnic + 11 hex of sha1(uuid). Hashed rather than a
 * uuid prefix because time-ordered uuids (v1, v7) share their leading characters.
 */
export function vmNicDeviceName(nicUuid: string): string {
  if (typeof nicUuid !== 'string' || nicUuid.trim().length === 0) {
    throw new InvalidDeviceNameInputError('cannot name a VM NIC device: the NIC uuid is empty');
  }
  return VM_NIC_PREFIX + sha1Hex(nicUuid.trim().toLowerCase(), MAX_DEVICE_NAME_LENGTH - VM_NIC_PREFIX.length);
}
