/**
 * Network service rules over HTTP (topology-rules.md 15-18): one provider per service type
 * per L3, the provider offers the type and is associated with the L2, the DHCP prefix, and
 * the flat DHCP server's address (rule 18 as a wait); failures of the hosts that realize
 * services. The virtual router's own flows are in network-services.test.ts.
 */
import { expectApiError, expectNothingWritten, expectStatus, list, snapshot, uniqueName, useServer } from './helpers';

const srv = useServer();

/** An L3 on a VLAN L2 attached to a cluster of one host (for VMs to land on). */
async function l3With(cidr: string, range?: [string, string], gateway?: string) {
  const zone = await srv.fx.zone();
  const cluster = await srv.fx.cluster(zone.uuid);
  const [host] = await srv.fx.hosts(cluster.uuid, 1);
  const l2 = await srv.fx.vlan(zone.uuid, 200);
  await srv.fx.attach(l2.uuid, cluster.uuid);
  const l3 = await srv.fx.l3(l2.uuid, cidr, gateway ? { gateway } : {});
  if (range) await srv.fx.range(l3.uuid, range[0], range[1]);
  return { l2, l3, host };
}

/** A public network for virtual routers, on another L2 of the same zone and cluster. */
async function publicNetworkFor(l2: { zoneUuid: string; attachedClusterUuids: string[] }, cidr = '203.0.113.0/24') {
  const publicL2 = await srv.fx.l2(l2.zoneUuid, { physicalInterface: 'eth2' });
  for (const c of l2.attachedClusterUuids) await srv.fx.attach(publicL2.uuid, c);
  const l3 = await srv.fx.l3(publicL2.uuid, cidr);
  const base = cidr.split('.').slice(0, 3).join('.');
  await srv.fx.range(l3.uuid, `${base}.10`, `${base}.20`);
  return l3;
}

async function refusedAttach(body: Record<string, unknown>) {
  const before = await snapshot(srv.ts);
  const res = await srv.ts.api('POST', '/v1/network-service-attachments', body);
  await expectNothingWritten(srv.ts, before);
  return res;
}

/** What the simulated hosts run for the L3: endpoint kinds with their leased addresses. */
async function endpointsOn(l3Uuid: string) {
  const res = await srv.ts.api('GET', `/v1/simulator/services?l3NetworkUuid=${l3Uuid}`);
  expectStatus(res, 200);
  return (res.body.endpoints as Array<{ hostUuid: string; kind: string; serveIp: string; leases: Array<{ ip: string }>; records: unknown[] }>).map((e) => ({
    hostUuid: e.hostUuid,
    kind: e.kind,
    serveIp: e.serveIp,
    leases: e.leases.map((l) => l.ip),
    records: e.records.length,
  }));
}

async function failServices(hostUuid: string, failures: Record<string, string | null> | null) {
  expectStatus(await srv.ts.api('PATCH', `/v1/simulator/hosts/${hostUuid}`, { failures }), 200);
}

describe('built-in providers', () => {
  it('GIVEN a fresh server THEN vrouter, flat and securitygroup exist, each associated with every new L2', async () => {
    const { l2 } = await l3With('10.90.0.0/24');
    for (const [name, type, serviceTypes] of [
      ['vrouter', 'VirtualRouter', ['DHCP', 'DNS', 'SNAT', 'EIP', 'PortForwarding']],
      ['flat', 'Flat', ['DHCP', 'DNS', 'EIP']],
      ['securitygroup', 'SecurityGroup', ['SecurityGroup']],
    ] as const) {
      const p = await srv.fx.builtinProvider(name);
      expect(p).toMatchObject({ name, type, serviceTypes });
      expect(p.attachedL2NetworkUuids).toContain(l2.uuid);
    }
  });
});

