/**
 * The netforge provider for a stack. Besides configuring the provider, it makes the stack
 * deployable offline: at synth it places the packaged provider in the stack directory's
 * implied local mirror (terraform.d/plugins/...) and writes .terraform.lock.hcl with the
 * package's h1: hash, so neither `terraform init` nor cdktf's provider-lock step needs a
 * registry.
 *
 * cdktf points Terraform at a plugin cache shared by every project of the user
 * (TF_PLUGIN_CACHE_DIR, default ~/.terraform.d/plugin-cache). A cached netforge of the same
 * version from another build (an earlier checkout) would be linked in instead of this one
 * and fail the lock-file check at apply, so a cache entry whose hash is not this package's
 * is dropped: it is only a cache, Terraform fills it again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import type { Construct } from 'constructs';
import { packageHashV1 } from '../provider/packaging/dirhash';
import { lockFileText } from '../provider/packaging/install';
import { NetforgeProvider as NetforgeProviderL1 } from './imports/providers/netforge/provider';

export const NETFORGE_PROVIDER_SOURCE = 'registry.terraform.io/netforge/netforge';
export const NETFORGE_PROVIDER_VERSION = '0.1.0';
const PLATFORM = 'linux_amd64';

export interface NetforgeProviderProps {
  /**
   * Control server URL.
   * @default NETFORGE_ENDPOINT at deploy time, else http://127.0.0.1:8787
   */
  readonly endpoint?: string;
  /**
   * Bearer token. Prefer leaving it unset: the provider reads NETFORGE_TOKEN or the
   * server's token file at deploy time, and the token stays out of cdktf.out.
   * @default from the environment at deploy time
   */
  readonly token?: string;
  /**
   * Directory of the packaged provider (launcher + bundle).
   * @default dist/provider-package of this package (made by `npm run build`)
   */
  readonly packageDir?: string;
}

/** The packaged provider: next to the compiled constructs, or at the repository root from sources. */
export function defaultPackageDir(): string {
  const candidates = [path.join(__dirname, '..', 'provider-package'), path.join(__dirname, '..', 'dist', 'provider-package')];
  const found = candidates.find((dir) => fs.existsSync(dir));
  if (!found) throw new Error(`the netforge provider package was not found (looked in ${candidates.join(', ')}); run \`npm run build\``);
  return found;
}

/** Removes the plugin cache's netforge of this version when it is another build (see the file comment). */
export function dropStaleCacheEntry(hash: string, cacheDir = process.env.TF_PLUGIN_CACHE_DIR || path.join(os.homedir(), '.terraform.d', 'plugin-cache')): boolean {
  const entry = path.join(cacheDir, NETFORGE_PROVIDER_SOURCE, NETFORGE_PROVIDER_VERSION, PLATFORM);
  if (!fs.existsSync(entry) && !isLink(entry)) return false;
  let current: string | null = null;
  try {
    current = packageHashV1(entry);
  } catch {
    current = null; // absent, or not a readable package (a dangling link): stale either way if it exists
  }
  if (current === hash) return false;
  fs.rmSync(entry, { recursive: true, force: true });
  return true;
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export class NetforgeProvider extends NetforgeProviderL1 {
  constructor(scope: Construct, id: string, props: NetforgeProviderProps = {}) {
    super(scope, id, { endpoint: props.endpoint, token: props.token });
    const stack = TerraformStack.of(this);
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        // Resolved here, not at construction, so in-memory synths (tests) need no build.
        const packageDir = props.packageDir ?? defaultPackageDir();
        const stackDir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
        const mirror = path.join(stackDir, 'terraform.d', 'plugins', NETFORGE_PROVIDER_SOURCE, NETFORGE_PROVIDER_VERSION, PLATFORM);
        fs.rmSync(mirror, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(mirror), { recursive: true });
        fs.cpSync(packageDir, mirror, { recursive: true });
        const hash = packageHashV1(mirror);
        dropStaleCacheEntry(hash);
        fs.writeFileSync(
          path.join(stackDir, '.terraform.lock.hcl'),
          lockFileText([{ source: NETFORGE_PROVIDER_SOURCE, version: NETFORGE_PROVIDER_VERSION, hashes: [hash] }]),
        );
      },
    });
  }
}
