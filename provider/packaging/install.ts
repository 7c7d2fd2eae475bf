/**
 * Offline installation: place a built provider in a filesystem mirror, point Terraform at
 * it with a CLI config file, and pre-write the lock file from our own h1: hash, so neither
 * `terraform init` nor cdktf's `terraform providers lock` needs a registry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildProviderPackage, BuildProviderOptions, ProviderAddress, ProviderPackage, providerSource } from './build';

export const DEFAULT_PLATFORM = 'linux_amd64';

export interface InstallProviderOptions extends Omit<BuildProviderOptions, 'outDir'> {
  /** Root of the filesystem mirror (`provider_installation { filesystem_mirror { path } }`). */
  readonly mirrorDir: string;
  readonly platform?: string;
  /** When set, a CLI config file using the mirror is written here. */
  readonly cliConfigFile?: string;
}

export interface InstalledProvider extends ProviderPackage {
  /** e.g. registry.terraform.io/netforge/netforge */
  readonly source: string;
  readonly version: string;
  readonly mirrorDir: string;
  readonly cliConfigFile?: string;
}

/** `<mirror>/<host>/<namespace>/<type>/<version>/<os_arch>/`: Terraform's unpacked mirror layout. */
export function mirrorPackageDir(mirrorDir: string, address: ProviderAddress, platform = DEFAULT_PLATFORM): string {
  return path.join(path.resolve(mirrorDir), providerSource(address), address.version, platform);
}

export async function installProvider(options: InstallProviderOptions): Promise<InstalledProvider> {
  const pkg = await buildProviderPackage({ ...options, outDir: mirrorPackageDir(options.mirrorDir, options, options.platform) });
  const source = providerSource(options);
  if (options.cliConfigFile) writeCliConfig(options.cliConfigFile, { mirrorDir: options.mirrorDir, providers: [source] });
  return { ...pkg, source, version: options.version, mirrorDir: path.resolve(options.mirrorDir), cliConfigFile: options.cliConfigFile };
}

export function cliConfigText(options: { mirrorDir: string; providers: readonly string[] }): string {
  const list = options.providers.map((p) => JSON.stringify(p)).join(', ');
  return [
    '# Terraform CLI configuration: netforge providers come from a local filesystem mirror.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(path.resolve(options.mirrorDir))}`,
    `    include = [${list}]`,
    '  }',
    '  direct {',
    `    exclude = [${list}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Writes a CLI config file for TF_CLI_CONFIG_FILE. */
export function writeCliConfig(file: string, options: { mirrorDir: string; providers: readonly string[] }): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, cliConfigText(options));
}

export interface LockedProvider {
  readonly source: string;
  readonly version: string;
  readonly hashes: readonly string[];
  /** Version constraint recorded beside the version; defaults to the exact version. */
  readonly constraints?: string;
}

export function lockFileText(providers: readonly LockedProvider[]): string {
  const blocks = [...providers]
    .sort((a, b) => a.source.localeCompare(b.source))
    .map((p) =>
      [
        `provider ${JSON.stringify(p.source)} {`,
        `  version     = ${JSON.stringify(p.version)}`,
        `  constraints = ${JSON.stringify(p.constraints ?? p.version)}`,
        '  hashes = [',
        ...[...p.hashes].sort().map((h) => `    ${JSON.stringify(h)},`),
        '  ]',
        '}',
      ].join('\n'),
    );
  return [
    '# This file is maintained automatically by "terraform init".',
    '# Manual edits may be lost in future updates.',
    '',
    blocks.join('\n\n'),
    '',
  ].join('\n');
}

/** Writes `<workingDir>/.terraform.lock.hcl` for the given providers. */
export function writeLockFile(workingDir: string, providers: readonly LockedProvider[]): string {
  const file = path.join(workingDir, '.terraform.lock.hcl');
  fs.writeFileSync(file, lockFileText(providers));
  return file;
}
