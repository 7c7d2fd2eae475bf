import { argvOf, type CommandResult } from '../../../hosts/linux/commands';
import { KvmHostError } from '../../../server/hypervisors/kvm/errors';
import { inspectPlan, parseInspection, type NetnsInspection } from '../../../hosts/linux/inspect';
import { interpretVlanProbe, l2Problems, planL2Delete, planL2Realize, vlanProbePlan } from '../../../server/hypervisors/kvm/l2-plans';
import { vlanProbeName, vxlanGroup } from '../../../hosts/linux/names';
import { makeHost, noVlanL2, vlanL2, vxlanL2 } from '../fixtures/hosts-and-networks';
import { FakeLinux, type FakeLinuxOptions } from './fake-linux';

const host = makeHost(1, { name: 'kvm-1', managementIp: '172.30.0.11' });
const HOST = `host 'kvm-1' (host-0001, 172.30.0.11)`;

/** GIVEN a fake host, its inspection as the realizers see it. */
async function inspect(fake: FakeLinux): Promise<NetnsInspection> {
  return parseInspection(await fake.run(inspectPlan()), fake.description);
}

async function freshHost(options: FakeLinuxOptions = {}): Promise<{ fake: FakeLinux; insp: NetnsInspection }> {
  const fake = new FakeLinux(options);
  return { fake, insp: await inspect(fake) };
}

describe('vxlanGroup', () => {
  it('maps the 24 VNI bits onto 239.x.y.z, one group per VNI', () => {
    expect(vxlanGroup(1)).toBe('239.0.0.1');
    expect(vxlanGroup(5001)).toBe('239.0.19.137');
    expect(vxlanGroup(16777214)).toBe('239.255.255.254');
  });
});

describe('L2NoVlanNetwork plans', () => {
  const l2 = noVlanL2();

  it('GIVEN a host with eth1 WHEN planning realize THEN: bridge br_eth1, eth1 as its port, bridge up', async () => {
    const { insp } = await freshHost();
    expect(argvOf(planL2Realize(l2, host, insp))).toEqual([
      ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'],
      ['ip', 'link', 'set', 'dev', 'eth1', 'master', 'br_eth1'],
      ['ip', 'link', 'set', 'dev', 'br_eth1', 'up'],
    ]);
  });

  it('GIVEN eth1 is down WHEN planning realize THEN eth1 is brought up too', async () => {
    const { fake } = await freshHost();
    fake.host.links.get('eth1')!.up = false;
    expect(argvOf(planL2Realize(l2, host, await inspect(fake)))).toContainEqual(['ip', 'link', 'set', 'dev', 'eth1', 'up']);
  });

  it('GIVEN the network is realized WHEN planning realize again THEN the plan is empty (idempotent)', async () => {
    const { fake, insp } = await freshHost();
    await fake.run(planL2Realize(l2, host, insp));
    expect(planL2Realize(l2, host, await inspect(fake))).toEqual([]);
  });

  it('GIVEN the network is realized WHEN planning delete THEN only the bridge goes (eth1 stays, released)', async () => {
    const { fake, insp } = await freshHost();
    await fake.run(planL2Realize(l2, host, insp));
    expect(argvOf(planL2Delete(l2, host, await inspect(fake)))).toEqual([['ip', 'link', 'del', 'dev', 'br_eth1']]);
  });

  it('GIVEN nothing realized WHEN planning delete THEN the plan is empty', async () => {
    const { insp } = await freshHost();
    expect(planL2Delete(l2, host, insp)).toEqual([]);
  });

  it('GIVEN a host without the interface WHEN planning THEN the error names the host, the interface and what the host has', async () => {
    const { insp } = await freshHost({ interfaces: { eth0: '172.30.0.11/24' } });
    expect(() => planL2Realize(l2, host, insp)).toThrow(KvmHostError);
    expect(l2Problems(l2, host, insp)).toEqual([`${HOST} has no interface 'eth1' needed by L2 network 'l2-novlan' (l2-novlan) (it has: eth0)`]);
  });

  it('GIVEN the interface carries the management address WHEN planning THEN it is refused (bridging it would cut the host off)', async () => {
    const { insp } = await freshHost();
    expect(l2Problems(noVlanL2({ physicalInterface: 'eth0' }), host, insp)).toEqual([
      `${HOST} cannot carry L2 network 'l2-novlan' (l2-novlan): interface eth0 carries 172.30.0.11/24; making it a bridge port would cut those addresses off (use a data interface without addresses, e.g. the lab's eth1)`,
    ]);
  });

  it('GIVEN eth1 is a port of another bridge WHEN planning THEN it is refused, naming that bridge', async () => {
    const { fake } = await freshHost();
    await fake.run([
      { argv: ['ip', 'link', 'add', 'name', 'br_other', 'type', 'bridge'] },
      { argv: ['ip', 'link', 'set', 'dev', 'eth1', 'master', 'br_other'] },
    ]);
    expect(l2Problems(l2, host, await inspect(fake))).toEqual([
      `${HOST} cannot carry L2 network 'l2-novlan' (l2-novlan): interface eth1 is already a port of br_other`,
    ]);
  });

  it('GIVEN a non-bridge device named br_eth1 WHEN planning THEN realize refuses and delete leaves it alone', async () => {
    const { fake } = await freshHost({ interfaces: { eth0: '172.30.0.11/24', eth1: null, br_eth1: null } });
    const insp = await inspect(fake);
    expect(() => planL2Realize(l2, host, insp)).toThrow(
      `${HOST} cannot carry L2 network 'l2-novlan' (l2-novlan): device br_eth1 exists and is not a netforge bridge (kind veth)`,
    );
    expect(planL2Delete(l2, host, insp)).toEqual([]);
  });

  it('GIVEN a VM NIC plugged into the bridge WHEN planning delete THEN it is refused, naming the NIC', async () => {
    const { fake, insp } = await freshHost();
    await fake.run(planL2Realize(l2, host, insp));
    await fake.run([
      {
        argv: [
          'ip',
          'link',
          'add',
          'name',
          'vnic0123456789a',
          'mtu',
          '1500',
          'type',
          'veth',
          'peer',
          'name',
          'x0',
          'mtu',
          '1500',
          'address',
          'fa:00:00:00:00:01',
        ],
      },
    ]);
    await fake.run([{ argv: ['ip', 'link', 'set', 'dev', 'vnic0123456789a', 'master', 'br_eth1'] }]);
    const now = await inspect(fake);
    expect(() => planL2Delete(l2, host, now)).toThrow(
      `cannot delete L2 network 'l2-novlan' (l2-novlan) from ${HOST}: VM NICs are still plugged into br_eth1: vnic0123456789a`,
    );
  });
});

