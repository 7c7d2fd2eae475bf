/**
 * Builds a provider into a self-contained, versioned package directory:
 *   terraform-provider-<type>_v<version>   #!/bin/sh launcher that execs node on start.js
 *   start.js                               runs the bundle through V8's code cache (start.ts)
 *   provider.js                            esbuild bundle, protocol descriptors embedded
 * Generic over namespace, type, version and entry file (the entry calls serveProvider).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import * as protobuf from 'protobufjs';
import { PROTO_DIR, PROTO_FILES } from '../plugin/protocol';
import { packageHashV1 } from './dirhash';

export const BUNDLE_FILE = 'provider.js';
export const START_FILE = 'start.js';

export interface ProviderAddress {
  /** Registry host; Terraform's default is registry.terraform.io. */
  readonly hostname?: string;
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
}

export interface BuildProviderOptions extends ProviderAddress {
  /** TypeScript or JavaScript module whose top level calls serveProvider(...). */
  readonly entry: string;
  /** Package directory to (re)create. */
  readonly outDir: string;
  /**
   * Node executable the launcher runs. Default: `node` from PATH (Terraform passes its
   * environment to providers). An absolute path pins it but ties the package to this machine.
   */
  readonly nodePath?: string;
  readonly minify?: boolean;
}

export interface ProviderPackage {
  readonly dir: string;
  readonly executable: string;
  /** h1: hash of the package directory, as recorded in .terraform.lock.hcl. */
  readonly hash: string;
}

export function executableName(type: string, version: string): string {
  return `terraform-provider-${type}_v${version}`;
}

export function providerSource(address: ProviderAddress): string {
  return `${address.hostname ?? 'registry.terraform.io'}/${address.namespace}/${address.type}`;
}

/**
 * The protocol as protobufjs JSON, the form `protoLoader.fromJSON` loads without parsing
 * .proto text. protobufjs is the parser @grpc/proto-loader itself depends on.
 */
export function compileDescriptorJson(): string {
  const root = new protobuf.Root();
  root.loadSync(
    PROTO_FILES.map((f) => path.join(PROTO_DIR, f)),
    { keepCase: true },
  );
  return JSON.stringify(root.toJSON());
}

export function launcherScript(nodePath = 'node'): string {
  const node = nodePath === 'node' ? 'node' : `'${nodePath.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/bin/sh',
    '# Terraform provider launcher: runs the bundled provider next to this script.',
    `exec ${node} "$(dirname "$0")/${START_FILE}" "$@"`,
    '',
  ].join('\n');
}

export async function buildProviderPackage(options: BuildProviderOptions): Promise<ProviderPackage> {
  const dir = path.resolve(options.outDir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });

  await esbuild.build({
    entryPoints: [options.entry],
    outfile: path.join(dir, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ES module builds where packages ship them (the ASN.1 libraries behind the AutoMTLS
    // certificate, msgpack): esbuild drops their unused exports, which makes the bundle
    // ~70 kB smaller and every provider start ~20 ms of CPU cheaper. Packages without a
    // "module" field (grpc-js, protobufjs) are bundled as before.
    mainFields: ['module', 'main'],
    minify: options.minify ?? true,
    // Identifiers stay readable in stack traces that end up in Terraform's log.
    keepNames: true,
    legalComments: 'none',
    logLevel: 'silent',
    // The protocol, parsed once here instead of at every provider start.
    define: { __TFPLUGIN_PROTO_DESCRIPTOR__: JSON.stringify(compileDescriptorJson()) },
  });

  const bundleSha256 = createHash('sha256').update(fs.readFileSync(path.join(dir, BUNDLE_FILE))).digest('hex').slice(0, 16);
  const startSource = path.join(__dirname, fs.existsSync(path.join(__dirname, 'start.ts')) ? 'start.ts' : 'start.js');
  await esbuild.build({
    entryPoints: [startSource],
    outfile: path.join(dir, START_FILE),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { __PROVIDER_BUNDLE__: JSON.stringify({ file: BUNDLE_FILE, sha256: bundleSha256 }) },
  });

  const executable = path.join(dir, executableName(options.type, options.version));
  fs.writeFileSync(executable, launcherScript(options.nodePath), { mode: 0o755 });
  return { dir, executable, hash: packageHashV1(dir) };
}
