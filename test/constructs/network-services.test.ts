import { AnnotationMetadataEntryType, Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { Cluster, L2NoVlanNetwork, L3Network, NetworkServiceAttachment, ProviderTypes, Zone, type ProviderType, type ServiceType } from '../../constructs';
import { DataNetforgeNetworkServiceProvider } from '../../constructs/imports/providers/netforge/data-netforge-network-service-provider';
import { DataNetforgeVirtualRouter } from '../../constructs/imports/providers/netforge/data-netforge-virtual-router';
import { NetworkServiceAttachment as ServiceAttachmentResource } from '../../constructs/imports/providers/netforge/network-service-attachment';
import { addressOf, configOf, dataSourcesOf, newStack, refTo, removeTestOutdir, resourcesOf, synthValidated } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

function l3In(stack: TerraformStack, id = 'l3', cidr = '10.0.0.0/24', withRange = true): L3Network {
  const l2 = new L2NoVlanNetwork(stack, `${id}-l2`, { zone: new Zone(stack, `${id}-zone`), physicalInterface: 'eth0' });
  return new L3Network(stack, id, { l2Network: l2, cidr, ipRanges: withRange ? { pool: { startIp: '10.0.0.10', endIp: '10.0.0.200' } } : {} });
}

/** A public network for the virtual router of `l3`, in its zone (no ranges, no clusters: nothing to depend on). */
function uplinkFor(l3: L3Network): L3Network {
  const scope = l3.node.scope!;
  const id = `${l3.node.id}-uplink`;
  const existing = scope.node.tryFindChild(id);
  if (existing instanceof L3Network) return existing;
  const zone = (l3.l2Network as L2NoVlanNetwork).zone;
  const l2 = new L2NoVlanNetwork(scope, `${id}-l2`, { zone, physicalInterface: 'eth2' });
  return new L3Network(scope, id, { l2Network: l2, cidr: '203.0.113.0/24' });
}

function providerOf(stack: TerraformStack, type: string): DataNetforgeNetworkServiceProvider {
  return stack.node.findChild(`NetworkServiceProvider-${type}`) as DataNetforgeNetworkServiceProvider;
}

describe('addNetworkServices', () => {
  it('GIVEN services and no provider type WHEN synthesized THEN the virtual router provider is looked up and the attachment references it and the L3', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    const services = l3.addNetworkServices('services', { services: ['DHCP', 'DNS', 'SNAT'], publicNetwork: uplinkFor(l3) });
    const synthesized = Testing.synth(stack);
    expect(services.providerType).toBe(ProviderTypes.VIRTUAL_ROUTER);
    expect(synthesized).toHaveDataSourceWithProperties(DataNetforgeNetworkServiceProvider, { type: 'VirtualRouter' });
    expect(configOf(synthesized, services.resource)).toEqual(
      expect.objectContaining({ l3_network_uuid: refTo(l3.resource), provider_uuid: refTo(providerOf(stack, 'VirtualRouter')), services: ['DHCP', 'DNS', 'SNAT'] }),
    );
    expect(services.node.scope).toBe(l3);
    expect(l3.serviceAttachments).toEqual([services]);
  });

  it('GIVEN several L3s and attachments WHEN synthesized THEN there is ONE provider data source per provider type in the stack', () => {
    const stack = newStack();
    const a = l3In(stack, 'a');
    const b = l3In(stack, 'b');
    a.addNetworkServices('vr', { services: ['SNAT'], publicNetwork: uplinkFor(a) });
    b.addNetworkServices('vr', { services: ['DHCP'], providerType: ProviderTypes.VIRTUAL_ROUTER, publicNetwork: uplinkFor(b) });
    a.addNetworkServices('flat', { services: ['DHCP'], providerType: ProviderTypes.FLAT });
    b.addNetworkServices('sg', { services: ['SecurityGroup'], providerType: ProviderTypes.SECURITY_GROUP });
    const synthesized = Testing.synth(stack);
    const providers = Object.values(dataSourcesOf(synthesized, DataNetforgeNetworkServiceProvider));
    expect(providers).toHaveLength(3);
    expect(providers.map((p) => p.type).sort()).toEqual(['Flat', 'SecurityGroup', 'VirtualRouter']);
    expect(Object.values(resourcesOf(synthesized, ServiceAttachmentResource)).filter((r) => r.provider_uuid === refTo(providerOf(stack, 'VirtualRouter')))).toHaveLength(2);
  });

  it('GIVEN two stacks WHEN each attaches services THEN each stack has its own provider data source', () => {
    const stack1 = newStack('one');
    const stack2 = new TerraformStack(stack1.node.scope!, 'two');
    for (const stack of [stack1, stack2]) {
      const l3 = l3In(stack);
      l3.addNetworkServices('s', { services: ['DNS'], publicNetwork: uplinkFor(l3) });
    }
    expect(Object.keys(dataSourcesOf(Testing.synth(stack1), DataNetforgeNetworkServiceProvider))).toHaveLength(1);
    expect(Object.keys(dataSourcesOf(Testing.synth(stack2), DataNetforgeNetworkServiceProvider))).toHaveLength(1);
  });

  it('GIVEN an attachment WHEN synthesized THEN it depends on the L3 ranges, including one added after it', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    const services = l3.addNetworkServices('services', { services: ['DHCP'], publicNetwork: uplinkFor(l3) });
    const later = l3.addIpRange('later', { startIp: '10.0.0.220', endIp: '10.0.0.230' });
    const synthesized = synthValidated(stack);
    expect(configOf(synthesized, services.resource).depends_on).toEqual([addressOf(l3.ipRanges[0].resource), addressOf(later.resource)]);
  });

  it('GIVEN an attachment on an L3 without ranges and no DHCP WHEN synthesized THEN it has no depends_on', () => {
    const stack = newStack();
    const l3 = l3In(stack, 'l3', '10.0.0.0/24', false);
    const services = l3.addNetworkServices('services', { services: ['DNS'], publicNetwork: uplinkFor(l3) });
    expect(configOf(synthValidated(stack), services.resource).depends_on).toBeUndefined();
  });

  it('GIVEN an attachment on an L3 looked up by name WHEN synthesized THEN it references the data source and no synth rule runs', () => {
    const stack = newStack();
    const existing = L3Network.fromName(stack, 'existing', 'shared');
    const uplink = L3Network.fromName(stack, 'uplink', 'internet');
    const services = new NetworkServiceAttachment(stack, 'services', { l3Network: existing, services: ['DHCP'], publicNetwork: uplink });
    expect(configOf(synthValidated(stack), services.resource).l3_network_uuid).toBe('${data.netforge_l3_network.existing.uuid}');
  });
});

