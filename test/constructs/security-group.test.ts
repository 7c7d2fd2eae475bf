import { Testing, type TerraformStack } from 'cdktf';
import { L2NoVlanNetwork, L3Network, Peer, Port, SecurityGroup, SecurityGroupRule, VmInstance } from '../../constructs';
import { DataNetforgeSecurityGroup } from '../../constructs/imports/providers/netforge/data-netforge-security-group';
import { SecurityGroup as SecurityGroupResource } from '../../constructs/imports/providers/netforge/security-group';
import { SecurityGroupAttachment as AttachmentResource } from '../../constructs/imports/providers/netforge/security-group-attachment';
import { SecurityGroupRule as RuleResource } from '../../constructs/imports/providers/netforge/security-group-rule';
import { addressOf, configOf, newStack, refTo, removeTestOutdir, resolve, resourcesOf, synthValidated, zoneWithCluster } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

/** Two L3 networks with a VM on both; `withService`: the SecurityGroup provider on `a`. */
function topology(stack: TerraformStack, withService = true) {
  const { zone, cluster } = zoneWithCluster(stack);
  const l2 = new L2NoVlanNetwork(stack, 'l2', { zone, physicalInterface: 'eth1', attachedClusters: [cluster] });
  const a = new L3Network(stack, 'a', { l2Network: l2, cidr: '10.0.0.0/24', ipRanges: { r: { startIp: '10.0.0.10', endIp: '10.0.0.99' } } });
  const b = new L3Network(stack, 'b', { l2Network: l2, cidr: '10.0.1.0/24', ipRanges: { r: { startIp: '10.0.1.10', endIp: '10.0.1.99' } } });
  const sg = withService ? a.addNetworkServices('sg', { providerType: 'SecurityGroup', services: ['SecurityGroup'] }) : undefined;
  const vm = new VmInstance(stack, 'vm', { l3Networks: [a, b] });
  return { a, b, sg, vm };
}

/** A synthesized rule without its group reference. */
function withoutGroup({ security_group_uuid: _, ...rest }: Record<string, unknown>): Record<string, unknown> {
  return rest;
}

describe('SecurityGroup', () => {
  it('GIVEN a group WHEN synthesized THEN it is named after its id and exposes its uuid', () => {
    const stack = newStack();
    const web = new SecurityGroup(stack, 'web', { description: 'web servers' });
    expect(synthValidated(stack)).toHaveResourceWithProperties(SecurityGroupResource, { name: 'web', description: 'web servers' });
    expect(resolve(stack, web.securityGroupUuid)).toBe(refTo(web.resource));
    expect(web.securityGroupName).toBe('web');
    expect(web.node.defaultChild).toBe(web.resource);
  });

  it('GIVEN a bad name WHEN constructed THEN it throws naming the construct', () => {
    expect(() => new SecurityGroup(newStack(), 'web', { name: 'web"x' })).toThrow(/^stack\/web: invalid SecurityGroup\n {2}name: .*\[INVALID_NAME\]$/);
  });

  it('GIVEN SecurityGroup.fromName WHEN rules and members are added THEN a data source filters by name and they reference it', () => {
    const stack = newStack();
    const { vm } = topology(stack);
    const shared = SecurityGroup.fromName(stack, 'shared', 'shared-services');
    const rule = shared.allowFrom(Peer.ipv4('10.0.0.0/8'), Port.udp(53));
    const member = shared.addMember(vm);
    const synthesized = synthValidated(stack);
    expect(synthesized).toHaveDataSourceWithProperties(DataNetforgeSecurityGroup, { name: 'shared-services' });
    expect(shared.securityGroupName).toBe('shared-services');
    expect(resolve(stack, shared.securityGroupUuid)).toBe('${data.netforge_security_group.shared.uuid}');
    expect(configOf(synthesized, rule.resource).security_group_uuid).toBe('${data.netforge_security_group.shared.uuid}');
    expect(configOf(synthesized, member.resource).security_group_uuid).toBe('${data.netforge_security_group.shared.uuid}');
    expect(resourcesOf(synthesized, SecurityGroupResource)).toEqual({});
  });
});

