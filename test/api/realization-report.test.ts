/**
 * `netforge deploy`'s report, read back from a real server: per host its devices, VMs and
 * routers; per L3 its services, where they run, and the leases and names they hand out.
 */
import { realizationReport } from '../../cli/realization-report';
import { NetforgeClient } from '../../client';
import { useServer } from './helpers';

const srv = useServer();

describe('the realization report', () => {
  it('GIVEN a router serving DHCP, DNS and SNAT and a pending flat DHCP WHEN reported THEN routers, leases, names and what waits are listed', async () => {
    const zone = await srv.fx.zone({ name: 'report-zone' });
    const cluster = await srv.fx.cluster(zone.uuid, { name: 'report-cluster' });
    const host = await srv.fx.host(cluster.uuid, { name: 'report-h1' });
    const guestL2 = await srv.fx.l2(zone.uuid, { name: 'report-guest', physicalInterface: 'eth1' });
    const publicL2 = await srv.fx.l2(zone.uuid, { name: 'report-public', physicalInterface: 'eth2' });
    for (const l2 of [guestL2, publicL2]) await srv.fx.attach(l2.uuid, cluster.uuid);
    const app = await srv.fx.l3(guestL2.uuid, '10.80.0.0/24', { name: 'report-app', dnsDomain: 'app.example' });
    await srv.fx.range(app.uuid, '10.80.0.10', '10.80.0.20');
    const pub = await srv.fx.l3(publicL2.uuid, '203.0.113.0/24', { name: 'report-internet' });
    await srv.fx.range(pub.uuid, '203.0.113.10', '203.0.113.20');
    const empty = await srv.fx.l3(publicL2.uuid, '198.51.100.0/24', { name: 'report-empty' });
    const vrouter = await srv.fx.builtinProvider('vrouter');
    const flat = await srv.fx.builtinProvider('flat');
    await srv.fx.create('network-service-attachments', { l3NetworkUuid: app.uuid, providerUuid: vrouter.uuid, services: ['DHCP', 'DNS', 'SNAT'], publicL3NetworkUuid: pub.uuid });
    await srv.fx.create('network-service-attachments', { l3NetworkUuid: empty.uuid, providerUuid: flat.uuid, services: ['DHCP'] });
    const vm = await srv.fx.vm([app.uuid], { name: 'report-web', hostname: 'web' });

    const report = await realizationReport(new NetforgeClient(srv.ts.url, srv.ts.token));
    const lines = report.split('\n').map((l) => l.trimEnd());
    expect(lines).toContain(`      router vrouter-report-app 10.80.0.1 (report-app), 203.0.113.20 (report-internet)`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'network services',
        '  L3 report-app (10.80.0.0/24)',
        '    DHCP, DNS, SNAT from vrouter: Applied',
        `    virtual router vrouter-report-app on ${host.name} at 10.80.0.1, leaves through 203.0.113.20 (SNAT)`,
        `      lease ${vm.nics[0].ip.padEnd(15)} ${vm.nics[0].mac} report-web (web)`,
        '      dns   web.app.example',
        '  L3 report-empty (198.51.100.0/24)',
        '    DHCP from flat: Pending',
      ]),
    );
    expect(lines.some((l) => /^ {6}DHCP pending: L3Network 'report-empty' .* has no free IP address/.test(l))).toBe(true);
  });
});