describe('L2VlanNetwork plans', () => {
  const l2 = vlanL2(100, { physicalInterface: 'eth1' });

  it('GIVEN a host with eth1 WHEN planning realize THEN: bridge, VLAN device eth1.100, port, both up', async () => {
    const { insp } = await freshHost();
    expect(argvOf(planL2Realize(l2, host, insp))).toEqual([
      ['ip', 'link', 'add', 'name', 'br_eth1_100', 'type', 'bridge'],
      ['ip', 'link', 'add', 'link', 'eth1', 'name', 'eth1.100', 'type', 'vlan', 'id', '100'],
      ['ip', 'link', 'set', 'dev', 'eth1.100', 'master', 'br_eth1_100'],
      ['ip', 'link', 'set', 'dev', 'eth1.100', 'up'],
      ['ip', 'link', 'set', 'dev', 'br_eth1_100', 'up'],
    ]);
  });

  it('GIVEN a kernel with 802.1Q and the network realized WHEN planning again THEN empty; delete removes the VLAN device and the bridge only', async () => {
    const { fake, insp } = await freshHost({ vlanSupported: true });
    await fake.run(planL2Realize(l2, host, insp));
    const after = await inspect(fake);
    expect(planL2Realize(l2, host, after)).toEqual([]);
    expect(argvOf(planL2Delete(l2, host, after))).toEqual([
      ['ip', 'link', 'del', 'dev', 'eth1.100'],
      ['ip', 'link', 'del', 'dev', 'br_eth1_100'],
    ]);
  });

  it('GIVEN a device eth1.100 that is VLAN 200 WHEN planning THEN realize refuses and delete leaves it alone', async () => {
    const { fake } = await freshHost({ vlanSupported: true });
    await fake.run([{ argv: ['ip', 'link', 'add', 'link', 'eth1', 'name', 'eth1.100', 'type', 'vlan', 'id', '200'] }]);
    const insp = await inspect(fake);
    expect(l2Problems(l2, host, insp)).toEqual([
      `${HOST} cannot carry L2 network 'l2-vlan-100' (l2-vlan-100): device eth1.100 exists and is not VLAN 100 on eth1`,
    ]);
    expect(planL2Delete(l2, host, insp)).toEqual([]);
  });

  it('GIVEN the VLAN device is missing WHEN planning the check probe THEN a throwaway device is created and deleted', async () => {
    const { insp } = await freshHost();
    const name = vlanProbeName('eth1', 100);
    expect(name).toMatch(/^nfchk[0-9a-f]{10}$/);
    const plan = vlanProbePlan(l2, insp);
    expect(plan).toEqual([
      { argv: ['ip', 'link', 'add', 'link', 'eth1', 'name', name, 'type', 'vlan', 'id', '100'], allowFailure: true },
      { argv: ['ip', 'link', 'del', 'dev', name], allowFailure: true },
    ]);
  });

  it('GIVEN a kernel without 802.1Q WHEN the probe ran THEN the check error names the host and the missing kernel support', async () => {
    const { fake, insp } = await freshHost({ vlanSupported: false });
    const plan = vlanProbePlan(l2, insp);
    const results = await fake.run(plan);
    expect(() => interpretVlanProbe(l2, host, plan, results)).toThrow(
      `${HOST} cannot carry L2 network 'l2-vlan-100' (l2-vlan-100): the kernel does not support 802.1Q VLAN devices (\`ip link add link eth1 name ${vlanProbeName(
        'eth1',
        100,
      )} type vlan id 100\`: Error: Unknown device type.)`,
    );
    expect(fake.snapshot()).toEqual((await freshHost()).fake.snapshot());
  });

  it('GIVEN the VLAN id is taken on the interface by another device WHEN the probe ran THEN the error says so', () => {
    const plan = vlanProbePlan(l2, parseInspection([], ''));
    const results: CommandResult[] = [
      { argv: [...plan[0].argv], code: 2, stdout: '', stderr: 'RTNETLINK answers: File exists' },
      { argv: [...plan[1].argv], code: 1, stdout: '', stderr: 'Cannot find device' },
    ];
    expect(() => interpretVlanProbe(l2, host, plan, results)).toThrow(/cannot create VLAN 100 on eth1 .*File exists/);
  });

  it('GIVEN the VLAN device exists already WHEN planning the probe THEN none is needed', async () => {
    const { fake, insp } = await freshHost({ vlanSupported: true });
    await fake.run(planL2Realize(l2, host, insp));
    expect(vlanProbePlan(l2, await inspect(fake))).toEqual([]);
  });
});

