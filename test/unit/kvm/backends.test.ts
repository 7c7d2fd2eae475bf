import { argvRefusal } from '../../../hosts/agent/argv-policy';
import {
  KvmHosts,
  KvmInvalidInputError,
  KvmHostError,
  KvmL2Realizer,
  KvmPreVmInstantiateExtension,
  KvmVmInstanceBackend,
  KvmHostReconciler,
  CommandFailedError,
} from '../../../server/hypervisors/kvm';
import { PartialRealizationError } from '../../../server/extension/points';
import { vmNicDeviceName } from '../../../hosts/linux/device-names';
import { vmNetnsName } from '../../../hosts/linux/names';
import { ExtensionRegistry } from '../../../server/extension/registry';
import { registerKvm } from '../../../server/hypervisors/kvm';
import { resolveConfig } from '../../../server/config';
import type { L2Network } from '../../../topology/model';
import { makeHost, noVlanL2, vlanL2, vmSpec, vxlanL2 } from '../fixtures/hosts-and-networks';
import { FakeLinux, type FakeLinuxOptions } from './fake-linux';

const host = makeHost(1, { name: 'kvm-1', managementIp: '172.30.0.11' });
const HOST = `host 'kvm-1' (host-0001, 172.30.0.11)`;
const INSPECT = [
  ['ip', '-json', '-d', 'link', 'show'],
  ['ip', '-json', 'addr', 'show'],
];

function setup(options: FakeLinuxOptions = {}) {
  const fake = new FakeLinux(options);
  const hosts = new KvmHosts(() => fake);
  return {
    fake,
    noVlan: new KvmL2Realizer(hosts, 'L2NoVlanNetwork'),
    vlan: new KvmL2Realizer(hosts, 'L2VlanNetwork'),
    vxlan: new KvmL2Realizer(hosts, 'L2VxlanNetwork'),
    preVm: new KvmPreVmInstantiateExtension(hosts),
    vm: new KvmVmInstanceBackend(hosts),
    reconciler: new KvmHostReconciler(hosts),
  };
}

/** Every command a test made the fake host run must be one the agent accepts. */
function expectAllAllowedByAgent(fake: FakeLinux): void {
  const refused = fake.commands.map((argv) => ({ argv, why: argvRefusal(argv) })).filter((r) => r.why !== null);
  expect(refused).toEqual([]);
}

describe('KVM L2 realizers on a (fake) host', () => {
  it('GIVEN NoVlan on eth1 WHEN realized twice THEN the second realize only inspects; the host has br_eth1 with eth1 in it', async () => {
    const { fake, noVlan } = setup();
    const l2 = noVlanL2();
    await noVlan.realize(l2, host);
    fake.clear();
    await noVlan.realize(l2, host);
    expect(fake.commands).toEqual(INSPECT);
    expect(fake.snapshot()).toEqual(['br_eth1 bridge - up', 'eth0 veth - up', 'eth1 veth br_eth1 up', 'lo - - up']);
    expectAllAllowedByAgent(fake);
  });

  it('GIVEN VXLAN 5001 realized WHEN deleted twice THEN exactly vxlan5001 and br_vx_5001 go, once; eth0 stays', async () => {
    const { fake, vxlan } = setup();
    const l2 = vxlanL2(5001);
    await vxlan.realize(l2, host);
    fake.clear();
    await vxlan.delete(l2, host);
    await vxlan.delete(l2, host);
    expect(fake.changes).toEqual([
      ['ip', 'link', 'del', 'dev', 'vxlan5001'],
      ['ip', 'link', 'del', 'dev', 'br_vx_5001'],
    ]);
    expect(fake.snapshot()).toEqual(['eth0 veth - up', 'eth1 veth - up', 'lo - - up']);
  });

  it('GIVEN a kernel without 802.1Q WHEN checking a VLAN network THEN it fails naming the host, and the host is exactly as before', async () => {
    const { fake, vlan } = setup({ vlanSupported: false });
    const before = fake.snapshot();
    const l2 = vlanL2(100, { physicalInterface: 'eth1' });
    await expect(vlan.check(l2, host)).rejects.toThrow(
      `${HOST} cannot carry L2 network 'l2-vlan-100' (l2-vlan-100): the kernel does not support 802.1Q VLAN devices`,
    );
    expect(fake.snapshot()).toEqual(before);
    expect(fake.changes.map((a) => a.slice(0, 3))).toEqual([
      ['ip', 'link', 'add'],
      ['ip', 'link', 'del'],
    ]);
    expectAllAllowedByAgent(fake);
  });

  it('GIVEN a kernel with 802.1Q WHEN checking a VLAN network THEN it passes and the probe is gone again', async () => {
    const { fake, vlan } = setup({ vlanSupported: true });
    const before = fake.snapshot();
    await vlan.check(vlanL2(100, { physicalInterface: 'eth1' }), host);
    expect(fake.snapshot()).toEqual(before);
  });

  it('GIVEN a missing interface WHEN checking THEN KvmHostError names the host and nothing changes', async () => {
    const { fake, noVlan } = setup();
    await expect(noVlan.check(noVlanL2({ physicalInterface: 'eth7' }), host)).rejects.toThrow(KvmHostError);
    await expect(noVlan.check(noVlanL2({ physicalInterface: 'eth7' }), host)).rejects.toThrow(`${HOST} has no interface 'eth7'`);
    expect(fake.changes).toEqual([]);
  });

  it('GIVEN an L2 of another type WHEN a realizer is asked THEN it refuses before touching the host', async () => {
    const { fake, vlan } = setup();
    await expect(vlan.realize(noVlanL2(), host)).rejects.toThrow('the KVM realizer of L2VlanNetwork got L2 network');
    expect(fake.commands).toEqual([]);
  });
});

