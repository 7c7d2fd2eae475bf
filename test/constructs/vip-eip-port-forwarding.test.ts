import { Testing, type TerraformStack } from 'cdktf';
import { Eip, L2NoVlanNetwork, L3Network, PortForwarding, Vip, VmInstance } from '../../constructs';
import { DataNetforgeVip } from '../../constructs/imports/providers/netforge/data-netforge-vip';
import { Eip as EipResource } from '../../constructs/imports/providers/netforge/eip';
import { PortForwardingRule as PortForwardingRuleResource } from '../../constructs/imports/providers/netforge/port-forwarding-rule';
import { Vip as VipResource } from '../../constructs/imports/providers/netforge/vip';
import { addressOf, configOf, newStack, refTo, removeTestOutdir, resolve, resourcesOf, synthValidated, zoneWithCluster } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

/** A guest network with a VM, and a public network with a range for VIPs; both on the one cluster. No services yet. */
function topology(stack: TerraformStack) {
  const { zone, cluster } = zoneWithCluster(stack);
  const uplink = new L2NoVlanNetwork(stack, 'uplink', { zone, physicalInterface: 'eth2', attachedClusters: [cluster] });
  const lan = new L2NoVlanNetwork(stack, 'lan', { zone, physicalInterface: 'eth1', attachedClusters: [cluster] });
  const pub = new L3Network(stack, 'pub', { l2Network: uplink, cidr: '203.0.113.0/24', ipRanges: { r: { startIp: '203.0.113.10', endIp: '203.0.113.99' } } });
  const guest = new L3Network(stack, 'guest', { l2Network: lan, cidr: '10.0.0.0/24', ipRanges: { r: { startIp: '10.0.0.10', endIp: '10.0.0.99' } } });
  const vm = new VmInstance(stack, 'vm', { l3Networks: [guest] });
  return { zone, cluster, lan, pub, guest, vm };
}

/** The virtual router of `guest`, leaving through `pub`, with EIP and port forwarding. */
function withRouter(guest: L3Network, pub: L3Network) {
  return guest.addNetworkServices('vr', { providerType: 'VirtualRouter', services: ['DHCP', 'SNAT', 'EIP', 'PortForwarding'], publicNetwork: pub });
}

describe('Vip', () => {
  it('GIVEN an L3 network WHEN synthesized THEN the VIP is named after its id, references it and depends on its ranges', () => {
    const stack = newStack();
    const { pub } = topology(stack);
    const vip = new Vip(stack, 'web-vip', { l3Network: pub });
    const config = configOf(synthValidated(stack), vip.resource);
    expect(config).toEqual(expect.objectContaining({ name: 'web-vip', l3_network_uuid: refTo(pub.resource) }));
    expect(config.ip).toBeUndefined();
    expect(config.depends_on).toEqual([addressOf(pub.ipRanges[0].resource)]);
    expect(resolve(stack, vip.vipUuid)).toBe(refTo(vip.resource));
    expect(resolve(stack, vip.ip)).toBe(refTo(vip.resource, 'ip'));
    expect(vip.node.defaultChild).toBe(vip.resource);
  });

  it('GIVEN an address, name and description WHEN synthesized THEN they are sent', () => {
    const stack = newStack();
    const { pub } = topology(stack);
    new Vip(stack, 'vip', { l3Network: pub, ip: '203.0.113.50', name: 'web', description: 'the web address' });
    expect(synthValidated(stack)).toHaveResourceWithProperties(VipResource, { name: 'web', ip: '203.0.113.50', description: 'the web address' });
  });

  it('GIVEN an address not in canonical form or a bad name WHEN constructed THEN it throws naming the construct', () => {
    const stack = newStack();
    const { pub } = topology(stack);
    expect(() => new Vip(stack, 'bad-ip', { l3Network: pub, ip: '203.0.113.050' })).toThrow(/^stack\/bad-ip: invalid Vip\n {2}ip: .*\[INVALID_IP\]$/);
    expect(() => new Vip(stack, 'bad-name', { l3Network: pub, name: 'web;x' })).toThrow(/^stack\/bad-name: invalid Vip\n {2}name: .*\[INVALID_NAME\]$/);
  });

  it('GIVEN Vip.fromName WHEN synthesized THEN a netforge_vip data source filters by name and an EIP can use it', () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    withRouter(guest, pub);
    const vip = Vip.fromName(stack, 'existing', 'shared-vip');
    const eip = new Eip(stack, 'eip', { vip, vm });
    const synthesized = synthValidated(stack);
    expect(synthesized).toHaveDataSourceWithProperties(DataNetforgeVip, { name: 'shared-vip' });
    expect(vip.vipName).toBe('shared-vip');
    expect(resolve(stack, vip.vipUuid)).toBe('${data.netforge_vip.existing.uuid}');
    expect(resolve(stack, vip.ip)).toBe('${data.netforge_vip.existing.ip}');
    expect(configOf(synthesized, eip.resource).vip_uuid).toBe('${data.netforge_vip.existing.uuid}');
    expect(resourcesOf(synthesized, VipResource)).toEqual({});
  });
});