describe('L2VxlanNetwork plans', () => {
  const l2 = vxlanL2(5001);

  it('GIVEN eth0 with 172.30.0.11 WHEN planning realize THEN: bridge, vxlan5001 (group from the VNI, dev eth0, port 4789, local address), port, up', async () => {
    const { insp } = await freshHost();
    expect(argvOf(planL2Realize(l2, host, insp))).toEqual([
      ['ip', 'link', 'add', 'name', 'br_vx_5001', 'type', 'bridge'],
      [
        'ip',
        'link',
        'add',
        'name',
        'vxlan5001',
        'type',
        'vxlan',
        'id',
        '5001',
        'group',
        '239.0.19.137',
        'dev',
        'eth0',
        'dstport',
        '4789',
        'local',
        '172.30.0.11',
      ],
      ['ip', 'link', 'set', 'dev', 'vxlan5001', 'master', 'br_vx_5001'],
      ['ip', 'link', 'set', 'dev', 'vxlan5001', 'up'],
      ['ip', 'link', 'set', 'dev', 'br_vx_5001', 'up'],
    ]);
  });

  it('GIVEN the network is realized WHEN planning again THEN empty; delete removes vxlan5001 and br_vx_5001, never eth0', async () => {
    const { fake, insp } = await freshHost();
    await fake.run(planL2Realize(l2, host, insp));
    const after = await inspect(fake);
    expect(planL2Realize(l2, host, after)).toEqual([]);
    expect(argvOf(planL2Delete(l2, host, after))).toEqual([
      ['ip', 'link', 'del', 'dev', 'vxlan5001'],
      ['ip', 'link', 'del', 'dev', 'br_vx_5001'],
    ]);
  });

  it('GIVEN the underlay address changed WHEN planning realize THEN the stale VXLAN device is recreated and re-plugged', async () => {
    const { fake, insp } = await freshHost();
    await fake.run(planL2Realize(l2, host, insp));
    fake.host.addrs.set('eth0', [{ family: 'inet', local: '172.30.0.99', prefixlen: 24, scope: 'global' }]);
    expect(argvOf(planL2Realize(l2, host, await inspect(fake)))).toEqual([
      ['ip', 'link', 'del', 'dev', 'vxlan5001'],
      [
        'ip',
        'link',
        'add',
        'name',
        'vxlan5001',
        'type',
        'vxlan',
        'id',
        '5001',
        'group',
        '239.0.19.137',
        'dev',
        'eth0',
        'dstport',
        '4789',
        'local',
        '172.30.0.99',
      ],
      ['ip', 'link', 'set', 'dev', 'vxlan5001', 'master', 'br_vx_5001'],
      ['ip', 'link', 'set', 'dev', 'vxlan5001', 'up'],
    ]);
  });

  it('GIVEN the underlay interface has no IPv4 address WHEN planning THEN refused, naming host and interface', async () => {
    const { insp } = await freshHost();
    expect(l2Problems(vxlanL2(5001, { physicalInterface: 'eth1' }), host, insp)).toEqual([
      `${HOST} cannot carry L2 network 'l2-vxlan-5001' (l2-vxlan-5001): interface eth1 has no IPv4 address to carry VXLAN (the underlay address)`,
    ]);
  });

  it("GIVEN another network's devices on the host WHEN planning delete THEN they are not touched", async () => {
    const { fake, insp } = await freshHost();
    await fake.run(planL2Realize(vxlanL2(7), host, insp));
    await fake.run(planL2Realize(noVlanL2(), host, await inspect(fake)));
    expect(planL2Delete(l2, host, await inspect(fake))).toEqual([]);
  });
});
