/**
 * What the explanation of one kind is given and gives back, for the kinds explained in
 * modules of their own (explain-nat.ts, explain-security.ts); explain.ts adds what every
 * change says (create_before_destroy).
 */
import type { ReviewChange } from './model';
import type { LinkName, Topology, TopoObject } from './topology';

export interface ExplainInput {
  t: Topology;
  o: TopoObject;
  action: ReviewChange['action'];
  /** The attributes updated in place, "name a → b, ...". */
  updated: string;
  /** Why it is replaced, in words. */
  replacedBy: string;
}

export interface KindText {
  summary: string;
  details: string[];
}

/** The object a link of `o` names, when known. */
export function linkOf(t: Topology, o: TopoObject, name: LinkName): TopoObject | undefined {
  const key = o.links[name];
  return key ? t.objects.get(key) : undefined;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** "VM web", or what stands for a VM the plan can't name yet. */
export function vmText(t: Topology, o: TopoObject): string {
  const vm = linkOf(t, o, 'vm');
  return vm ? `VM ${vm.name}` : 'a VM known after apply';
}

/**
 * The NIC an EIP, forwarding rule or membership names: "NIC on app"; with no L3 network
 * configured the API takes the VM's first NIC.
 */
export function nicName(t: Topology, o: TopoObject): string {
  const l3 = linkOf(t, o, 'l3');
  if (l3) return `NIC on ${l3.name}`;
  const configured = o.resource ? 'l3_network_uuid' in o.resource.references : false;
  return configured ? 'NIC on an L3 network known after apply' : 'first NIC';
}

/** "VM web's NIC on app". */
export function vmNicText(t: Topology, o: TopoObject): string {
  const vm = linkOf(t, o, 'vm');
  return vm ? `VM ${vm.name}'s ${nicName(t, o)}` : `the ${nicName(t, o)} of a VM known after apply`;
}
