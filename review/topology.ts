/**
 * The topology after the planned change, as far as the plan (and, when reachable, the
 * server) tells: every netforge object the plan manages or reads, what happens to it, and
 * how objects hang together (zone, cluster, L2, L3, provider). Links are resolved through
 * known uuids, and for objects created in the same plan through the configuration's
 * references.
 */
import { OBJECTS, REVIEW_KINDS, terraformDataSources, terraformResources, type ObjectType, type ReviewKind, type SecondaryLink } from '../contract';
import { OBJECT_TYPES, TYPE_NAMES } from '../topology/model';
import { describePorts } from '../topology/rules/security-groups';
import { apiValues } from './api-values';
import { isUnknownAttr, linkedResources, type Plan, type PlannedResource } from './plan';

/** How review groups objects: the catalog's review kinds (contract/objects.ts). */
export type Kind = ReviewKind;
export { REVIEW_KINDS };
/** existing: not managed by this plan (a data source or an object found on the server). */
export type Status = 'created' | 'updated' | 'replaced' | 'deleted' | 'unchanged' | 'existing';
/** The links an object has to what it sits in or on: by the kind of that object, or a second link's own name (a router's public L3). */
export type LinkName = Kind | SecondaryLink;

export interface TopoObject {
  /** The resource address, or "uuid:<uuid>" for an object outside the plan. */
  key: string;
  address?: string;
  kind: Kind;
  /** The catalog's object type of that kind. */
  type: ObjectType;
  name: string;
  status: Status;
  /** The uuid it has now (the old one, for a replacement); absent for objects still to be created. */
  uuid?: string;
  /** Known API-shaped values after the change (before, for a deletion). */
  api: Record<string, unknown>;
  /** API fields known to be empty (null in the plan): known, unlike fields absent from `api`. */
  empty: ReadonlySet<string>;
  links: Partial<Record<LinkName, string>>;
  /** The objects its list link names, in order (a VM's L3 networks, in NIC order: LIST_LINK). */
  l3s: string[];
  resource?: PlannedResource;
  /** Found on the server (not in the plan). */
  fromServer?: boolean;
}

export interface Topology {
  objects: Map<string, TopoObject>;
  /** Keys in a stable order: plan objects by address, then outside objects by first mention. */
  order: string[];
  /** The key of the object with this uuid, looking it up on the server (when reachable) if the plan doesn't have it. */
  include(kind: Kind, uuid: string): Promise<string>;
}

/** The object type each review kind draws (the catalog gives every kind one). */
export function typeOfKind(kind: Kind): ObjectType {
  const type = OBJECT_TYPES.find((t) => OBJECTS[t].review?.kind === kind);
  if (!type) throw new Error(`no object type has review kind ${kind}`);
  return type;
}

const kindOfType = (type: ObjectType): Kind | undefined => OBJECTS[type].review?.kind;

/** Kinds of the object types the server names in violations (`conflicting.type`). */
export const KIND_OF_API_TYPE: Readonly<Record<string, Kind>> = Object.fromEntries(
  OBJECT_TYPES.flatMap((type) => {
    const kind = kindOfType(type);
    return kind ? [[TYPE_NAMES[type], kind]] : [];
  }),
);

const MANAGED: ReadonlyMap<string, ObjectType> = new Map(terraformResources().map((r) => [r.def.name, r.type]));
const READ: ReadonlyMap<string, ObjectType> = new Map(terraformDataSources().map((d) => [d.def.name, d.type]));

/** A link an attribute makes: its name on the object, and the kind of object it names. */
export interface Link {
  link: LinkName;
  kind: Kind;
}

/** Attributes that name another object (the catalog's configured references), and the link each makes. */
export const LINK_ATTRS: Readonly<Record<string, Link>> = Object.fromEntries(
  terraformResources().flatMap(({ def }) =>
    def.fields.flatMap((f) => {
      const kind = f.ref && f.kind === 'string' && f.mode !== 'computed' ? kindOfType(f.ref) : undefined;
      return kind ? [[f.tf, { link: f.linkAs ?? kind, kind }]] : [];
    }),
  ),
);

/** Per object type: the API fields that name one other object, with the link each makes. */
export const LINK_FIELDS: ReadonlyMap<ObjectType, ReadonlyArray<Link & { api: string }>> = new Map(
  OBJECT_TYPES.map((type) => [
    type,
    (OBJECTS[type].terraform?.resources ?? [])
      .flatMap((def) => def.fields)
      .flatMap((f) => (LINK_ATTRS[f.tf] ? [{ api: f.api, ...LINK_ATTRS[f.tf] }] : []))
      .filter((l, i, all) => all.findIndex((x) => x.api === l.api) === i),
  ]),
);

