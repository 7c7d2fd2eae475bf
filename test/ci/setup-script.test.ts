/**
 * The fresh-machine promise: README's test command installs what the tests need by itself
 * (`npm test` runs scripts/setup-test-host.sh first), and .ci/run runs exactly that command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'setup-test-host.sh');

describe('the test command on a fresh machine', () => {
  it('GIVEN README, package.json and .ci/run THEN README\'s test command is what CI runs, and npm test starts with the setup script', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const row = /^\| tests \| `([^`]+)` \|$/m.exec(readme);
    expect(row).not.toBeNull();
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').trim().split('\n');
    expect(ci[ci.length - 1]).toBe(row![1]);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test.startsWith('bash scripts/setup-test-host.sh && ')).toBe(true);
  });

  it('GIVEN a machine without ping and nsenter and no root WHEN the setup runs THEN it fails naming the Debian packages to install', () => {
    // A PATH with only what the script itself needs: the test programs are "not installed".
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-setup-'));
    try {
      const which = (tool: string) => execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      for (const tool of ['bash', 'id', 'sort']) fs.symlinkSync(which(tool), path.join(bin, tool));
      fs.chmodSync(bin, 0o755);
      const run = spawnSync(which('setpriv'), ['--reuid=65534', '--regid=65534', '--clear-groups', path.join(bin, 'bash'), SCRIPT], {
        env: { PATH: bin },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      // Whatever else this machine keeps outside the stripped PATH, these two are named.
      const line = /the tests need these Debian packages: (.*)/.exec(run.stderr)?.[1] ?? '';
      expect(line.split(' ')).toEqual(expect.arrayContaining(['iputils-ping', 'util-linux']));
      expect(run.stderr).toMatch(/as root: apt-get install .*iputils-ping/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('GIVEN everything installed WHEN the setup runs again THEN it changes nothing and succeeds', () => {
    const run = spawnSync('bash', [SCRIPT], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
