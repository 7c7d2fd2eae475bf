/** VM placement rules (topology-rules.md 19, 20). */
import type { Host } from '../model';
import { cidrsOverlap, parseCidr } from '../ip';
import { describeObject, violation, type Violation } from '../violation';

/**
 * Rule 19 (ZStack AttachedL2NetworkAllocatorFlow): hosts in clusters attached to every
 * required L2 network, and connected (a state not known yet, at synth, counts as connected).
 */
export function candidateHosts<H extends Pick<Host, 'uuid'> & Partial<Pick<Host, 'clusterUuid' | 'state'>>>(
  requiredL2Uuids: readonly string[],
  hosts: readonly H[],
  l2sByCluster: ReadonlyMap<string, ReadonlySet<string>>,
): H[] {
  return hosts.filter((h) => {
    if (h.state !== undefined && h.state !== 'Connected') return false;
    const attached = h.clusterUuid !== undefined ? l2sByCluster.get(h.clusterUuid) : undefined;
    return requiredL2Uuids.every((l2) => attached?.has(l2));
  });
}

/**
 * Rule 20: a VM's L3 networks are distinct and their CIDRs don't overlap. An entry not known
 * yet (undefined, or without a CIDR) is skipped; paths keep the position in the VM's list.
 */
export function checkVmL3Networks(l3s: ReadonlyArray<{ uuid: string; name: string; cidr?: string } | undefined>): Violation[] {
  const out: Violation[] = [];
  l3s.forEach((a, i) => {
    if (!a) return;
    for (let j = 0; j < i; j++) {
      const b = l3s[j];
      if (!b) continue;
      const ref = { type: 'L3Network', uuid: b.uuid, name: b.name };
      if (a.uuid === b.uuid) {
        out.push(violation('DUPLICATE_L3_NETWORK', `l3NetworkUuids[${i}]`, `${describeObject(ref)} is listed twice`, ref));
        continue;
      }
      const ca = a.cidr !== undefined ? parseCidr(a.cidr) : null;
      const cb = b.cidr !== undefined ? parseCidr(b.cidr) : null;
      if (ca && cb && cidrsOverlap(ca, cb)) {
        out.push(
          violation(
            'VM_L3_CIDR_OVERLAP',
            `l3NetworkUuids[${i}]`,
            `${describeObject({ type: 'L3Network', uuid: a.uuid, name: a.name })} ${a.cidr} overlaps ${describeObject(ref)} ${b.cidr}`,
            ref,
          ),
        );
      }
    }
  });
  return out;
}