/** Per object type: the field that names a list of objects (a VM's L3 networks, in NIC order) and their kind. */
export const LIST_LINK: ReadonlyMap<ObjectType, { tf: string; api: string; kind: Kind }> = new Map(
  terraformResources().flatMap(({ type, def }) =>
    def.fields.flatMap((f) => {
      const kind = f.ref && f.kind === 'stringList' && f.mode !== 'computed' ? kindOfType(f.ref) : undefined;
      return kind ? [[type, { tf: f.tf, api: f.api, kind }] as const] : [];
    }),
  ),
);

/** A data source's attribute names -> API field names. */
const READ_FIELDS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  terraformDataSources().map(({ def }) => [def.name, new Map([['uuid', 'uuid'], ...[...def.filters, ...def.computed].map((f): [string, string] => [f.tf, f.api])])]),
);

/** "IP range", "L2": how review names a kind. */
export function kindLabel(kind: Kind): string {
  return OBJECTS[typeOfKind(kind)].review?.label ?? kind;
}

const STATUS_OF_ACTION: Record<string, Status> = {
  create: 'created',
  update: 'updated',
  replace: 'replaced',
  delete: 'deleted',
  'no-op': 'unchanged',
  read: 'existing',
};

/** The object type of a planned netforge resource or data source. */
export function typeOf(r: PlannedResource): ObjectType | undefined {
  return r.mode === 'managed' ? MANAGED.get(r.type) : READ.get(r.type);
}

/** Looks up objects outside the plan by uuid (the server, when reachable). */
export type ObjectLookup = (kind: Kind, uuid: string) => Promise<Record<string, unknown> | null>;

function apiOf(r: PlannedResource): { api: Record<string, unknown>; empty: Set<string> } {
  const which = r.action === 'delete' ? 'before' : 'after';
  if (r.terraform) {
    const { body, empty } = apiValues(r, which);
    const uuid = (r.before?.uuid as string | undefined) ?? (r.after?.uuid as string | undefined);
    return { api: uuid ? { ...body, uuid } : body, empty };
  }
  // Data sources: their fields as the catalog names them.
  const values = (which === 'before' ? r.before : r.after) ?? r.before ?? {};
  const names = READ_FIELDS.get(r.type) ?? new Map<string, string>();
  const api = Object.fromEntries(Object.entries(values).flatMap(([k, v]) => (names.has(k) ? [[names.get(k)!, v]] : [])));
  return { api, empty: new Set(Object.keys(api).filter((k) => api[k] === null)) };
}

