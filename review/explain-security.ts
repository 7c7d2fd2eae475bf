/**
 * Security groups in network terms: what a rule lets reach a group's members (or lets them
 * send), who joins or leaves a group, and what stops passing when rules or memberships go.
 * A NIC in no group is not filtered: leaving the last group opens it, so deletions say so.
 */
import { linkOf, str, vmNicText, type ExplainInput, type KindText } from './explain-input';
import { describe, linkedTo, remains, rulePorts, type Topology, type TopoObject } from './topology';

/** Who a rule's peers are: a CIDR, the members of a group, or anyone (neither given). */
export function rulePeers(t: Topology, o: TopoObject): { text: string; group?: TopoObject } {
  const cidr = str(o.api.remoteCidr);
  if (cidr) return { text: cidr };
  const group = linkOf(t, o, 'remoteGroup');
  if (group) return { text: `members of security group ${group.name}`, group };
  if (o.empty.has('remoteCidr') && o.empty.has('remoteSecurityGroupUuid')) return { text: 'anywhere' };
  return { text: 'peers known after apply' };
}

const isIngress = (o: TopoObject) => o.api.direction === 'Ingress';

/** "ingress tcp/22 from 0.0.0.0/0", "egress tcp/443 to members of security group db". */
export function ruleLine(t: Topology, o: TopoObject): string {
  const direction = str(o.api.direction)?.toLowerCase() ?? 'rule';
  return `${direction} ${rulePorts(o)} ${isIngress(o) ? 'from' : 'to'} ${rulePeers(t, o).text}`;
}

/** What the rule does when it is there (`on`) or gone. */
function ruleEffect(t: Topology, o: TopoObject, on: boolean): string {
  const ports = rulePorts(o);
  const peers = rulePeers(t, o);
  if (!isIngress(o)) return on ? `lets its members send ${ports} to ${peers.text}` : `its members may no longer send ${ports} to ${peers.text}`;
  if (peers.group) return on ? `allows ${ports} from ${peers.text}` : `no longer allows ${ports} from ${peers.text}`;
  return on ? `opens ${ports} to its members from ${peers.text}` : `closes ${ports} to its members from ${peers.text}`;
}

export function explainSecurityGroup({ t, o, action, updated, replacedBy }: ExplainInput): KindText {
  const rules = linkedTo(t, 'sgRule', 'securityGroup', o.key).filter(remains);
  const details: string[] = [];
  if (action === 'create') {
    details.push("a member NIC receives only what its groups' ingress rules allow (replies to allowed flows pass); DHCP and ARP always pass");
    if (rules.length > 0) details.push(`its rules in this plan: ${rules.map((r) => ruleLine(t, r)).join('; ')}`);
  }
  if (action === 'replace') details.push('its rules and members are removed and re-created with it: members in no other group are not filtered in between');
  if (action === 'delete') details.push('its rules, its members and rules of other groups naming it must go first');
  const summary = {
    create: `security group ${o.name} created`,
    update: `security group ${o.name} updated: ${updated}`,
    replace: `security group ${o.name} replaced: ${replacedBy}`,
    delete: `security group ${o.name} deleted`,
  }[action];
  return { summary, details };
}

export function explainSecurityGroupRule({ t, o, action, updated, replacedBy }: ExplainInput): KindText {
  const group = `security group ${linkOf(t, o, 'securityGroup')?.name ?? '(known after apply)'}`;
  const details: string[] = [];
  if (!isIngress(o) && (action === 'create' || action === 'replace')) details.push('once a group has egress rules, its members send only what they allow');
  if (!isIngress(o) && action === 'delete') details.push("if it was the group's last egress rule, its members send anything again (unless another of their groups has egress rules)");
  if (action === 'replace' && !o.resource?.createBeforeDestroy) details.push('what it allows is blocked between the deletion of the old rule and the creation of the new one');
  const summary = {
    create: `${group}: ${ruleEffect(t, o, true)}`,
    update: `${describe(o)} updated: ${updated}`,
    replace: `${group}: rule replaced (${replacedBy}): ${ruleEffect(t, o, true)}`,
    delete: `${group}: ${ruleEffect(t, o, false)}`,
  }[action];
  return { summary, details };
}

export function explainSecurityGroupMember({ t, o, action, updated, replacedBy }: ExplainInput): KindText {
  const groupObj = linkOf(t, o, 'securityGroup');
  const group = `security group ${groupObj?.name ?? '(known after apply)'}`;
  const nic = vmNicText(t, o);
  const details: string[] = [];
  if (action === 'create' || action === 'replace') {
    details.push("the NIC receives only what its groups' ingress rules allow");
    const ingress = groupObj ? linkedTo(t, 'sgRule', 'securityGroup', groupObj.key).filter((r) => remains(r) && isIngress(r)) : [];
    if (ingress.length > 0) details.push(`${group} lets in ${ingress.map((r) => `${rulePorts(r)} from ${rulePeers(t, r).text}`).join(', ')}`);
  }
  if (action === 'delete') details.push(`what only ${group} allowed no longer reaches it; in no group at all, the NIC is no longer filtered`);
  const summary = {
    create: `${nic} joins ${group}`,
    update: `${describe(o)} updated: ${updated}`,
    replace: `${nic} re-joins ${group} (${replacedBy})`,
    delete: `${nic} leaves ${group}`,
  }[action];
  return { summary, details };
}