describe('attaching services (rules 16-18)', () => {
  it('GIVEN an L3 with free IPs WHEN flat attaches DHCP and DNS THEN 201 Applied, the DHCP server takes the top address, and each VM host gets a server with its lease', async () => {
    const { l3, host } = await l3With('10.91.0.0/24', ['10.91.0.10', '10.91.0.20']);
    const flat = await srv.fx.builtinProvider('flat');
    const att = await srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP', 'DNS'] });
    expect(att).toMatchObject({ l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP', 'DNS'], publicL3NetworkUuid: null, state: 'Applied' });
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: l3.uuid })).toEqual([expect.objectContaining({ ip: '10.91.0.20', usedFor: `FlatDhcp:${l3.uuid}` })]);
    // No VM yet: no host runs a DHCP server for it.
    expect(await endpointsOn(l3.uuid)).toEqual([]);
    const vm = await srv.fx.vm([l3.uuid]);
    expect(await endpointsOn(l3.uuid)).toEqual([{ hostUuid: host.uuid, kind: 'flatDhcp', serveIp: '10.91.0.20', leases: [vm.nics[0].ip], records: 1 }]);
  });

  it('GIVEN flat provides DHCP WHEN vrouter attaches DHCP THEN 409 SERVICE_ALREADY_PROVIDED naming flat; vrouter SNAT is fine', async () => {
    const { l3 } = await l3With('10.92.0.0/24', ['10.92.0.10', '10.92.0.20']);
    const flat = await srv.fx.builtinProvider('flat');
    const vrouter = await srv.fx.builtinProvider('vrouter');
    const first = await srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP'] });
    const pub = await publicNetworkFor((await srv.ts.api('GET', `/v1/l2-networks/${l3.l2NetworkUuid}`)).body);

    const res = await refusedAttach({ l3NetworkUuid: l3.uuid, providerUuid: vrouter.uuid, services: ['SNAT', 'DHCP'], publicL3NetworkUuid: pub.uuid });

    expectApiError(res, 409, 'SERVICE_ALREADY_PROVIDED', {
      path: 'services[1]',
      conflicting: { type: 'NetworkServiceProvider', uuid: flat.uuid, name: 'flat' },
      message: ['DHCP', l3.name, first.uuid],
    });
    expect(await list(srv.ts, 'network-service-attachments', { l3NetworkUuid: l3.uuid })).toHaveLength(1);
    await expect(
      srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: vrouter.uuid, services: ['SNAT'], publicL3NetworkUuid: pub.uuid }),
    ).resolves.toMatchObject({ services: ['SNAT'], state: 'Applied' });
  });

  it('GIVEN the securitygroup provider WHEN it attaches DHCP THEN 409 PROVIDER_LACKS_SERVICE naming it', async () => {
    const { l3 } = await l3With('10.93.0.0/24', ['10.93.0.10', '10.93.0.20']);
    const sg = await srv.fx.builtinProvider('securitygroup');
    const res = await refusedAttach({ l3NetworkUuid: l3.uuid, providerUuid: sg.uuid, services: ['DHCP'] });
    expectApiError(res, 409, 'PROVIDER_LACKS_SERVICE', { path: 'services[0]', conflicting: { type: 'NetworkServiceProvider', uuid: sg.uuid, name: 'securitygroup' } });
  });

  it('GIVEN a custom provider not associated with the L2 WHEN it attaches DHCP THEN 409 PROVIDER_NOT_ON_L2 naming it; after associating THEN 201', async () => {
    const { l2, l3 } = await l3With('10.94.0.0/24', ['10.94.0.10', '10.94.0.20']);
    const custom = await srv.fx.create('network-service-providers', { name: uniqueName('custom-flat'), type: 'Flat' });
    expect(custom).toMatchObject({ type: 'Flat', serviceTypes: ['DHCP', 'DNS', 'EIP'], attachedL2NetworkUuids: [] });

    const res = await refusedAttach({ l3NetworkUuid: l3.uuid, providerUuid: custom.uuid, services: ['DHCP'] });
    expectApiError(res, 409, 'PROVIDER_NOT_ON_L2', { path: 'providerUuid', conflicting: { type: 'NetworkServiceProvider', uuid: custom.uuid, name: custom.name }, message: [l2.uuid] });

    const assoc = await srv.ts.api('POST', `/v1/network-service-providers/${custom.uuid}/l2-networks`, { l2NetworkUuid: l2.uuid });
    expectStatus(assoc, 200);
    expect(assoc.body.attachedL2NetworkUuids).toEqual([l2.uuid]);
    await expect(srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: custom.uuid, services: ['DHCP'] })).resolves.toMatchObject({
      providerUuid: custom.uuid,
    });
  });

  it('GIVEN a provider serving an L3 WHEN it is disassociated from the L2 or deleted THEN 409 PROVIDER_IN_USE naming the attachment', async () => {
    const { l2, l3 } = await l3With('10.95.0.0/24', ['10.95.0.10', '10.95.0.20']);
    const custom = await srv.fx.create('network-service-providers', { name: uniqueName('custom-vr'), type: 'VirtualRouter' });
    expectStatus(await srv.ts.api('POST', `/v1/network-service-providers/${custom.uuid}/l2-networks`, { l2NetworkUuid: l2.uuid }), 200);
    const pub = await publicNetworkFor(l2);
    const att = await srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: custom.uuid, services: ['SNAT'], publicL3NetworkUuid: pub.uuid });
    const before = await snapshot(srv.ts);

    expectApiError(await srv.ts.api('DELETE', `/v1/network-service-providers/${custom.uuid}/l2-networks/${l2.uuid}`), 409, 'PROVIDER_IN_USE', {
      path: 'l2NetworkUuid',
      conflicting: { type: 'NetworkServiceAttachment', uuid: att.uuid },
    });
    expectApiError(await srv.ts.api('DELETE', `/v1/network-service-providers/${custom.uuid}`), 409, 'PROVIDER_IN_USE', {
      path: 'uuid',
      conflicting: { type: 'NetworkServiceAttachment', uuid: att.uuid },
    });
    await expectNothingWritten(srv.ts, before);

    expectStatus(await srv.ts.api('DELETE', `/v1/network-service-attachments/${att.uuid}`), 204);
    expect(await list(srv.ts, 'virtual-routers', { l3NetworkUuid: l3.uuid })).toEqual([]);
    const dis = await srv.ts.api('DELETE', `/v1/network-service-providers/${custom.uuid}/l2-networks/${l2.uuid}`);
    expectStatus(dis, 200);
    expect(dis.body.attachedL2NetworkUuids).toEqual([]);
    expectStatus(await srv.ts.api('DELETE', `/v1/network-service-providers/${custom.uuid}`), 204);
  });

  it('GIVEN a provider name already taken WHEN another is created with it THEN 409 NAME_CONFLICT naming the first', async () => {
    const flat = await srv.fx.builtinProvider('flat');
    const before = await snapshot(srv.ts);
    expectApiError(await srv.ts.api('POST', '/v1/network-service-providers', { name: 'flat', type: 'Flat' }), 409, 'NAME_CONFLICT', {
      path: 'name',
      conflicting: { type: 'NetworkServiceProvider', uuid: flat.uuid, name: 'flat' },
    });
    await expectNothingWritten(srv.ts, before);
  });
});

