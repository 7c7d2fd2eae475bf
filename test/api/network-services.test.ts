/**
 * The virtual router and the service plane over HTTP, realized by the Simulator: where the
 * router lands and what it serves (leases, records, options, SNAT), how it follows VMs and
 * network changes, how it waits (pending, with the reason) and converges, what it blocks,
 * the bad input it refuses before anything is realized, and the same end state whatever
 * order a configuration is created in.
 */
import { expectApiError, expectNothingWritten, expectStatus, list, snapshot, uniqueName, useServer } from './helpers';

const srv = useServer();

interface Net {
  zone: any;
  cluster: any;
  hosts: any[];
  guestL2: any;
  publicL2: any;
  guest: any;
  pub: any;
  vrouter: any;
}

let vni = 7000;

/** A zone, a cluster of `hosts`, a VXLAN guest L2 and a NoVlan public L2 (eth2) attached to it, an L3 on each with a range. */
async function topology(o: { hosts?: number; attachPublic?: boolean; guestCidr?: string } = {}): Promise<Net> {
  const zone = await srv.fx.zone();
  const cluster = await srv.fx.cluster(zone.uuid);
  const hosts = await srv.fx.hosts(cluster.uuid, o.hosts ?? 2);
  const guestL2 = await srv.fx.l2(zone.uuid, { type: 'L2VxlanNetwork', vni: vni++, physicalInterface: 'eth0' });
  const publicL2 = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth2' });
  await srv.fx.attach(guestL2.uuid, cluster.uuid);
  if (o.attachPublic !== false) await srv.fx.attach(publicL2.uuid, cluster.uuid);
  const guest = await srv.fx.l3(guestL2.uuid, o.guestCidr ?? '10.60.0.0/24', { dnsDomain: 'app.example', dnsServers: ['192.0.2.53'] });
  const base = (o.guestCidr ?? '10.60.0.0/24').split('.').slice(0, 3).join('.');
  await srv.fx.range(guest.uuid, `${base}.10`, `${base}.99`);
  const pub = await srv.fx.l3(publicL2.uuid, '203.0.113.0/24');
  await srv.fx.range(pub.uuid, '203.0.113.20', '203.0.113.20');
  return { zone, cluster, hosts, guestL2, publicL2, guest, pub, vrouter: await srv.fx.builtinProvider('vrouter') };
}

function attachRouter(net: Net, services = ['DHCP', 'DNS', 'SNAT']) {
  return srv.fx.create('network-service-attachments', { l3NetworkUuid: net.guest.uuid, providerUuid: net.vrouter.uuid, services, publicL3NetworkUuid: net.pub.uuid });
}

async function routerOf(l3Uuid: string) {
  const routers = await list(srv.ts, 'virtual-routers', { l3NetworkUuid: l3Uuid });
  return routers[0];
}

async function endpoints(l3Uuid: string) {
  const res = await srv.ts.api('GET', `/v1/service-endpoints?l3NetworkUuid=${l3Uuid}`);
  expectStatus(res, 200);
  return res.body as any[];
}

/** The simulated VM NICs on a host (appliances' too), by VM. */
async function nicsOn(hostUuid: string) {
  const res = await srv.ts.api('GET', `/v1/simulator/hosts/${hostUuid}`);
  return (res.body.devices as any[]).filter((d) => d.type === 'vmNic');
}

