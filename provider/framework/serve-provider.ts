import { servePlugin, RunningPlugin, ServeOptions } from '../plugin/serve';
import { ProviderServer } from './provider-server';
import type { ProviderDefinition } from './resource';
import type { SchemaSpec } from './schema';

/**
 * The main function of a provider bundle: `serveProvider(netforgeProvider)` at the top level
 * of the entry file. Start-up problems (a bad schema, a missing environment) are printed to
 * stderr and end the process with status 1.
 */
export async function serveProvider<PS extends SchemaSpec, PD>(
  definition: ProviderDefinition<PS, PD>,
  options: ServeOptions = {},
): Promise<RunningPlugin | undefined> {
  try {
    const server = new ProviderServer(definition);
    return await servePlugin(server, options);
  } catch (err) {
    process.stderr.write(`provider ${definition.typeName} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    (options.exit ?? ((code: number) => process.exit(code)))(1);
    return undefined;
  }
}
