/**
 * Network services on a (fake) KVM host: what the realizer runs for a virtual router and a
 * flat DHCP server (exact argv, every command one the agent accepts), how a VM's NIC takes
 * its lease, what removal and reconcile leave behind.
 */
import { argvRefusal } from '../../../hosts/agent/argv-policy';
import { vmNicDeviceName } from '../../../hosts/linux/device-names';
import { vmNetnsName } from '../../../hosts/linux/names';
import { isolationTableName, steeringTableName } from '../../../hosts/services/service-rules';
import { KvmHostError, KvmHostReconciler, KvmHosts, KvmL2Realizer, KvmNetworkServiceRealizer, KvmVmInstanceBackend } from '../../../server/hypervisors/kvm';
import type { ServiceEndpoint } from '../../../server/extension/points';
import { makeHost, noVlanL2, vmSpec, vxlanL2 } from '../fixtures/hosts-and-networks';
import { flatEipEndpointOf, flatEndpoint, routerEndpoint } from '../fixtures/service-endpoints';
import { FakeLinux } from './fake-linux';

const host = makeHost(1, { name: 'kvm-1', managementIp: '172.30.0.11' });
const guest = vxlanL2(5000);
const pub = noVlanL2({ uuid: 'l2-public', physicalInterface: 'eth2' });

async function setup() {
  const fake = new FakeLinux({ interfaces: { eth0: '172.30.0.11/24', eth1: null, eth2: null } });
  const hosts = new KvmHosts(() => fake);
  for (const l2 of [guest, pub]) await new KvmL2Realizer(hosts, l2.type).realize(l2, host);
  return { fake, vm: new KvmVmInstanceBackend(hosts), services: new KvmNetworkServiceRealizer(hosts), reconciler: new KvmHostReconciler(hosts) };
}

function expectAllAllowedByAgent(fake: FakeLinux): void {
  expect(fake.commands.map((argv) => ({ argv: argv.join(' ').slice(0, 80), why: argvRefusal(argv) })).filter((r) => r.why !== null)).toEqual([]);
}

/** A VM on `l2` whose NIC is addressed by DHCP. */
function dhcpVm(uuid: string, l2 = guest) {
  const spec = vmSpec(uuid, host, [l2]);
  spec.nics[0].dhcp = true;
  return spec;
}