describe('Eip', () => {
  it('GIVEN a VIP and a VM WHEN synthesized THEN the EIP references both, depends on the EIP service and exposes its addresses', () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    const services = withRouter(guest, pub);
    const vip = new Vip(stack, 'vip', { l3Network: pub });
    const eip = new Eip(stack, 'eip', { vip, vm, description: 'web' });
    const config = configOf(synthValidated(stack), eip.resource);
    expect(config).toEqual(expect.objectContaining({ name: 'eip', vip_uuid: refTo(vip.resource), vm_instance_uuid: refTo(vm.resource), description: 'web' }));
    expect(config.l3_network_uuid).toBeUndefined();
    expect(config.depends_on).toEqual([addressOf(services.resource)]);
    expect(resolve(stack, eip.eipUuid)).toBe(refTo(eip.resource));
    expect(resolve(stack, eip.vipIp)).toBe(refTo(eip.resource, 'vip_ip'));
    expect(resolve(stack, eip.guestIp)).toBe(refTo(eip.resource, 'guest_ip'));
  });

  it('GIVEN the L3 network of the NIC WHEN synthesized THEN it is sent', () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    withRouter(guest, pub);
    new Eip(stack, 'eip', { vip: new Vip(stack, 'vip', { l3Network: pub }), vm, l3Network: guest });
    expect(synthValidated(stack)).toHaveResourceWithProperties(EipResource, { l3_network_uuid: refTo(guest.resource) });
  });

  it("GIVEN an EIP whose NIC's L3 network has no EIP service WHEN synthesized THEN it fails with SERVICE_NOT_ATTACHED naming the EIP; attaching the router fixes it", () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    new Eip(stack, 'eip', { vip: new Vip(stack, 'vip', { l3Network: pub }), vm });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/eip\] l3Network: L3 network 'guest' has no EIP service; attach it with a provider that offers it first \[SERVICE_NOT_ATTACHED\]/);
    withRouter(guest, pub); // attached after the EIP: synth sees it
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it("GIVEN a VIP on another network than the router's public one WHEN synthesized THEN it fails with VIP_NOT_ON_PUBLIC_NETWORK", () => {
    const stack = newStack();
    const { guest, pub, lan, vm } = topology(stack);
    withRouter(guest, pub);
    const other = new L3Network(stack, 'other', { l2Network: lan, cidr: '10.1.0.0/24', ipRanges: { r: { startIp: '10.1.0.10', endIp: '10.1.0.20' } } });
    new Eip(stack, 'eip', { vip: new Vip(stack, 'vip', { l3Network: other }), vm });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/eip\] vip: VIP 'vip' is not on L3 network 'pub', where the virtual router of 'guest' has its public NIC \[VIP_NOT_ON_PUBLIC_NETWORK\]/);
  });

  it("GIVEN EIP from the Flat provider WHEN the VIP is on a public network THEN it synthesizes; on the VM's own network THEN VIP_ON_GUEST_NETWORK", () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    guest.addNetworkServices('flat', { providerType: 'Flat', services: ['DHCP', 'EIP'] });
    new Eip(stack, 'eip', { vip: new Vip(stack, 'vip', { l3Network: pub }), vm });
    expect(() => synthValidated(stack)).not.toThrow();
    const wrong = newStack();
    const t = topology(wrong);
    t.guest.addNetworkServices('flat', { providerType: 'Flat', services: ['DHCP', 'EIP'] });
    new Eip(wrong, 'eip', { vip: new Vip(wrong, 'vip', { l3Network: t.guest }), vm: t.vm });
    expect(() => synthValidated(wrong)).toThrow(/\[stack\/eip\] vip: Vip 'vip' .*is on L3Network 'guest' .*the VM's own network.* \[VIP_ON_GUEST_NETWORK\]/);
  });

  it('GIVEN a VIP already serving an EIP, or a NIC with one WHEN another EIP is constructed THEN it throws naming it', () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    withRouter(guest, pub);
    const vip = new Vip(stack, 'vip', { l3Network: pub });
    new Eip(stack, 'first', { vip, vm });
    const vm2 = new VmInstance(stack, 'vm2', { l3Networks: [guest] });
    expect(() => new Eip(stack, 'second', { vip, vm: vm2 })).toThrow(/^stack\/second: invalid Eip\n {2}vip: VIP 'vip' already serves EIP 'first' \(stack\/first\) \[VIP_IN_USE_BY_EIP\]$/);
    const vip2 = new Vip(stack, 'vip2', { l3Network: pub });
    expect(() => new Eip(stack, 'again', { vip: vip2, vm, l3Network: guest })).toThrow(/stack\/again: invalid Eip\n {2}vm: .*one EIP per NIC \[NIC_HAS_EIP\]/);
  });

  it('GIVEN an L3 network the VM has no NIC on WHEN constructed THEN it throws NIC_NOT_FOUND', () => {
    const stack = newStack();
    const { pub, vm } = topology(stack);
    expect(() => new Eip(stack, 'eip', { vip: new Vip(stack, 'vip', { l3Network: pub }), vm, l3Network: pub })).toThrow(
      /stack\/eip: invalid Eip\n {2}l3Network: VM 'vm' has no NIC on L3 network 'pub' \[NIC_NOT_FOUND\]/,
    );
  });
});

