import { AgentExecutor, AgentRequestError } from '../../../server/hypervisors/kvm/agent-client';
import { startAgent, type RunningAgent } from '../../../server/hypervisors/kvm/agent';
import { argvRefusal } from '../../../server/hypervisors/kvm/argv-policy';
import { CommandFailedError, type CommandResult } from '../../../server/hypervisors/kvm/commands';
import { inNetns } from '../../../server/hypervisors/kvm/executors';

const TOKEN = 'agent-test-token-0123456789';

describe('host agent over HTTP (127.0.0.1)', () => {
  let agent: RunningAgent;
  const ran: string[][] = [];
  /** Records instead of executing; `ip link del` of br_fail fails. */
  const runner = async (argv: readonly string[]): Promise<CommandResult> => {
    ran.push([...argv]);
    const fails = argv.join(' ') === 'ip link del dev br_fail';
    return { argv: [...argv], code: fails ? 1 : 0, stdout: fails ? '' : '[]', stderr: fails ? 'Cannot find device "br_fail"' : '' };
  };

  beforeAll(async () => {
    agent = await startAgent({ host: '127.0.0.1', port: 0, token: TOKEN, runner });
  });
  afterAll(() => agent.close());
  beforeEach(() => {
    ran.length = 0;
  });

  const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${agent.url}/v1/exec`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const allowed = { commands: [{ argv: ['ip', '-json', '-d', 'link', 'show'] }] };

  it('GIVEN no Authorization header WHEN posting a plan THEN 401 and nothing runs', async () => {
    const res = await post(allowed, {});
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect(ran).toEqual([]);
  });

  it.each([
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, 10)}`],
    ['another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('GIVEN %s WHEN posting a plan or pinging THEN 401 and nothing runs', async (_what, header) => {
    expect((await post(allowed, { authorization: header })).status).toBe(401);
    expect((await fetch(`${agent.url}/v1/ping`, { headers: { authorization: header } })).status).toBe(401);
    expect(ran).toEqual([]);
  });

  it('GIVEN the token WHEN pinging THEN 200 with the pid', async () => {
    const res = await fetch(`${agent.url}/v1/ping`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, pid: process.pid });
  });

  it('GIVEN the token and an allowed plan WHEN posted THEN each command runs in order and the results come back', async () => {
    const res = await post({
      commands: [{ argv: ['ip', '-json', '-d', 'link', 'show'] }, { argv: ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'] }],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: CommandResult[]; failedIndex: number | null };
    expect(body.failedIndex).toBeNull();
    expect(body.results.map((r) => r.code)).toEqual([0, 0]);
    expect(ran).toEqual([
      ['ip', '-json', '-d', 'link', 'show'],
      ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'],
    ]);
  });

  it.each([
    [['sh', '-c', 'reboot']],
    [['/usr/sbin/ip', 'link', 'show']],
    [['ip', 'netns', 'exec', 'nf-lab-h1', 'sh']],
    [['ip', '-batch', '/tmp/x']],
    [['ip', '-force', '-batch', '-']],
    [['ip', 'link', 'del', 'dev', 'eth0']],
    [['ip', 'link', 'del', 'dev', 'lo']],
    [['ip', 'netns', 'del', 'nf-lab-h2']],
    [['ip', 'link', 'add', 'name', 'eth0;reboot', 'type', 'bridge']],
    [['ip', 'link', 'set', 'dev', '$(id)', 'up']],
    [['ip', 'link', 'set', 'dev', '-x', 'up']],
    [['ip', 'link', 'set', 'dev', 'eth1', 'master', 'br_eth1', 'up']],
    [
      [
        'ip',
        'link',
        'add',
        'name',
        'vxlan5',
        'type',
        'vxlan',
        'id',
        '5',
        'group',
        '10.0.0.1',
        'dev',
        'eth0',
        'dstport',
        '4789',
        'local',
        '172.30.0.11',
      ],
    ],
    [['ip', '-n', 'nfvm-0123456789', 'exec', 'sh']],
    [['ip', 'addr', 'flush', 'dev', 'eth0']],
    [['ip', 'route', 'add', 'default', 'via', '1.2.3.4']],
    [['bridge', 'fdb', 'add', '00:00:00:00:00:00', 'dev', 'vxlan5', 'dst', '1.2.3.4']],
  ])(
    'GIVEN the token and a non-whitelisted command %j WHEN posted (after an allowed one) THEN 400 COMMAND_NOT_ALLOWED and nothing runs',
    async (argv) => {
      const res = await post({ commands: [{ argv: ['ip', '-json', 'addr', 'show'] }, { argv }] });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
      expect(body.error.code).toBe('COMMAND_NOT_ALLOWED');
      expect(body.error.details.map((d) => d.path)).toEqual(['commands[1].argv']);
      expect(ran).toEqual([]);
    },
  );

  it('GIVEN a shell string instead of an argv array, or unknown fields THEN 400 and nothing runs', async () => {
    expect((await post({ commands: [{ argv: 'ip link show; reboot' }] })).status).toBe(400);
    expect((await post({ commands: [{ argv: ['ip', '-json', 'addr', 'show'], shell: true }] })).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
    expect((await post({ commands: [] })).status).toBe(400);
    expect(ran).toEqual([]);
  });

  it('GIVEN a body over 1 MB THEN 413', async () => {
    const res = await post({ commands: [{ argv: ['ip', 'x'.repeat(1024 * 1024)] }] });
    expect(res.status).toBe(413);
    expect(ran).toEqual([]);
  });

  it('GIVEN unknown paths or methods THEN 404/405 (after the token check)', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${agent.url}/v1/shell`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${agent.url}/v1/exec`, { headers: auth })).status).toBe(405);
    expect((await fetch(`${agent.url}/v1/shell`)).status).toBe(401);
  });

  it('GIVEN AgentExecutor with the token WHEN a command fails THEN later ones do not run, unless allowFailure, and CommandFailedError names it', async () => {
    const exec = new AgentExecutor({ baseUrl: agent.url, token: TOKEN, description: "host 'h1'" });
    const results = await exec.run([
      { argv: ['ip', 'link', 'del', 'dev', 'br_fail'], allowFailure: true },
      { argv: ['ip', '-json', 'addr', 'show'] },
    ]);
    expect(results.map((r) => r.code)).toEqual([1, 0]);
    ran.length = 0;
    const err = await exec
      .run([{ argv: ['ip', 'link', 'del', 'dev', 'br_fail'] }, { argv: ['ip', '-json', 'addr', 'show'] }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect((err as Error).message).toBe(`\`ip link del dev br_fail\` failed on host 'h1': Cannot find device "br_fail"`);
    expect(ran).toEqual([['ip', 'link', 'del', 'dev', 'br_fail']]);
  });

  it('GIVEN AgentExecutor with a wrong token THEN AgentRequestError with status 401', async () => {
    const err = await new AgentExecutor({ baseUrl: agent.url, token: 'nope' })
      .run([{ argv: ['ip', '-json', 'addr', 'show'] }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentRequestError);
    expect((err as AgentRequestError).status).toBe(401);
    expect(ran).toEqual([]);
  });

  it('GIVEN no agent listening THEN AgentRequestError says it cannot reach it', async () => {
    const gone = await startAgent({ host: '127.0.0.1', port: 0, token: TOKEN, runner });
    await gone.close();
    const err = await new AgentExecutor({ baseUrl: gone.url, token: TOKEN, description: "host 'h9'" })
      .run([{ argv: ['ip', '-json', 'addr', 'show'] }])
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe(`cannot reach the KVM agent of host 'h9' at ${gone.url}: ECONNREFUSED`);
  });

  it('refuses to start without a token', async () => {
    await expect(startAgent({ host: '127.0.0.1', port: 0, token: '' })).rejects.toThrow(/needs a token/);
  });
});

describe('argv policy and the netns executor', () => {
  it('explains why a command is refused', () => {
    expect(argvRefusal(['ip', 'link', 'del', 'dev', 'eth0'])).toBe('command not allowed: argument 4 "eth0" is not a valid netforge device name');
    expect(argvRefusal(['rm', '-rf', '/'])).toBe("program 'rm' is not allowed; only ip and bridge are");
    expect(argvRefusal(['ip', '-json', 'addr', 'show'])).toBeNull();
  });

  it('wraps commands as `ip netns exec <ns> ...`, except namespace management, which names namespaces machine-wide', () => {
    expect(inNetns('nf-lab-h1', ['ip', 'link', 'add', 'name', 'br_eth1', 'type', 'bridge'])).toEqual([
      'ip',
      'netns',
      'exec',
      'nf-lab-h1',
      'ip',
      'link',
      'add',
      'name',
      'br_eth1',
      'type',
      'bridge',
    ]);
    expect(inNetns('nf-lab-h1', ['ip', 'netns', 'add', 'nfvm-0123456789'])).toEqual(['ip', 'netns', 'add', 'nfvm-0123456789']);
    expect(inNetns('nf-lab-h1', ['ip', '-json', 'netns', 'list'])).toEqual(['ip', '-json', 'netns', 'list']);
  });
});