describe('virtual router: placement and what it serves', () => {
  it('GIVEN DHCP, DNS and SNAT attached WHEN VMs come THEN a router runs on the least loaded host with the gateway and a public address, serving every VM its lease and record', async () => {
    const net = await topology();
    const att = await attachRouter(net);
    expect(att).toMatchObject({ state: 'Applied', publicL3NetworkUuid: net.pub.uuid });
    const router = await routerOf(net.guest.uuid);
    expect(router).toMatchObject({ state: 'Running', hostUuid: net.hosts[0].uuid, guestIp: '10.60.0.1', publicIp: '203.0.113.20', pendingReason: null, publicL3NetworkUuid: net.pub.uuid });
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: net.pub.uuid })).toEqual([expect.objectContaining({ ip: '203.0.113.20', usedFor: `VirtualRouter:${router.uuid}` })]);

    const a = await srv.fx.vm([net.guest.uuid], { name: 'Web Server 1' });
    const b = await srv.fx.vm([net.guest.uuid], { name: 'db', hostname: 'database' });
    expect([a.hostname, b.hostname]).toEqual(['web-server-1', 'database']);
    // The VM landed on the other host (the router counts as load); its NIC took the lease.
    expect(a.hostUuid).toBe(net.hosts[1].uuid);
    expect((await nicsOn(a.hostUuid)).find((n) => n.vmUuid === a.uuid)).toMatchObject({ addressing: 'dhcp', leasedFrom: { hostUuid: net.hosts[0].uuid } });

    const [ep] = await endpoints(net.guest.uuid);
    expect(ep).toEqual({
      l3NetworkUuid: net.guest.uuid,
      key: `virtualRouter:${router.uuid}`,
      kind: 'virtualRouter',
      providerType: 'VirtualRouter',
      hostUuid: net.hosts[0].uuid,
      hostName: net.hosts[0].name,
      applianceUuid: router.uuid,
      applianceName: router.name,
      serveIp: '10.60.0.1',
      publicIp: '203.0.113.20',
      dhcp: {
        leases: [
          { mac: a.nics[0].mac, ip: a.nics[0].ip, hostname: 'web-server-1' },
          { mac: b.nics[0].mac, ip: b.nics[0].ip, hostname: 'database' },
        ],
        router: '10.60.0.1',
        dnsServers: ['10.60.0.1'],
        domain: 'app.example',
        classlessRoutes: [],
        mtu: 1450,
      },
      dns: {
        domain: 'app.example',
        records: [
          { hostname: 'web-server-1', ip: a.nics[0].ip },
          { hostname: 'database', ip: b.nics[0].ip },
        ],
        forwarders: ['192.0.2.53'],
      },
      snat: true,
      eips: [],
    });
    // The simulated host records the router's NAT rules: guest CIDR masqueraded out of eth0.
    const sim = (await srv.ts.api('GET', `/v1/simulator/services?l3NetworkUuid=${net.guest.uuid}`)).body.endpoints[0];
    const rules = (sim.nat.nftables as any[]).filter((c) => c.add?.rule?.chain === 'postrouting').map((c) => c.add.rule.expr);
    expect(rules).toEqual([
      [
        { match: { op: '==', left: { meta: { key: 'oifname' } }, right: 'eth0' } },
        { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: '10.60.0.0', len: 24 } } } },
        { counter: null },
        { masquerade: null },
      ],
    ]);
  });

  it('GIVEN a running router WHEN a VM is deleted, renamed, or the L3 changes THEN leases, records and options follow without touching the others', async () => {
    const net = await topology();
    await attachRouter(net);
    const a = await srv.fx.vm([net.guest.uuid], { hostname: 'alpha' });
    const b = await srv.fx.vm([net.guest.uuid], { hostname: 'beta' });
    expectStatus(await srv.ts.api('DELETE', `/v1/vm-instances/${b.uuid}`), 204);
    expect((await endpoints(net.guest.uuid))[0].dhcp.leases).toEqual([{ mac: a.nics[0].mac, ip: a.nics[0].ip, hostname: 'alpha' }]);

    const renamed = await srv.ts.api('PATCH', `/v1/vm-instances/${a.uuid}`, { hostname: 'gamma' });
    expectStatus(renamed, 200);
    expect(renamed.body.hostname).toBe('gamma');
    expect((await endpoints(net.guest.uuid))[0].dns.records).toEqual([{ hostname: 'gamma', ip: a.nics[0].ip }]);

    expectStatus(
      await srv.ts.api('PATCH', `/v1/l3-networks/${net.guest.uuid}`, { dnsDomain: 'corp.example', dnsServers: ['192.0.2.54'], mtu: 1400, hostRoutes: [{ prefix: '172.16.0.0/16', nextHop: '10.60.0.254' }] }),
      200,
    );
    const [ep] = await endpoints(net.guest.uuid);
    expect(ep.dhcp).toMatchObject({ domain: 'corp.example', mtu: 1400, classlessRoutes: [{ prefix: '172.16.0.0/16', nextHop: '10.60.0.254' }] });
    expect(ep.dns).toMatchObject({ domain: 'corp.example', forwarders: ['192.0.2.54'] });
  });

  it('GIVEN VMs running before the services WHEN DHCP is attached THEN they take their leases (as a guest DHCP client would retry)', async () => {
    const net = await topology();
    const vm = await srv.fx.vm([net.guest.uuid]);
    expect((await nicsOn(vm.hostUuid)).find((n) => n.vmUuid === vm.uuid)).toMatchObject({ addressing: 'static' });
    await attachRouter(net, ['DHCP']);
    expect((await nicsOn(vm.hostUuid)).find((n) => n.vmUuid === vm.uuid)).toMatchObject({ addressing: 'dhcp' });
  });

  it('GIVEN a router WHEN its services are detached THEN the router, its public address and what the hosts ran for it are gone', async () => {
    const net = await topology();
    const att = await attachRouter(net);
    const router = await routerOf(net.guest.uuid);
    expect((await nicsOn(router.hostUuid)).map((n) => n.vmUuid)).toContain(router.uuid);
    expectStatus(await srv.ts.api('DELETE', `/v1/network-service-attachments/${att.uuid}`), 204);
    expect(await list(srv.ts, 'virtual-routers', { l3NetworkUuid: net.guest.uuid })).toEqual([]);
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: net.pub.uuid })).toEqual([]);
    expect((await nicsOn(router.hostUuid)).map((n) => n.vmUuid)).not.toContain(router.uuid);
    expect(await endpoints(net.guest.uuid)).toEqual([]);
    expect((await srv.ts.api('GET', '/v1/simulator/services')).body.endpoints.filter((e: any) => e.l3NetworkUuid === net.guest.uuid)).toEqual([]);
  });

  it('GIVEN the API WHEN a virtual router is created, changed or deleted THEN 405: the server makes them', async () => {
    const net = await topology();
    await attachRouter(net);
    const router = await routerOf(net.guest.uuid);
    expectApiError(await srv.ts.api('POST', '/v1/virtual-routers', { l3NetworkUuid: net.guest.uuid }), 405, 'METHOD_NOT_ALLOWED');
    expectApiError(await srv.ts.api('PATCH', `/v1/virtual-routers/${router.uuid}`, { name: 'x' }), 405, 'METHOD_NOT_ALLOWED');
    expectApiError(await srv.ts.api('DELETE', `/v1/virtual-routers/${router.uuid}`), 405, 'METHOD_NOT_ALLOWED');
    expect((await srv.ts.api('GET', `/v1/virtual-routers/${router.uuid}`)).body).toEqual(router);
    const dry = await srv.ts.api('POST', '/v1/validate', { changes: [{ action: 'delete', type: 'virtualRouter', uuid: router.uuid }] });
    expect(dry.body.results[0].violations).toEqual([expect.objectContaining({ code: 'READ_ONLY_TYPE', path: 'type', status: 400 })]);
  });
});