describe('DHCP prefix and free IPs (rules 15, 18)', () => {
  it('GIVEN a /31 L3 WHEN DHCP is attached THEN 400 DHCP_PREFIX_TOO_LONG at services', async () => {
    const { l3 } = await l3With('10.96.0.0/31', ['10.96.0.1', '10.96.0.1'], '10.96.0.0');
    const flat = await srv.fx.builtinProvider('flat');
    expectApiError(await refusedAttach({ l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP'] }), 400, 'DHCP_PREFIX_TOO_LONG', {
      path: 'services',
      message: ['10.96.0.0/31'],
    });
  });

  it('GIVEN a /31 L3 WHEN only DNS is attached THEN 201 (the prefix rule is DHCP-only)', async () => {
    const { l3 } = await l3With('10.96.1.0/31', ['10.96.1.1', '10.96.1.1'], '10.96.1.0');
    const flat = await srv.fx.builtinProvider('flat');
    await expect(srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DNS'] })).resolves.toMatchObject({
      services: ['DNS'],
    });
  });

  it('GIVEN a /30 L3 with a free IP WHEN DHCP is attached THEN 201', async () => {
    const { l3 } = await l3With('10.96.2.0/30', ['10.96.2.2', '10.96.2.2']);
    const flat = await srv.fx.builtinProvider('flat');
    await expect(srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP'] })).resolves.toMatchObject({
      services: ['DHCP'],
    });
  });

  it('GIVEN an L3 without IP ranges WHEN flat DHCP and DNS are attached THEN 201 Pending for the server address; WHEN a range is created THEN both are applied', async () => {
    const { l3 } = await l3With('10.97.0.0/24');
    const flat = await srv.fx.builtinProvider('flat');
    const attachment = await srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP', 'DNS'] });
    expect(attachment).toMatchObject({
      state: 'Pending',
      pendingServices: [
        { service: 'DHCP', reason: expect.stringContaining(l3.name) },
        { service: 'DNS', reason: expect.stringContaining('no free IP address') },
      ],
    });
    await srv.fx.range(l3.uuid, '10.97.0.10', '10.97.0.20');
    const after = await srv.ts.api('GET', `/v1/network-service-attachments/${attachment.uuid}`);
    expect(after.body).toMatchObject({ state: 'Applied', pendingServices: [] });
    expect(await list(srv.ts, 'ip-addresses', { l3NetworkUuid: l3.uuid })).toEqual([expect.objectContaining({ ip: '10.97.0.20' })]);
  });

  it('GIVEN an L3 whose only range is fully allocated WHEN DHCP is attached THEN it is Pending; WHEN an address is released THEN it is applied', async () => {
    const { l3 } = await l3With('10.97.1.0/24', ['10.97.1.10', '10.97.1.11']);
    const first = await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid });
    await srv.fx.create('ip-addresses', { l3NetworkUuid: l3.uuid });
    const flat = await srv.fx.builtinProvider('flat');
    const attachment = await srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP'] });
    expect(attachment.state).toBe('Pending');

    expectStatus(await srv.ts.api('DELETE', `/v1/ip-addresses/${first.uuid}`), 204);
    expect((await srv.ts.api('GET', `/v1/network-service-attachments/${attachment.uuid}`)).body.state).toBe('Applied');
    // The server address is held by the service: releasing it is refused.
    const [server] = await list(srv.ts, 'ip-addresses', { l3NetworkUuid: l3.uuid, ip: '10.97.1.10' });
    expectApiError(await srv.ts.api('DELETE', `/v1/ip-addresses/${server.uuid}`), 409, 'IP_IN_USE_BY_SERVICE', { path: 'uuid', message: ['flat DHCP server'] });
  });

  it('GIVEN a pending DHCP and a failing host WHEN a range is created THEN the range is created and DHCP stays Pending with the failure as reason; the next range retries', async () => {
    const { l3, host } = await l3With('10.97.2.0/24', ['10.97.2.10', '10.97.2.10']);
    await srv.fx.vm([l3.uuid]); // takes the only address
    const flat = await srv.fx.builtinProvider('flat');
    const attachment = await srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP'] });
    expect(attachment.state).toBe('Pending');
    await failServices(host.uuid, { applyServices: 'dnsmasq: address in use' });
    try {
      await srv.fx.range(l3.uuid, '10.97.2.20', '10.97.2.29');
      const pending = (await srv.ts.api('GET', `/v1/network-service-attachments/${attachment.uuid}`)).body;
      expect(pending).toMatchObject({ state: 'Pending', pendingServices: [{ service: 'DHCP', reason: expect.stringContaining('dnsmasq: address in use') }] });
      expect(pending.pendingServices[0].reason).toContain(host.name);
      expect(await endpointsOn(l3.uuid)).toEqual([]);
    } finally {
      await failServices(host.uuid, null);
    }
    await srv.fx.range(l3.uuid, '10.97.2.30', '10.97.2.40');
    expect((await srv.ts.api('GET', `/v1/network-service-attachments/${attachment.uuid}`)).body.state).toBe('Applied');
    expect((await endpointsOn(l3.uuid)).map((e) => e.kind)).toEqual(['flatDhcp']);
  });

  it('GIVEN a pending DHCP WHEN its attachment is deleted THEN nothing is removed from hosts that was never realized', async () => {
    const { l3, host } = await l3With('10.97.3.0/24');
    const flat = await srv.fx.builtinProvider('flat');
    const attachment = await srv.fx.create('network-service-attachments', { l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP'] });
    await failServices(host.uuid, { removeServices: 'must not be called' });
    try {
      expectStatus(await srv.ts.api('DELETE', `/v1/network-service-attachments/${attachment.uuid}`), 204);
    } finally {
      await failServices(host.uuid, null);
    }
  });
});

