import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageHashV1 } from '../../provider/packaging';
import { hashFiles, listFiles } from '../../provider/packaging/dirhash';
import { cliConfigText, lockFileText, mirrorPackageDir } from '../../provider/packaging/install';
import { launcherScript } from '../../provider/packaging/build';

/** The same hash computed by coreutils and openssl, as an independent implementation. */
function shellDirhash(dir: string): string {
  const script =
    'cd "$1" && find . -type f | sed "s|^\\./||" | LC_ALL=C sort | ' +
    'while IFS= read -r f; do printf "%s  %s\\n" "$(sha256sum "$f" | cut -d" " -f1)" "$f"; done | ' +
    'openssl dgst -sha256 -binary | base64';
  return `h1:${execFileSync('sh', ['-c', script, 'sh', dir], { encoding: 'utf8' }).trim()}`;
}

describe('h1 dirhash', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirhash-'));
    fs.writeFileSync(path.join(dir, 'terraform-provider-x_v1.0.0'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'b.txt'), '');
    fs.writeFileSync(path.join(dir, 'Upper.js'), 'x');
    fs.writeFileSync(path.join(dir, 'sub-file'), 'y'); // "-" sorts before "/" in byte order
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('matches an independent shell implementation', () => {
    expect(packageHashV1(dir)).toBe(shellDirhash(dir));
  });

  test('lists files with "/" separators in byte order', () => {
    expect(listFiles(dir)).toEqual(['Upper.js', 'sub-file', 'sub/b.txt', 'terraform-provider-x_v1.0.0']);
  });

  test('known vector: one file "hello\\n" named a', () => {
    // sha256("hello\n") = 5891b5b5...; summary line "<hex>  a\n"
    const hash = hashFiles(['a'], () => Buffer.from('hello\n'));
    const expected = require('node:crypto')
      .createHash('sha256')
      .update('5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  a\n')
      .digest('base64');
    expect(hash).toBe(`h1:${expected}`);
  });

  test('changes when any file changes', () => {
    const before = packageHashV1(dir);
    fs.writeFileSync(path.join(dir, 'sub', 'b.txt'), 'changed');
    expect(packageHashV1(dir)).not.toBe(before);
  });
});

describe('installation files', () => {
  test('mirror layout is <host>/<namespace>/<type>/<version>/<platform>', () => {
    expect(mirrorPackageDir('/m', { namespace: 'netforge', type: 'netforge', version: '0.1.0' })).toBe(
      '/m/registry.terraform.io/netforge/netforge/0.1.0/linux_amd64',
    );
  });

  test('CLI config routes only our providers to the mirror', () => {
    const text = cliConfigText({ mirrorDir: '/m', providers: ['registry.terraform.io/netforge/netforge'] });
    expect(text).toContain('filesystem_mirror {\n    path    = "/m"\n    include = ["registry.terraform.io/netforge/netforge"]');
    expect(text).toContain('direct {\n    exclude = ["registry.terraform.io/netforge/netforge"]');
  });

  test('lock file entry lists version, constraint and hashes', () => {
    const text = lockFileText([{ source: 'registry.terraform.io/netforge/netforge', version: '0.1.0', hashes: ['h1:abc='] }]);
    expect(text).toContain('provider "registry.terraform.io/netforge/netforge" {\n  version     = "0.1.0"\n  constraints = "0.1.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}');
  });

  test('launcher execs node on the start script beside it', () => {
    expect(launcherScript()).toBe('#!/bin/sh\n# Terraform provider launcher: runs the bundled provider next to this script.\nexec node "$(dirname "$0")/start.js" "$@"\n');
    expect(launcherScript("/opt/my node/bin/node")).toContain(`exec '/opt/my node/bin/node' "$(dirname "$0")/start.js"`);
  });
});
