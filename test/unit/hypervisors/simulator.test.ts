import { setTimeout as sleep } from 'node:timers/promises';
import { vmNicDeviceName } from '../../../hosts/linux/device-names';
import {
  DEFAULT_SIMULATOR_INTERFACES,
  SimulatorConfigError,
  SimulatorHostError,
  SimulatorInjectedError,
  SimulatorL2Realizer,
  SimulatorNetworkServiceRealizer,
  SimulatorPreVmInstantiateExtension,
  SimulatorState,
  SimulatorVmInstanceBackend,
  type SimulatorDevice,
} from '../../../server/hypervisors/simulator';
import { l3On, makeHost, noVlanL2, vlanL2, vmSpec, vxlanL2 } from '../fixtures/hosts-and-networks';
import { flatEndpoint, routerEndpoint, servedNic } from '../fixtures/service-endpoints';

function setup(options?: ConstructorParameters<typeof SimulatorState>[0]) {
  const state = new SimulatorState(options);
  return {
    state,
    noVlan: new SimulatorL2Realizer(state, 'L2NoVlanNetwork'),
    vlan: new SimulatorL2Realizer(state, 'L2VlanNetwork'),
    vxlan: new SimulatorL2Realizer(state, 'L2VxlanNetwork'),
    preVm: new SimulatorPreVmInstantiateExtension(state),
    vm: new SimulatorVmInstanceBackend(state),
  };
}

/** "op:l2-or-vm:ok" per log entry: compact, exact assertions on what the host received. */
function ops(state: SimulatorState, hostUuid: string): string[] {
  return state.getOpLog(hostUuid).map((e) => `${e.op}:${e.l2NetworkUuid ?? e.vmUuid}:${e.ok ? 'ok' : 'failed'}`);
}

const host = makeHost(1);

describe('Simulator L2 realizers: exact devices per L2 type', () => {
  it('GIVEN a NoVlan network on eth1 WHEN realized THEN the host has exactly bridge br_eth1 owned by it', async () => {
    const { state, noVlan } = setup();
    const l2 = noVlanL2();
    await noVlan.realize(l2, host);
    expect(state.getDevices(host.uuid)).toEqual<SimulatorDevice[]>([{ type: 'bridge', name: 'br_eth1', l2NetworkUuid: l2.uuid }]);
  });

  it('GIVEN VLAN 10 on eth0 WHEN realized THEN the host has bridge br_eth0_10 and VLAN device eth0.10 (parent eth0, vlan 10) in it', async () => {
    const { state, vlan } = setup();
    const l2 = vlanL2(10);
    await vlan.realize(l2, host);
    expect(state.getDevices(host.uuid)).toEqual<SimulatorDevice[]>([
      { type: 'bridge', name: 'br_eth0_10', l2NetworkUuid: l2.uuid },
      { type: 'vlan', name: 'eth0.10', l2NetworkUuid: l2.uuid, parent: 'eth0', vlan: 10, bridge: 'br_eth0_10' },
    ]);
  });

  it('GIVEN VXLAN 5000 over eth0 WHEN realized THEN the host has bridge br_vx_5000 and device vxlan5000 (vni 5000) in it', async () => {
    const { state, vxlan } = setup();
    const l2 = vxlanL2(5000);
    await vxlan.realize(l2, host);
    expect(state.getDevices(host.uuid)).toEqual<SimulatorDevice[]>([
      { type: 'bridge', name: 'br_vx_5000', l2NetworkUuid: l2.uuid },
      { type: 'vxlan', name: 'vxlan5000', l2NetworkUuid: l2.uuid, vni: 5000, underlay: 'eth0', bridge: 'br_vx_5000' },
    ]);
  });

  it('GIVEN a realized VLAN WHEN realized again THEN the devices are unchanged and both calls are logged as ok', async () => {
    const { state, vlan } = setup();
    const l2 = vlanL2(10);
    await vlan.realize(l2, host);
    const before = state.getDevices(host.uuid);
    await vlan.realize(l2, host);
    expect(state.getDevices(host.uuid)).toEqual(before);
    expect(ops(state, host.uuid)).toEqual(['realize:l2-vlan-10:ok', 'realize:l2-vlan-10:ok']);
  });

  it('GIVEN NoVlan and VLAN networks on one host WHEN the VLAN one is deleted twice THEN exactly its devices are gone and NoVlan stays', async () => {
    const { state, noVlan, vlan } = setup();
    const a = noVlanL2();
    const b = vlanL2(10);
    await noVlan.realize(a, host);
    await vlan.realize(b, host);
    await vlan.delete(b, host);
    await vlan.delete(b, host);
    expect(state.getDevices(host.uuid)).toEqual([{ type: 'bridge', name: 'br_eth1', l2NetworkUuid: a.uuid }]);
  });

  it('GIVEN a realizer for VLAN WHEN handed a VXLAN network THEN it refuses and touches nothing', async () => {
    const { state, vlan } = setup();
    await expect(vlan.realize(vxlanL2(), host)).rejects.toThrow(/realizer of L2VlanNetwork got L2 network 'l2-vxlan-5000' \(l2-vxlan-5000\) of type L2VxlanNetwork/);
    expect(state.getDevices(host.uuid)).toEqual([]);
  });
});

