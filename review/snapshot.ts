/**
 * The planned topology as the rule evaluator sees it (topology/evaluator): every object
 * that remains after the change, keyed by its topology key (address, or uuid:<uuid>), its
 * links pointing at the keys of what it sits on, values not known before apply left out.
 * Objects the plan creates are complete: nothing outside the plan can refer to them yet.
 */
import { canonicalManagementIp } from '../topology/rules/hosts';
import { gatewayOf } from '../topology/rules/l3';
import { Snapshot, type Known } from '../topology/evaluator';
import type { ObjectType } from '../contract';
import { LINK_FIELDS, LIST_LINK, remains, type Topology, type TopoObject } from './topology';

/** What the rules know of one object. */
function knownOf(o: TopoObject): Record<string, unknown> & { uuid: string } {
  const known: Record<string, unknown> = { ...o.api };
  for (const field of o.empty) known[field] = null;
  for (const { api, link } of LINK_FIELDS.get(o.type) ?? []) known[api] = o.links[link];
  const list = LIST_LINK.get(o.type);
  if (list) {
    const given = o.api[list.api];
    const count = Array.isArray(given) ? given.length : o.resource ? (o.resource.references[list.tf] ?? []).length : 0;
    known[list.api] = o.l3s.length === count && count > 0 ? [...o.l3s] : undefined;
  }
  // The gateway the server picks when the configuration leaves it out.
  if (o.type === 'l3Network' && known.gateway === undefined && typeof known.cidr === 'string') known.gateway = gatewayOf(known.cidr);
  if (typeof known.managementIp === 'string') known.managementIp = canonicalManagementIp(known.managementIp) ?? known.managementIp;
  for (const [k, v] of Object.entries(known)) if (v === undefined) delete known[k];
  return { ...known, uuid: o.key };
}

/** The objects there after the change, for the rules. */
export function snapshotOf(topology: Topology): Snapshot {
  const snapshot = new Snapshot('this plan');
  for (const key of topology.order) {
    const o = topology.objects.get(key)!;
    if (!remains(o)) continue;
    // The plan's values are typed by the provider's schema (Terraform checked them), not by
    // the compiler: this is where they enter the typed rules.
    snapshot.add(o.type, knownOf(o) as Known<ObjectType>, { complete: o.status === 'created' || o.status === 'replaced' });
  }
  return snapshot;
}
