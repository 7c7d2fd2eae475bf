/**
 * Ingress open to the world: a security group rule the plan creates that lets anyone in
 * (no remote CIDR and no remote group, or a /0 network). Not a rule violation, since the
 * server accepts it, but a warning a reviewer should see and CI can gate on
 * (`--fail-on world-open`). A remote CIDR or group known only after apply is not flagged:
 * it names peers, just not yet which.
 */
import { parseCidr } from '../topology/ip';
import { ruleLine } from './explain-security';
import type { ReviewChange, ReviewWarning } from './model';
import { describe, type Topology, type TopoObject } from './topology';

export const WORLD_OPEN = 'WORLD_OPEN_INGRESS';

/** Does this rule, as it is after the change, let anyone reach its group's members? */
export function isWorldOpen(o: TopoObject): boolean {
  if (o.kind !== 'sgRule' || o.status === 'deleted' || o.api.direction !== 'Ingress') return false;
  if (typeof o.api.remoteCidr === 'string') return parseCidr(o.api.remoteCidr)?.prefix === 0;
  return o.empty.has('remoteCidr') && o.empty.has('remoteSecurityGroupUuid');
}

/** One warning per world-open rule the plan creates or re-creates (rules already there are not this change's doing). */
export function worldOpenWarnings(t: Topology, changes: readonly ReviewChange[]): ReviewWarning[] {
  return changes.flatMap((c) => {
    const o = t.objects.get(c.address);
    if (!o || (c.action !== 'create' && c.action !== 'replace') || !isWorldOpen(o)) return [];
    const group = o.links.securityGroup ? t.objects.get(o.links.securityGroup) : undefined;
    const who = group ? describe(group) : 'a security group known after apply';
    return [{ address: c.address, object: describe(o), code: WORLD_OPEN, message: `${who} lets anyone in: ${ruleLine(t, o)}` }];
  });
}