describe('Simulator check: physical interfaces and conflicts', () => {
  it('GIVEN the default interfaces WHEN checking a network on eth9 THEN it fails naming the host and interface, and nothing is created', async () => {
    const { state, vlan } = setup();
    const l2 = vlanL2(10, { physicalInterface: 'eth9' });
    await expect(vlan.check(l2, host)).rejects.toThrow(
      new SimulatorHostError(`host 'host-1' (host-0001, 10.0.0.2) has no physical interface 'eth9' needed by L2 network 'l2-vlan-10' (l2-vlan-10) (it has: eth0, eth1, eth2)`),
    );
    await expect(vlan.realize(l2, host)).rejects.toThrow(/no physical interface 'eth9'/);
    expect(state.getDevices(host.uuid)).toEqual([]);
    expect(DEFAULT_SIMULATOR_INTERFACES).toEqual(['eth0', 'eth1', 'eth2']);
  });

  it('GIVEN a host configured with interfaces "any" WHEN checking a network on eth9 THEN it passes', async () => {
    const { state, vlan } = setup();
    state.configureHost(host.uuid, { interfaces: 'any' });
    await expect(vlan.check(vlanL2(10, { physicalInterface: 'eth9' }), host)).resolves.toBeUndefined();
  });

  it('GIVEN VLAN 10 on eth0 realized by one network WHEN another network with VLAN 10 on eth0 is checked THEN it fails naming the owner', async () => {
    const { state, vlan } = setup();
    await vlan.realize(vlanL2(10), host);
    const other = vlanL2(10, { uuid: 'l2-other', name: 'other' });
    await expect(vlan.check(other, host)).rejects.toThrow(/device br_eth0_10 already exists and belongs to L2 network l2-vlan-10/);
    await expect(vlan.realize(other, host)).rejects.toThrow(SimulatorHostError);
    expect(state.getDevices(host.uuid).map((d) => d.l2NetworkUuid)).toEqual(['l2-vlan-10', 'l2-vlan-10']);
  });
});

describe('Simulator injected failures and latency', () => {
  it('GIVEN an injected check failure WHEN checking THEN it throws exactly that message and the log records the failure', async () => {
    const { state, vlan } = setup();
    state.configureHost(host.uuid, { failures: { check: 'kernel lacks 8021q' } });
    await expect(vlan.check(vlanL2(10), host)).rejects.toThrow(new SimulatorInjectedError('kernel lacks 8021q', 'check', host.uuid));
    expect(state.getOpLog(host.uuid)).toEqual([
      { seq: 1, op: 'check', l2NetworkUuid: 'l2-vlan-10', vmUuid: null, startedAt: expect.any(String), at: expect.any(String), ok: false, error: 'kernel lacks 8021q' },
    ]);
  });

  it('GIVEN an injected realize failure WHEN realizing VLAN 10 THEN it fails midway: the bridge exists, the VLAN device does not', async () => {
    const { state, vlan } = setup();
    state.configureHost(host.uuid, { failures: { realize: 'ip link add failed' } });
    await expect(vlan.realize(vlanL2(10), host)).rejects.toThrow('ip link add failed');
    expect(state.getDevices(host.uuid).map((d) => d.name)).toEqual(['br_eth0_10']);
  });

  it('GIVEN an injected delete failure WHEN deleting THEN devices stay; after clearing it with null THEN delete works', async () => {
    const { state, vlan } = setup();
    await vlan.realize(vlanL2(10), host);
    state.configureHost(host.uuid, { failures: { delete: 'device busy' } });
    await expect(vlan.delete(vlanL2(10), host)).rejects.toThrow('device busy');
    expect(state.getDevices(host.uuid)).toHaveLength(2);

    state.configureHost(host.uuid, { failures: { delete: null } });
    await vlan.delete(vlanL2(10), host);
    expect(state.getDevices(host.uuid)).toEqual([]);
  });

  it('GIVEN a host latency of 300 ms WHEN realizing THEN nothing exists 30 ms in, and the devices exist once it resolves', async () => {
    const { state, noVlan } = setup();
    state.configureHost(host.uuid, { latencyMs: 300 });
    const pending = noVlan.realize(noVlanL2(), host);
    await sleep(30);
    expect(state.getDevices(host.uuid)).toEqual([]);
    await pending;
    expect(state.getDevices(host.uuid)).toHaveLength(1);
  });
});