describe('a virtual router on a KVM host', () => {
  it('GIVEN a router with DHCP, DNS and SNAT WHEN its appliance starts and the endpoint is applied THEN forwarding, its nft table and dnsmasq are set in its namespace', async () => {
    const { fake, vm, services } = await setup();
    const endpoint = routerEndpoint(host, guest, pub, ['DHCP', 'DNS', 'SNAT'], [{ vmUuid: 'vm-1', hostname: 'vm-1', mac: 'fa:16:3e:00:00:10', ip: '192.168.10.10' }]);
    await vm.start(endpoint.appliance);
    const ns = vmNetnsName(endpoint.appliance.vmUuid);
    expect(fake.namespaces.get(ns)!.addrs.get('eth0')?.map((a) => a.local)).toEqual(['203.0.113.10']);
    expect(fake.namespaces.get(ns)!.addrs.get('eth1')?.map((a) => a.local)).toEqual(['192.168.10.1']);
    expect(fake.namespaces.get(ns)!.defaultRoute).toEqual({ gateway: '203.0.113.1', dev: 'eth0' });
    fake.clear();
    await services.apply(host, endpoint);
    expect(fake.changes.map((a) => a.slice(0, 7))).toEqual([
      ['ip', 'netns', 'exec', ns, 'sysctl', '-w', 'net.ipv4.ip_forward=1'],
      ['ip', 'netns', 'exec', ns, 'nft', '-j', expect.stringContaining('"masquerade":null')],
      ['netforge', 'dnsmasq-sync', ns, expect.stringContaining('"hostname":"vm-1"')],
    ]);
    expect(fake.forwarding.has(ns)).toBe(true);
    expect([...fake.nft.get(ns)!.keys()]).toEqual(['ip netforge']);
    expect(fake.dnsmasq.get(ns)).toMatchObject({ interface: 'eth1', dhcp: { router: '192.168.10.1', dnsServers: ['192.168.10.1'], hosts: [{ mac: 'fa:16:3e:00:00:10', ip: '192.168.10.10', hostname: 'vm-1' }] } });
    expectAllAllowedByAgent(fake);
  });

  it("GIVEN a router serving DHCP WHEN a VM starts with a DHCP NIC THEN the NIC gets no static address: the VM asks, and configures its lease (address, routes)", async () => {
    const { fake, vm, services } = await setup();
    const spec = dhcpVm('vm-1');
    const nic = spec.nics[0].nic;
    const endpoint = routerEndpoint(host, guest, pub, ['DHCP', 'DNS'], [{ vmUuid: 'vm-1', hostname: 'vm-1', mac: nic.mac, ip: nic.ip }]);
    await vm.start(endpoint.appliance);
    await services.apply(host, endpoint);
    fake.clear();
    await vm.start(spec);
    const ns = vmNetnsName('vm-1');
    // What addresses the guest: no `addr add` before its lease, then what the lease says.
    const addressing = (a: string[]) => a[0] === 'netforge' || (a[1] === '-n' && (a[3] === 'addr' || a[3] === 'route' || (a[3] === 'link' && a.includes('mtu'))));
    expect(fake.changes.filter(addressing)).toEqual([
      ['netforge', 'dhcp-leases', ns],
      ['netforge', 'dhcp-request', ns, 'eth0'],
      ['ip', '-n', ns, 'addr', 'add', `${nic.ip}/24`, 'dev', 'eth0'],
      // (its MTU is already the lease's: 1450, as the VXLAN bridge gave the veth)
      ['ip', '-n', ns, 'route', 'replace', 'default', 'via', '192.168.10.1', 'dev', 'eth0'],
    ]);
    expect(fake.namespaces.get(ns)!.links.get('eth0')!.mtu).toBe(1450);
    // Started again: the lease is recorded and configured, nothing is asked.
    fake.clear();
    await vm.start(spec);
    expect(fake.changes.filter((a) => a[0] === 'netforge')).toEqual([['netforge', 'dhcp-leases', ns]]);
    expectAllAllowedByAgent(fake);
  });

  it('GIVEN no DHCP server with its lease WHEN a DHCP VM starts THEN the start fails naming the VM, the NIC and the host, and leaves nothing', async () => {
    const { fake, vm } = await setup();
    const spec = dhcpVm('vm-2');
    await expect(vm.start(spec)).rejects.toThrow(new RegExp(`VM 'vm-vm-2' \\(vm-2\\) got no DHCP lease for eth0 \\(${spec.nics[0].nic.mac}, ${spec.nics[0].nic.ip}\\) on host 'kvm-1'`));
    expect(fake.namespaces.has(vmNetnsName('vm-2'))).toBe(false);
    expect(fake.host.links.has(vmNicDeviceName(spec.nics[0].nic.uuid))).toBe(false);
  });

  it('GIVEN a DHCP server answering another address than netforge allocated WHEN the VM takes it THEN the start fails saying both', async () => {
    const { fake, vm, services } = await setup();
    const spec = dhcpVm('vm-3');
    const endpoint = routerEndpoint(host, guest, pub, ['DHCP'], [{ vmUuid: 'vm-3', hostname: 'vm-3', mac: spec.nics[0].nic.mac, ip: '192.168.10.99' }]);
    await vm.start(endpoint.appliance);
    await services.apply(host, endpoint);
    await expect(vm.start(spec)).rejects.toThrow(new KvmHostError(`VM 'vm-vm-3' (vm-3) on host 'kvm-1' (host-0001, 172.30.0.11): the DHCP server 192.168.10.1 answered 192.168.10.99/24 for eth0 (${spec.nics[0].nic.mac}); netforge allocated ${spec.nics[0].nic.ip}`));
    expect(fake.namespaces.has(vmNetnsName('vm-3'))).toBe(false);
  });

  it('GIVEN a running router WHEN removed and its appliance destroyed THEN dnsmasq is stopped before its namespace goes', async () => {
    const { fake, vm, services } = await setup();
    const endpoint = routerEndpoint(host, guest, pub, ['DHCP'], []);
    await vm.start(endpoint.appliance);
    await services.apply(host, endpoint);
    fake.clear();
    await services.remove(host, endpoint);
    await vm.destroy(endpoint.appliance);
    const ns = vmNetnsName(endpoint.appliance.vmUuid);
    expect(fake.changes).toEqual([
      ['netforge', 'dnsmasq-stop', ns],
      ['ip', 'link', 'del', 'dev', vmNicDeviceName(endpoint.appliance.nics[0].nic.uuid)],
      ['ip', 'link', 'del', 'dev', vmNicDeviceName(endpoint.appliance.nics[1].nic.uuid)],
      ['netforge', 'dnsmasq-stop', ns],
      ['netforge', 'dhcp-forget', ns],
      ['ip', 'netns', 'del', ns],
    ]);
    expect(fake.dnsmasq.size).toBe(0);
    // Removing it again finds no namespace and runs nothing in it.
    fake.clear();
    await services.remove(host, endpoint);
    expect(fake.changes).toEqual([]);
  });

  it('GIVEN an endpoint whose appliance is not running WHEN applied THEN it is refused naming the namespace', async () => {
    const { services } = await setup();
    const endpoint = routerEndpoint(host, guest, pub, ['DHCP'], []);
    await expect(services.apply(host, endpoint)).rejects.toThrow(/the appliance 'vrouter-app' of virtualRouter:.* is not running on host 'kvm-1' .*\(no namespace nfvm-/);
  });
});

describe('flat DHCP on a KVM host', () => {
  it('GIVEN flat DHCP and DNS WHEN applied THEN a bridge table keeps its port from the uplink (the VXLAN device) and dnsmasq serves the local VMs', async () => {
    const { fake, vm, services } = await setup();
    const endpoint: ServiceEndpoint = flatEndpoint(host, guest, ['DHCP', 'DNS'], [{ vmUuid: 'vm-1', hostname: 'vm-1', mac: 'fa:16:3e:00:00:10', ip: '192.168.10.10' }]);
    await vm.start(endpoint.appliance);
    fake.clear();
    await services.apply(host, endpoint);
    const port = endpoint.isolation!.port;
    expect(fake.changes.map((a) => a.slice(0, 2))).toEqual([
      ['nft', '-j'],
      ['netforge', 'dnsmasq-sync'],
    ]);
    const table = [...fake.nft.get('')!.entries()].find(([k]) => k === `bridge ${isolationTableName(port)}`)![1];
    expect(JSON.stringify(table)).toContain(`"right":"${port}"`);
    expect(JSON.stringify(table)).toContain('"right":"vxlan5000"');
    expect(fake.dnsmasq.get(vmNetnsName(endpoint.appliance.vmUuid))).toMatchObject({
      interface: 'eth0',
      // The flat server answers the L3's names and forwards nothing (it has no way out); the L3's servers follow it.
      dhcp: { router: '192.168.10.1', dnsServers: ['192.168.10.9', '192.0.2.53'] },
      dns: { forwarders: [] },
    });
    fake.clear();
    await services.remove(host, endpoint);
    expect(fake.changes.map((a) => a.slice(0, 2))).toEqual([
      ['netforge', 'dnsmasq-stop'],
      ['nft', '-j'],
    ]);
    expect([...fake.nft.get('')!.keys()]).toEqual([]);
    expectAllAllowedByAgent(fake);
  });
});

describe('a flat EIP on a KVM host', () => {
  it("GIVEN a flat EIP WHEN its namespace starts and the endpoint is applied THEN the VIP and the gateway address are its own, its NAT is loaded and the host steers the VM's frames to it; removal takes the steering away", async () => {
    const { fake, vm, services } = await setup();
    const web = vmSpec('vm-web', host, [guest]);
    await vm.start(web);
    const endpoint = flatEipEndpointOf(host, guest, pub, web.nics[0].nic.uuid);
    await vm.start(endpoint.appliance);
    const ns = vmNetnsName(endpoint.appliance.vmUuid);
    fake.clear();
    await services.apply(host, endpoint);
    // The VIP is eth0's own address: nothing to add; forwarding, the NAT, then the steering.
    expect(fake.changes.map((a) => a.slice(0, 6))).toEqual([
      ['ip', 'netns', 'exec', ns, 'sysctl', '-w'],
      ['ip', 'netns', 'exec', ns, 'nft', '-j'],
      ['nft', '-j', expect.stringContaining(steeringTableName(endpoint.steering!.port))],
      ['netforge', 'dnsmasq-stop', ns],
    ]);
    const nat = JSON.stringify(fake.nft.get(ns)!.get('ip netforge'));
    expect(nat).toContain('"dnat":{"addr":"192.168.10.11"}');
    expect(nat).toContain('"snat":{"addr":"203.0.113.20"}');
    const steering = JSON.stringify(fake.nft.get('')!.get(`bridge ${steeringTableName(endpoint.steering!.port)}`));
    expect(steering).toContain(`"right":"${vmNicDeviceName(web.nics[0].nic.uuid)}"`);
    expect(steering).toContain(`"value":"${endpoint.steering!.mac}"`);
    expect(endpoint.appliance.nics.map((n) => n.nic.ip)).toEqual(['203.0.113.20', '192.168.10.1']);
    fake.clear();
    await services.remove(host, endpoint);
    expect([...fake.nft.get('')!.keys()]).toEqual([]);
    expectAllAllowedByAgent(fake);
  });
});

describe('reconciling services on a KVM host', () => {
  it('GIVEN a steering table that nothing explains WHEN reconciled THEN it goes', async () => {
    const { fake, vm, services, reconciler } = await setup();
    const endpoint = flatEipEndpointOf(host, guest, pub, 'nic-gone');
    await vm.start(endpoint.appliance);
    await services.apply(host, endpoint);
    const removed = await reconciler.removeOrphans(host, { l2s: [guest, pub], vms: [], services: [] });
    expect(removed).toEqual(expect.arrayContaining([vmNetnsName(endpoint.appliance.vmUuid), `nft bridge ${steeringTableName(endpoint.steering!.port)}`]));
    expect([...fake.nft.get('')!.keys()]).toEqual([]);
  });

  it("GIVEN an appliance and an isolation table that nothing explains (left by a crash) WHEN reconciled THEN dnsmasq is stopped, the namespace and the table go", async () => {
    const { fake, vm, services, reconciler } = await setup();
    const endpoint = flatEndpoint(host, guest, ['DHCP'], []);
    await vm.start(endpoint.appliance);
    await services.apply(host, endpoint);
    const ns = vmNetnsName(endpoint.appliance.vmUuid);
    fake.clear();
    const removed = await reconciler.removeOrphans(host, { l2s: [guest, pub], vms: [], services: [] });
    expect(removed).toEqual(expect.arrayContaining([ns, `nft bridge ${isolationTableName(endpoint.isolation!.port)}`]));
    expect(fake.changes.slice(0, 3)).toEqual([
      ['netforge', 'dnsmasq-stop', ns],
      ['netforge', 'dhcp-forget', ns],
      ['ip', 'netns', 'del', ns],
    ]);
    expect(fake.dnsmasq.size).toBe(0);
    expect([...fake.nft.get('')!.keys()]).toEqual([]);
  });

  it('GIVEN the endpoint is desired WHEN reconciled THEN its namespace and table stay', async () => {
    const { fake, vm, services, reconciler } = await setup();
    const endpoint = flatEndpoint(host, guest, ['DHCP'], []);
    await vm.start(endpoint.appliance);
    await services.apply(host, endpoint);
    expect(await reconciler.removeOrphans(host, { l2s: [guest, pub], vms: [endpoint.appliance], services: [endpoint] })).toEqual([]);
    expect(fake.dnsmasq.size).toBe(1);
  });
});