describe('what a realize created, and only that, is undone', () => {
  it('GIVEN a host with nothing WHEN VLAN 10 is realized THEN it reports the VLAN device and the bridge as created, marked as netforge\'s', async () => {
    const { fake, vlan } = setup({ vlanSupported: true });
    expect(await vlan.realize(vlanL2(10, { physicalInterface: 'eth1' }), host)).toEqual({ created: ['br_eth1_10', 'eth1.10'] });
    const links = fake.host.links;
    expect([links.get('br_eth1_10')?.alias, links.get('eth1.10')?.alias]).toEqual(['netforge', 'netforge']);
    expect(links.get('eth1')?.alias).toBeUndefined();
  });

  it('GIVEN VLAN 10 fully there (a reconnect) WHEN realized again and undone THEN nothing was created and nothing is removed', async () => {
    const { fake, vlan } = setup({ vlanSupported: true });
    await vlan.realize(vlanL2(10, { physicalInterface: 'eth1' }), host);
    const before = fake.snapshot();
    const again = await vlan.realize(vlanL2(10, { physicalInterface: 'eth1' }), host);
    expect(again).toEqual({ created: [] });
    await vlan.undo(vlanL2(10, { physicalInterface: 'eth1' }), host, again);
    expect(fake.snapshot()).toEqual(before);
  });

  it('GIVEN the bridge exists and adding the VLAN device to it fails WHEN realizing THEN PartialRealizationError names the VLAN device only; undoing it keeps the bridge', async () => {
    const { fake, vlan } = setup({ vlanSupported: true });
    await vlan.realize(vlanL2(10, { physicalInterface: 'eth1' }), host);
    fake.host.links.delete('eth1.10');
    fake.failOn = { match: /master br_eth1_10/, stderr: 'RTNETLINK answers: Operation not permitted' };
    const err = await vlan.realize(vlanL2(10, { physicalInterface: 'eth1' }), host).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialRealizationError);
    expect((err as PartialRealizationError).created).toEqual(['eth1.10']);
    fake.failOn = undefined;
    await vlan.undo(vlanL2(10, { physicalInterface: 'eth1' }), host, { created: (err as PartialRealizationError).created });
    expect(fake.snapshot()).toContain('br_eth1_10 bridge - up');
    expect(fake.snapshot().some((l) => l.startsWith('eth1.10 '))).toBe(false);
  });

  it('GIVEN a bridge named br_eth1 that netforge did not create WHEN a NoVlan network is realized or deleted THEN realize refuses and delete leaves it', async () => {
    const { fake, noVlan } = setup();
    fake.addForeign({ name: 'br_eth1', kind: 'bridge', master: null });
    await expect(noVlan.realize(noVlanL2(), host)).rejects.toThrow('device br_eth1 exists and is not a netforge bridge (kind bridge) (it was not created by netforge)');
    await noVlan.delete(noVlanL2(), host);
    expect(fake.snapshot()).toContain('br_eth1 bridge - up');
    expect(fake.changes).toEqual([]);
  });
});

