import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { packageNetforgeProvider } from '../../cli/provider-command';
import { NETFORGE_PROVIDER_SOURCE, NETFORGE_PROVIDER_VERSION, NetforgeProvider, Zone } from '../../constructs';
import { NetforgeProvider as NetforgeProviderL1 } from '../../constructs/imports/providers/netforge/provider';
import { packageHashV1 } from '../../provider/packaging/dirhash';
import type { ProviderPackage } from '../../provider/packaging';
import { removeTestOutdir, testApp } from './helpers';

Testing.setupJest();
afterAll(removeTestOutdir);

const MIRROR = path.join('terraform.d', 'plugins', 'registry.terraform.io', 'netforge', 'netforge', '0.1.0', 'linux_amd64');
const EXECUTABLE = 'terraform-provider-netforge_v0.1.0';

describe('NetforgeProvider', () => {
  let tmp: string;
  let pkg: ProviderPackage;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-provider-construct-'));
    pkg = await packageNetforgeProvider(path.join(tmp, 'provider-package'));
  }, 120_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function stackWithProvider(props: { endpoint?: string; token?: string } = {}): TerraformStack {
    const stack = new TerraformStack(testApp(), 'netforge-test');
    new NetforgeProvider(stack, 'netforge', { packageDir: pkg.dir, ...props });
    new Zone(stack, 'zone1');
    return stack;
  }

  it('GIVEN the source and version constants WHEN read THEN they are the registry address and 0.1.0', () => {
    expect([NETFORGE_PROVIDER_SOURCE, NETFORGE_PROVIDER_VERSION]).toEqual(['registry.terraform.io/netforge/netforge', '0.1.0']);
  });

  it('GIVEN an endpoint and no token WHEN synthesized THEN the provider block has the endpoint and no token', () => {
    const synthesized = Testing.synth(stackWithProvider({ endpoint: 'http://10.0.0.1:8787' }));
    expect(synthesized).toHaveProviderWithProperties(NetforgeProviderL1, { endpoint: 'http://10.0.0.1:8787' });
    expect(JSON.parse(synthesized).provider.netforge).toEqual([{ endpoint: 'http://10.0.0.1:8787' }]);
    expect(JSON.parse(synthesized).terraform.required_providers.netforge).toEqual(expect.objectContaining({ source: 'netforge/netforge' }));
  });

  it('GIVEN a stack WHEN fully synthesized THEN the package sits in the stack implied mirror and the lock file carries its h1 hash', () => {
    const outdir = Testing.fullSynth(stackWithProvider());
    try {
      const stackDir = path.join(outdir, 'stacks', 'netforge-test');
      const mirror = path.join(stackDir, MIRROR);
      const executable = path.join(mirror, EXECUTABLE);

      expect(fs.existsSync(executable)).toBe(true);
      expect(fs.statSync(executable).mode & 0o111).not.toBe(0);
      expect(fs.readdirSync(mirror).sort()).toEqual(fs.readdirSync(pkg.dir).sort());

      const hash = packageHashV1(mirror);
      expect(hash).toBe(pkg.hash);
      const lock = fs.readFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'utf8');
      expect(lock).toContain(`provider "registry.terraform.io/netforge/netforge" {\n  version     = "0.1.0"\n  constraints = "0.1.0"\n  hashes = [\n    "${hash}",\n  ]\n}`);
      expect(lock.match(/h1:[A-Za-z0-9+/=]+/g)).toEqual([hash]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('GIVEN app.synth into an outdir twice with a stray file in the mirror WHEN synthesized again THEN the mirror is the package again and the hash still matches', () => {
    const outdir = path.join(tmp, 'cdktf.out');
    const app1 = Testing.app({ outdir });
    const stack1 = new TerraformStack(app1, 'netforge-test');
    new NetforgeProvider(stack1, 'netforge', { packageDir: pkg.dir });
    app1.synth();
    const stackDir = path.join(outdir, 'stacks', 'netforge-test');
    fs.writeFileSync(path.join(stackDir, MIRROR, 'stale.txt'), 'left over');

    const app2 = Testing.app({ outdir });
    const stack2 = new TerraformStack(app2, 'netforge-test');
    new NetforgeProvider(stack2, 'netforge', { packageDir: pkg.dir });
    app2.synth();

    expect(fs.existsSync(path.join(stackDir, MIRROR, 'stale.txt'))).toBe(false);
    const lock = fs.readFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain(`"${packageHashV1(path.join(stackDir, MIRROR))}"`);
    expect(lock).toContain(`"${pkg.hash}"`);
  });

  it('GIVEN the plugin cache holds netforge 0.1.0 of another build WHEN synthesized THEN that entry is dropped; a cached copy of this very package stays', () => {
    const cache = path.join(tmp, 'plugin-cache');
    const entry = path.join(cache, 'registry.terraform.io', 'netforge', 'netforge', '0.1.0', 'linux_amd64');
    const previous = process.env.TF_PLUGIN_CACHE_DIR;
    process.env.TF_PLUGIN_CACHE_DIR = cache;
    try {
      fs.mkdirSync(entry, { recursive: true });
      fs.writeFileSync(path.join(entry, 'provider.js'), '// an older build');
      fs.rmSync(Testing.fullSynth(stackWithProvider()), { recursive: true, force: true });
      expect(fs.existsSync(entry)).toBe(false);

      fs.cpSync(pkg.dir, entry, { recursive: true });
      fs.rmSync(Testing.fullSynth(stackWithProvider()), { recursive: true, force: true });
      expect(packageHashV1(entry)).toBe(pkg.hash);
    } finally {
      if (previous === undefined) delete process.env.TF_PLUGIN_CACHE_DIR;
      else process.env.TF_PLUGIN_CACHE_DIR = previous;
    }
  });

  it('GIVEN a token WHEN synthesized THEN it is written to the provider block (prefer the environment)', () => {
    const synthesized = Testing.synth(stackWithProvider({ token: 'secret' }));
    expect(synthesized).toHaveProviderWithProperties(NetforgeProviderL1, { token: 'secret' });
  });
});
