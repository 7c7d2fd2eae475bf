/** `netforge server`: the control server in the foreground, stopped gracefully by SIGINT/SIGTERM. */
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REALIZE_CONCURRENCY } from '../server/config';
import { startServer } from '../server/server';

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

export function serverCommand(): Command {
  return new Command('server')
    .description('run the control server (embedded SQLite in the data dir unless --database is given)')
    .option('--port <port>', `TCP port (env NETFORGE_PORT, default ${DEFAULT_PORT}; 0 picks a free one)`, nonNegativeInteger)
    .option('--host <address>', `address to bind (env NETFORGE_HOST, default ${DEFAULT_HOST})`)
    .option('--data-dir <dir>', `where the database and token live (env NETFORGE_DATA_DIR, default ${DEFAULT_DATA_DIR})`)
    .option('--database <url>', 'sqlite:<file> or postgres://user:pass@host/db (env NETFORGE_DATABASE_URL)')
    .option('--token-file <file>', 'read the bearer token clients must send from this file (env NETFORGE_TOKEN_FILE)')
    .option(
      '--token <token>',
      'bearer token clients must send; visible to every local user in the process list, so prefer --token-file or env NETFORGE_TOKEN (default: generated into <data-dir>/token, mode 0600)',
    )
    .option('--realize-concurrency <n>', `hosts realized at once during an L2 attach (default ${DEFAULT_REALIZE_CONCURRENCY})`, nonNegativeInteger)
    .option('--log-level <level>', 'pino log level (default info)')
    .action(async (opts: { port?: number; host?: string; dataDir?: string; database?: string; token?: string; tokenFile?: string; realizeConcurrency?: number; logLevel?: string }) => {
      if (opts.token) console.error('netforge server: --token is visible in the process list (/proc/<pid>/cmdline); prefer --token-file or NETFORGE_TOKEN');
      const server = await startServer({
        tokenFile: opts.tokenFile,
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
}