describe('KVM host reconcile', () => {
  it('GIVEN leftovers of a crash (a marked bridge and VM NIC nothing owns) and devices that are not netforge\'s WHEN reconciled THEN only the marked leftovers go', async () => {
    const { fake, noVlan, vxlan, reconciler } = setup();
    await noVlan.realize(noVlanL2(), host); // attached: stays
    await vxlan.realize(vxlanL2(5001), host); // its attachment row never committed: goes
    fake.addForeign({ name: 'br_docker', kind: 'bridge', master: null });
    fake.addForeign({ name: 'vnic00000000000', kind: 'veth', master: null });
    const removed = await reconciler.removeOrphans(host, { l2s: [noVlanL2()], vms: [], services: [] });
    expect(removed).toEqual(['vxlan5001', 'br_vx_5001']);
    expect(fake.snapshot()).toEqual(['br_docker bridge - up', 'br_eth1 bridge - up', 'eth0 veth - up', 'eth1 veth br_eth1 up', 'lo - - up', 'vnic00000000000 veth - up']);
  });

  it('GIVEN a VM namespace and NIC of a VM that is gone WHEN reconciled THEN both go; those of a placed VM stay', async () => {
    const { fake, noVlan, vm, reconciler } = setup();
    await noVlan.realize(noVlanL2(), host);
    const kept = vmSpec('vm-kept', host, [noVlanL2()]);
    const gone = vmSpec('vm-gone', host, [noVlanL2()]);
    await vm.start(kept);
    await vm.start(gone);
    const removed = await reconciler.removeOrphans(host, { l2s: [noVlanL2()], vms: [kept], services: [] });
    expect(removed).toEqual([vmNetnsName('vm-gone')]);
    expect(fake.namespaces.has(vmNetnsName('vm-kept'))).toBe(true);
    expect(fake.host.links.has(vmNicDeviceName(kept.nics[0].nic.uuid))).toBe(true);
    expect(fake.host.links.has(vmNicDeviceName(gone.nics[0].nic.uuid))).toBe(false);
  });
});

describe('hostile physicalInterface values never reach a command', () => {
  const HOSTILE = ['eth0;reboot', '$(id)', '-x', 'eth0abcdefghijkl', 'eth 0', 'eth0\nreboot', '`id`', 'eth0|id', '../eth0', '', '--help'];

  it.each(HOSTILE)('GIVEN physicalInterface %j WHEN check/realize/delete or a VM start THEN each throws before any exec', async (iface) => {
    const { fake, noVlan, vlan, vxlan, preVm, vm } = setup();
    const l2s: [KvmL2Realizer, L2Network][] = [
      [noVlan, noVlanL2({ physicalInterface: iface })],
      [vlan, vlanL2(10, { physicalInterface: iface })],
      [vxlan, vxlanL2(5000, { physicalInterface: iface })],
    ];
    for (const [realizer, l2] of l2s) {
      for (const op of ['check', 'realize', 'delete'] as const) {
        await expect(realizer[op](l2, host)).rejects.toThrow(KvmInvalidInputError);
      }
      const spec = vmSpec('vm-hostile', host, [l2]);
      await expect(vm.start(spec)).rejects.toThrow(KvmInvalidInputError);
      await expect(vm.destroy(spec)).rejects.toThrow(KvmInvalidInputError);
      if (l2.type === 'L2VxlanNetwork') await expect(preVm.preInstantiate(spec)).rejects.toThrow(KvmInvalidInputError);
    }
    expect(fake.commands).toEqual([]);
  });

  it('GIVEN a 16-character interface name WHEN realizing THEN the message says it is too long', async () => {
    const { fake, noVlan } = setup();
    await expect(noVlan.realize(noVlanL2({ physicalInterface: 'a'.repeat(16) }), host)).rejects.toThrow(/longer than 15 characters/);
    expect(fake.commands).toEqual([]);
  });

  it('GIVEN a hostile NIC IP or MAC WHEN starting a VM THEN it throws before any exec', async () => {
    const { fake, vm } = setup();
    const spec = vmSpec('vm-bad', host, [noVlanL2()]);
    await expect(vm.start({ ...spec, nics: [{ ...spec.nics[0], nic: { ...spec.nics[0].nic, ip: '10.0.0.1;id' } }] })).rejects.toThrow(
      KvmInvalidInputError,
    );
    await expect(vm.start({ ...spec, nics: [{ ...spec.nics[0], nic: { ...spec.nics[0].nic, mac: 'fa:16:3e:00:00:10 up' } }] })).rejects.toThrow(
      KvmInvalidInputError,
    );
    expect(fake.commands).toEqual([]);
  });
});

