/** The `netforge` command. */
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REALIZE_CONCURRENCY } from '../server/config';
import { NETFORGE_VERSION, startServer } from '../server/server';
import { agentCommand } from './agent-command';
import { labCommand } from './lab-command';
import { registerProviderCommand } from './provider-command';
import { registerDeployCommand } from './deploy-command';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

export function buildCli(): Command {
  const program = new Command('netforge').description('Private-cloud networking as code').version(NETFORGE_VERSION);
  program
    .command('server')
    .description('run the control server (embedded SQLite in the data dir unless --database is given)')
    .option('--port <port>', `TCP port (env NETFORGE_PORT, default ${DEFAULT_PORT}; 0 picks a free one)`, integer)
    .option('--host <address>', `address to bind (env NETFORGE_HOST, default ${DEFAULT_HOST})`)
    .option('--data-dir <dir>', `where the database and token live (env NETFORGE_DATA_DIR, default ${DEFAULT_DATA_DIR})`)
    .option('--database <url>', 'sqlite:<file> or postgres://user:pass@host/db (env NETFORGE_DATABASE_URL)')
    .option('--token <token>', 'bearer token clients must send (env NETFORGE_TOKEN; default: generated into <data-dir>/token)')
    .option('--realize-concurrency <n>', `hosts realized at once during an L2 attach (default ${DEFAULT_REALIZE_CONCURRENCY})`, integer)
    .option('--log-level <level>', 'pino log level (default info)')
    .action(async (opts: { port?: number; host?: string; dataDir?: string; database?: string; token?: string; realizeConcurrency?: number; logLevel?: string }) => {
      const server = await startServer({
        port: opts.port,
        host: opts.host,
        dataDir: opts.dataDir,
        databaseUrl: opts.database,
        token: opts.token,
        realizeConcurrency: opts.realizeConcurrency,
        logLevel: opts.logLevel,
      });
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  registerProviderCommand(program);
  registerDeployCommand(program);
  program.addCommand(agentCommand());
  program.addCommand(labCommand());
  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      console.error(`netforge: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
