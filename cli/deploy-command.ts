/**
 * `netforge deploy`: the main job. Starts the bundled server when none answers (embedded
 * SQLite in the data dir), runs `cdktf deploy` on the app in cdktf.json, and prints what
 * was realized on which hosts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from '../server/config';
import { NetforgeClient, resolveConnection } from '../client';
import { isServerUp, startBundledServer } from './local-server';
import { realizationReport } from './realization-report';

function cdktfBinary(): string {
  const bin = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'cdktf');
  if (!fs.existsSync(bin)) throw new Error(`cdktf-cli is not installed (${bin}); run \`npm ci\``);
  return bin;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export function deployCommand(): Command {
  return new Command('deploy')
    .description('deploy the CDKTF app (cdktf.json) against the netforge server, starting the bundled one if none is running')
    .argument('[stacks...]', 'stacks to deploy (default: all)')
    .option('--endpoint <url>', 'server URL (env NETFORGE_ENDPOINT)', process.env.NETFORGE_ENDPOINT ?? `http://${DEFAULT_HOST}:${DEFAULT_PORT}`)
    .option('--data-dir <dir>', 'data dir of a server started here (its token is found there)', process.env.NETFORGE_DATA_DIR ?? DEFAULT_DATA_DIR)
    .option('--no-start-server', 'fail instead of starting a server when none answers')
    .action(async (stacks: string[], opts: { endpoint: string; dataDir: string; startServer: boolean }) => {
      const dataDir = path.resolve(opts.dataDir);
      if (!(await isServerUp(opts.endpoint))) {
        if (!opts.startServer) throw new Error(`no netforge server answers at ${opts.endpoint}`);
        const started = await startBundledServer(opts.endpoint, dataDir);
        console.log(`netforge: started the bundled server at ${opts.endpoint} (pid ${started.pid}, data in ${dataDir}, log ${started.log})`);
        console.log(`netforge: it keeps running after this command; stop it with: kill ${started.pid}`);
      } else {
        console.log(`netforge: using the server at ${opts.endpoint}`);
      }
      const env: NodeJS.ProcessEnv = { ...process.env, NETFORGE_ENDPOINT: opts.endpoint, NETFORGE_DATA_DIR: dataDir, CHECKPOINT_DISABLE: '1' };
      // A CLI config path that points at nothing only makes terraform warn on every command.
      if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
      const code = await run(cdktfBinary(), ['deploy', ...stacks, '--auto-approve'], env);
      if (code !== 0) {
        process.exitCode = code;
        return;
      }
      const { endpoint, token } = resolveConnection({ endpoint: opts.endpoint, env });
      if (!token) throw new Error(`no token for ${endpoint}: set NETFORGE_TOKEN or NETFORGE_DATA_DIR`);
      console.log('\nnetforge: realized topology');
      console.log(await realizationReport(new NetforgeClient(endpoint, token)));
      // The token stays out of the terminal: say where it is.
      const tokenFrom = process.env.NETFORGE_TOKEN ? 'NETFORGE_TOKEN' : path.join(dataDir, 'token');
      console.log(`netforge: live topology page: ${endpoint.replace(/\/$/, '')}/ui#token=<the token, from ${tokenFrom}>`);
    });
}