describe('allowFrom / allowTo', () => {
  it('GIVEN allowFrom(Peer.securityGroup(lb), Port.tcp(443)) WHEN synthesized THEN ONE rule resource references lb with ports 443-443', () => {
    const stack = newStack();
    const web = new SecurityGroup(stack, 'web');
    const lb = new SecurityGroup(stack, 'lb');
    const rule = web.allowFrom(Peer.securityGroup(lb), Port.tcp(443), 'https from the balancers');
    const synthesized = synthValidated(stack);
    expect(Object.keys(resourcesOf(synthesized, RuleResource))).toHaveLength(1);
    expect(configOf(synthesized, rule.resource)).toEqual({
      security_group_uuid: refTo(web.resource),
      direction: 'Ingress',
      protocol: 'TCP',
      port_start: 443,
      port_end: 443,
      remote_security_group_uuid: refTo(lb.resource),
      description: 'https from the balancers',
    });
    expect(rule.node.scope).toBe(web);
    expect(web.rules).toEqual([rule]);
    expect(lb.rules).toEqual([]);
    expect(resolve(stack, rule.securityGroupRuleUuid)).toBe(refTo(rule.resource));
  });

  it('GIVEN each kind of port and peer WHEN synthesized THEN each is a rule resource of its own with the fields it implies', () => {
    const stack = newStack();
    const web = new SecurityGroup(stack, 'web');
    const rules = [
      web.allowFrom(Peer.anyIpv4(), Port.tcpRange(8000, 8080)),
      web.allowFrom(Peer.ipv4('192.168.0.0/16'), Port.icmp()),
      web.allowFrom(Peer.ipv4('192.168.0.0/16'), Port.allTcp()),
      web.allowTo(Peer.ipv4('10.1.0.0/16'), Port.udpRange(5000, 5010)),
      web.allowTo(Peer.anyIpv4(), Port.allTraffic()),
    ];
    const synthesized = synthValidated(stack);
    expect(rules.map((r) => withoutGroup(configOf(synthesized, r.resource)))).toEqual([
      { direction: 'Ingress', protocol: 'TCP', port_start: 8000, port_end: 8080, remote_cidr: '0.0.0.0/0' },
      { direction: 'Ingress', protocol: 'ICMP', remote_cidr: '192.168.0.0/16' },
      { direction: 'Ingress', protocol: 'TCP', remote_cidr: '192.168.0.0/16' },
      { direction: 'Egress', protocol: 'UDP', port_start: 5000, port_end: 5010, remote_cidr: '10.1.0.0/16' },
      { direction: 'Egress', protocol: 'ALL', remote_cidr: '0.0.0.0/0' },
    ]);
  });

  it('GIVEN the same rule twice WHEN added THEN the first is returned and there is no duplicate; the other direction is another rule', () => {
    const stack = newStack();
    const web = new SecurityGroup(stack, 'web');
    const lb = new SecurityGroup(stack, 'lb');
    const first = web.allowFrom(Peer.securityGroup(lb), Port.tcp(443));
    expect(web.allowFrom(Peer.securityGroup(lb), Port.tcpRange(443, 443), 'again')).toBe(first);
    expect(web.allowFrom(Peer.anyIpv4(), Port.icmp())).toBe(web.allowFrom(Peer.ipv4('0.0.0.0/0'), Port.icmp()));
    const egress = web.allowTo(Peer.securityGroup(lb), Port.tcp(443));
    expect(egress).not.toBe(first);
    expect(Object.keys(resourcesOf(synthValidated(stack), RuleResource))).toHaveLength(3);
  });

  it('GIVEN rules WHEN the stack is built twice THEN the construct ids and Terraform addresses are the same', () => {
    const build = () => {
      const stack = newStack();
      const web = new SecurityGroup(stack, 'web');
      const lb = new SecurityGroup(stack, 'lb');
      web.allowTo(Peer.ipv4('10.0.0.0/8'), Port.udp(53));
      web.allowFrom(Peer.securityGroup(lb), Port.tcp(443));
      return { ids: web.rules.map((r) => r.node.id), addresses: Object.keys(resourcesOf(synthValidated(stack), RuleResource)) };
    };
    const first = build();
    expect(build()).toEqual(first);
    expect(first.ids).toEqual(['to 10.0.0.0--8:udp--53', 'from stack--lb:tcp--443']);
    expect(SecurityGroupRule.idFor('Ingress', Peer.anyIpv4(), Port.allTraffic())).toBe('from 0.0.0.0/0:all traffic');
  });

  describe('invalid input throws naming the rule', () => {
    const cases: Array<[string, () => ReturnType<typeof Peer.ipv4>, () => Port, string, RegExp]> = [
      ['port 0', () => Peer.anyIpv4(), () => Port.tcp(0), 'from 0.0.0.0--0:tcp--0', /port: port must be an integer from 1 to 65535, got 0 \[INVALID_PORT\]/],
      ['port 65536', () => Peer.anyIpv4(), () => Port.udp(65536), 'from 0.0.0.0--0:udp--65536', /port: port must be an integer from 1 to 65535, got 65536 \[INVALID_PORT\]/],
      ['a reversed range', () => Peer.anyIpv4(), () => Port.tcpRange(2000, 1000), 'from 0.0.0.0--0:tcp--2000-1000', /port: port range 2000-1000 ends before it starts \[PORT_RANGE_REVERSED\]/],
      ['an IPv6 peer', () => Peer.ipv4('2001:db8::/32'), () => Port.tcp(22), 'from 2001:db8::--32:tcp--22', /peer: remote CIDR 2001:db8::\/32 is IPv6; netforge filters and forwards IPv4 only \[SECURITY_GROUP_FAMILY_MISMATCH\]/],
      ['a peer with host bits', () => Peer.ipv4('10.0.0.1/8'), () => Port.tcp(22), 'from 10.0.0.1--8:tcp--22', /peer: remote CIDR 10\.0\.0\.1\/8 has host bits set; did you mean 10\.0\.0\.0\/8\? \[INVALID_CIDR\]/],
      ['ports on ICMP', () => Peer.anyIpv4(), () => new Port({ protocol: 'ICMP', portStart: 8 }), 'from 0.0.0.0--0:icmp--8', /port: ICMP has no ports; leave port_start and port_end out \[PORTS_NOT_ALLOWED\]/],
    ];
    it.each(cases)('GIVEN %s', (_what, peer, port, id, expected) => {
      const stack = newStack();
      const web = new SecurityGroup(stack, 'web');
      const escaped = id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(() => web.allowFrom(peer(), port())).toThrow(new RegExp(`^stack/web/${escaped}: invalid SecurityGroupRule\\n {2}${expected.source}$`));
      // Nothing half-made is left behind: the next call throws again instead of returning it.
      expect(() => web.allowFrom(peer(), port())).toThrow(expected);
      expect(web.rules).toEqual([]);
      expect(resourcesOf(synthValidated(stack), RuleResource)).toEqual({});
    });
  });
});