describe('KVM VM backend', () => {
  const noVlan = noVlanL2();
  const vx = vxlanL2(5001);

  async function withNetworks(options: FakeLinuxOptions = {}) {
    const s = setup(options);
    await s.noVlan.realize(noVlan, host);
    await s.vxlan.realize(vx, host);
    s.fake.clear();
    return s;
  }

  it('GIVEN NoVlan and VXLAN realized WHEN a VM with a NIC on each starts THEN the exact plan: namespace, veth per NIC in its bridge, MAC, IP, default route via the first NIC', async () => {
    const { fake, vm } = await withNetworks();
    const spec = vmSpec('vm-1', host, [noVlan, vx]);
    const ns = vmNetnsName('vm-1');
    const [v0, v1] = spec.nics.map((n) => vmNicDeviceName(n.nic.uuid));
    await vm.start(spec);
    expect(ns).toMatch(/^nfvm-[0-9a-f]{10}$/);
    expect(fake.changes).toEqual([
      ['ip', 'netns', 'add', ns],
      ['ip', '-n', ns, 'link', 'set', 'dev', 'lo', 'up'],
      [
        'ip',
        'link',
        'add',
        'name',
        v0,
        'mtu',
        '1500',
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'mtu',
        '1500',
        'address',
        'fa:16:3e:00:00:10',
        'netns',
        ns,
      ],
      ['ip', 'link', 'set', 'dev', v0, 'master', 'br_eth1'],
      ['ip', 'link', 'set', 'dev', v0, 'up'],
      ['ip', '-n', ns, 'addr', 'add', '192.168.10.10/24', 'dev', 'eth0'],
      ['ip', '-n', ns, 'link', 'set', 'dev', 'eth0', 'up'],
      ['ip', '-n', ns, 'route', 'replace', 'default', 'via', '192.168.10.1', 'dev', 'eth0'],
      [
        'ip',
        'link',
        'add',
        'name',
        v1,
        'mtu',
        '1450',
        'type',
        'veth',
        'peer',
        'name',
        'eth1',
        'mtu',
        '1450',
        'address',
        'fa:16:3e:00:00:11',
        'netns',
        ns,
      ],
      ['ip', 'link', 'set', 'dev', v1, 'master', 'br_vx_5001'],
      ['ip', 'link', 'set', 'dev', v1, 'up'],
      ['ip', '-n', ns, 'addr', 'add', '192.168.10.11/24', 'dev', 'eth1'],
      ['ip', '-n', ns, 'link', 'set', 'dev', 'eth1', 'up'],
    ]);
    expect(fake.snapshot(ns)).toEqual(['eth0 veth - up', 'eth1 veth - up', 'lo - - up']);
    expectAllAllowedByAgent(fake);
  });

  it('GIVEN the VM runs WHEN started again THEN only inspection runs (idempotent)', async () => {
    const { fake, vm } = await withNetworks();
    const spec = vmSpec('vm-1', host, [noVlan, vx]);
    await vm.start(spec);
    fake.clear();
    await vm.start(spec);
    expect(fake.changes).toEqual([]);
  });

  it('GIVEN the VM runs WHEN destroyed (twice) THEN its veths and namespace go, once; the bridges stay', async () => {
    const { fake, vm } = await withNetworks();
    const spec = vmSpec('vm-1', host, [noVlan, vx]);
    await vm.start(spec);
    fake.clear();
    await vm.destroy(spec);
    await vm.destroy(spec);
    const ns = vmNetnsName('vm-1');
    expect(fake.changes).toEqual([
      ['ip', 'link', 'del', 'dev', vmNicDeviceName(spec.nics[0].nic.uuid)],
      ['ip', 'link', 'del', 'dev', vmNicDeviceName(spec.nics[1].nic.uuid)],
      // What runs in it first: deleting a namespace does not end its processes.
      ['netforge', 'dnsmasq-stop', ns],
      ['netforge', 'dhcp-forget', ns],
      ['ip', 'netns', 'del', ns],
    ]);
    expect(fake.namespaces.has(ns)).toBe(false);
    expect(fake.snapshot()).toEqual([
      'br_eth1 bridge - up',
      'br_vx_5001 bridge - up',
      'eth0 veth - up',
      'eth1 veth br_eth1 up',
      'lo - - up',
      'vxlan5001 vxlan br_vx_5001 up',
    ]);
  });

  it('GIVEN the L2 is not realized on the host WHEN a VM starts THEN it fails naming the bridge and the host, and creates nothing', async () => {
    const { fake, vm } = setup();
    await expect(vm.start(vmSpec('vm-1', host, [noVlan]))).rejects.toThrow(
      `cannot start VM 'vm-vm-1' (vm-1) on ${HOST}: bridge br_eth1 of L2 network 'l2-novlan' (l2-novlan) is not realized there`,
    );
    expect(fake.changes).toEqual([]);
  });

  it('GIVEN a command fails midway WHEN a VM starts THEN what it created is removed and the error names the command', async () => {
    const { fake, vm } = await withNetworks({ failOn: { match: /addr add 192\.168\.10\.11/, stderr: 'RTNETLINK answers: Permission denied' } });
    await expect(vm.start(vmSpec('vm-1', host, [noVlan, vx]))).rejects.toThrow(CommandFailedError);
    expect(fake.namespaces.has(vmNetnsName('vm-1'))).toBe(false);
    expect(fake.snapshot().filter((l) => l.startsWith('vnic'))).toEqual([]);
  });

  it('GIVEN a VXLAN network not realized on the host WHEN preInstantiate runs THEN it is realized; releaseOnFailure removes it again', async () => {
    const { fake, preVm } = setup();
    const spec = vmSpec('vm-2', host, [vx, noVlan]);
    await preVm.preInstantiate(spec);
    expect(fake.snapshot()).toEqual(['br_vx_5001 bridge - up', 'eth0 veth - up', 'eth1 veth - up', 'lo - - up', 'vxlan5001 vxlan br_vx_5001 up']);
    await preVm.releaseOnFailure(spec);
    expect(fake.snapshot()).toEqual(['eth0 veth - up', 'eth1 veth - up', 'lo - - up']);
  });

  it('GIVEN realizing on demand fails midway WHEN preInstantiate runs THEN it removes what it made and rethrows', async () => {
    const { fake, preVm } = setup({ failOn: { match: /set dev vxlan5001 up/, stderr: 'RTNETLINK answers: Network is down' } });
    await expect(preVm.preInstantiate(vmSpec('vm-4', host, [vx]))).rejects.toThrow(CommandFailedError);
    expect(fake.snapshot()).toEqual(['eth0 veth - up', 'eth1 veth - up', 'lo - - up']);
  });

  it('GIVEN the VM started (and even was destroyed since) WHEN a stray releaseOnFailure comes for it THEN the network realized on demand stays', async () => {
    const { fake, preVm, vm } = setup();
    const spec = vmSpec('vm-5', host, [vx]);
    await preVm.preInstantiate(spec);
    await vm.start(spec);
    await vm.destroy(spec);
    await preVm.releaseOnFailure(spec);
    expect(fake.snapshot()).toContain('vxlan5001 vxlan br_vx_5001 up');
  });

  it('GIVEN the VXLAN network was realized already WHEN preInstantiate then releaseOnFailure run THEN it stays (not created for this VM)', async () => {
    const { fake, preVm, vxlan } = setup();
    await vxlan.realize(vx, host);
    const spec = vmSpec('vm-3', host, [vx]);
    await preVm.preInstantiate(spec);
    await preVm.releaseOnFailure(spec);
    expect(fake.snapshot()).toContain('vxlan5001 vxlan br_vx_5001 up');
  });
});

