import {
  checkDhcpPrefix,
  checkServiceAttachment,
  pendingServices,
  DHCP_MAX_IPV4_PREFIX,
  SERVICE_TYPES,
  SERVICES_BY_PROVIDER_TYPE,
  validateServiceList,
  type ServiceAttachmentCheck,
  type ServiceType,
} from '../../../topology';
import { codesAt, expectNames, expectWellFormed, only } from './helpers';

describe('validateServiceList() (rule 16)', () => {
  it.each(SERVICE_TYPES.map((s) => [s]))('GIVEN only %s WHEN validating THEN no violation', (s) => {
    expect(validateServiceList([s])).toEqual([]);
  });

  it('GIVEN all six service types WHEN validating THEN no violation', () => {
    expect(validateServiceList([...SERVICE_TYPES])).toEqual([]);
  });

  it.each<[string, string[], string[]]>([
    ['an empty list', [], ['NO_SERVICES@services']],
    ['a lower-case type', ['dhcp'], ['UNKNOWN_SERVICE_TYPE@services[0]']],
    ['an unknown type after a good one', ['DHCP', 'LoadBalancer'], ['UNKNOWN_SERVICE_TYPE@services[1]']],
    ['an empty string', [''], ['UNKNOWN_SERVICE_TYPE@services[0]']],
    ['a padded type', [' DHCP'], ['UNKNOWN_SERVICE_TYPE@services[0]']],
    ['a provider type used as a service', ['VirtualRouter'], ['UNKNOWN_SERVICE_TYPE@services[0]']],
    ['a duplicate', ['DHCP', 'DNS', 'DHCP'], ['DUPLICATE_SERVICE@services[2]']],
    ['two duplicates', ['SNAT', 'SNAT', 'SNAT'], ['DUPLICATE_SERVICE@services[1]', 'DUPLICATE_SERVICE@services[2]']],
  ])('GIVEN %s WHEN validating THEN exactly the listed violations (code@path)', (_l, services, expected) => {
    const vs = validateServiceList(services);
    expect(codesAt(vs)).toEqual(expected);
    expectWellFormed(vs);
  });

  it('GIVEN an unknown type WHEN validating THEN the message shows it and lists the known types', () => {
    const msg = validateServiceList(['LoadBalancer'])[0].message;
    expect(msg).toContain('"LoadBalancer"');
    for (const s of SERVICE_TYPES) expect(msg).toContain(s);
  });

  it('GIVEN a custom path WHEN validating THEN violations are reported under it', () => {
    expect(codesAt(validateServiceList(['DNS', 'DNS'], 'spec.services'))).toEqual(['DUPLICATE_SERVICE@spec.services[1]']);
    expect(codesAt(validateServiceList([], 'spec.services'))).toEqual(['NO_SERVICES@spec.services']);
  });
});

describe('checkDhcpPrefix() (rule 15)', () => {
  it('GIVEN Neutron\'s limit THEN the longest IPv4 prefix DHCP serves is /30', () => {
    expect(DHCP_MAX_IPV4_PREFIX).toBe(30);
  });

  it.each<[string, string[], string]>([
    ['DHCP on a /24', ['DHCP'], '10.0.0.0/24'],
    ['DHCP on a /30', ['DNS', 'DHCP'], '10.0.0.0/30'],
    ['no DHCP on a /31', ['DNS', 'SNAT'], '10.0.0.0/31'],
    ['no DHCP on a /32', ['EIP'], '10.0.0.7/32'],
    ['DHCP on IPv6 /127 (rule is IPv4 only)', ['DHCP'], '2001:db8::/127'],
    ['DHCP on IPv6 /128', ['DHCP'], '2001:db8::1/128'],
    ['DHCP on an invalid CIDR (reported elsewhere)', ['DHCP'], '10.0.0.0/33'],
  ])('GIVEN %s WHEN checking THEN no violation', (_l, services, cidr) => {
    expect(checkDhcpPrefix(services, cidr)).toEqual([]);
  });

  it.each(['10.0.0.0/31', '10.0.0.7/32'])('GIVEN DHCP on %j WHEN checking THEN DHCP_PREFIX_TOO_LONG at services', (cidr) => {
    const vs = checkDhcpPrefix(['DNS', 'DHCP'], cidr);
    expect(codesAt(vs)).toEqual(['DHCP_PREFIX_TOO_LONG@services']);
    expect(vs[0].message).toContain(cidr);
    expect(vs[0].message).toContain('/30');
  });

  it('GIVEN a custom path WHEN checking THEN the violation is reported there', () => {
    expect(codesAt(checkDhcpPrefix(['DHCP'], '10.0.0.0/31', 'networkServices'))).toEqual(['DHCP_PREFIX_TOO_LONG@networkServices']);
  });
});

