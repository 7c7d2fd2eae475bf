/**
 * The host agent over mutual TLS (127.0.0.1), its commands running on a FakeLinux host:
 * who may ask (only the pinned server certificate), what may run (argv shapes, then only
 * devices netforge marked and namespaces the agent added), and the executor's side (the
 * agent's certificate is checked before a byte of the request is sent).
 */
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AgentExecutor, AgentRequestError } from '../../../server/hypervisors/kvm/agent-client';
import { NETNS_JOURNAL_FILE, startAgent, type RunningAgent } from '../../../hosts/agent/agent';
import { argvRefusal } from '../../../hosts/agent/argv-policy';
import { MAX_AGENT_BODY_BYTES } from '../../../hosts/agent/requests';
import { CommandFailedError, type CommandResult } from '../../../hosts/linux/commands';
import { inNetns } from '../../../hosts/linux/executors';
import type { DnsmasqConfig } from '../../../hosts/services/dnsmasq-config';
import { routerRuleset } from '../../../hosts/services/service-rules';
import { loadOrCreateIdentity, type TlsIdentity } from '../../../lib/tls-identity';
import { freePort } from '../../helpers/ports';
import { FakeLinux } from './fake-linux';

let dir: string;
let server: TlsIdentity;
let stranger: TlsIdentity;
let agent: RunningAgent;
let fake: FakeLinux;
const ran: string[][] = [];
const NS = 'nfvm-0123456789';

/** Every argv the agent runs goes to the fake host (and is recorded). */
const runner = async (argv: readonly string[]): Promise<CommandResult> => {
  ran.push([...argv]);
  return (await fake.run([{ argv, allowFailure: true }]))[0];
};

function request(identity: TlsIdentity | null, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> {
  const url = new URL(urlPath, agent.url);
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        rejectUnauthorized: false,
        ...(identity ? { key: identity.keyPem, cert: identity.certPem } : {}),
        headers: text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : null }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const exec = (commands: Array<{ argv: string[]; allowFailure?: boolean }>) => request(server, 'POST', '/v1/exec', { commands });
const linksOf = () => fake.snapshot();
/** What ran besides inspection (the agent inspects the host before and while it runs a plan). */
const changes = () => ran.filter((argv) => !argv.includes('-json'));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-agent-'));
  server = loadOrCreateIdentity(path.join(dir, 'server'), 'agent-client', 'netforge-server');
  stranger = loadOrCreateIdentity(path.join(dir, 'stranger'), 'agent-client', 'someone-else');
  agent = await startAgent({ host: '127.0.0.1', port: 0, stateDir: path.join(dir, 'agent'), serverFingerprints: [server.fingerprint], runner });
});
afterAll(async () => {
  await agent.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  // eth0 (management), eth1 (data), and devices that are not netforge's.
  fake = new FakeLinux({ vlanSupported: true });
  fake.addForeign({ name: 'bond0.100', kind: 'vlan', master: null, parent: 'eth1', vlanId: 100 });
  fake.addForeign({ name: 'br_ex', kind: 'bridge', master: null });
  fake.addForeign({ name: 'docker0', kind: 'bridge', master: null, up: false });
  ran.length = 0;
});