describe('service attachment rules', () => {
  it.each<[string, string[], RegExp]>([
    ['an unknown service', ['DHCP', 'NTP'], /^stack\/l3\/services: invalid NetworkServiceAttachment\n {2}services\[1\]: "NTP" is not a service type \(DHCP, DNS, SNAT, EIP, PortForwarding, SecurityGroup\) \[UNKNOWN_SERVICE_TYPE\]$/],
    ['no services', [], /^stack\/l3\/services: invalid NetworkServiceAttachment\n {2}services: at least one service type is required \[NO_SERVICES\]$/],
    ['a service listed twice', ['DNS', 'DNS'], /services\[1\]: service DNS is listed twice \[DUPLICATE_SERVICE\]/],
  ])('GIVEN %s WHEN attached THEN it throws naming the path and the services field', (_label, services, message) => {
    const stack = newStack();
    const l3 = l3In(stack);
    expect(() => l3.addNetworkServices('services', { services: services as ServiceType[], publicNetwork: uplinkFor(l3) })).toThrow(message);
  });

  it('GIVEN a provider type that does not exist (JavaScript caller) WHEN attached THEN it throws naming providerType', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    expect(() => l3.addNetworkServices('services', { services: ['DNS'], providerType: 'OpenFlow' as ProviderType })).toThrow(
      /^stack\/l3\/services: invalid NetworkServiceAttachment\n {2}providerType: "OpenFlow" is not a provider type \(VirtualRouter, Flat, SecurityGroup\) \[UNKNOWN_PROVIDER_TYPE\]$/,
    );
  });

  it('GIVEN the Flat provider and SNAT WHEN synthesized THEN synth fails naming the attachment, the field and what Flat offers', () => {
    const stack = newStack();
    l3In(stack).addNetworkServices('services', { providerType: ProviderTypes.FLAT, services: ['DHCP', 'SNAT'] });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/l3\/services\] services\[1\]: NetworkServiceProvider 'Flat' .*does not offer SNAT; it offers DHCP, DNS, EIP \[PROVIDER_LACKS_SERVICE\]/);
  });

  it('GIVEN the SecurityGroup provider and DHCP WHEN synthesized THEN synth fails with PROVIDER_LACKS_SERVICE', () => {
    const stack = newStack();
    l3In(stack).addNetworkServices('services', { providerType: ProviderTypes.SECURITY_GROUP, services: ['DHCP'] });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/l3\/services\] services\[0\]: .*does not offer DHCP.*\[PROVIDER_LACKS_SERVICE\]/);
  });

  it('GIVEN DHCP from two providers on one L3 WHEN synthesized THEN synth fails naming the second attachment, the L3 and the first attachment', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    l3.addNetworkServices('vr', { services: ['DHCP', 'SNAT'], publicNetwork: uplinkFor(l3) });
    l3.addNetworkServices('flat', { providerType: ProviderTypes.FLAT, services: ['DNS', 'DHCP'] });
    expect(() => synthValidated(stack)).toThrow(
      /\[stack\/l3\/flat\] services\[1\]: DHCP on L3Network 'l3' \(stack\/l3\) is already provided by NetworkServiceProvider 'VirtualRouter' \(VirtualRouter\) \(attachment stack\/l3\/vr\) \[SERVICE_ALREADY_PROVIDED\]/,
    );
  });

  it('GIVEN different services from different providers on one L3 WHEN synthesized THEN it is accepted', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    l3.addNetworkServices('vr', { services: ['SNAT', 'PortForwarding'], publicNetwork: uplinkFor(l3) });
    l3.addNetworkServices('flat', { providerType: ProviderTypes.FLAT, services: ['DHCP', 'DNS', 'EIP'] });
    l3.addNetworkServices('sg', { providerType: ProviderTypes.SECURITY_GROUP, services: ['SecurityGroup'] });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it('GIVEN flat DHCP on an L3 with no ranges WHEN synthesized THEN synth passes and warns on the attachment that DHCP will stay pending', () => {
    const stack = newStack();
    const services = l3In(stack, 'l3', '10.0.0.0/24', false).addNetworkServices('services', { services: ['DHCP'], providerType: ProviderTypes.FLAT });
    expect(() => synthValidated(stack)).not.toThrow();
    const warnings = services.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringMatching(/^DHCP will stay pending: L3Network 'l3' \(stack\/l3\) has no free IP address in its IP ranges yet for the DHCP server; add IP ranges/),
    ]);
    synthValidated(stack); // a second synth does not repeat the warning
    expect(services.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN)).toHaveLength(1);
  });

  it('GIVEN virtual router DHCP on an L3 with no ranges WHEN synthesized THEN nothing is said: the router answers from the gateway', () => {
    const stack = newStack();
    const l3 = l3In(stack, 'l3', '10.0.0.0/24', false);
    const services = l3.addNetworkServices('services', { services: ['DHCP'], publicNetwork: uplinkFor(l3) });
    synthValidated(stack);
    expect(services.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN)).toEqual([]);
  });

  it('GIVEN DHCP on an L3 with no ranges yet WHEN a range is added after the attachment THEN synth passes', () => {
    const stack = newStack();
    const l3 = l3In(stack, 'l3', '10.0.0.0/24', false);
    l3.addNetworkServices('services', { services: ['DHCP'], publicNetwork: uplinkFor(l3) });
    l3.addIpRange('pool', { startIp: '10.0.0.10', endIp: '10.0.0.20' });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it('GIVEN DHCP on a /31 WHEN synthesized THEN synth fails naming the prefix rule', () => {
    const stack = newStack();
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone'), physicalInterface: 'eth0' });
    const l3 = new L3Network(stack, 'p2p', { l2Network: l2, cidr: '10.0.0.0/31', ipRanges: { pool: { startIp: '10.0.0.1', endIp: '10.0.0.1' } } });
    l3.addNetworkServices('services', { services: ['DHCP'], publicNetwork: uplinkFor(l3) });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/p2p\/services\] services: DHCP can't serve 10\.0\.0\.0\/31: IPv4 prefixes longer than \/30 are refused \[DHCP_PREFIX_TOO_LONG\]/);
  });

  it('GIVEN DNS without DHCP on an L3 with no ranges WHEN synthesized THEN it is accepted', () => {
    const stack = newStack();
    const l3 = l3In(stack, 'l3', '10.0.0.0/24', false);
    l3.addNetworkServices('services', { services: ['DNS'], publicNetwork: uplinkFor(l3) });
    expect(() => synthValidated(stack)).not.toThrow();
  });
});