describe('KVM plugin registration and configuration', () => {
  it('registers the three L2 realizers, the pre-instantiate extension and the VM backend for KVM', () => {
    const registry = new ExtensionRegistry();
    registerKvm(registry, { executorFor: () => new FakeLinux() });
    for (const t of ['L2NoVlanNetwork', 'L2VlanNetwork', 'L2VxlanNetwork'] as const) expect(registry.hasL2Realizer(t, 'KVM')).toBe(true);
    expect(registry.getPreVmInstantiateExtensions('KVM')).toHaveLength(1);
    expect(registry.hasVmBackend('KVM')).toBe(true);
  });

  it('GIVEN a KVM host registered without its agent fingerprint WHEN a KVM operation runs THEN it fails saying what to set, contacting nothing', async () => {
    const registry = new ExtensionRegistry();
    registerKvm(registry, { identity: { keyPem: 'k', certPem: 'c' } });
    await expect(registry.getL2Realizer('L2NoVlanNetwork', 'KVM').check(noVlanL2(), host)).rejects.toThrow(
      `cannot reach the KVM agent of ${HOST}: the host has no agentFingerprint (the fingerprint \`netforge agent\` prints); set it on the host`,
    );
  });

  it('reads kvmAgentPort (default 7070) from the environment; overrides win', () => {
    expect(resolveConfig({}, {})).toMatchObject({ kvmAgentPort: 7070 });
    expect(resolveConfig({}, { NETFORGE_KVM_AGENT_PORT: '7171' })).toMatchObject({ kvmAgentPort: 7171 });
    expect(resolveConfig({ kvmAgentPort: 1 }, { NETFORGE_KVM_AGENT_PORT: '7171' })).toMatchObject({ kvmAgentPort: 1 });
  });
});