describe('who may ask: mutual TLS with the pinned server certificate', () => {
  it('GIVEN no client certificate WHEN posting a plan or pinging THEN 401 and nothing runs', async () => {
    const res = await request(null, 'POST', '/v1/exec', { commands: [{ argv: ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'] }] });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect((await request(null, 'GET', '/v1/ping')).status).toBe(401);
    expect(ran).toEqual([]);
  });

  it('GIVEN another server\'s certificate WHEN posting THEN 401 naming its fingerprint, and nothing runs', async () => {
    const res = await request(stranger, 'POST', '/v1/exec', { commands: [{ argv: ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'] }] });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain(stranger.fingerprint);
    expect(ran).toEqual([]);
  });

  it('GIVEN the pinned server WHEN pinging THEN 200 with the agent\'s own fingerprint', async () => {
    const res = await request(server, 'GET', '/v1/ping');
    expect(res).toMatchObject({ status: 200, body: { ok: true, pid: process.pid, fingerprint: agent.fingerprint } });
  });

  it('refuses to start without a server fingerprint, or with one that is not one', async () => {
    await expect(startAgent({ host: '127.0.0.1', port: 0, stateDir: path.join(dir, 'x'), serverFingerprints: [] })).rejects.toThrow(/--server-fingerprint/);
    await expect(startAgent({ host: '127.0.0.1', port: 0, stateDir: path.join(dir, 'x'), serverFingerprints: ['sha256:abc'] })).rejects.toThrow(/not a certificate fingerprint/);
  });
});

describe('what may run: argv shapes', () => {
  it('GIVEN an allowed plan WHEN posted THEN the host is inspected, each command runs in order, and what it creates is marked', async () => {
    const res = await exec([{ argv: ['ip', '-json', '-d', 'link', 'show'] }, { argv: ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'] }]);
    expect(res.status).toBe(200);
    expect(res.body.failedIndex).toBeNull();
    expect(ran.filter((argv) => argv.includes('-json')).length).toBeGreaterThanOrEqual(4); // the ownership checks' inspections, and the plan's own
    expect(changes()).toEqual([
      ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'],
      ['ip', 'link', 'set', 'dev', 'br_eth1', 'alias', 'netforge'],
    ]);
    expect(fake.host.links.get('br_eth1')?.alias).toBe('netforge');
  });

  it.each([
    [['sh', '-c', 'reboot']],
    [['/usr/sbin/ip', 'link', 'show']],
    [['ip', 'netns', 'exec', 'nf-lab-h1', 'sh']],
    [['ip', '-batch', '/tmp/x']],
    [['ip', 'link', 'del', 'dev', 'eth0']],
    [['ip', 'link', 'del', 'dev', 'lo']],
    [['ip', 'netns', 'del', 'nf-lab-h2']],
    [['ip', 'link', 'add', 'name', 'eth0;reboot', 'type', 'bridge']],
    [['ip', 'link', 'set', 'dev', '$(id)', 'up']],
    [['ip', 'link', 'set', 'dev', 'eth1', 'master', 'br_eth1', 'up']],
    [['ip', 'link', 'set', 'dev', 'eth1', 'alias', 'netforge']],
    [['ip', '-n', NS, 'exec', 'sh']],
    [['ip', 'addr', 'flush', 'dev', 'eth0']],
    [['bridge', 'fdb', 'add', '00:00:00:00:00:00', 'dev', 'vxlan5', 'dst', '1.2.3.4']],
  ])('GIVEN a command of no allowed shape %j (after an allowed one) WHEN posted THEN 400 COMMAND_NOT_ALLOWED and nothing runs', async (argv) => {
    const res = await exec([{ argv: ['ip', '-json', 'addr', 'show'] }, { argv }]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('COMMAND_NOT_ALLOWED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['commands[1].argv']);
    expect(changes()).toEqual([]);
  });

  it('GIVEN a shell string, unknown fields, bad JSON or no commands THEN 400 and nothing runs; over the body limit THEN 413', async () => {
    expect((await request(server, 'POST', '/v1/exec', { commands: [{ argv: 'ip link show; reboot' }] })).status).toBe(400);
    expect((await request(server, 'POST', '/v1/exec', { commands: [{ argv: ['ip', '-json', 'addr', 'show'], shell: true }] })).status).toBe(400);
    expect((await request(server, 'POST', '/v1/exec', 'not json')).status).toBe(400);
    expect((await exec([])).status).toBe(400);
    expect((await exec([{ argv: ['ip', 'x'.repeat(MAX_AGENT_BODY_BYTES)] }])).status).toBe(413);
    expect(ran).toEqual([]);
  });

  it('GIVEN unknown paths or methods THEN 404/405', async () => {
    expect((await request(server, 'GET', '/v1/shell')).status).toBe(404);
    expect((await request(server, 'GET', '/v1/exec')).status).toBe(405);
  });
});

describe('what may run: only what netforge created', () => {
  it.each<[string, string[]]>([
    ['enslave eth0 to a bridge that is not its netforge bridge', ['ip', 'link', 'set', 'dev', 'eth0', 'master', 'br_x']],
    ['enslave eth0 to a foreign bridge', ['ip', 'link', 'set', 'dev', 'eth0', 'master', 'br_ex']],
    ['delete a VLAN device netforge did not make', ['ip', 'link', 'del', 'dev', 'bond0.100']],
    ['delete a foreign bridge with a netforge-like name', ['ip', 'link', 'del', 'dev', 'br_ex']],
    ['bring up a foreign interface', ['ip', 'link', 'set', 'dev', 'docker0', 'up']],
    ['put a VLAN device on lo', ['ip', 'link', 'add', 'link', 'lo', 'name', 'lo.5', 'type', 'vlan', 'id', '5']],
    ['put a VLAN device on a foreign bridge', ['ip', 'link', 'add', 'link', 'br_ex', 'name', 'br_ex.5', 'type', 'vlan', 'id', '5']],
    ['delete a namespace it did not add', ['ip', 'netns', 'del', NS]],
    ['work inside a namespace it did not add', ['ip', '-n', NS, 'link', 'set', 'dev', 'lo', 'up']],
  ])('GIVEN a plan to %s WHEN posted THEN 400 COMMAND_NOT_ALLOWED, nothing runs and the host is unchanged', async (_what, argv) => {
    const before = linksOf();
    const res = await exec([{ argv: ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'] }, { argv }]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('COMMAND_NOT_ALLOWED');
    expect(res.body.error.details).toEqual([{ path: 'commands[1].argv', message: expect.any(String) }]);
    expect(changes()).toEqual([]);
    expect(linksOf()).toEqual(before);
  });

  it.each<[string, (f: FakeLinux) => void, Array<{ argv: string[]; allowFailure?: boolean }>]>([
    [
      'take over a namespace that exists (its add allowed to fail) and work in it',
      (f) => void f.run([{ argv: ['ip', 'netns', 'add', NS] }]),
      [{ argv: ['ip', 'netns', 'add', NS], allowFailure: true }, { argv: ['ip', '-n', NS, 'link', 'set', 'dev', 'lo', 'up'] }],
    ],
    [
      'enslave the management interface (it carries the host\'s address) to its own-named bridge',
      () => undefined,
      [{ argv: ['ip', 'link', 'add', 'name', 'br_eth0', 'type', 'bridge'] }, { argv: ['ip', 'link', 'set', 'dev', 'eth0', 'master', 'br_eth0'] }],
    ],
    [
      'take an interface out of someone else\'s bridge',
      (f) => void (f.host.links.get('eth1')!.master = 'br_ex'),
      [{ argv: ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'] }, { argv: ['ip', 'link', 'set', 'dev', 'eth1', 'master', 'br_eth1'] }],
    ],
    [
      'put a VXLAN device on a foreign bridge, then bring that bridge up',
      () => undefined,
      [
        { argv: ['ip', 'link', 'add', 'name', 'vxlan9', 'type', 'vxlan', 'id', '9', 'group', '239.0.0.9', 'dev', 'docker0', 'dstport', '4789', 'local', '172.30.0.11'] },
        { argv: ['ip', 'link', 'set', 'dev', 'docker0', 'up'] },
      ],
    ],
    [
      'bring up an interface because a VXLAN device rides on it',
      () => undefined,
      [
        { argv: ['ip', 'link', 'add', 'name', 'vxlan9', 'type', 'vxlan', 'id', '9', 'group', '239.0.0.9', 'dev', 'eth1', 'dstport', '4789', 'local', '172.30.0.11'] },
        { argv: ['ip', 'link', 'set', 'dev', 'eth1', 'up'] },
      ],
    ],
  ])('GIVEN a multi-step plan to %s WHEN posted THEN 400, nothing runs and the host is unchanged', async (_what, arrange, commands) => {
    arrange(fake);
    const before = linksOf();
    ran.length = 0;
    const res = await exec(commands);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('COMMAND_NOT_ALLOWED');
    expect(changes()).toEqual([]);
    expect(linksOf()).toEqual(before);
  });

  it('GIVEN a command allowed to fail that fails WHEN a later one counted on it THEN the later one is refused as it comes, and nothing after runs', async () => {
    fake.vlanSupported = false;
    const res = await exec([
      { argv: ['ip', 'link', 'add', 'link', 'eth1', 'name', 'eth1.7', 'type', 'vlan', 'id', '7'], allowFailure: true },
      { argv: ['ip', 'link', 'set', 'dev', 'eth1', 'up'] },
      { argv: ['ip', 'link', 'add', 'name', 'br_late', 'type', 'bridge'] },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.failedIndex).toBe(1);
    expect(res.body.results[1]).toMatchObject({ code: 1, stderr: expect.stringMatching(/^refused by the agent: eth1 is not netforge's/) });
    expect(changes()).toEqual([['ip', 'link', 'add', 'link', 'eth1', 'name', 'eth1.7', 'type', 'vlan', 'id', '7']]);
  });

  it('GIVEN a device created but not marked when the agent was killed WHEN the agent starts again THEN it adopts it as netforge\'s, so it can be removed', async () => {
    const stateDir = path.join(dir, 'restarted');
    fs.mkdirSync(stateDir);
    // What the killed agent left: the device exists, unmarked, and is in its creation journal.
    fake.addForeign({ name: 'br_cut', kind: 'bridge', master: null });
    fs.writeFileSync(path.join(stateDir, 'creating.json'), JSON.stringify({ devices: ['br_cut'] }));
    const again = await startAgent({ host: '127.0.0.1', port: 0, stateDir, serverFingerprints: [server.fingerprint], runner });
    try {
      expect(fake.host.links.get('br_cut')?.alias).toBe('netforge');
      expect(JSON.parse(fs.readFileSync(path.join(stateDir, 'creating.json'), 'utf8'))).toEqual({ devices: [] });
      const removed = await new AgentExecutor({ host: '127.0.0.1', port: again.port, agentFingerprint: again.fingerprint, identity: server }).run([{ argv: ['ip', 'link', 'del', 'dev', 'br_cut'] }]);
      expect(removed.map((r) => r.code)).toEqual([0]);
      expect(fake.host.links.has('br_cut')).toBe(false);
    } finally {
      await again.close();
    }
  });

  it('GIVEN a NoVlan realize plan WHEN posted THEN the physical interface may join exactly the bridge netforge names after it, and be brought up', async () => {
    const res = await exec([
      { argv: ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'] },
      { argv: ['ip', 'link', 'set', 'dev', 'eth1', 'master', 'br_eth1'] },
      { argv: ['ip', 'link', 'set', 'dev', 'eth1', 'up'] },
      { argv: ['ip', 'link', 'set', 'dev', 'br_eth1', 'up'] },
    ]);
    expect(res.status).toBe(200);
    expect(linksOf()).toContain('eth1 veth br_eth1 up');
    // ...and later deleted again, since it is marked.
    expect((await exec([{ argv: ['ip', 'link', 'del', 'dev', 'br_eth1'] }])).status).toBe(200);
  });

  it('GIVEN a VM namespace the agent added WHEN later plans work in it and delete it THEN they are admitted, by its journal', async () => {
    expect((await exec([{ argv: ['ip', 'netns', 'add', NS] }])).status).toBe(200);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'agent', NETNS_JOURNAL_FILE), 'utf8'))).toEqual({ netns: [NS] });
    expect((await exec([{ argv: ['ip', '-n', NS, 'link', 'set', 'dev', 'lo', 'up'] }])).status).toBe(200);
    expect((await exec([{ argv: ['ip', 'netns', 'del', NS] }])).status).toBe(200);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'agent', NETNS_JOURNAL_FILE), 'utf8'))).toEqual({ netns: [] });
  });
});

describe('what may run: network services', () => {
  const ruleset = JSON.stringify(routerRuleset({ guestInterface: 'eth0', publicInterface: 'eth1', guestCidr: '10.9.0.0/24', snat: true, eips: [], portForwards: [] }));
  const dnsmasq: DnsmasqConfig = {
    interface: 'eth0',
    dhcp: { subnet: '10.9.0.0/24', hosts: [{ mac: 'fa:16:3e:00:00:01', ip: '10.9.0.5', hostname: 'web' }], router: '10.9.0.1', dnsServers: ['10.9.0.1'], domain: 'app.example', classlessRoutes: [], mtu: 1500 },
    dns: { domain: 'app.example', records: [{ hostname: 'web', ip: '10.9.0.5' }], forwarders: [] },
  };

  it('GIVEN a namespace the agent added WHEN forwarding and an nft ruleset are applied in it THEN they run there (builtins such as dnsmasq-sync run in the agent: e2e-netns)', async () => {
    expect((await exec([{ argv: ['ip', 'netns', 'add', NS] }])).status).toBe(200);
    const res = await exec([
      { argv: ['ip', 'netns', 'exec', NS, 'sysctl', '-w', 'net.ipv4.ip_forward=1'] },
      { argv: ['ip', 'netns', 'exec', NS, 'nft', '-j', ruleset] },
      { argv: ['nft', '-j', 'list', 'tables'] },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.failedIndex).toBeNull();
    expect([...(fake.nft.get(NS)?.keys() ?? [])]).toEqual(['ip netforge']);
    expect((await exec([{ argv: ['ip', 'netns', 'del', NS] }])).status).toBe(200);
  });

  it.each<[string, string[], RegExp]>([
    ['a ruleset touching a table that is not netforge\'s', ['nft', '-j', JSON.stringify({ nftables: [{ flush: { table: { family: 'inet', name: 'filter' } } }] })], /table/],
    ['a ruleset that is not JSON', ['nft', '-j', 'flush ruleset'], /JSON/],
    ['nft reading a file', ['nft', '-f', '/tmp/rules.nft'], /expected '-j'/],
    ['a shell in a namespace', ['ip', 'netns', 'exec', NS, 'sh'], /sh/],
    ['another sysctl in a namespace', ['ip', 'netns', 'exec', NS, 'sysctl', '-w', 'net.ipv4.conf.all.rp_filter=0'], /ip_forward/],
    ['a dnsmasq configuration with a line break in a hostname', ['netforge', 'dnsmasq-sync', NS, JSON.stringify({ ...dnsmasq, dns: { ...dnsmasq.dns, records: [{ hostname: 'web\naddress=/#/6.6.6.6', ip: '10.9.0.5' }] } })], /hostname/],
    ['a dnsmasq configuration with an unknown field', ['netforge', 'dnsmasq-sync', NS, JSON.stringify({ ...dnsmasq, extra: '--conf-dir=/etc' })], /extra|unrecognized/i],
    ['a builtin that does not exist', ['netforge', 'exec', NS], /exec/],
  ])('GIVEN %s WHEN posted THEN 400 COMMAND_NOT_ALLOWED naming why, and nothing runs', async (_what, argv, why) => {
    const res = await exec([{ argv: ['ip', '-json', 'addr', 'show'] }, { argv }]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('COMMAND_NOT_ALLOWED');
    expect(res.body.error.details).toEqual([{ path: 'commands[1].argv', message: expect.stringMatching(why) }]);
    expect(changes()).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['apply a ruleset in a namespace it did not add', ['ip', 'netns', 'exec', NS, 'nft', '-j', ruleset]],
    ['turn on forwarding in a namespace it did not add', ['ip', 'netns', 'exec', NS, 'sysctl', '-w', 'net.ipv4.ip_forward=1']],
    ['start dnsmasq in a namespace it did not add', ['netforge', 'dnsmasq-sync', NS, JSON.stringify(dnsmasq)]],
    ['ask for a lease in a namespace it did not add', ['netforge', 'dhcp-request', NS, 'eth0']],
  ])('GIVEN a plan to %s WHEN posted THEN 400 naming the namespace, and nothing runs', async (_what, argv) => {
    const res = await exec([{ argv }]);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'commands[0].argv', message: `network namespace ${NS} was not created by this agent` }]);
    expect(changes()).toEqual([]);
  });
});

describe('AgentExecutor: the agent is authenticated before anything is sent', () => {
  const executor = (agentFingerprint: string, port = agent.port) =>
    new AgentExecutor({ host: '127.0.0.1', port, agentFingerprint, identity: server, description: "host 'h1'" });

  it('GIVEN the pinned fingerprint WHEN a command fails THEN later ones do not run unless allowFailure, and CommandFailedError names it', async () => {
    fake.vlanSupported = false; // like this machine's kernel
    const vlan = ['ip', 'link', 'add', 'link', 'eth1', 'name', 'eth1.9', 'type', 'vlan', 'id', '9'];
    const results = await executor(agent.fingerprint).run([{ argv: vlan, allowFailure: true }, { argv: ['ip', '-json', 'addr', 'show'] }]);
    expect(results.map((r) => r.code)).toEqual([2, 0]);
    const err = await executor(agent.fingerprint)
      .run([{ argv: vlan }, { argv: ['ip', '-json', 'addr', 'show'] }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect((err as Error).message).toBe(`\`ip link add link eth1 name eth1.9 type vlan id 9\` failed on host 'h1': Error: Unknown device type.`);
  });

  it('GIVEN another host\'s fingerprint WHEN running a plan THEN AgentRequestError says what was presented, and nothing ran', async () => {
    const err = await executor(stranger.fingerprint).run([{ argv: ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'] }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentRequestError);
    expect((err as Error).message).toBe(
      `the agent at 127.0.0.1:${agent.port} for host 'h1' presented certificate ${agent.fingerprint}, not the registered ${stranger.fingerprint}; nothing was sent`,
    );
    expect(ran).toEqual([]);
  });

  it('GIVEN a listener that is not the agent WHEN a plan is run against it THEN it receives a TLS hello and nothing of the request', async () => {
    const received: Buffer[] = [];
    const listener = net.createServer((socket) => {
      socket.on('data', (d: Buffer) => received.push(d));
      setTimeout(() => socket.destroy(), 200);
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const port = (listener.address() as net.AddressInfo).port;
      const err = await executor(agent.fingerprint, port).run([{ argv: ['ip', 'link', 'add', 'name', 'br_secret', 'type', 'bridge'] }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AgentRequestError);
      const bytes = Buffer.concat(received);
      expect(bytes[0]).toBe(0x16); // a TLS handshake record
      for (const leak of ['POST', '/v1/exec', 'br_secret', 'commands', 'authorization']) expect(bytes.includes(leak)).toBe(false);
    } finally {
      listener.close();
    }
  });

  it('GIVEN nothing listening WHEN a plan is run THEN AgentRequestError says it cannot reach it', async () => {
    const port = await freePort();
    const err = await executor(agent.fingerprint, port).run([{ argv: ['ip', '-json', 'addr', 'show'] }]).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`cannot reach the KVM agent of host 'h1' at 127.0.0.1:${port}: ECONNREFUSED`);
  });
});

describe('argv policy and the netns executor', () => {
  it('explains why a command is refused', () => {
    expect(argvRefusal(['ip', 'link', 'del', 'dev', 'eth0'])).toBe('command not allowed: argument 4 "eth0" is not a valid netforge device name');
    expect(argvRefusal(['rm', '-rf', '/'])).toBe("program 'rm' is not allowed; only ip, bridge, nft, sysctl, netforge are");
    expect(argvRefusal(['ip', '-json', 'addr', 'show'])).toBeNull();
  });

  it('wraps commands as `ip netns exec <ns> ...`, except namespace management, which names namespaces machine-wide', () => {
    expect(inNetns('nf-lab-h1', ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'])).toEqual(['ip', 'netns', 'exec', 'nf-lab-h1', 'ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge']);
    expect(inNetns('nf-lab-h1', ['ip', 'netns', 'add', 'nfvm-0123456789'])).toEqual(['ip', 'netns', 'add', 'nfvm-0123456789']);
    expect(inNetns('nf-lab-h1', ['ip', '-json', 'netns', 'list'])).toEqual(['ip', '-json', 'netns', 'list']);
  });
});
