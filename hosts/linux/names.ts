/**
 * Names and constants the KVM backend adds to device-names.ts (which
 * names the bridges, VLAN/VXLAN devices and VM NIC host ends, shared with the Simulator).
 *
 *   VM network namespace   nfvm-<10 hex of sha1(vm uuid)>   (a "VM" is a network namespace)
 *   VM-side NIC            eth<i>, i = the NIC's device index
 *   VLAN support probe     nfchk<10 hex of sha1("vlan:<iface>:<vlan>")>, created and deleted by `check`
 *   VXLAN group            239.<vni bits 23-16>.<bits 15-8>.<bits 7-0>, UDP port 4789
 */
import { createHash } from 'node:crypto';
import { MAX_DEVICE_NAME_LENGTH } from './device-names';

export const VM_NETNS_PREFIX = 'nfvm-';
export const VM_NETNS_PATTERN = /^nfvm-[0-9a-f]{10}$/;
export const PROBE_PREFIX = 'nfchk';
/** IANA VXLAN port. */
export const VXLAN_DST_PORT = 4789;
/** Most NICs a VM may have (the API allows 16). */
export const MAX_VM_NICS = 16;
/** A MAC address as netforge writes it (lower case, colons). */
export const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
/** A VM-side interface name: eth0 to eth<MAX_VM_NICS - 1>. */
export const VM_INTERFACE_PATTERN = /^eth([0-9]|1[0-5])$/;

function sha1Hex(input: string, length: number): string {
  return createHash('sha1').update(input, 'utf8').digest('hex').slice(0, length);
}

/** The network namespace that is the VM: short, deterministic, unique per VM uuid. */
export function vmNetnsName(vmUuid: string): string {
  if (typeof vmUuid !== 'string' || vmUuid.trim() === '') throw new Error('cannot name a VM network namespace: the VM uuid is empty');
  return VM_NETNS_PREFIX + sha1Hex(vmUuid.trim().toLowerCase(), 10);
}

/** The VM-side interface of NIC number `index` (0-based). */
export function vmInterfaceName(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_VM_NICS) throw new Error(`VM NIC index ${index} is out of range 0-${MAX_VM_NICS - 1}`);
  return `eth${index}`;
}

/** Throwaway VLAN device `check` creates to learn whether the kernel supports 802.1Q. */
export function vlanProbeName(iface: string, vlan: number): string {
  return PROBE_PREFIX + sha1Hex(`vlan:${iface}:${vlan}`, MAX_DEVICE_NAME_LENGTH - PROBE_PREFIX.length);
}

/**
 * The multicast group VXLAN `vni` floods BUM traffic to: the 24 VNI bits become the low
 * three octets of 239.0.0.0/8 (administratively scoped), so two VNIs never share a group.
 */
export function vxlanGroup(vni: number): string {
  if (!Number.isInteger(vni) || vni < 1 || vni > 0xffffff) throw new Error(`VNI ${vni} cannot name a multicast group`);
  return `239.${(vni >> 16) & 0xff}.${(vni >> 8) & 0xff}.${vni & 0xff}`;
}
