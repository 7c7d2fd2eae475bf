/** L2 network rules (topology-rules.md 1-4, 6, 7). */
import type { Cluster, L2Network, L2Type } from '../model';
import { describeObject, violation, type Violation } from '../violation';

export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;
export const VNI_MIN = 1;
export const VNI_MAX = 16777214;
/** Linux IFNAMSIZ is 16 including the terminating NUL. */
export const INTERFACE_NAME_MAX = 15;
/**
 * Interface names reach host commands as arguments, so only a conservative charset is
 * allowed, and a leading '-' (which a command would read as an option) is refused.
 */
const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** An L2 network's own fields; values come unchecked from plans and configurations. */
export interface L2Spec {
  type: L2Type | string;
  physicalInterface: unknown;
  vlan?: unknown;
  vni?: unknown;
}

function isInteger(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

export function validateVlanId(vlan: unknown, path = 'vlan'): Violation[] {
  if (!isInteger(vlan) || vlan < VLAN_MIN || vlan > VLAN_MAX) {
    return [violation('VLAN_OUT_OF_RANGE', path, `VLAN id must be an integer from ${VLAN_MIN} to ${VLAN_MAX}, got ${String(vlan)}`)];
  }
  return [];
}

export function validateVni(vni: unknown, path = 'vni'): Violation[] {
  if (!isInteger(vni) || vni < VNI_MIN || vni > VNI_MAX) {
    return [violation('VNI_OUT_OF_RANGE', path, `VXLAN VNI must be an integer from ${VNI_MIN} to ${VNI_MAX}, got ${String(vni)}`)];
  }
  return [];
}

export function validatePhysicalInterface(name: unknown, path = 'physicalInterface'): Violation[] {
  if (typeof name !== 'string' || name.length === 0) {
    return [violation('INVALID_INTERFACE_NAME', path, 'physical interface name is required')];
  }
  if (name.length > INTERFACE_NAME_MAX) {
    return [violation('INVALID_INTERFACE_NAME', path, `physical interface name '${name}' is longer than ${INTERFACE_NAME_MAX} characters`)];
  }
  if (!INTERFACE_NAME.test(name) || name === '.' || name === '..') {
    return [
      violation(
        'INVALID_INTERFACE_NAME',
        path,
        `physical interface name ${JSON.stringify(name)} may contain only letters, digits, '_', '-' and '.', and must start with a letter or digit`,
      ),
    ];
  }
  return [];
}

/** Stateless checks of one L2 network's own fields. */
export function validateL2Spec(spec: L2Spec): Violation[] {
  const out = validatePhysicalInterface(spec.physicalInterface);
  const hasVlan = spec.vlan !== undefined && spec.vlan !== null;
  const hasVni = spec.vni !== undefined && spec.vni !== null;
  if (spec.type === 'L2VlanNetwork') out.push(...validateVlanId(spec.vlan));
  else if (hasVlan) out.push(violation('FIELD_NOT_ALLOWED', 'vlan', `vlan is only valid for L2VlanNetwork, not ${spec.type}`));
  if (spec.type === 'L2VxlanNetwork') out.push(...validateVni(spec.vni));
  else if (hasVni) out.push(violation('FIELD_NOT_ALLOWED', 'vni', `vni is only valid for L2VxlanNetwork, not ${spec.type}`));
  return out;
}

function l2Ref(l2: Pick<L2Network, 'uuid' | 'name'>) {
  return { type: 'L2Network', uuid: l2.uuid, name: l2.name };
}

/**
 * Rule 3 and 4: may `l2` be attached to `cluster`, given the L2 networks already attached
 * to it? (ZStack L2NoVlanNetwork.attachL2NetworkToCluster.)
 */
export function checkL2Attach(
  l2: Pick<L2Network, 'uuid' | 'name' | 'zoneUuid' | 'type' | 'physicalInterface' | 'vlan' | 'vni'>,
  cluster: Pick<Cluster, 'uuid' | 'name' | 'zoneUuid'>,
  attachedToCluster: ReadonlyArray<Pick<L2Network, 'uuid' | 'name' | 'type' | 'physicalInterface' | 'vlan' | 'vni'>>,
): Violation[] {
  const clusterRef = { type: 'Cluster', uuid: cluster.uuid, name: cluster.name };
  const out: Violation[] = [];
  if (l2.zoneUuid !== cluster.zoneUuid) {
    out.push(violation('ZONE_MISMATCH', 'clusterUuid', `${describeObject(l2Ref(l2))} and ${describeObject(clusterRef)} are in different zones`, clusterRef));
  }
  for (const other of attachedToCluster) {
    if (other.uuid === l2.uuid) {
      out.push(violation('L2_ALREADY_ATTACHED', 'clusterUuid', `${describeObject(l2Ref(l2))} is already attached to ${describeObject(clusterRef)}`, clusterRef));
      continue;
    }
    if (other.physicalInterface !== l2.physicalInterface) continue;
    if (l2.type === 'L2NoVlanNetwork' && other.type === 'L2NoVlanNetwork') {
      out.push(
        violation(
          'NOVLAN_INTERFACE_CONFLICT',
          'clusterUuid',
          `${describeObject(clusterRef)} already has NoVlan ${describeObject(l2Ref(other))} on interface ${l2.physicalInterface}`,
          l2Ref(other),
        ),
      );
    }
    if (l2.type === 'L2VlanNetwork' && other.type === 'L2VlanNetwork' && other.vlan === l2.vlan) {
      out.push(
        violation(
          'VLAN_CONFLICT',
          'clusterUuid',
          `${describeObject(clusterRef)} already has VLAN ${String(l2.vlan)} on interface ${l2.physicalInterface} through ${describeObject(l2Ref(other))}`,
          l2Ref(other),
        ),
      );
    }
  }
  return out;
}

/** Rule 6: a VXLAN VNI is unique within its zone. */
export function checkVniUnique(
  l2: { uuid?: string; zoneUuid: string; type: L2Type; vni?: number | null },
  existing: ReadonlyArray<Pick<L2Network, 'uuid' | 'name' | 'zoneUuid' | 'type' | 'vni'>>,
): Violation[] {
  if (l2.type !== 'L2VxlanNetwork') return [];
  const clash = existing.find((o) => o.uuid !== l2.uuid && o.type === 'L2VxlanNetwork' && o.zoneUuid === l2.zoneUuid && o.vni === l2.vni);
  return clash ? [violation('VNI_CONFLICT', 'vni', `VNI ${String(l2.vni)} is already used in this zone by ${describeObject(l2Ref(clash))}`, l2Ref(clash))] : [];
}
