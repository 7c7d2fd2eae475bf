/** `netforge agent`: the KVM host agent (server/hypervisors/kvm/agent.ts). */
import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { startAgent } from '../server/hypervisors/kvm/agent';

/** "172.30.0.11:7070" or "[fd00::1]:7070" -> host and port. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s]+)):([0-9]{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 0 || port > 65535) throw new InvalidArgumentError('expected <ip>:<port>, e.g. 172.30.0.11:7070');
  return { host: m[1] ?? m[2], port };
}

function readToken(opts: { token?: string; tokenFile?: string }): string {
  if (opts.token) return opts.token;
  if (opts.tokenFile) return fs.readFileSync(opts.tokenFile, 'utf8').trim();
  const env = process.env.NETFORGE_KVM_AGENT_TOKEN;
  if (env) return env;
  throw new Error('the agent needs a token: --token, --token-file or NETFORGE_KVM_AGENT_TOKEN');
}

export function agentCommand(): Command {
  return new Command('agent')
    .description("run the KVM host agent: executes the control server's ip/bridge command plans on this host (root)")
    .requiredOption('--listen <ip:port>', "address and port to listen on (the host's management address)", parseListen)
    .option('--token <token>', 'bearer token the server must send (or --token-file, or env NETFORGE_KVM_AGENT_TOKEN)')
    .option('--token-file <file>', 'read the token from this file')
    .option('--netns <name>', 'run commands inside this network namespace (direct when the agent already runs in it)')
    .option('--netns-journal <file>', 'record the VM namespaces this agent creates in this JSON file')
    .action(async (opts: { listen: { host: string; port: number }; token?: string; tokenFile?: string; netns?: string; netnsJournal?: string }) => {
      const agent = await startAgent({
        host: opts.listen.host,
        port: opts.listen.port,
        token: readToken(opts),
        netns: opts.netns,
        netnsJournal: opts.netnsJournal,
        log: (line) => console.log(`${new Date().toISOString()} ${line}`),
      });
      const stop = () => {
        void agent.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
