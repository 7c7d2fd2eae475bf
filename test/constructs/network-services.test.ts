import { AnnotationMetadataEntryType, Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { L2NoVlanNetwork, L3Network, NetworkServiceAttachment, ProviderTypes, Zone, type ProviderType, type ServiceType } from '../../constructs';
import { DataNetforgeNetworkServiceProvider } from '../../constructs/imports/providers/netforge/data-netforge-network-service-provider';
import { NetworkServiceAttachment as ServiceAttachmentResource } from '../../constructs/imports/providers/netforge/network-service-attachment';
import { addressOf, configOf, dataSourcesOf, newStack, refTo, removeTestOutdir, resourcesOf, synthValidated } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

function l3In(stack: TerraformStack, id = 'l3', cidr = '10.0.0.0/24', withRange = true): L3Network {
  const l2 = new L2NoVlanNetwork(stack, `${id}-l2`, { zone: new Zone(stack, `${id}-zone`), physicalInterface: 'eth0' });
  return new L3Network(stack, id, { l2Network: l2, cidr, ipRanges: withRange ? { pool: { startIp: '10.0.0.10', endIp: '10.0.0.200' } } : {} });
}

function providerOf(stack: TerraformStack, type: string): DataNetforgeNetworkServiceProvider {
  return stack.node.findChild(`NetworkServiceProvider-${type}`) as DataNetforgeNetworkServiceProvider;
}

describe('addNetworkServices', () => {
  it('GIVEN services and no provider type WHEN synthesized THEN the virtual router provider is looked up and the attachment references it and the L3', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    const services = l3.addNetworkServices('services', { services: ['DHCP', 'DNS', 'SNAT'] });
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
    a.addNetworkServices('vr', { services: ['SNAT'] });
    b.addNetworkServices('vr', { services: ['DHCP'], providerType: ProviderTypes.VIRTUAL_ROUTER });
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
    l3In(stack1).addNetworkServices('s', { services: ['DNS'] });
    l3In(stack2).addNetworkServices('s', { services: ['DNS'] });
    expect(Object.keys(dataSourcesOf(Testing.synth(stack1), DataNetforgeNetworkServiceProvider))).toHaveLength(1);
    expect(Object.keys(dataSourcesOf(Testing.synth(stack2), DataNetforgeNetworkServiceProvider))).toHaveLength(1);
  });

  it('GIVEN an attachment WHEN synthesized THEN it depends on the L3 ranges, including one added after it', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    const services = l3.addNetworkServices('services', { services: ['DHCP'] });
    const later = l3.addIpRange('later', { startIp: '10.0.0.220', endIp: '10.0.0.230' });
    const synthesized = synthValidated(stack);
    expect(configOf(synthesized, services.resource).depends_on).toEqual([addressOf(l3.ipRanges[0].resource), addressOf(later.resource)]);
  });

  it('GIVEN an attachment on an L3 without ranges and no DHCP WHEN synthesized THEN it has no depends_on', () => {
    const stack = newStack();
    const l3 = l3In(stack, 'l3', '10.0.0.0/24', false);
    const services = l3.addNetworkServices('services', { services: ['DNS'] });
    expect(configOf(synthValidated(stack), services.resource).depends_on).toBeUndefined();
  });

  it('GIVEN an attachment on an L3 looked up by name WHEN synthesized THEN it references the data source and no synth rule runs', () => {
    const stack = newStack();
    const existing = L3Network.fromName(stack, 'existing', 'shared');
    const services = new NetworkServiceAttachment(stack, 'services', { l3Network: existing, services: ['DHCP'] });
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
    expect(() => l3.addNetworkServices('services', { services: services as ServiceType[] })).toThrow(message);
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
    l3.addNetworkServices('vr', { services: ['DHCP', 'SNAT'] });
    l3.addNetworkServices('flat', { providerType: ProviderTypes.FLAT, services: ['DNS', 'DHCP'] });
    expect(() => synthValidated(stack)).toThrow(
      /\[stack\/l3\/flat\] services\[1\]: DHCP on L3Network 'l3' \(stack\/l3\) is already provided by NetworkServiceProvider 'VirtualRouter' \(VirtualRouter\) \(attachment stack\/l3\/vr\) \[SERVICE_ALREADY_PROVIDED\]/,
    );
  });

  it('GIVEN different services from different providers on one L3 WHEN synthesized THEN it is accepted', () => {
    const stack = newStack();
    const l3 = l3In(stack);
    l3.addNetworkServices('vr', { services: ['SNAT', 'PortForwarding'] });
    l3.addNetworkServices('flat', { providerType: ProviderTypes.FLAT, services: ['DHCP', 'DNS', 'EIP'] });
    l3.addNetworkServices('sg', { providerType: ProviderTypes.SECURITY_GROUP, services: ['SecurityGroup'] });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it('GIVEN DHCP on an L3 with no ranges WHEN synthesized THEN synth passes and warns on the attachment that DHCP will stay pending', () => {
    const stack = newStack();
    const services = l3In(stack, 'l3', '10.0.0.0/24', false).addNetworkServices('services', { services: ['DHCP'] });
    expect(() => synthValidated(stack)).not.toThrow();
    const warnings = services.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/^DHCP will stay pending: L3Network 'l3' \(stack\/l3\) has no free IP address in its IP ranges yet; add IP ranges/)]);
    synthValidated(stack); // a second synth does not repeat the warning
    expect(services.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN)).toHaveLength(1);
  });

  it('GIVEN DHCP on an L3 with no ranges yet WHEN a range is added after the attachment THEN synth passes', () => {
    const stack = newStack();
    const l3 = l3In(stack, 'l3', '10.0.0.0/24', false);
    l3.addNetworkServices('services', { services: ['DHCP'] });
    l3.addIpRange('pool', { startIp: '10.0.0.10', endIp: '10.0.0.20' });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it('GIVEN DHCP on a /31 WHEN synthesized THEN synth fails naming the prefix rule', () => {
    const stack = newStack();
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone'), physicalInterface: 'eth0' });
    const l3 = new L3Network(stack, 'p2p', { l2Network: l2, cidr: '10.0.0.0/31', ipRanges: { pool: { startIp: '10.0.0.1', endIp: '10.0.0.1' } } });
    l3.addNetworkServices('services', { services: ['DHCP'] });
    expect(() => synthValidated(stack)).toThrow(/\[stack\/p2p\/services\] services: DHCP can't serve 10\.0\.0\.0\/31: IPv4 prefixes longer than \/30 are refused \[DHCP_PREFIX_TOO_LONG\]/);
  });

  it('GIVEN DNS without DHCP on an L3 with no ranges WHEN synthesized THEN it is accepted', () => {
    const stack = newStack();
    l3In(stack, 'l3', '10.0.0.0/24', false).addNetworkServices('services', { services: ['DNS'] });
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
    const services = l3.addNetworkServices('services', { services: ['DHCP'] });
    const synthesized = synthValidated(stack);
    expect(configOf(synthesized, services.resource).depends_on).toEqual([addressOf(range.resource)]);
  });

  it('GIVEN DHCP on an L3 whose CIDR is a variable WHEN synthesized THEN the prefix rule is left to plan time', () => {
    const stack = newStack();
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    const l2 = new L2NoVlanNetwork(stack, 'l2', { zone: new Zone(stack, 'zone'), physicalInterface: 'eth0' });
    const l3 = new L3Network(stack, 'l3', { l2Network: l2, cidr: cidr.stringValue, ipRanges: { pool: { startIp: '10.0.0.10', endIp: '10.0.0.20' } } });
    l3.addNetworkServices('services', { services: ['DHCP'] });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it('GIVEN a services list from a variable WHEN attached THEN no list rule runs and the list synthesizes', () => {
    const stack = newStack();
    const services = new TerraformVariable(stack, 'services', { type: 'list(string)' });
    const attachment = l3In(stack).addNetworkServices('services', { services: services.listValue as ServiceType[] });
    expect(configOf(synthValidated(stack), attachment.resource).services).toBe('${var.services}');
  });
});