export async function buildTopology(plan: Plan, lookup?: ObjectLookup): Promise<Topology> {
  const objects = new Map<string, TopoObject>();
  const order: string[] = [];
  const byUuid = new Map<string, string>();
  const add = (o: TopoObject) => {
    objects.set(o.key, o);
    order.push(o.key);
  };

  for (const r of plan.resources) {
    const type = typeOf(r);
    const kind = type && kindOfType(type);
    if (!type || !kind) continue;
    const { api, empty } = apiOf(r);
    const uuid = (r.before?.uuid as string | undefined) ?? (isUnknownAttr(r, 'uuid') ? undefined : (r.after?.uuid as string | undefined));
    add({
      key: r.address,
      address: r.address,
      kind,
      type,
      name: typeof api.name === 'string' ? api.name : r.address,
      status: r.mode === 'data' ? 'existing' : STATUS_OF_ACTION[r.action],
      uuid,
      api,
      empty,
      links: {},
      l3s: [],
      resource: r,
    });
    for (const v of [r.before?.uuid, r.after?.uuid]) if (typeof v === 'string' && v && !byUuid.has(v)) byUuid.set(v, r.address);
  }

  const outside = async (kind: Kind, uuid: string): Promise<string> => {
    const known = byUuid.get(uuid);
    if (known) return known;
    const key = `uuid:${uuid}`;
    if (!objects.has(key)) {
      const found = lookup ? await lookup(kind, uuid).catch(() => null) : null;
      add({
        key,
        kind,
        type: typeOfKind(kind),
        name: typeof found?.name === 'string' ? found.name : uuid,
        status: 'existing',
        uuid,
        api: found ?? { uuid },
        empty: new Set(),
        links: {},
        l3s: [],
        fromServer: !!found,
      });
      byUuid.set(uuid, key);
      if (found) await linkOutside(objects.get(key)!);
    }
    return key;
  };
  // Objects found on the server: link them up one level (an L2's zone, a cluster's zone, an L3's L2).
  const linkOutside = async (o: TopoObject) => {
    for (const { api, link, kind } of LINK_FIELDS.get(o.type) ?? []) {
      const uuid = o.api[api];
      if (typeof uuid === 'string' && uuid) o.links[link] = await outside(kind, uuid);
    }
    const list = LIST_LINK.get(o.type);
    const uuids = list ? o.api[list.api] : undefined;
    if (list && Array.isArray(uuids)) for (const u of uuids) if (typeof u === 'string') o.l3s.push(await outside(list.kind, u));
  };

  /** Known objects the attribute links to, one per value, when the configuration says so unambiguously. */
  const targets = (r: PlannedResource, attr: string, count: number): Array<string | undefined> => {
    const linked = linkedResources(plan, r, attr, count);
    return Array.from({ length: count }, (_, i) => (linked && objects.has(linked[i].address) ? linked[i].address : undefined));
  };

  for (const key of [...order]) {
    const o = objects.get(key)!;
    const r = o.resource;
    if (!r) continue;
    const values = (r.action === 'delete' ? r.before : r.after) ?? {};
    for (const [attr, { link, kind }] of Object.entries(LINK_ATTRS)) {
      if (!(attr in values) && !(attr in r.afterUnknown) && !(attr in (r.before ?? {}))) continue;
      const v = values[attr];
      // The planned value where it is known; the configuration only where that is unambiguous.
      if (typeof v === 'string' && v && !(r.action !== 'delete' && isUnknownAttr(r, attr))) o.links[link] = await outside(kind, v);
      else {
        const [t] = targets(r, attr, 1);
        if (t) o.links[link] = t;
      }
    }
    const listLink = LIST_LINK.get(o.type);
    if (listLink) {
      const attr = listLink.tf;
      const list = values[attr];
      const wholeUnknown = r.afterUnknown[attr] === true && r.action !== 'delete';
      const refs = r.references[attr] ?? [];
      const items = Array.isArray(list) ? list : wholeUnknown ? refs.map(() => null) : [];
      const marks = Array.isArray(r.afterUnknown[attr]) ? (r.afterUnknown[attr] as unknown[]) : [];
      const configured = targets(r, attr, items.length);
      for (let i = 0; i < items.length; i++) {
        const v = items[i];
        const unknown = wholeUnknown || marks[i] === true;
        const k = typeof v === 'string' && v && !unknown ? await outside(listLink.kind, v) : configured[i];
        if (k) o.l3s.push(k);
      }
    }
  }
  // Attachments and group rules have no name of their own: call them by what they join or allow.
  for (const key of order) {
    const o = objects.get(key)!;
    const nameOf = (k: string | undefined) => (k ? objects.get(k)?.name : undefined) ?? '(known after apply)';
    if (o.kind === 'attachment') o.name = `${nameOf(o.links.l2)} on ${nameOf(o.links.cluster)}`;
    if (o.kind === 'services') o.name = `${Array.isArray(o.api.services) ? (o.api.services as string[]).join(', ') : 'services'} on ${nameOf(o.links.l3)}`;
    if (o.kind === 'sgRule') o.name = `${nameOf(o.links.securityGroup)} ${typeof o.api.direction === 'string' ? o.api.direction.toLowerCase() : 'rule'} ${rulePorts(o)}`;
    if (o.kind === 'sgMember') o.name = `${nameOf(o.links.vm)}${o.links.l3 ? ` on ${nameOf(o.links.l3)}` : ''} in ${nameOf(o.links.securityGroup)}`;
  }
  return { objects, order, include: outside };
}

/** Objects of a kind that link to `key` through `link`. */
export function linkedTo(t: Topology, kind: Kind, link: LinkName, key: string): TopoObject[] {
  return t.order.map((k) => t.objects.get(k)!).filter((o) => o.kind === kind && o.links[link] === key);
}

/** A security group rule's protocol and ports: "tcp/22", "icmp", "all traffic". */
export function rulePorts(o: TopoObject): string {
  if (typeof o.api.protocol !== 'string') return 'traffic known after apply';
  const port = (v: unknown) => (typeof v === 'number' ? v : null);
  return describePorts(o.api.protocol, port(o.api.portStart), port(o.api.portEnd));
}

/** Is it there after the change? */
export const remains = (o: TopoObject): boolean => o.status !== 'deleted';

/** "L2 vlan-10", "IP range app-2" */
export function describe(o: TopoObject | undefined): string {
  if (!o) return 'an object known only after apply';
  return `${kindLabel(o.kind)} ${o.name}`;
}