describe('virtual router: waiting and converging', () => {
  it('GIVEN no cluster carries both networks WHEN services are attached THEN 201 Pending naming both L2s; WHEN the public L2 is attached THEN the router runs', async () => {
    const net = await topology({ attachPublic: false });
    const att = await attachRouter(net);
    expect(att.state).toBe('Pending');
    expect(att.pendingServices.map((p: any) => p.service)).toEqual(['DHCP', 'DNS', 'SNAT']);
    expect(att.pendingServices[0].reason).toContain(net.guestL2.name);
    expect(att.pendingServices[0].reason).toContain(net.publicL2.name);
    expect(await routerOf(net.guest.uuid)).toMatchObject({ state: 'Pending', hostUuid: null, publicIp: null });
    // Meanwhile VMs get static addresses: nothing serves DHCP yet.
    const vm = await srv.fx.vm([net.guest.uuid]);
    expect((await nicsOn(vm.hostUuid)).find((n) => n.vmUuid === vm.uuid)).toMatchObject({ addressing: 'static' });

    await srv.fx.attach(net.publicL2.uuid, net.cluster.uuid);
    expect((await srv.ts.api('GET', `/v1/network-service-attachments/${att.uuid}`)).body).toMatchObject({ state: 'Applied', pendingServices: [] });
    expect(await routerOf(net.guest.uuid)).toMatchObject({ state: 'Running', publicIp: '203.0.113.20' });
    expect((await nicsOn(vm.hostUuid)).find((n) => n.vmUuid === vm.uuid)).toMatchObject({ addressing: 'dhcp' });
  });

  it('GIVEN a public network without free addresses WHEN services are attached THEN Pending; WHEN a range is added to it THEN Running', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    await srv.fx.hosts(cluster.uuid, 1);
    const guestL2 = await srv.fx.l2(zone.uuid, { type: 'L2VxlanNetwork', vni: vni++ });
    const publicL2 = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth2' });
    for (const l2 of [guestL2, publicL2]) await srv.fx.attach(l2.uuid, cluster.uuid);
    const guest = await srv.fx.l3(guestL2.uuid, '10.61.0.0/24');
    const pub = await srv.fx.l3(publicL2.uuid, '203.0.113.0/24');
    const vrouter = await srv.fx.builtinProvider('vrouter');
    const att = await srv.fx.create('network-service-attachments', { l3NetworkUuid: guest.uuid, providerUuid: vrouter.uuid, services: ['SNAT'], publicL3NetworkUuid: pub.uuid });
    expect(att.pendingServices).toEqual([{ service: 'SNAT', reason: expect.stringContaining(`public network L3Network '${pub.name}'`) }]);
    await srv.fx.range(pub.uuid, '203.0.113.50', '203.0.113.50');
    expect(await routerOf(guest.uuid)).toMatchObject({ state: 'Running', publicIp: '203.0.113.50' });
  });

  it('GIVEN a cluster without hosts WHEN services are attached THEN Pending; WHEN a host joins THEN the router runs there', async () => {
    const net = await topology({ hosts: 0 });
    const att = await attachRouter(net, ['DHCP']);
    expect(att.state).toBe('Pending');
    const host = await srv.fx.host(net.cluster.uuid);
    expect(await routerOf(net.guest.uuid)).toMatchObject({ state: 'Running', hostUuid: host.uuid });
    expect((await srv.ts.api('GET', `/v1/network-service-attachments/${att.uuid}`)).body.state).toBe('Applied');
  });

  it("GIVEN a router's host failing to start it WHEN services are attached THEN 409 naming the host and nothing is stored", async () => {
    const net = await topology({ hosts: 1 });
    expectStatus(await srv.ts.api('PATCH', `/v1/simulator/hosts/${net.hosts[0].uuid}`, { failures: { start: 'qemu: could not allocate memory' } }), 200);
    try {
      const before = await snapshot(srv.ts);
      const res = await srv.ts.api('POST', '/v1/network-service-attachments', {
        l3NetworkUuid: net.guest.uuid,
        providerUuid: net.vrouter.uuid,
        services: ['DHCP'],
        publicL3NetworkUuid: net.pub.uuid,
      });
      expectApiError(res, 409, 'VM_START_FAILED', {
        path: 'hostUuid',
        conflicting: { type: 'Host', uuid: net.hosts[0].uuid, name: net.hosts[0].name },
        message: ['qemu: could not allocate memory', 'vrouter-'],
      });
      await expectNothingWritten(srv.ts, before);
    } finally {
      expectStatus(await srv.ts.api('PATCH', `/v1/simulator/hosts/${net.hosts[0].uuid}`, { failures: null }), 200);
    }
  });
});

