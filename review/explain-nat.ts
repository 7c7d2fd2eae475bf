/**
 * VIPs, EIPs and port forwarding in network terms: which public address (and ports) reach
 * which VM NIC, and, for deletions, what stops reaching it.
 */
import { forwardedPorts } from '../topology/rules/vip-services';
import { linkOf, nicName, str, vmText, type ExplainInput, type KindText } from './explain-input';
import { describe, linkedTo, remains, type Topology, type TopoObject } from './topology';

/** The VIP address an EIP or forwarding rule uses: its own computed copy, else the VIP's, else the VIP by name. */
function vipAddress(t: Topology, o: TopoObject): string {
  const vip = linkOf(t, o, 'vip');
  return str(o.api.vipIp) ?? str(vip?.api.ip) ?? (vip ? `the address of VIP ${vip.name}` : 'a VIP known after apply');
}

const range = (start: number, end: number) => (end === start ? `${start}` : `${start}-${end}`);

export function explainVip({ t, o, action, updated, replacedBy }: ExplainInput): KindText {
  const l3 = linkOf(t, o, 'l3');
  const ip = str(o.api.ip);
  const users = [...linkedTo(t, 'eip', 'vip', o.key), ...linkedTo(t, 'portForwarding', 'vip', o.key)].filter(remains);
  const details: string[] = [];
  if ((action === 'create' || action === 'replace') && users.length > 0) details.push(`used by ${users.map(describe).join(', ')}`);
  if (action === 'replace' || action === 'delete') details.push('its EIP or port forwarding rules must go first');
  const summary = {
    create: `VIP ${o.name} created: ${ip ?? 'the next free address'} on ${describe(l3)}`,
    update: `VIP ${o.name} updated: ${updated}`,
    replace: `VIP ${o.name} replaced: ${replacedBy}`,
    delete: `VIP ${o.name} deleted: ${ip ?? 'its address'} on ${describe(l3)} is released`,
  }[action];
  return { summary, details };
}

export function explainEip({ t, o, action, updated, replacedBy }: ExplainInput): KindText {
  const address = vipAddress(t, o);
  const vm = vmText(t, o);
  const mapping = `${address} -> ${vm} (its ${nicName(t, o)})`;
  const guest = str(o.api.guestIp);
  const details: string[] = [];
  if (action === 'create' || action === 'replace') {
    details.push(`traffic to ${address} reaches ${guest ?? "the NIC's address"}; traffic from the NIC leaves with ${address} as its source`);
  }
  if (action === 'replace' && !o.resource?.createBeforeDestroy) details.push(`${vm} is unreachable at its EIP address while the EIP is re-created`);
  if (action === 'delete') details.push(`traffic from the NIC no longer leaves with ${address} as its source`);
  const summary = {
    create: `EIP ${o.name}: ${mapping}`,
    update: `EIP ${o.name} updated: ${updated}`,
    replace: `EIP ${o.name} replaced (${replacedBy}): ${mapping}`,
    delete: `EIP ${o.name} deleted: ${vm} is no longer reachable at ${address}`,
  }[action];
  return { summary, details };
}

/** A forwarding rule's protocol and port ranges with the API's defaults: "tcp", "8022", "22". */
export function forwardedPortsOf(o: TopoObject): { protocol: string; vip: string; guest: string } | undefined {
  const { vipPortStart, vipPortEnd, guestPortStart, guestPortEnd } = o.api;
  if (typeof vipPortStart !== 'number') return undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const p = forwardedPorts({ vipPortStart, vipPortEnd: num(vipPortEnd), guestPortStart: num(guestPortStart), guestPortEnd: num(guestPortEnd) });
  return { protocol: str(o.api.protocol)?.toLowerCase() ?? 'traffic', vip: range(p.vipStart, p.vipEnd), guest: range(p.guestStart, p.guestEnd) };
}

/** "tcp 203.0.113.11:8022", "VM web:22": both ends of a forwarding rule. */
function forwardingEnds(t: Topology, o: TopoObject): { from: string; to: string } {
  const address = vipAddress(t, o);
  const vm = vmText(t, o);
  const ports = forwardedPortsOf(o);
  if (!ports) return { from: `${str(o.api.protocol)?.toLowerCase() ?? 'traffic'} ${address}`, to: vm };
  return { from: `${ports.protocol} ${address}:${ports.vip}`, to: `${vm}:${ports.guest}` };
}

export function explainPortForwarding({ t, o, action, updated, replacedBy }: ExplainInput): KindText {
  const { from, to } = forwardingEnds(t, o);
  const cidr = str(o.api.allowedCidr);
  const sources = cidr ? ` (from ${cidr} only)` : o.empty.has('allowedCidr') ? ' (from anywhere)' : '';
  const forwards = `forwards ${from} -> ${to}${sources}`;
  const guest = str(o.api.guestIp);
  const details = action === 'delete' || action === 'update' ? [] : [`to its ${nicName(t, o)}${guest ? ` (${guest})` : ''}`];
  const summary = {
    create: `port forwarding rule ${o.name}: ${forwards}`,
    update: `port forwarding rule ${o.name} updated: ${updated}`,
    replace: `port forwarding rule ${o.name} replaced (${replacedBy}): ${forwards}`,
    delete: `port forwarding rule ${o.name} deleted: ${from} no longer reaches ${to}`,
  }[action];
  return { summary, details };
}