describe('PortForwarding', () => {
  it('GIVEN one port WHEN synthesized THEN the rule forwards it to the same port, references VIP and VM and depends on the service', () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    const services = withRouter(guest, pub);
    const vip = new Vip(stack, 'vip', { l3Network: pub });
    const pf = new PortForwarding(stack, 'ssh', { vip, vm, protocol: 'TCP', vipPort: 2222, guestPort: 22, allowedCidr: '198.51.100.0/24' });
    const config = configOf(synthValidated(stack), pf.resource);
    expect(config).toEqual(
      expect.objectContaining({
        name: 'ssh',
        protocol: 'TCP',
        vip_uuid: refTo(vip.resource),
        vm_instance_uuid: refTo(vm.resource),
        vip_port_start: 2222,
        guest_port_start: 22,
        allowed_cidr: '198.51.100.0/24',
        depends_on: [addressOf(services.resource)],
      }),
    );
    expect(config.vip_port_end).toBeUndefined();
    expect(config.guest_port_end).toBeUndefined();
    expect(resolve(stack, pf.portForwardingRuleUuid)).toBe(refTo(pf.resource));
    expect(resolve(stack, pf.vipIp)).toBe(refTo(pf.resource, 'vip_ip'));
    expect(resolve(stack, pf.guestIp)).toBe(refTo(pf.resource, 'guest_ip'));
  });

  it('GIVEN ranges WHEN synthesized THEN both ends are sent; several rules may share a VIP', () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    withRouter(guest, pub);
    const vip = new Vip(stack, 'vip', { l3Network: pub });
    new PortForwarding(stack, 'games', { vip, vm, l3Network: guest, protocol: 'UDP', vipPort: { start: 27000, end: 27009 }, guestPort: { start: 7000, end: 7009 } });
    new PortForwarding(stack, 'web', { vip, vm, protocol: 'TCP', vipPort: 443 });
    const synthesized = synthValidated(stack);
    expect(synthesized).toHaveResourceWithProperties(PortForwardingRuleResource, {
      protocol: 'UDP',
      vip_port_start: 27000,
      vip_port_end: 27009,
      guest_port_start: 7000,
      guest_port_end: 7009,
      l3_network_uuid: refTo(guest.resource),
    });
    expect(Object.keys(resourcesOf(synthesized, PortForwardingRuleResource))).toHaveLength(2);
  });

  describe('invalid input throws naming the construct', () => {
    const cases: Array<[string, Partial<ConstructorParameters<typeof PortForwarding>[2]>, RegExp]> = [
      ['VIP and guest ranges of different lengths', { vipPort: { start: 1000, end: 1009 }, guestPort: { start: 2000, end: 2004 } }, /guestPort: the guest range 2000-2004 has 5 ports, the VIP range 1000-1009 10; they must be the same length \[PORT_RANGE_LENGTH_MISMATCH\]/],
      ['port 0', { vipPort: 0, guestPort: 80 }, /vipPort: port must be an integer from 1 to 65535, got 0 \[INVALID_PORT\]/],
      ['port 65536', { guestPort: 65536 }, /guestPort: port must be an integer from 1 to 65535, got 65536 \[INVALID_PORT\]/],
      ['a reversed range', { vipPort: { start: 90, end: 80 }, guestPort: { start: 90, end: 99 } }, /vipPort: port range 90-80 ends before it starts \[PORT_RANGE_REVERSED\]/],
      ['an allowed CIDR with host bits', { allowedCidr: '198.51.100.1/24' }, /allowedCidr: allowed CIDR 198\.51\.100\.1\/24 has host bits set; did you mean 198\.51\.100\.0\/24\? \[INVALID_CIDR\]/],
    ];
    it.each(cases)('GIVEN %s', (_what, override, expected) => {
      const stack = newStack();
      const { pub, vm } = topology(stack);
      const vip = new Vip(stack, 'vip', { l3Network: pub });
      expect(() => new PortForwarding(stack, 'pf', { vip, vm, protocol: 'TCP', vipPort: 80, ...override })).toThrow(new RegExp(`^stack/pf: invalid PortForwarding\\n {2}${expected.source}$`));
    });
  });

  it('GIVEN overlapping VIP ports, or a VIP serving an EIP WHEN constructed THEN it throws naming the other', () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    withRouter(guest, pub);
    const vip = new Vip(stack, 'vip', { l3Network: pub });
    new PortForwarding(stack, 'web', { vip, vm, protocol: 'TCP', vipPort: { start: 8000, end: 8010 } });
    expect(() => new PortForwarding(stack, 'clash', { vip, vm, protocol: 'TCP', vipPort: 8005 })).toThrow(/vipPort: TCP ports 8005-8005 of this VIP overlap rule 'web' \(8000-8010\) \[PORT_RANGE_OVERLAP\]/);
    expect(() => new PortForwarding(stack, 'udp', { vip, vm, protocol: 'UDP', vipPort: 8005 })).not.toThrow();
    expect(() => new Eip(stack, 'eip', { vip, vm })).toThrow(/vip: VIP 'vip' serves port forwarding rule 'web' .*\[VIP_IN_USE_BY_PORT_FORWARDING\]/);
  });

  it("GIVEN no PortForwarding service on the NIC's L3 WHEN synthesized THEN it fails with SERVICE_NOT_ATTACHED naming the rule", () => {
    const stack = newStack();
    const { guest, pub, vm } = topology(stack);
    guest.addNetworkServices('vr', { services: ['DHCP', 'SNAT', 'EIP'], publicNetwork: pub });
    new PortForwarding(stack, 'pf', { vip: new Vip(stack, 'vip', { l3Network: pub }), vm, protocol: 'TCP', vipPort: 80 });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/pf\] l3Network: L3 network 'guest' has no PortForwarding service.*\[SERVICE_NOT_ATTACHED\]/);
  });
});