describe('virtual router: what it holds', () => {
  it("GIVEN a running router WHEN its host is deleted, the public L2 detached from its cluster, its public address released or the public L3 deleted THEN 409 naming the router", async () => {
    const net = await topology({ hosts: 1 });
    await attachRouter(net);
    const router = await routerOf(net.guest.uuid);
    const before = await snapshot(srv.ts);
    const named = { type: 'VirtualRouter', uuid: router.uuid, name: router.name };
    expectApiError(await srv.ts.api('DELETE', `/v1/hosts/${router.hostUuid}`), 409, 'HOST_IN_USE', { conflicting: named });
    const [publicAttachment] = await list(srv.ts, 'l2-cluster-attachments', { l2NetworkUuid: net.publicL2.uuid });
    expectApiError(await srv.ts.api('DELETE', `/v1/l2-cluster-attachments/${publicAttachment.uuid}`), 409, 'L2_IN_USE_BY_ROUTER', {
      path: 'clusterUuid',
      conflicting: named,
    });
    const [publicIp] = await list(srv.ts, 'ip-addresses', { l3NetworkUuid: net.pub.uuid });
    expectApiError(await srv.ts.api('DELETE', `/v1/ip-addresses/${publicIp.uuid}`), 409, 'IP_IN_USE_BY_SERVICE', { conflicting: { type: 'VirtualRouter', uuid: router.uuid } });
    expectApiError(await srv.ts.api('DELETE', `/v1/l3-networks/${net.pub.uuid}`), 409, 'L3_IN_USE', { message: [`VirtualRouter:${router.uuid}`] });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN a guest L3 with a router WHEN the L3 is deleted THEN its services and router go with it', async () => {
    const net = await topology();
    await attachRouter(net);
    expectStatus(await srv.ts.api('DELETE', `/v1/ip-ranges/${(await list(srv.ts, 'ip-ranges', { l3NetworkUuid: net.guest.uuid }))[0].uuid}`), 204);
    expectStatus(await srv.ts.api('DELETE', `/v1/l3-networks/${net.guest.uuid}`), 204);
    expect(await list(srv.ts, 'virtual-routers', { l3NetworkUuid: net.guest.uuid })).toEqual([]);
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: net.pub.uuid })).toEqual([]);
  });
});

