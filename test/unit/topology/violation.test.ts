import * as topology from '../../../topology';
import {
  describeObject,
  HOST_STATES,
  L2_TYPES,
  PROVIDER_TYPES,
  SERVICE_TYPES,
  SERVICES_BY_PROVIDER_TYPE,
  underPath,
  violation,
  type Violation,
} from '../../../topology';

describe('violation()', () => {
  it('GIVEN no conflicting object WHEN building a violation THEN it has code, path and message and no conflicting key', () => {
    const v = violation('VLAN_OUT_OF_RANGE', 'vlan', 'bad vlan');
    expect(v).toEqual({ code: 'VLAN_OUT_OF_RANGE', path: 'vlan', message: 'bad vlan' });
    expect(v).not.toHaveProperty('conflicting');
  });

  it('GIVEN a conflicting object WHEN building a violation THEN it is carried as given', () => {
    const c = { type: 'L2Network', uuid: 'u-1', name: 'prod' };
    expect(violation('VLAN_CONFLICT', 'clusterUuid', 'm', c)).toEqual({ code: 'VLAN_CONFLICT', path: 'clusterUuid', message: 'm', conflicting: c });
  });
});

describe('underPath()', () => {
  const vs: Violation[] = [
    { code: 'INVALID_IP', path: 'startIp', message: 'a' },
    { code: 'INVALID_NAME', path: '', message: 'b' },
    { code: 'INVALID_NEXT_HOP', path: 'hostRoutes[1].nextHop', message: 'c', conflicting: { type: 'X', uuid: 'x' } },
  ];

  it.each([
    ['ipRanges[0]', ['ipRanges[0].startIp', 'ipRanges[0]', 'ipRanges[0].hostRoutes[1].nextHop']],
    ['spec.l3', ['spec.l3.startIp', 'spec.l3', 'spec.l3.hostRoutes[1].nextHop']],
    ['', ['startIp', '', 'hostRoutes[1].nextHop']],
  ])('GIVEN prefix %j WHEN prefixing paths THEN paths are %j', (prefix, paths) => {
    expect(underPath(prefix, vs).map((v) => v.path)).toEqual(paths);
  });

  it('GIVEN violations WHEN prefixing THEN code, message and conflicting are kept and the input is not mutated', () => {
    const out = underPath('p', vs);
    expect(out.map(({ code, message, conflicting }) => ({ code, message, conflicting }))).toEqual(
      vs.map(({ code, message, conflicting }) => ({ code, message, conflicting })),
    );
    expect(vs[0].path).toBe('startIp');
  });

  it('GIVEN no violations WHEN prefixing THEN the result is empty', () => {
    expect(underPath('p', [])).toEqual([]);
  });
});

describe('describeObject()', () => {
  it.each([
    [{ type: 'L2Network', uuid: 'u-1', name: 'prod-vlan10' }, "L2Network 'prod-vlan10' (u-1)"],
    [{ type: 'L2Network', name: 'prod-vlan10' }, "L2Network 'prod-vlan10'"],
    [{ type: 'L2Network', uuid: 'u-1' }, 'L2Network (u-1)'],
    [{ type: 'L2Network' }, 'L2Network'],
    [{ type: 'L2Network', uuid: '', name: '' }, 'L2Network'],
  ])('GIVEN %j WHEN describing THEN the text is %j', (o, text) => {
    expect(describeObject(o)).toBe(text);
  });
});

describe('model constants', () => {
  it('GIVEN the provider table WHEN compared with the type lists THEN every provider type has an entry and offers only known services', () => {
    expect(Object.keys(SERVICES_BY_PROVIDER_TYPE).sort()).toEqual([...PROVIDER_TYPES].sort());
    for (const services of Object.values(SERVICES_BY_PROVIDER_TYPE)) {
      for (const s of services) expect(SERVICE_TYPES).toContain(s);
    }
  });

  it('GIVEN topology-rules.md rule 16 WHEN listing service types THEN they are exactly the six named there', () => {
    expect([...SERVICE_TYPES].sort()).toEqual(['DHCP', 'DNS', 'EIP', 'PortForwarding', 'SNAT', 'SecurityGroup'].sort());
  });

  it('GIVEN the model WHEN listing L2 types and host states THEN they match ZStack names', () => {
    expect(L2_TYPES).toEqual(['L2NoVlanNetwork', 'L2VlanNetwork', 'L2VxlanNetwork']);
    expect(HOST_STATES).toContain('Connected');
  });
});

describe('topology index', () => {
  it.each([
    'violation', 'underPath', 'describeObject',
    'parseIp', 'isIp', 'ipFromBigInt', 'parseCidr', 'cidrHasHostBits', 'cidrContains', 'cidrsOverlap', 'intervalsOverlap', 'reservedKind', 'rangeSize',
    'firstFreeIp', 'rangeContaining', 'countFreeIps',
    'validateVlanId', 'validateVni', 'validatePhysicalInterface', 'validateL2Spec', 'checkL2Attach', 'checkVniUnique', 'checkL2Delete', 'checkL2Detach',
    'defaultGateway', 'isValidDomainName', 'validateL3Spec', 'validateIpRange', 'checkIpRangeOverlaps', 'checkL3CidrOverlap', 'checkIpsInUse',
    'validateServiceList', 'checkDhcpPrefix', 'checkServiceAttachment',
    'candidateHosts', 'checkVmL3Networks',
  ])('GIVEN the module index WHEN importing %s THEN it is an exported function', (name) => {
    expect(typeof (topology as Record<string, unknown>)[name]).toBe('function');
  });
});
