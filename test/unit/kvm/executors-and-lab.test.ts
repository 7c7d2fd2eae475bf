import { CommandFailedError } from '../../../hosts/linux/commands';
import { execArgv, LocalExecutor, NetnsExecutor } from '../../../hosts/linux/executors';
import { clusterIndexOf, labHostPlan, labUp, LAB_MAX_HOSTS } from '../../../hosts/lab/lab';
import { vmNetnsName } from '../../../hosts/linux/names';

describe('LocalExecutor (execFile, read-only commands)', () => {
  it('GIVEN `ip -json link show dev lo` WHEN run THEN its JSON comes back, argv unchanged', async () => {
    const [r] = await new LocalExecutor().run([{ argv: ['ip', '-json', 'link', 'show', 'dev', 'lo'] }]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { ifname: string }[])[0].ifname).toBe('lo');
  });

  it('GIVEN a failing command WHEN run THEN CommandFailedError names it, the host and stderr; later commands do not run', async () => {
    const exec = new LocalExecutor("host 'here'");
    const err = await exec
      .run([{ argv: ['ip', 'link', 'show', 'dev', 'nfnosuchdev0'] }, { argv: ['ip', '-json', 'link', 'show', 'dev', 'lo'] }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect((err as Error).message).toBe('`ip link show dev nfnosuchdev0` failed on host \'here\': Device "nfnosuchdev0" does not exist.');
    expect((err as CommandFailedError).previous).toEqual([]);
  });

  it('GIVEN allowFailure WHEN the command fails THEN the plan goes on and the result says so', async () => {
    const results = await new LocalExecutor().run([
      { argv: ['ip', 'link', 'show', 'dev', 'nfnosuchdev0'], allowFailure: true },
      { argv: ['ip', '-json', 'link', 'show', 'dev', 'lo'] },
    ]);
    expect(results.map((r) => r.code)).toEqual([1, 0]);
  });

  it('GIVEN a program other than ip/bridge or shell syntax THEN nothing is started', async () => {
    await expect(execArgv(['sh', '-c', 'id'])).rejects.toThrow("refusing to run 'sh': plans may only run ip, bridge");
    // Shell syntax is just an argument: ip sees the literal string and refuses it.
    const r = await execArgv(['ip', 'link', 'show', 'dev', 'lo;id']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toMatch(/uid=/);
  });

  it('refuses namespace names that are not plain names', () => {
    expect(() => new NetnsExecutor('../x')).toThrow(/invalid network namespace name/);
    expect(() => new NetnsExecutor('-x')).toThrow(/invalid network namespace name/);
  });
});

describe('lab layout', () => {
  it('spreads hosts over clusters in contiguous blocks', () => {
    expect([1, 2, 3, 4].map((i) => clusterIndexOf(i, 4, 2))).toEqual([0, 0, 1, 1]);
    expect([1, 2, 3, 4, 5].map((i) => clusterIndexOf(i, 5, 2))).toEqual([0, 0, 0, 1, 1]);
    expect([1, 2, 3].map((i) => clusterIndexOf(i, 3, 3))).toEqual([0, 1, 2]);
  });

  it('names hosts nf-lab-h<i> at 172.30.0.<10+i>, with root-side veths that fit 15 characters even for the last host', () => {
    expect(labHostPlan(1, 4, 2, 7070, '/run/x')).toMatchObject({
      netns: 'nf-lab-h1',
      managementIp: '172.30.0.11',
      mgmtVeth: 'nflab-h1m',
      dataVeth: 'nflab-h1d',
      agentUrl: 'https://172.30.0.11:7070',
    });
    const last = labHostPlan(LAB_MAX_HOSTS, LAB_MAX_HOSTS, 1, 7070, '/run/x');
    expect(last.managementIp).toBe('172.30.0.210');
    expect(last.mgmtVeth.length).toBeLessThanOrEqual(15);
  });

  it('refuses host and cluster counts out of range before touching anything', async () => {
    await expect(labUp({ hosts: 0 })).rejects.toThrow(`--hosts must be 1-${LAB_MAX_HOSTS}, got 0`);
    await expect(labUp({ hosts: 2, clusters: 3 })).rejects.toThrow('--clusters must be 1-2 (at most one per host), got 3');
  });

  it('names VM namespaces nfvm-<10 hex>, deterministic per VM', () => {
    expect(vmNetnsName('0d5c6f1e-0000-4000-8000-000000000001')).toMatch(/^nfvm-[0-9a-f]{10}$/);
    expect(vmNetnsName('A')).toBe(vmNetnsName('a'));
    expect(vmNetnsName('a')).not.toBe(vmNetnsName('b'));
  });
});