describe('bad input is refused before anything is realized', () => {
  async function refused(body: Record<string, unknown>, status: number, code: string, detail: Record<string, unknown>) {
    const before = await snapshot(srv.ts);
    const res = await srv.ts.api('POST', '/v1/network-service-attachments', body);
    expectApiError(res, status, code, detail);
    await expectNothingWritten(srv.ts, before);
  }

  it('GIVEN a VirtualRouter without a public network, or with the guest as its own public network THEN 400 at publicL3NetworkUuid', async () => {
    const net = await topology();
    const body = { l3NetworkUuid: net.guest.uuid, providerUuid: net.vrouter.uuid, services: ['SNAT'] };
    await refused(body, 400, 'PUBLIC_NETWORK_REQUIRED', { path: 'publicL3NetworkUuid' });
    await refused({ ...body, publicL3NetworkUuid: net.guest.uuid }, 400, 'PUBLIC_NETWORK_IS_GUEST', { path: 'publicL3NetworkUuid' });
    const flat = await srv.fx.builtinProvider('flat');
    await refused({ ...body, providerUuid: flat.uuid, services: ['DHCP'], publicL3NetworkUuid: net.pub.uuid }, 400, 'PUBLIC_NETWORK_NOT_ALLOWED', { path: 'publicL3NetworkUuid' });
    await refused({ ...body, publicL3NetworkUuid: '00000000-0000-4000-8000-000000000009' }, 404, 'NOT_FOUND', { path: 'publicL3NetworkUuid' });
  });

  it('GIVEN a guest CIDR that overlaps the public one THEN 409 PUBLIC_CIDR_OVERLAP at publicL3NetworkUuid naming the public L3', async () => {
    const net = await topology({ guestCidr: '203.0.113.0/25' });
    const pub2 = await srv.fx.l3(net.publicL2.uuid, '198.51.100.0/24');
    await refused({ l3NetworkUuid: net.guest.uuid, providerUuid: net.vrouter.uuid, services: ['SNAT'], publicL3NetworkUuid: net.pub.uuid }, 409, 'PUBLIC_CIDR_OVERLAP', {
      path: 'publicL3NetworkUuid',
      conflicting: { type: 'L3Network', uuid: net.pub.uuid, name: net.pub.name },
      message: ['203.0.113.0/25', '203.0.113.0/24'],
    });
    await expect(srv.fx.create('network-service-attachments', { l3NetworkUuid: net.guest.uuid, providerUuid: net.vrouter.uuid, services: ['SNAT'], publicL3NetworkUuid: pub2.uuid })).resolves.toMatchObject({});
  });

  it('GIVEN a public network in another zone (no cluster can carry both) THEN 409 PUBLIC_NETWORK_UNREACHABLE', async () => {
    const net = await topology();
    const otherZone = await srv.fx.zone();
    const farL2 = await srv.fx.l2(otherZone.uuid, { physicalInterface: 'eth2' });
    const far = await srv.fx.l3(farL2.uuid, '198.51.100.0/24');
    await refused({ l3NetworkUuid: net.guest.uuid, providerUuid: net.vrouter.uuid, services: ['SNAT'], publicL3NetworkUuid: far.uuid }, 409, 'PUBLIC_NETWORK_UNREACHABLE', {
      path: 'publicL3NetworkUuid',
      conflicting: { type: 'L3Network', uuid: far.uuid, name: far.name },
    });
  });

  it('GIVEN a router leaving through one public network WHEN another VirtualRouter attachment names another THEN 409 PUBLIC_NETWORK_CONFLICT', async () => {
    const net = await topology();
    const first = await attachRouter(net, ['DHCP']);
    const pub2 = await srv.fx.l3(net.publicL2.uuid, '198.51.100.0/24');
    await refused({ l3NetworkUuid: net.guest.uuid, providerUuid: net.vrouter.uuid, services: ['SNAT'], publicL3NetworkUuid: pub2.uuid }, 409, 'PUBLIC_NETWORK_CONFLICT', {
      conflicting: { type: 'NetworkServiceAttachment', uuid: first.uuid },
    });
  });

  it('GIVEN an IPv6 guest network WHEN DHCP or SNAT is attached THEN 409 SERVICE_NEEDS_IPV4 at the service', async () => {
    const net = await topology();
    const v6 = await srv.fx.l3(net.guestL2.uuid, 'fd00:60::/64');
    await refused({ l3NetworkUuid: v6.uuid, providerUuid: net.vrouter.uuid, services: ['DNS', 'SNAT'], publicL3NetworkUuid: net.pub.uuid }, 409, 'SERVICE_NEEDS_IPV4', { path: 'services[1]' });
  });

  it.each([
    ['shell metacharacters', 'app.example;reboot'],
    ['a command substitution', '$(touch /tmp/x).example'],
    ['a dnsmasq option on a new line', 'app.example\n--dhcp-script=/bin/sh'],
    ['a comma', 'app,example'],
  ])('GIVEN a DNS domain with %s THEN 400 INVALID_DNS_DOMAIN at dnsDomain and nothing is created', async (_what, dnsDomain) => {
    const net = await topology();
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/l3-networks', { name: uniqueName('l3'), l2NetworkUuid: net.guestL2.uuid, cidr: '10.62.0.0/24', dnsDomain }), 400, 'INVALID_DNS_DOMAIN', {
      path: 'dnsDomain',
    });
    expectApiError(await srv.ts.api('PATCH', `/v1/l3-networks/${net.guest.uuid}`, { dnsDomain }), 400, 'INVALID_DNS_DOMAIN', { path: 'dnsDomain' });
    await expectNothingWritten(srv.ts, before);
  });

  it.each([
    ['a dnsmasq field separator', 'web,set:evil'],
    ['a new line with an option', 'web\n--dhcp-script=/bin/sh'],
    ['an = sign', 'dhcp-option=3'],
    ['upper case', 'Web'],
    ['a dot', 'web.example'],
    ['64 characters', 'a'.repeat(64)],
    ["dnsmasq's ignore keyword (never answer this MAC)", 'ignore'],
    ['a number (a lease time to dnsmasq)', '42'],
    ['a lease time with a unit', '10h'],
  ])('GIVEN a VM host name with %s THEN 400 INVALID_HOSTNAME at hostname and nothing is realized', async (_what, hostname) => {
    const net = await topology();
    await attachRouter(net);
    const vm = await srv.fx.vm([net.guest.uuid]);
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/vm-instances', { name: uniqueName('vm'), l3NetworkUuids: [net.guest.uuid], hostname }), 400, 'INVALID_HOSTNAME', { path: 'hostname' });
    expectApiError(await srv.ts.api('PATCH', `/v1/vm-instances/${vm.uuid}`, { hostname }), 400, 'INVALID_HOSTNAME', { path: 'hostname' });
    await expectNothingWritten(srv.ts, before);
  });

  it('GIVEN two VMs on one L3 WHEN the second takes the first one\'s host name THEN 409 HOSTNAME_CONFLICT naming the first; on another L3 it is fine', async () => {
    const net = await topology();
    const first = await srv.fx.vm([net.guest.uuid], { hostname: 'web' });
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/vm-instances', { name: uniqueName('vm'), l3NetworkUuids: [net.guest.uuid], hostname: 'web' }), 409, 'HOSTNAME_CONFLICT', {
      path: 'hostname',
      conflicting: { type: 'VmInstance', uuid: first.uuid, name: first.name },
    });
    await expectNothingWritten(srv.ts, before);
    await expect(srv.fx.vm([net.pub.uuid], { hostname: 'web' })).resolves.toMatchObject({ hostname: 'web' });
  });

  it.each([0, 575, 9001, 1500.5])('GIVEN an L3 MTU of %j THEN 400 INVALID_MTU at mtu', async (mtu) => {
    const net = await topology();
    expectApiError(await srv.ts.api('POST', '/v1/l3-networks', { name: uniqueName('l3'), l2NetworkUuid: net.guestL2.uuid, cidr: '10.63.0.0/24', mtu }), 400, mtu === 1500.5 ? 'VALIDATION_FAILED' : 'INVALID_MTU', {
      path: 'mtu',
    });
  });
});

