/** `netforge provider install`: the provider into a filesystem mirror, so `terraform init` works offline. */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { buildProviderPackage, installProvider, type InstalledProvider, type ProviderPackage } from '../provider/packaging';
import { readExamples, renderDocs, staleDocs, writeDocs } from '../provider/docs/render';
import { netforgeProvider, PROVIDER_VERSION } from '../provider/netforge/provider';

export const PROVIDER_ADDRESS = { namespace: 'netforge', type: 'netforge', version: PROVIDER_VERSION } as const;
export const DEFAULT_MIRROR_DIR = path.join('.netforge', 'terraform', 'mirror');
export const DEFAULT_CLI_CONFIG = path.join('.netforge', 'terraform', 'terraformrc');

/** The provider's entry: TypeScript source in a checkout, compiled JS otherwise. */
function providerEntry(): string {
  // From sources (cli/) or from the build (dist/cli/): prefer the TypeScript, esbuild bundles it.
  const candidates = [
    path.join(__dirname, '..', 'provider', 'netforge', 'main.ts'),
    path.join(__dirname, '..', '..', 'provider', 'netforge', 'main.ts'),
    path.join(__dirname, '..', 'provider', 'netforge', 'main.js'),
  ];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('cannot find the provider sources (provider/netforge/main.ts)');
}

export async function installNetforgeProvider(opts: { mirrorDir?: string; cliConfigFile?: string }): Promise<InstalledProvider> {
  return installProvider({
    ...PROVIDER_ADDRESS,
    entry: providerEntry(),
    mirrorDir: path.resolve(opts.mirrorDir ?? DEFAULT_MIRROR_DIR),
    cliConfigFile: path.resolve(opts.cliConfigFile ?? DEFAULT_CLI_CONFIG),
  });
}

/** Where `npm run build` leaves the packaged provider (constructs copy it into each stack at synth). */
export const BUILT_PACKAGE_DIR = path.join('dist', 'provider-package');

export async function packageNetforgeProvider(outDir: string): Promise<ProviderPackage> {
  return buildProviderPackage({ ...PROVIDER_ADDRESS, entry: providerEntry(), outDir: path.resolve(outDir) });
}

export function providerCommand(): Command {
  const provider = new Command('provider').description('the netforge Terraform provider');
  provider
    .command('package')
    .description('build the self-contained provider package (launcher + bundle) into a directory')
    .option('--out <dir>', `output directory (default ${BUILT_PACKAGE_DIR})`, BUILT_PACKAGE_DIR)
    .action(async (opts: { out: string }) => {
      const pkg = await packageNetforgeProvider(opts.out);
      console.log(`packaged ${pkg.executable} (${pkg.hash})`);
    });
  provider
    .command('install')
    .description('build the provider into a filesystem mirror and write a Terraform CLI config that uses it')
    .option('--mirror <dir>', `filesystem mirror directory (default ${DEFAULT_MIRROR_DIR})`)
    .option('--cli-config <file>', `Terraform CLI config to write (default ${DEFAULT_CLI_CONFIG})`)
    .action(async (opts: { mirror?: string; cliConfig?: string }) => {
      const installed = await installNetforgeProvider({ mirrorDir: opts.mirror, cliConfigFile: opts.cliConfig });
      console.log(`installed ${installed.source} ${installed.version} into ${installed.dir}`);
      console.log(`lock-file hash: ${installed.hash}`);
      console.log(`use it with: export TF_CLI_CONFIG_FILE=${installed.cliConfigFile}`);
    });
  provider
    .command('docs')
    .description('generate the provider documentation (tfplugindocs layout) from its schema and examples/')
    .option('--docs <dir>', 'output directory', 'docs')
    .option('--examples <dir>', 'examples directory', 'examples')
    .option('--check', 'write nothing; fail when the docs differ from what would be generated')
    .action((opts: { docs: string; examples: string; check?: boolean }) => {
      const files = renderDocs(netforgeProvider, readExamples(opts.examples, netforgeProvider));
      if (opts.check) {
        const problems = staleDocs(opts.docs, files);
        if (problems.length > 0) {
          console.error(`${opts.docs} is out of date (run \`npm run docs\`):\n  ${problems.join('\n  ')}`);
          process.exitCode = 1;
          return;
        }
        console.log(`${opts.docs}: ${files.size} pages, up to date`);
        return;
      }
      writeDocs(opts.docs, files);
      console.log(`wrote ${files.size} pages to ${opts.docs}`);
    });
  return provider;
}
