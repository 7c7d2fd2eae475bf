/** Runs a review of a loaded plan: server (or stateless) validation, explanations, diagram, verdict. */
import { resolveEndpoint } from '../client';
import { explainPlan, type HostCount } from './explain';
import type { LoadedPlan } from './load-plan';
import { renderMermaid } from './mermaid';
import { FAIL_ON, type FailOn, type Review, type ReviewChange, type ReviewWarning, type ValidationOutcome } from './model';
import { connect, hostsOfCluster, serverLookup, type Connection, type ServerOptions } from './server';
import type { ConflictEdge } from './mermaid';
import { buildTopology, KIND_OF_API_TYPE, linkedTo, REVIEW_KINDS, type Topology } from './topology';
import { validateStateless, validateWithServer } from './validate';
import { WORLD_OPEN, worldOpenWarnings } from './world-open';

export { FAIL_ON, type FailOn };

export function isFailOn(value: string): value is FailOn {
  return FAIL_ON.some((f) => f === value);
}

export const EXIT = { clean: 0, violations: 1, usage: 2, policy: 3 } as const;

export interface ReviewOptions extends ServerOptions {
  /** Don't ask the server (only stateless rules). */
  offline?: boolean;
  failOn?: FailOn[];
}

async function hostCounts(t: Topology, conn: Connection): Promise<Map<string, HostCount>> {
  const out = new Map<string, HostCount>();
  // Hosts of the plan whose cluster is known only after apply: counted nowhere, said everywhere.
  const undecided = t.order.map((k) => t.objects.get(k)!).filter((o) => o.kind === 'host' && o.status !== 'deleted' && !o.links.cluster).length;
  for (const key of t.order) {
    const cluster = t.objects.get(key)!;
    if (cluster.kind !== 'cluster') continue;
    const planHosts = linkedTo(t, 'host', 'cluster', key);
    const deleted = new Set(planHosts.filter((h) => h.status === 'deleted' && h.uuid).map((h) => h.uuid!));
    const counted = new Set<string>();
    let anonymous = 0;
    for (const h of planHosts) {
      if (h.status === 'deleted') continue;
      if (h.uuid && h.status !== 'replaced') counted.add(h.uuid);
      else anonymous++;
    }
    const isNew = cluster.status === 'created' || cluster.status === 'replaced';
    let complete = isNew;
    if (conn.reachable && cluster.uuid && !isNew) {
      for (const uuid of await hostsOfCluster(conn.client, cluster.uuid)) if (!deleted.has(uuid)) counted.add(uuid);
      complete = true;
    }
    out.set(key, { count: counted.size + anonymous, complete, undecided });
  }
  return out;
}

/** What --fail-on blocks: planned deletions or replacements, world-open ingress rules. */
function policyHits(failOn: readonly FailOn[], changes: readonly ReviewChange[], warnings: readonly ReviewWarning[]): string[] {
  const actions = changes.filter((c) => failOn.some((f) => f === c.action)).map((c) => `${c.action}: ${c.address} (${c.summary})`);
  const open = failOn.includes('world-open') ? warnings.filter((w) => w.code === WORLD_OPEN).map((w) => `world-open: ${w.address} (${w.message})`) : [];
  return [...actions, ...open];
}

export async function reviewPlan(loaded: LoadedPlan, opts: ReviewOptions = {}): Promise<Review> {
  const { plan } = loaded;
  const conn: Connection = opts.offline
    ? { reachable: false, endpoint: resolveEndpoint(opts.endpoint, opts.env), reason: '--offline' }
    : await connect(opts);
  const topology = await buildTopology(plan, conn.reachable ? serverLookup(conn.client) : undefined);
  const counts = await hostCounts(topology, conn);
  const hosts = (key: string) => counts.get(key);

  const validation: ValidationOutcome = conn.reachable ? await validateWithServer(plan, topology, conn.client) : validateStateless(plan, topology);
  // Changes are listed the way the network is built (REVIEW_KINDS' order): zones first, what hangs on VMs last.
  const changes = explainPlan(topology, hosts).sort((a, b) => REVIEW_KINDS.indexOf(a.kind) - REVIEW_KINDS.indexOf(b.kind) || (a.address < b.address ? -1 : 1));
  for (const c of changes) {
    c.violations = validation.violations.filter((v) => v.address === c.address);
    c.notes = validation.notes.get(c.address) ?? [];
  }
  // Violations in plan order, then as found.
  const position = new Map(changes.map((c, i) => [c.address, i]));
  const violations = [...validation.violations].sort((a, b) => (position.get(a.address) ?? 0) - (position.get(b.address) ?? 0));

  // The objects violations conflict with, drawn in the diagram (looked up on the server if need be).
  const conflicts: ConflictEdge[] = [];
  for (const v of violations) {
    const c = v.conflicting;
    let to = c?.address;
    const kind = c ? KIND_OF_API_TYPE[c.type] : undefined;
    if (!to && c?.uuid && kind) to = await topology.include(kind, c.uuid);
    conflicts.push({ from: v.address, to, code: v.code });
  }

  const warnings = worldOpenWarnings(topology, changes);
  const failOn = opts.failOn ?? [];
  const hits = policyHits(failOn, changes, warnings);
  const status = violations.length > 0 ? 'violations' : hits.length > 0 ? 'policy' : 'clean';
  const count = (a: string) => changes.filter((c) => c.action === a).length;
  return {
    source: loaded.source,
    terraformVersion: plan.terraformVersion,
    validation: {
      mode: conn.reachable ? 'server' : 'stateless',
      endpoint: conn.endpoint,
      ...(conn.reachable ? {} : { reason: conn.reason }),
      stateDependentRulesChecked: conn.reachable,
      changes: validation.batch,
    },
    summary: { create: count('create'), update: count('update'), replace: count('replace'), delete: count('delete'), violations: violations.length },
    changes,
    violations,
    ...(warnings.length > 0 ? { warnings } : {}),
    policy: { failOn, hits },
    mermaid: renderMermaid(topology, hosts, conflicts),
    exitCode: status === 'violations' ? EXIT.violations : status === 'policy' ? EXIT.policy : EXIT.clean,
    status,
  };
}