describe('addMember', () => {
  it("GIVEN a VM WHEN it is made a member THEN an attachment resource references the group and VM, after the L3's SecurityGroup service", () => {
    const stack = newStack();
    const { a, b, sg, vm } = topology(stack);
    b.addNetworkServices('sg', { providerType: 'SecurityGroup', services: ['SecurityGroup'] });
    const web = new SecurityGroup(stack, 'web');
    const first = web.addMember(vm);
    const second = web.addMember(vm, b);
    const synthesized = synthValidated(stack);
    expect(configOf(synthesized, first.resource)).toEqual({ security_group_uuid: refTo(web.resource), vm_instance_uuid: refTo(vm.resource), depends_on: [addressOf(sg!.resource)] });
    expect(configOf(synthesized, second.resource)).toEqual(expect.objectContaining({ l3_network_uuid: refTo(b.resource) }));
    expect(web.members).toEqual([first, second]);
    expect(web.addMember(vm)).toBe(first);
    expect(Object.keys(resourcesOf(synthesized, AttachmentResource))).toHaveLength(2);
    expect(resolve(stack, first.securityGroupAttachmentUuid)).toBe(refTo(first.resource));
    expect(a.serviceAttachments).toEqual([sg]);
  });

  it('GIVEN the same NIC named two ways WHEN made a member twice THEN the second throws ALREADY_MEMBER', () => {
    const stack = newStack();
    const { a, vm } = topology(stack);
    const web = new SecurityGroup(stack, 'web');
    web.addMember(vm);
    expect(() => web.addMember(vm, a)).toThrow(/^stack\/web\/member stack--vm on stack--a: invalid SecurityGroupAttachment\n {2}securityGroup: .*already a member of this security group.*\[ALREADY_MEMBER\]$/);
  });

  it("GIVEN an L3 network without the SecurityGroup service WHEN synthesized THEN it fails with SERVICE_NOT_ATTACHED naming the membership", () => {
    const stack = newStack();
    const { vm } = topology(stack, false);
    new SecurityGroup(stack, 'web').addMember(vm);
    expect(() => synthValidated(stack)).toThrow(/\[stack\/web\/member stack--vm\] l3Network: L3 network 'a' has no SecurityGroup service.*\[SERVICE_NOT_ATTACHED\]/);
  });
});