describe('checkServiceAttachment() (rules 15-18)', () => {
  const l3 = { uuid: 'l3-uuid-1', name: 'web', cidr: '10.0.0.0/24', l2NetworkUuid: 'l2-uuid-1' };
  const vrouter = {
    uuid: 'nsp-vr',
    name: 'vrouter',
    type: 'VirtualRouter' as const,
    serviceTypes: [...SERVICES_BY_PROVIDER_TYPE.VirtualRouter],
    attachedL2NetworkUuids: ['l2-uuid-0', 'l2-uuid-1'],
  };
  const flat = { uuid: 'nsp-flat', name: 'flat', type: 'Flat' as const, serviceTypes: [...SERVICES_BY_PROVIDER_TYPE.Flat], attachedL2NetworkUuids: ['l2-uuid-1'] };
  const sg = { uuid: 'nsp-sg', name: 'secgroup', type: 'SecurityGroup' as const, serviceTypes: [...SERVICES_BY_PROVIDER_TYPE.SecurityGroup], attachedL2NetworkUuids: ['l2-uuid-1'] };
  const flatAttachment = { uuid: 'nsa-1', providerUuid: flat.uuid, providerName: flat.name, services: ['DHCP', 'EIP'] as ServiceType[] };
  const sgAttachment = { uuid: 'nsa-2', providerUuid: sg.uuid, providerName: sg.name, services: ['SecurityGroup'] as ServiceType[] };

  function check(over: Partial<ServiceAttachmentCheck>): ServiceAttachmentCheck {
    return { l3, provider: vrouter, services: ['DHCP', 'DNS'], existing: [], ...over };
  }

  it.each<[string, ServiceAttachmentCheck]>([
    ['DHCP and DNS from a virtual router', check({})],
    ['every service the virtual router offers', check({ services: [...SERVICES_BY_PROVIDER_TYPE.VirtualRouter] })],
    ['SNAT next to other providers\' DHCP/EIP and SecurityGroup', check({ services: ['SNAT', 'PortForwarding'], existing: [flatAttachment, sgAttachment] })],
    ['SecurityGroup from the security-group provider', check({ provider: sg, services: ['SecurityGroup'], existing: [flatAttachment] })],
    ['no DHCP on a /31', check({ services: ['EIP'], provider: flat, l3: { ...l3, cidr: '10.0.0.0/31' } })],
    ['DHCP on a /30', check({ services: ['DHCP'], l3: { ...l3, cidr: '10.0.0.0/30' } })],
  ])('GIVEN %s WHEN attaching THEN no violation', (_l, c) => {
    expect(checkServiceAttachment(c)).toEqual([]);
  });

  it('GIVEN an empty service list WHEN attaching THEN NO_SERVICES', () => {
    expect(codesAt(checkServiceAttachment(check({ services: [] })))).toEqual(['NO_SERVICES@services']);
  });

  it('GIVEN an unknown service type WHEN attaching THEN UNKNOWN_SERVICE_TYPE and PROVIDER_LACKS_SERVICE at its index', () => {
    const vs = checkServiceAttachment(check({ services: ['DNS', 'LoadBalancer' as ServiceType] }));
    expect(codesAt(vs)).toEqual(['UNKNOWN_SERVICE_TYPE@services[1]', 'PROVIDER_LACKS_SERVICE@services[1]']);
  });

  it('GIVEN a duplicate service WHEN attaching THEN DUPLICATE_SERVICE at the second one', () => {
    expect(codesAt(checkServiceAttachment(check({ services: ['DNS', 'SNAT', 'DNS'] })))).toEqual(['DUPLICATE_SERVICE@services[2]']);
  });

  it.each<[string, Partial<ServiceAttachmentCheck>, number, string]>([
    ['the security-group provider asked for DHCP', { provider: sg, services: ['DHCP'] }, 0, 'DHCP'],
    ['the flat provider asked for SNAT', { provider: flat, services: ['DHCP', 'SNAT'] }, 1, 'SNAT'],
    ['the virtual router asked for SecurityGroup', { services: ['SecurityGroup'] }, 0, 'SecurityGroup'],
    ['a provider offering nothing', { provider: { ...flat, serviceTypes: [] }, services: ['DNS'] }, 0, 'DNS'],
  ])('GIVEN %s WHEN attaching THEN PROVIDER_LACKS_SERVICE naming the provider', (_l, over, index, service) => {
    const c = check(over);
    const vs = checkServiceAttachment(c);
    expect(codesAt(vs)).toEqual([`PROVIDER_LACKS_SERVICE@services[${index}]`]);
    expect(vs[0].conflicting).toEqual({ type: 'NetworkServiceProvider', uuid: c.provider.uuid, name: c.provider.name });
    expectNames(vs[0].message, c.provider);
    expect(vs[0].message).toContain(service);
    expect(vs[0].message).toContain(c.provider.type);
  });

  it('GIVEN another provider already gives DHCP on the L3 WHEN attaching DHCP THEN SERVICE_ALREADY_PROVIDED naming that provider and attachment', () => {
    const vs = checkServiceAttachment(check({ services: ['DNS', 'DHCP'], existing: [sgAttachment, flatAttachment] }));
    expect(codesAt(vs)).toEqual(['SERVICE_ALREADY_PROVIDED@services[1]']);
    expect(vs[0].conflicting).toEqual({ type: 'NetworkServiceProvider', uuid: flat.uuid, name: flat.name });
    expectNames(vs[0].message, flat);
    expectNames(vs[0].message, l3);
    expect(vs[0].message).toContain('DHCP');
    expect(vs[0].message).toContain(flatAttachment.uuid);
  });

  it('GIVEN the same provider already gives DNS on the L3 WHEN attaching DNS again THEN SERVICE_ALREADY_PROVIDED (one attachment per service)', () => {
    const own = { uuid: 'nsa-3', providerUuid: vrouter.uuid, providerName: vrouter.name, services: ['DNS'] as ServiceType[] };
    const vs = checkServiceAttachment(check({ services: ['DNS'], existing: [own] }));
    expect(codesAt(vs)).toEqual(['SERVICE_ALREADY_PROVIDED@services[0]']);
  });

  it('GIVEN two services both already provided WHEN attaching THEN one violation per service', () => {
    const vs = checkServiceAttachment(check({ provider: flat, services: ['EIP', 'DHCP'], existing: [flatAttachment] }));
    expect(codesAt(vs)).toEqual(['SERVICE_ALREADY_PROVIDED@services[0]', 'SERVICE_ALREADY_PROVIDED@services[1]']);
  });

  it.each<[string, string[]]>([
    ['associated with other L2 networks only', ['l2-uuid-0', 'l2-uuid-2']],
    ['associated with no L2 network', []],
  ])('GIVEN a provider %s WHEN attaching THEN PROVIDER_NOT_ON_L2 at providerUuid naming provider, L3 and L2', (_l, l2s) => {
    const provider = { ...vrouter, attachedL2NetworkUuids: l2s };
    const vs = checkServiceAttachment(check({ provider }));
    expect(codesAt(vs)).toEqual(['PROVIDER_NOT_ON_L2@providerUuid']);
    expect(vs[0].conflicting).toEqual({ type: 'NetworkServiceProvider', uuid: vrouter.uuid, name: vrouter.name });
    expectNames(vs[0].message, vrouter);
    expectNames(vs[0].message, l3);
    expect(vs[0].message).toContain(l3.l2NetworkUuid);
  });

  it.each(['10.0.0.0/31', '10.0.0.7/32'])('GIVEN DHCP on %j WHEN attaching THEN DHCP_PREFIX_TOO_LONG at services', (cidr) => {
    const vs = checkServiceAttachment(check({ l3: { ...l3, cidr } }));
    expect(codesAt(vs)).toEqual(['DHCP_PREFIX_TOO_LONG@services']);
  });

  it.each([0n, -1n])('GIVEN flat DHCP and DNS and %s free IPs WHEN attaching THEN no violation: rule 18 is a wait (for the DHCP server address), not a refusal', (freeIpCount) => {
    expect(checkServiceAttachment(check({ services: ['DHCP'] }))).toEqual([]);
    const pending = pendingServices(['DNS', 'DHCP'], 'Flat', l3, freeIpCount);
    expect(pending).toEqual([
      { service: 'DNS', reason: expect.stringContaining('no free IP address') },
      { service: 'DHCP', reason: expect.stringContaining('no free IP address') },
    ]);
    expectNames(pending[0].reason, l3);
  });

  it.each<[string, ServiceType[], 'Flat' | 'VirtualRouter', bigint]>([
    ['flat DHCP with exactly one free IP', ['DHCP'], 'Flat', 1n],
    ['flat EIP without free IPs', ['EIP'], 'Flat', 0n],
    ['virtual router DHCP and DNS without free IPs (it answers from the gateway)', ['DHCP', 'DNS', 'SNAT'], 'VirtualRouter', 0n],
  ])('GIVEN %s WHEN asking what waits THEN nothing is pending', (_l, services, provider, free) => {
    expect(pendingServices(services, provider, l3, free)).toEqual([]);
  });

  it('GIVEN every rule broken at once WHEN attaching THEN all are reported', () => {
    const vs = checkServiceAttachment({
      l3: { ...l3, cidr: '10.0.0.0/31' },
      provider: { ...sg, attachedL2NetworkUuids: [] },
      services: ['DHCP', 'DHCP'],
      existing: [flatAttachment],
    });
    expect(codesAt(vs)).toEqual([
      'DUPLICATE_SERVICE@services[1]',
      'PROVIDER_LACKS_SERVICE@services[0]',
      'SERVICE_ALREADY_PROVIDED@services[0]',
      'PROVIDER_LACKS_SERVICE@services[1]',
      'SERVICE_ALREADY_PROVIDED@services[1]',
      'PROVIDER_NOT_ON_L2@providerUuid',
      'DHCP_PREFIX_TOO_LONG@services',
    ]);
    expectWellFormed(vs);
    expect(only(vs, 'PROVIDER_NOT_ON_L2').conflicting?.uuid).toBe(sg.uuid);
  });
});
