/**
 * The planned topology as the rule evaluator sees it (topology/evaluator): every object
 * that remains after the change, keyed by its topology key (address, or uuid:<uuid>), its
 * links pointing at the keys of what it sits on, values not known before apply left out.
 * Objects the plan creates are complete: nothing outside the plan can refer to them yet.
 */
import { parseCidr } from '../topology/ip';
import { canonicalManagementIp } from '../topology/rules/hosts';
import { defaultGateway } from '../topology/rules/l3';
import { Snapshot, type Known } from '../topology/evaluator';
import { terraformResources, type ObjectType } from '../contract';
import { LINK_ATTRS, remains, type Kind, type Topology, type TopoObject } from './topology';

/** API fields of each object type that link to another object, with the kind they link to. */
const LINK_FIELDS = new Map<ObjectType, Array<{ api: string; kind: Kind }>>();
for (const { type, def } of terraformResources()) {
  const fields = LINK_FIELDS.get(type) ?? [];
  for (const f of def.fields) {
    const kind = LINK_ATTRS[f.tf];
    if (kind && !fields.some((x) => x.api === f.api)) fields.push({ api: f.api, kind });
  }
  LINK_FIELDS.set(type, fields);
}

/** What the rules know of one object. */
function knownOf(o: TopoObject): Record<string, unknown> & { uuid: string } {
  const known: Record<string, unknown> = { ...o.api };
  for (const field of o.empty) known[field] = null;
  for (const { api, kind } of LINK_FIELDS.get(o.type) ?? []) known[api] = o.links[kind];
  if (o.kind === 'vm') {
    const count = Array.isArray(o.api.l3NetworkUuids) ? o.api.l3NetworkUuids.length : o.resource ? (o.resource.references.l3_network_uuids ?? []).length : 0;
    known.l3NetworkUuids = o.l3s.length === count && count > 0 ? [...o.l3s] : undefined;
  }
  // The gateway the server picks when the configuration leaves it out.
  if (o.type === 'l3Network' && known.gateway === undefined && typeof known.cidr === 'string' && parseCidr(known.cidr)) known.gateway = defaultGateway(known.cidr);
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