describe('SimulatorState configuration and reading', () => {
  it('GIVEN a configured host WHEN reading its state THEN it shows the effective config and serializes to JSON unchanged', async () => {
    const { state, vlan } = setup({ defaultLatencyMs: 0 });
    state.configureHost(host.uuid, { latencyMs: 1, interfaces: ['eth0', 'bond0'], failures: { start: 'no memory' } });
    await vlan.realize(vlanL2(10), host);

    const s = state.getHostState(host.uuid);
    expect(s).toEqual({
      hostUuid: host.uuid,
      hostName: host.name,
      managementIp: host.managementIp,
      config: { latencyMs: 1, interfaces: ['eth0', 'bond0'], failures: { start: 'no memory' } },
      devices: [
        { type: 'bridge', name: 'br_eth0_10', l2NetworkUuid: 'l2-vlan-10' },
        { type: 'vlan', name: 'eth0.10', l2NetworkUuid: 'l2-vlan-10', parent: 'eth0', vlan: 10, bridge: 'br_eth0_10' },
      ],
    });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('GIVEN a host with its own latency WHEN it is reset with null THEN it follows the default again', () => {
    const { state } = setup({ defaultLatencyMs: 7 });
    state.configureHost(host.uuid, { latencyMs: 50 });
    expect(state.configureHost(host.uuid, { latencyMs: null }).config.latencyMs).toBe(7);
  });

  it('GIVEN invalid config (negative latency, unknown op) WHEN configuring THEN SimulatorConfigError lists each problem with its path and nothing changes', () => {
    const { state } = setup();
    let caught: unknown;
    try {
      state.configureHost(host.uuid, { latencyMs: -1, failures: { reboot: 'x' } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SimulatorConfigError);
    expect((caught as SimulatorConfigError).code).toBe('INVALID_SIMULATOR_CONFIG');
    expect((caught as SimulatorConfigError).details.map((d) => d.path).sort()).toEqual(['failures', 'latencyMs']);
    expect(state.getHostState(host.uuid).config.latencyMs).toBe(0);
  });

  it('GIVEN failures on every op WHEN configuring with failures: null THEN all are cleared', () => {
    const { state } = setup();
    state.configureHost(host.uuid, { failures: { check: 'a', realize: 'b' } });
    expect(state.configureHost(host.uuid, { failures: null }).config.failures).toEqual({});
  });

  it('GIVEN two hosts with devices WHEN listing THEN hosts come sorted by uuid and devices carry their host', async () => {
    const { state, noVlan } = setup();
    const h2 = makeHost(2);
    await noVlan.realize(noVlanL2(), h2);
    await noVlan.realize(noVlanL2(), host);
    expect(state.listHosts().map((h) => h.hostUuid)).toEqual([host.uuid, h2.uuid]);
    expect(state.listDevices()).toEqual([
      { hostUuid: host.uuid, type: 'bridge', name: 'br_eth1', l2NetworkUuid: 'l2-novlan' },
      { hostUuid: h2.uuid, type: 'bridge', name: 'br_eth1', l2NetworkUuid: 'l2-novlan' },
    ]);
  });

  it('GIVEN an op log limit of 3 WHEN 5 ops run THEN the 3 newest are kept with their sequence numbers', async () => {
    const { state, noVlan } = setup({ opLogLimit: 3 });
    for (let i = 0; i < 5; i++) await noVlan.check(noVlanL2(), host);
    expect(state.getOpLog(host.uuid).map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('GIVEN a total op log limit of 4 over two hosts WHEN ops run on both THEN the 4 newest overall are kept, each in its host\'s log', async () => {
    const { state, noVlan } = setup({ opLogLimit: 3, opLogTotalLimit: 4 });
    const h2 = makeHost(2);
    for (let i = 0; i < 4; i++) await noVlan.check(noVlanL2(), host); // host: seq 1-4, the per-host limit keeps 2-4
    await noVlan.check(noVlanL2(), h2); // 4 entries over both
    await noVlan.check(noVlanL2(), h2); // 5: the oldest overall (host's seq 2) goes
    expect(state.getOpLog(host.uuid).map((e) => e.seq)).toEqual([3, 4]);
    expect(state.getOpLog(h2.uuid).map((e) => e.seq)).toEqual([1, 2]);
    // h2's third op drops host's seq 3; its fourth and fifth are held to 3 by the per-host limit.
    for (let i = 0; i < 3; i++) await noVlan.check(noVlanL2(), h2);
    expect(state.getOpLog(host.uuid).map((e) => e.seq)).toEqual([4]);
    expect(state.getOpLog(h2.uuid).map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('GIVEN a per-host limit well under the total WHEN thousands of ops run THEN the bookkeeping stays bounded too', async () => {
    const { state, noVlan } = setup({ opLogLimit: 2, opLogTotalLimit: 1000 });
    for (let i = 0; i < 5000; i++) await noVlan.check(noVlanL2(), host);
    expect(state.getOpLog(host.uuid).map((e) => e.seq)).toEqual([4999, 5000]);
    const { entries, queued } = state.opLogStats();
    expect(entries).toBe(2);
    expect(queued).toBeLessThanOrEqual(2 * entries + 1025);
  });

  it('GIVEN the total limit reached WHEN ops keep running THEN the bookkeeping stays bounded', async () => {
    const { state, noVlan } = setup({ opLogTotalLimit: 100 });
    const hosts = Array.from({ length: 10 }, (_, i) => makeHost(i + 10));
    for (let round = 0; round < 500; round++) for (const h of hosts) await noVlan.check(noVlanL2(), h);
    const { entries, queued } = state.opLogStats();
    expect(entries).toBe(100);
    expect(queued).toBeLessThanOrEqual(2 * entries + 1025);
    expect(state.getOpLog(hosts[9].uuid).map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 491 + i));
  });

  it('GIVEN hosts, devices and failures WHEN reset THEN everything is forgotten', async () => {
    const { state, noVlan } = setup();
    state.configureHost(host.uuid, { failures: { delete: 'x' } });
    await noVlan.realize(noVlanL2(), host);
    state.reset();
    expect(state.listHosts()).toEqual([]);
    expect(state.getHostState(host.uuid).config.failures).toEqual({});
  });
});

describe('Simulator VMs: pre-instantiate, start, destroy', () => {
  it('GIVEN a VXLAN not realized on the host WHEN a VM is pre-instantiated and started THEN the VXLAN is realized on demand and the NIC is on its bridge', async () => {
    const { state, preVm, vm } = setup();
    const l2 = vxlanL2(5000);
    const spec = vmSpec('vm-1', host, [l2]);
    await preVm.preInstantiate(spec);
    await vm.start(spec);

    const nic = spec.nics[0].nic;
    expect(state.getDevices(host.uuid)).toEqual<SimulatorDevice[]>([
      { type: 'bridge', name: 'br_vx_5000', l2NetworkUuid: l2.uuid },
      {
        type: 'vmNic',
        name: vmNicDeviceName(nic.uuid),
        vmUuid: 'vm-1',
        nicUuid: nic.uuid,
        l3NetworkUuid: l3On(l2).uuid,
        l2NetworkUuid: l2.uuid,
        bridge: 'br_vx_5000',
        mac: nic.mac,
        ip: nic.ip,
        addressing: 'static',
      },
      { type: 'vxlan', name: 'vxlan5000', l2NetworkUuid: l2.uuid, vni: 5000, underlay: 'eth0', bridge: 'br_vx_5000' },
    ]);
    expect(ops(state, host.uuid)).toEqual(['preInstantiate:vm-1:ok', 'start:vm-1:ok']);
  });

  it('GIVEN a VLAN not realized on the host WHEN a VM is started without pre-instantiate THEN start fails naming the bridge and no NIC is recorded', async () => {
    const { state, vm } = setup();
    await expect(vm.start(vmSpec('vm-1', host, [vlanL2(10)]))).rejects.toThrow(
      /cannot start VM 'vm-vm-1' \(vm-1\) on host 'host-1' \(host-0001, 10.0.0.2\): bridge br_eth0_10 of L2 network 'l2-vlan-10' \(l2-vlan-10\) is not realized there/,
    );
    expect(state.getDevices(host.uuid)).toEqual([]);
  });

  it('GIVEN VLAN realized by attach and VXLAN realized on demand WHEN releaseOnFailure runs THEN only the on-demand VXLAN is removed', async () => {
    const { state, vlan, preVm } = setup();
    await vlan.realize(vlanL2(10), host);
    const spec = vmSpec('vm-1', host, [vlanL2(10), vxlanL2(5000)]);
    await preVm.preInstantiate(spec);
    await preVm.releaseOnFailure(spec);
    expect(state.getDevices(host.uuid).map((d) => d.name)).toEqual(['br_eth0_10', 'eth0.10']);
  });

  it('GIVEN a VM whose second NIC needs a missing interface WHEN pre-instantiated THEN it fails and realizes nothing', async () => {
    const { state, preVm } = setup();
    const spec = vmSpec('vm-1', host, [vxlanL2(5000), vlanL2(10, { physicalInterface: 'eth7' })]);
    await expect(preVm.preInstantiate(spec)).rejects.toThrow(/no physical interface 'eth7'/);
    expect(state.getDevices(host.uuid)).toEqual([]);
  });

  it('GIVEN two running VMs on one L2 WHEN one is destroyed THEN only its NIC goes; the L2 cannot be deleted while the other NIC is plugged', async () => {
    const { state, vlan, vm } = setup();
    await vlan.realize(vlanL2(10), host);
    const a = vmSpec('vm-a', host, [vlanL2(10)]);
    const b = vmSpec('vm-b', host, [vlanL2(10)]);
    await vm.start(a);
    await vm.start(b);
    await vm.destroy(a);

    expect(state.getDevices(host.uuid).filter((d) => d.type === 'vmNic').map((d) => d.type === 'vmNic' && d.vmUuid)).toEqual(['vm-b']);
    await expect(vlan.delete(vlanL2(10), host)).rejects.toThrow(/VM NICs still plugged into it: vnic[0-9a-f]{11} \(VM vm-b\)/);
  });

  it('GIVEN a spec whose NIC sits on a different L3 than the one given WHEN starting THEN it is refused as inconsistent', async () => {
    const { state, vlan, vm } = setup();
    await vlan.realize(vlanL2(10), host);
    const spec = vmSpec('vm-1', host, [vlanL2(10)]);
    spec.nics[0].nic.l3NetworkUuid = 'some-other-l3';
    await expect(vm.start(spec)).rejects.toThrow(/NIC vm-1-nic-0 is on L3 some-other-l3/);
    expect(state.getDevices(host.uuid).some((d) => d.type === 'vmNic')).toBe(false);
  });

  it('GIVEN an injected start failure WHEN starting THEN it throws that message and records no NIC', async () => {
    const { state, vlan, vm } = setup();
    await vlan.realize(vlanL2(10), host);
    state.configureHost(host.uuid, { failures: { start: 'qemu crashed' } });
    await expect(vm.start(vmSpec('vm-1', host, [vlanL2(10)]))).rejects.toThrow('qemu crashed');
    expect(state.getDevices(host.uuid).some((d) => d.type === 'vmNic')).toBe(false);
  });
});

describe('Simulator network service realizer', () => {
  const guest = vxlanL2(5000);
  const pub = noVlanL2({ uuid: 'l2-public', physicalInterface: 'eth2' });
  const host2 = makeHost(2);

  /** A realizer with both networks realized on the hosts and `endpoint`'s appliance running on its host. */
  async function withAppliance(endpoint: ReturnType<typeof routerEndpoint>) {
    const s = setup();
    const realizer = new SimulatorNetworkServiceRealizer(s.state);
    for (const h of [host, host2]) {
      await s.vxlan.realize(guest, h);
      await s.noVlan.realize(pub, h);
    }
    await s.vm.start(endpoint.appliance);
    return { ...s, realizer };
  }

  it("GIVEN a router with DHCP, DNS and SNAT WHEN applied THEN the host records its leases, records, options and the router's nftables ruleset", async () => {
    const endpoint = routerEndpoint(host, guest, pub, ['DHCP', 'DNS', 'SNAT'], [servedNic(1), servedNic(2)]);
    const { state, realizer } = await withAppliance(endpoint);
    await realizer.apply(host, endpoint);
    const [recorded] = state.listEndpoints();
    expect(recorded).toMatchObject({
      hostUuid: host.uuid,
      key: endpoint.key,
      kind: 'virtualRouter',
      serveIp: '192.168.10.1',
      leases: [
        { mac: servedNic(1).mac, ip: '192.168.10.11', hostname: 'vm1' },
        { mac: servedNic(2).mac, ip: '192.168.10.12', hostname: 'vm2' },
      ],
      dhcpOptions: { subnet: '192.168.10.0/24', router: '192.168.10.1', dnsServers: ['192.168.10.1'], domain: 'app.example', mtu: 1450 },
      records: [
        { hostname: 'vm1', ip: '192.168.10.11' },
        { hostname: 'vm2', ip: '192.168.10.12' },
      ],
      forwarders: ['192.0.2.53'],
      isolation: null,
    });
    expect(JSON.stringify(recorded.nat)).toContain('"masquerade":null');
  });

  it('GIVEN an endpoint whose appliance is not running on the host WHEN applied THEN it is refused and nothing is recorded', async () => {
    const endpoint = routerEndpoint(host, guest, pub, ['DHCP'], []);
    const { state } = setup();
    await expect(new SimulatorNetworkServiceRealizer(state).apply(host, endpoint)).rejects.toThrow(/appliance 'vrouter-app' .* is not running on host 'host-1'/);
    expect(state.listEndpoints()).toEqual([]);
  });

  it('GIVEN a router serving DHCP WHEN a VM on another host starts with a DHCP NIC THEN it is leased from the router; without a lease the start fails', async () => {
    const spec = vmSpec('vm-1', host2, [guest]);
    spec.nics[0].dhcp = true;
    const nic = spec.nics[0].nic;
    const endpoint = routerEndpoint(host, guest, pub, ['DHCP'], [{ vmUuid: 'vm-1', hostname: 'vm-1', mac: nic.mac, ip: nic.ip }]);
    const { state, vm, realizer } = await withAppliance(endpoint);
    await realizer.apply(host, endpoint);
    await vm.start(spec);
    expect(state.getDevices(host2.uuid).find((d) => d.type === 'vmNic')).toMatchObject({ addressing: 'dhcp', leasedFrom: { hostUuid: host.uuid, endpoint: endpoint.key } });

    const stranger = vmSpec('vm-2', host2, [guest]);
    stranger.nics[0].dhcp = true;
    stranger.nics[0].nic = { ...stranger.nics[0].nic, uuid: 'other-nic', mac: 'fa:16:3e:99:99:99' };
    await expect(vm.start(stranger)).rejects.toThrow(/no DHCP server answered for NIC fa:16:3e:99:99:99/);
  });

  it("GIVEN flat DHCP on one host WHEN a VM on another host asks for its lease THEN nobody answers: flat DHCP serves its own host's VMs only", async () => {
    const spec = vmSpec('vm-1', host2, [guest]);
    spec.nics[0].dhcp = true;
    const nic = spec.nics[0].nic;
    const endpoint = flatEndpoint(host, guest, ['DHCP', 'DNS'], [{ vmUuid: 'vm-1', hostname: 'vm-1', mac: nic.mac, ip: nic.ip }]);
    const { state, vm, realizer } = await withAppliance(endpoint);
    await realizer.apply(host, endpoint);
    expect(state.listEndpoints()[0]).toMatchObject({ kind: 'flatDhcp', isolation: { port: endpoint.isolation!.port, uplink: 'vxlan5000' }, dhcpOptions: { router: '192.168.10.1', dnsServers: ['192.168.10.9', '192.0.2.53'] } });
    await expect(vm.start(spec)).rejects.toThrow(/no DHCP server answered/);
  });

  it('GIVEN an injected applyServices failure WHEN applying THEN it throws that message and records nothing; removeOrphans drops what is not desired', async () => {
    const endpoint = routerEndpoint(host, guest, pub, ['DNS'], [servedNic(1)]);
    const { state, realizer } = await withAppliance(endpoint);
    state.configureHost(host.uuid, { failures: { applyServices: 'dnsmasq: failed to bind port 53' } });
    await expect(realizer.apply(host, endpoint)).rejects.toThrow('dnsmasq: failed to bind port 53');
    expect(state.listEndpoints()).toEqual([]);
    state.configureHost(host.uuid, { failures: null });
    await realizer.apply(host, endpoint);
    expect(await state.removeOrphans(host, new Set([guest.uuid, pub.uuid]), new Set([endpoint.appliance.vmUuid]), new Set())).toEqual([endpoint.key]);
    expect(state.listEndpoints()).toEqual([]);
  });
});