describe('malformed service lists (rule 16)', () => {
  it.each([
    ['no services', [], 400, 'NO_SERVICES', 'services'],
    ['a service listed twice', ['DNS', 'DNS'], 400, 'DUPLICATE_SERVICE', 'services[1]'],
    ['an unknown service type', ['NTP'], 400, 'VALIDATION_FAILED', 'services.0'],
  ])('GIVEN %s (%j) WHEN attached THEN %i %s at %s', async (_what, services, status, code, path) => {
    const { l3 } = await l3With('10.98.0.0/24', ['10.98.0.10', '10.98.0.20']);
    const flat = await srv.fx.builtinProvider('flat');
    expectApiError(await refusedAttach({ l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services }), status, code, { path });
  });

  it('GIVEN an unknown provider uuid WHEN attached THEN 404 at providerUuid', async () => {
    const { l3 } = await l3With('10.98.1.0/24', ['10.98.1.10', '10.98.1.20']);
    expectApiError(
      await refusedAttach({ l3NetworkUuid: l3.uuid, providerUuid: '00000000-0000-4000-8000-000000000001', services: ['DNS'] }),
      404,
      'NOT_FOUND',
      { path: 'providerUuid' },
    );
  });
});

describe('hosts failing to realize services', () => {
  it('GIVEN flat DHCP realized on two hosts and the second failing WHEN attached THEN 409 SERVICE_APPLY_FAILED naming that host, the first is rolled back, nothing is stored', async () => {
    const zone = await srv.fx.zone();
    const cluster = await srv.fx.cluster(zone.uuid);
    const [h1, h2] = await srv.fx.hosts(cluster.uuid, 2);
    const l2 = await srv.fx.vlan(zone.uuid, 210);
    await srv.fx.attach(l2.uuid, cluster.uuid);
    const l3 = await srv.fx.l3(l2.uuid, '10.99.0.0/24');
    await srv.fx.range(l3.uuid, '10.99.0.10', '10.99.0.20');
    await srv.fx.vm([l3.uuid], { hostUuid: h1.uuid });
    await srv.fx.vm([l3.uuid], { hostUuid: h2.uuid });
    const flat = await srv.fx.builtinProvider('flat');
    await failServices(h2.uuid, { applyServices: 'dnsmasq: failed to bind port 67' });
    try {
      const res = await refusedAttach({ l3NetworkUuid: l3.uuid, providerUuid: flat.uuid, services: ['DHCP'] });
      expectApiError(res, 409, 'SERVICE_APPLY_FAILED', {
        path: 'hostUuid',
        conflicting: { type: 'Host', uuid: h2.uuid, name: h2.name },
        message: ['dnsmasq: failed to bind port 67', h2.name],
      });
      expect(await list(srv.ts, 'network-service-attachments', { l3NetworkUuid: l3.uuid })).toEqual([]);
      expect(await endpointsOn(l3.uuid)).toEqual([]);
    } finally {
      await failServices(h2.uuid, null);
    }
  });
});
