import { candidateHosts, checkVmL3Networks, type Host } from '../../../topology';
import { codesAt, expectNames, expectWellFormed } from './helpers';

type H = Pick<Host, 'uuid' | 'name' | 'clusterUuid' | 'state'>;

describe('candidateHosts() (rule 19)', () => {
  const hosts: H[] = [
    { uuid: 'h1', name: 'kvm-1', clusterUuid: 'c1', state: 'Connected' },
    { uuid: 'h2', name: 'kvm-2', clusterUuid: 'c1', state: 'Disconnected' },
    { uuid: 'h3', name: 'kvm-3', clusterUuid: 'c2', state: 'Connected' },
    { uuid: 'h4', name: 'kvm-4', clusterUuid: 'c3', state: 'Connected' },
    { uuid: 'h5', name: 'kvm-5', clusterUuid: 'c1', state: 'Maintenance' },
    { uuid: 'h6', name: 'kvm-6', clusterUuid: 'c1', state: 'Connected' },
    { uuid: 'h7', name: 'kvm-7', clusterUuid: 'c-unknown', state: 'Connected' },
  ];
  // c1 has both L2s, c2 only l2-a (a partial attachment), c3 none.
  const l2sByCluster = new Map<string, ReadonlySet<string>>([
    ['c1', new Set(['l2-a', 'l2-b'])],
    ['c2', new Set(['l2-a'])],
    ['c3', new Set<string>()],
  ]);

  it.each<[string, string[], string[]]>([
    ['one L2 attached to two clusters', ['l2-a'], ['h1', 'h3', 'h6']],
    ['two L2s, one cluster has both (partial attachment excluded)', ['l2-a', 'l2-b'], ['h1', 'h6']],
    ['the same two L2s in the other order', ['l2-b', 'l2-a'], ['h1', 'h6']],
    ['an L2 listed twice', ['l2-b', 'l2-b'], ['h1', 'h6']],
    ['an L2 attached nowhere', ['l2-x'], []],
    ['an attached L2 and an unattached one', ['l2-a', 'l2-x'], []],
    ['no L2 (no NICs): every connected host', [], ['h1', 'h3', 'h4', 'h6', 'h7']],
  ])('GIVEN %s WHEN choosing hosts THEN the connected hosts of fully attached clusters, in input order', (_l, required, expected) => {
    expect(candidateHosts(required, hosts, l2sByCluster).map((h) => h.uuid)).toEqual(expected);
  });

  it('GIVEN only disconnected and maintenance hosts in the right cluster WHEN choosing THEN none', () => {
    const down = hosts.filter((h) => h.state !== 'Connected');
    expect(candidateHosts(['l2-a'], down, l2sByCluster)).toEqual([]);
  });

  it('GIVEN hosts with extra fields WHEN choosing THEN the same objects come back', () => {
    const full = hosts.map((h) => ({ ...h, managementIp: '192.0.2.1' }));
    const out = candidateHosts(['l2-b'], full, l2sByCluster);
    expect(out[0]).toBe(full[0]);
    expect(out[0].managementIp).toBe('192.0.2.1');
  });

  it('GIVEN no hosts WHEN choosing THEN none', () => {
    expect(candidateHosts(['l2-a'], [], l2sByCluster)).toEqual([]);
  });
});

describe('checkVmL3Networks() (rule 20)', () => {
  const web = { uuid: 'l3-web', name: 'web', cidr: '10.0.0.0/24' };
  const db = { uuid: 'l3-db', name: 'db', cidr: '10.0.1.0/24' };
  const wide = { uuid: 'l3-wide', name: 'wide', cidr: '10.0.0.0/16' };
  const webCopy = { uuid: 'l3-web-2', name: 'web-2', cidr: '10.0.0.0/24' };
  const v6 = { uuid: 'l3-v6', name: 'v6', cidr: '2001:db8::/64' };
  const v6Wide = { uuid: 'l3-v6-wide', name: 'v6-wide', cidr: '2001:db8::/32' };
  const mapped = { uuid: 'l3-mapped', name: 'mapped', cidr: '::a00:0/120' };

  it.each<[string, (typeof web)[]]>([
    ['no L3 networks', []],
    ['one L3 network', [web]],
    ['adjacent CIDRs', [web, db]],
    ['IPv4 and IPv6', [web, v6]],
    ['an IPv6 CIDR numerically equal to an IPv4 one', [web, mapped]],
    ['an unparsable CIDR (reported elsewhere)', [web, { uuid: 'l3-bad', name: 'bad', cidr: 'nope' }]],
  ])('GIVEN %s WHEN checking THEN no violation', (_l, l3s) => {
    expect(checkVmL3Networks(l3s)).toEqual([]);
  });

  it.each<[string, (typeof web)[], string[], (typeof web)[]]>([
    ['a CIDR inside an earlier one', [wide, web], ['VM_L3_CIDR_OVERLAP@l3NetworkUuids[1]'], [wide]],
    ['a CIDR containing an earlier one', [web, db, wide], ['VM_L3_CIDR_OVERLAP@l3NetworkUuids[2]', 'VM_L3_CIDR_OVERLAP@l3NetworkUuids[2]'], [web, db]],
    ['identical CIDRs on two L3s', [web, webCopy], ['VM_L3_CIDR_OVERLAP@l3NetworkUuids[1]'], [web]],
    ['overlapping IPv6 CIDRs', [web, v6, v6Wide], ['VM_L3_CIDR_OVERLAP@l3NetworkUuids[2]'], [v6]],
  ])('GIVEN %s WHEN checking THEN VM_L3_CIDR_OVERLAP at the later L3, naming both L3s', (_l, l3s, expected, earlier) => {
    const vs = checkVmL3Networks(l3s);
    expect(codesAt(vs)).toEqual(expected);
    const later = l3s[Number(/\[(\d+)\]/.exec(vs[0].path)![1])];
    vs.forEach((v, i) => {
      expect(v.conflicting).toEqual({ type: 'L3Network', uuid: earlier[i].uuid, name: earlier[i].name });
      expectNames(v.message, earlier[i]);
      expectNames(v.message, later);
      expect(v.message).toContain(earlier[i].cidr);
      expect(v.message).toContain(later.cidr);
    });
    expectWellFormed(vs);
  });

  it('GIVEN the same L3 twice WHEN checking THEN only DUPLICATE_L3_NETWORK at the second, naming it', () => {
    const vs = checkVmL3Networks([web, db, web]);
    expect(codesAt(vs)).toEqual(['DUPLICATE_L3_NETWORK@l3NetworkUuids[2]']);
    expect(vs[0].conflicting).toEqual({ type: 'L3Network', uuid: web.uuid, name: web.name });
    expectNames(vs[0].message, web);
  });
});