describe('unresolved values on service attachments', () => {
  it('GIVEN DHCP on an L3 whose only range has ends from variables WHEN synthesized THEN no free-IP error is reported and it depends on the range', () => {
    const stack = newStack();
    const start = new TerraformVariable(stack, 'start', { type: 'string' });
    const end = new TerraformVariable(stack, 'end', { type: 'string' });
    const l3 = l3In(stack, 'l3', '10.0.0.0/24', false);
    const range = l3.addIpRange('pool', { startIp: start.stringValue, endIp: end.stringValue });
    const services = l3.addNetworkServices('services', { services: ['DHCP'], publicNetwork: uplinkFor(l3) });
    const synthesized = synthValidated(stack);
    expect(configOf(synthesized, services.resource).depends_on).toEqual([addressOf(range.resource)]);
  });

  it('GIVEN DHCP on an L3 whose CIDR is a variable WHEN synthesized THEN the prefix rule is left to plan time', () => {
    const stack = newStack();
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone'), physicalInterface: 'eth0' });
    const l3 = new L3Network(stack, 'l3', { l2Network: l2, cidr: cidr.stringValue, ipRanges: { pool: { startIp: '10.0.0.10', endIp: '10.0.0.20' } } });
    l3.addNetworkServices('services', { services: ['DHCP'], publicNetwork: uplinkFor(l3) });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it('GIVEN a services list from a variable WHEN attached THEN no list rule runs and the list synthesizes', () => {
    const stack = newStack();
    const services = new TerraformVariable(stack, 'services', { type: 'list(string)' });
    const l3 = l3In(stack);
    const attachment = l3.addNetworkServices('services', { services: services.listValue as ServiceType[], publicNetwork: uplinkFor(l3) });
    expect(configOf(synthValidated(stack), attachment.resource).services).toBe('${var.services}');
  });
});

describe('the virtual router and its public network', () => {
  it('GIVEN a virtual router without a public network WHEN attached THEN it throws naming the construct and publicNetwork', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    expect(() => l3.addNetworkServices('services', { services: ['SNAT'] })).toThrow(
      /^stack\/l3\/services: invalid NetworkServiceAttachment\n {2}publicNetwork: a VirtualRouter provider needs the public L3 network its router leaves through .*\[PUBLIC_NETWORK_REQUIRED\]$/,
    );
    expect(() => l3.addNetworkServices('self', { services: ['SNAT'], publicNetwork: l3 })).toThrow(/publicNetwork: the public network must be another L3 network .*\[PUBLIC_NETWORK_IS_GUEST\]/);
    expect(() => l3.addNetworkServices('flat', { services: ['DHCP'], providerType: ProviderTypes.FLAT, publicNetwork: uplinkFor(l3) })).toThrow(
      /publicNetwork: only VirtualRouter providers have a public network; Flat does not \[PUBLIC_NETWORK_NOT_ALLOWED\]/,
    );
  });

  it('GIVEN a public network overlapping the guest, or in another zone WHEN synthesized THEN synth fails naming the attachment and the public L3', () => {
    const stack = newStack();
    const l3 = l3In(stack, 'l3', '203.0.113.0/25', false);
    l3.addNetworkServices('services', { services: ['SNAT'], publicNetwork: uplinkFor(l3) });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/l3\/services\] publicL3NetworkUuid: L3Network 'l3' .*\(203\.0\.113\.0\/25\) overlaps its public network L3Network 'l3-uplink' .*\[PUBLIC_CIDR_OVERLAP\]/);

    const other = newStack();
    const guest = l3In(other, 'guest');
    const far = l3In(other, 'far', '198.51.100.0/24', false);
    guest.addNetworkServices('services', { services: ['SNAT'], publicNetwork: far });
    expect(() => synthValidated(other)).toThrow(/\[stack\/guest\/services\] publicL3NetworkUuid: L3Network 'far' .* is in another zone .*\[PUBLIC_NETWORK_UNREACHABLE\]/);
  });

  it('GIVEN a router WHEN synthesized THEN the attachment names the public L3, depends on its ranges and both networks\' cluster attachments, and the router is readable', () => {
    const stack = newStack();
    const zone = new Zone(stack, 'zone');
    const cluster = new Cluster(stack, 'cluster', { zone, hypervisorType: 'Simulator' });
    const guestL2 = new L2NoVlanNetwork(stack, 'guest-l2', { zone, physicalInterface: 'eth1', attachedClusters: [cluster] });
    const publicL2 = new L2NoVlanNetwork(stack, 'public-l2', { zone, physicalInterface: 'eth2', attachedClusters: [cluster] });
    const guest = new L3Network(stack, 'guest', { l2Network: guestL2, cidr: '10.0.0.0/24', ipRanges: { pool: { startIp: '10.0.0.10', endIp: '10.0.0.20' } } });
    const pub = new L3Network(stack, 'public', { l2Network: publicL2, cidr: '203.0.113.0/24', ipRanges: { pool: { startIp: '203.0.113.10', endIp: '203.0.113.20' } } });
    const services = guest.addNetworkServices('services', { services: ['DHCP', 'SNAT'], publicNetwork: pub });
    const router = services.virtualRouter;
    const synthesized = synthValidated(stack);
    const config = configOf(synthesized, services.resource);
    expect(config.public_l3_network_uuid).toBe(refTo(pub.resource));
    expect(config.depends_on).toEqual([
      addressOf(guest.ipRanges[0].resource),
      addressOf(pub.ipRanges[0].resource),
      addressOf(guestL2.attachments.get(cluster)!),
      addressOf(publicL2.attachments.get(cluster)!),
    ]);
    expect(dataSourcesOf(synthesized, DataNetforgeVirtualRouter)).toEqual({
      [router.friendlyUniqueId]: { l3_network_uuid: `\${${addressOf(services.resource)}.l3_network_uuid}`, depends_on: [addressOf(services.resource)] },
    });
    expect(() => guest.addNetworkServices('flat', { services: ['DNS'], providerType: ProviderTypes.FLAT }).virtualRouter).toThrow(/only VirtualRouter services have a virtual router/);
  });
});
