/**
 * The host side of DHCP with real processes (root, real network namespaces; FAILS, never
 * skips, when the machine can't run it): dnsmasq as the agent runs it (syncDnsmasq) in one
 * namespace, the DHCP client as the agent runs it (requestLease) in another, a veth between.
 * A lease removed from the static leases must be released from dnsmasq's memory, or the
 * address is refused to the next VM that gets it; a release that fails is tried again by the
 * next sync, even though the files no longer change.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execArgv } from '../../hosts/linux/executors';
import { requestLease } from '../../hosts/services/dhcp-client';
import type { DnsmasqConfig } from '../../hosts/services/dnsmasq-config';
import { stopDnsmasq, syncDnsmasq } from '../../hosts/services/dnsmasq';
import type { BuiltinContext } from '../../hosts/services/service-dirs';
import { assertNetnsPrerequisites, sh } from '../helpers/netns-lab';

jest.setTimeout(60_000);

const SERVER_NS = 'nfvm-e2e0d45e01';
const CLIENT_NS = 'nfvm-e2e0d45e02';
const MAC_A = 'fa:16:3e:0d:00:0a';
const MAC_B = 'fa:16:3e:0d:00:0b';

let stateDir: string;
let ctx: BuiltinContext;

const config = (hosts: Array<{ mac: string; hostname: string }>): DnsmasqConfig => ({
  interface: 'eth0',
  dhcp: { subnet: '10.98.0.0/24', hosts: hosts.map((h) => ({ ...h, ip: '10.98.0.5' })), router: '10.98.0.1', dnsServers: [], domain: null, classlessRoutes: [], mtu: 1500 },
  dns: null,
});

async function must(argv: string[]): Promise<void> {
  const r = await sh(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

async function cleanUp(): Promise<void> {
  if (ctx) await stopDnsmasq(ctx, SERVER_NS).catch(() => undefined);
  for (const ns of [SERVER_NS, CLIENT_NS]) await sh(['ip', 'netns', 'del', ns]);
}

beforeAll(async () => {
  await assertNetnsPrerequisites();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-dnsmasq-e2e-'));
  ctx = { stateDir, run: (argv) => execArgv(argv) };
  await cleanUp();
  await must(['ip', 'netns', 'add', SERVER_NS]);
  await must(['ip', 'netns', 'add', CLIENT_NS]);
  await must(['ip', '-n', SERVER_NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', CLIENT_NS]);
  await must(['ip', '-n', CLIENT_NS, 'link', 'set', 'dev', 'eth0', 'address', MAC_A]);
  await must(['ip', '-n', SERVER_NS, 'addr', 'add', '10.98.0.1/24', 'dev', 'eth0']);
  for (const ns of [SERVER_NS, CLIENT_NS]) {
    await must(['ip', '-n', ns, 'link', 'set', 'dev', 'eth0', 'up']);
    await must(['ip', '-n', ns, 'link', 'set', 'dev', 'lo', 'up']);
  }
});

afterAll(async () => {
  await cleanUp();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

it('a removed lease is released, even when the first release fails, so its address goes to the next VM', async () => {
  const started = await syncDnsmasq(ctx, SERVER_NS, config([{ mac: MAC_A, hostname: 'vm-a' }]));
  expect(started.action).toBe('started');
  expect(await requestLease(ctx, CLIENT_NS, 'eth0')).toMatchObject({ ip: '10.98.0.5', serverId: '10.98.0.1', hostname: 'vm-a' });

  // VM a goes; releasing its lease fails once (dhcp_release could not run).
  const failingRelease: BuiltinContext = {
    stateDir,
    run: (argv) => (argv.includes('dhcp_release') ? Promise.resolve({ argv: [...argv], code: 1, stdout: '', stderr: 'injected' }) : execArgv(argv)),
  };
  await expect(syncDnsmasq(failingRelease, SERVER_NS, config([]))).rejects.toThrow(`could not release the lease of ${MAC_A} (10.98.0.5) in ${SERVER_NS}: injected`);
  const pending = path.join(stateDir, 'services', 'dnsmasq', SERVER_NS, 'to-release.json');
  expect(JSON.parse(fs.readFileSync(pending, 'utf8'))).toEqual([{ mac: MAC_A, ip: '10.98.0.5' }]);

  // The files no longer change, but the next sync still owes the release.
  const again = await syncDnsmasq(ctx, SERVER_NS, config([]));
  expect(again).toEqual({ action: 'reloaded', pid: started.pid });
  expect(JSON.parse(fs.readFileSync(pending, 'utf8'))).toEqual([]);
  expect((await syncDnsmasq(ctx, SERVER_NS, config([]))).action).toBe('unchanged');

  // VM b gets the same address: dnsmasq hands it out (it would refuse it while a's lease lived).
  await syncDnsmasq(ctx, SERVER_NS, config([{ mac: MAC_B, hostname: 'vm-b' }]));
  await must(['ip', '-n', CLIENT_NS, 'link', 'set', 'dev', 'eth0', 'address', MAC_B]);
  expect(await requestLease(ctx, CLIENT_NS, 'eth0')).toMatchObject({ ip: '10.98.0.5', hostname: 'vm-b' });
});