describe('order independence: the same configuration in different creation orders ends in the same data plane', () => {
  /**
   * One configuration: a zone, a cluster of two hosts, a guest VXLAN and a public NoVlan L2
   * attached to it, a guest L3 with VirtualRouter DHCP/DNS/SNAT, a flat L3 on the public L2
   * with flat DHCP/DNS, and three VMs. Steps are named; each order runs them in its own
   * sequence, resolving references by name.
   */
  type Ctx = Record<string, any>;
  const steps: Record<string, (c: Ctx) => Promise<void>> = {
    hosts: async (c) => {
      // Names that sort as created: placement breaks ties by name.
      const base = uniqueName('ordh');
      c.hosts = [await srv.fx.host(c.cluster.uuid, { name: `${base}-a` }), await srv.fx.host(c.cluster.uuid, { name: `${base}-b` })];
    },
    attachGuest: async (c) => {
      await srv.fx.attach(c.guestL2.uuid, c.cluster.uuid);
    },
    attachPublic: async (c) => {
      await srv.fx.attach(c.publicL2.uuid, c.cluster.uuid);
    },
    guestRange: async (c) => {
      await srv.fx.range(c.guest.uuid, '10.64.0.10', '10.64.0.99');
    },
    publicRange: async (c) => {
      await srv.fx.range(c.pub.uuid, '203.0.113.10', '203.0.113.99');
    },
    edgeRange: async (c) => {
      await srv.fx.range(c.edge.uuid, '198.51.100.10', '198.51.100.99');
    },
    routerServices: async (c) => {
      await srv.fx.create('network-service-attachments', { l3NetworkUuid: c.guest.uuid, providerUuid: c.vrouter.uuid, services: ['DHCP', 'DNS', 'SNAT'], publicL3NetworkUuid: c.pub.uuid });
    },
    flatServices: async (c) => {
      await srv.fx.create('network-service-attachments', { l3NetworkUuid: c.edge.uuid, providerUuid: c.flat.uuid, services: ['DHCP', 'DNS'] });
    },
    vms: async (c) => {
      await srv.fx.vm([c.guest.uuid], { name: 'app-1', hostUuid: c.hosts[0].uuid });
      await srv.fx.vm([c.guest.uuid, c.edge.uuid], { name: 'app-2', hostUuid: c.hosts[1].uuid });
      await srv.fx.vm([c.pub.uuid], { name: 'gw', hostUuid: c.hosts[1].uuid });
      await srv.fx.vm([c.edge.uuid], { name: 'edge', hostUuid: c.hosts[0].uuid });
    },
  };

  /** The data plane without identities: what each host (by index) runs and serves. */
  async function dataPlane(c: Ctx) {
    const hostIndex = new Map<string, number>(c.hosts.map((h: any, i: number) => [h.uuid, i]));
    const res = await srv.ts.api('GET', '/v1/simulator/services');
    const networkOf = new Map<string, string>([
      [c.guest.uuid, 'guest'],
      [c.pub.uuid, 'public'],
      [c.edge.uuid, 'edge'],
    ]);
    const mine = (res.body.endpoints as any[]).filter((e) => networkOf.has(e.l3NetworkUuid));
    const vms = await list(srv.ts, 'vm-instances');
    const vmOfMac = new Map<string, string>(vms.flatMap((v: any) => v.nics.map((n: any) => [n.mac, v.name])));
    const devices = (await Promise.all(c.hosts.map((h: any) => srv.ts.api('GET', `/v1/simulator/hosts/${h.uuid}`)))).flatMap((r: any, i: number) =>
      (r.body.devices as any[]).filter((d) => d.type === 'vmNic').map((d) => `h${i} ${vmOfMac.get(d.mac) ?? 'appliance'} ${d.ip} ${d.addressing}`),
    );
    return {
      endpoints: mine
        .map((e) => ({
          host: hostIndex.get(e.hostUuid),
          kind: e.kind,
          network: networkOf.get(e.l3NetworkUuid),
          serveIp: e.serveIp,
          leases: e.leases.map((l: any) => `${vmOfMac.get(l.mac)} ${l.ip} ${l.hostname}`),
          options: e.dhcpOptions && { ...e.dhcpOptions, subnet: e.dhcpOptions.subnet },
          records: e.records,
          forwarders: e.forwarders,
          nat: JSON.stringify(e.nat),
          isolation: e.isolation && e.isolation.uplink,
        }))
        .sort((a, b) => `${a.host}${a.kind}`.localeCompare(`${b.host}${b.kind}`)),
      nics: devices.sort(),
      attachments: (await list(srv.ts, 'network-service-attachments')).filter((a: any) => networkOf.has(a.l3NetworkUuid)).map((a: any) => a.state),
      router: (({ state, guestIp, publicIp, hostUuid }) => ({ state, guestIp, publicIp, host: hostIndex.get(hostUuid) }))(await routerOf(c.guest.uuid)),
    };
  }

  async function build(order: string[]) {
    const zone = await srv.fx.zone();
    const c: Ctx = { zone, cluster: await srv.fx.cluster(zone.uuid), vrouter: await srv.fx.builtinProvider('vrouter'), flat: await srv.fx.builtinProvider('flat') };
    c.guestL2 = await srv.fx.l2(zone.uuid, { type: 'L2VxlanNetwork', vni: vni++ });
    c.publicL2 = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth2' });
    c.guest = await srv.fx.l3(c.guestL2.uuid, '10.64.0.0/24', { dnsDomain: 'app.example', dnsServers: ['192.0.2.53'] });
    c.pub = await srv.fx.l3(c.publicL2.uuid, '203.0.113.0/24');
    c.edge = await srv.fx.l3(c.publicL2.uuid, '198.51.100.0/24', { dnsDomain: 'edge.example' });
    for (const step of order) await steps[step](c);
    const plane = await dataPlane(c);
    // Leave the server clean for the next order (same CIDRs, VNIs aside).
    for (const vm of await list(srv.ts, 'vm-instances')) expectStatus(await srv.ts.api('DELETE', `/v1/vm-instances/${vm.uuid}`), 204);
    for (const a of await list(srv.ts, 'network-service-attachments')) expectStatus(await srv.ts.api('DELETE', `/v1/network-service-attachments/${a.uuid}`), 204);
    return plane;
  }

  it('GIVEN four creation orders (services first, VMs before services, ranges last, the natural one) THEN leases, records, options, NAT rules and NIC addressing are identical', async () => {
    const natural = await build(['hosts', 'attachGuest', 'attachPublic', 'guestRange', 'publicRange', 'edgeRange', 'routerServices', 'flatServices', 'vms']);
    expect(natural.attachments).toEqual(['Applied', 'Applied']);
    expect(natural.router).toEqual({ state: 'Running', guestIp: '10.64.0.1', publicIp: '203.0.113.99', host: 0 });
    expect(natural.endpoints.map((e) => `${e.host} ${e.kind} ${e.network} ${e.serveIp}`)).toEqual([
      '0 flatDhcp edge 198.51.100.99',
      '0 virtualRouter guest 10.64.0.1',
      '1 flatDhcp edge 198.51.100.99',
    ]);
    expect(natural.nics).toEqual(expect.arrayContaining(['h0 app-1 10.64.0.10 dhcp', 'h1 gw 203.0.113.10 static', 'h1 app-2 198.51.100.10 dhcp']));
    for (const order of [
      ['routerServices', 'flatServices', 'edgeRange', 'guestRange', 'publicRange', 'attachPublic', 'attachGuest', 'hosts', 'vms'],
      ['hosts', 'attachGuest', 'attachPublic', 'guestRange', 'publicRange', 'edgeRange', 'vms', 'flatServices', 'routerServices'],
      ['hosts', 'attachPublic', 'routerServices', 'attachGuest', 'flatServices', 'publicRange', 'edgeRange', 'guestRange', 'vms'],
    ]) {
      expect({ order, plane: await build(order) }).toEqual({ order, plane: natural });
    }
  });
});
