/** `netforge agent`: the KVM host agent (hosts/agent/). */
import { Command, InvalidArgumentError } from 'commander';
import { startAgent } from '../hosts/agent/agent';

export const DEFAULT_AGENT_STATE_DIR = '/var/lib/netforge-agent';

/** "172.30.0.11:7070" or "[fd00::1]:7070" -> host and port. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s]+)):([0-9]{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 0 || port > 65535) throw new InvalidArgumentError('expected <ip>:<port>, e.g. 172.30.0.11:7070');
  return { host: m[1] ?? m[2], port };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function agentCommand(): Command {
  return new Command('agent')
    .description(
      "run the KVM host agent: executes the control server's ip/bridge command plans on this host (root). " +
        'Mutual TLS with pinned certificates: register the host with the fingerprint this prints, and give it the server\'s.',
    )
    .requiredOption('--listen <ip:port>', "address and port to listen on (the host's management address)", parseListen)
    .option(
      '--server-fingerprint <sha256:hex>',
      'certificate fingerprint of a control server this agent serves (repeatable; env NETFORGE_SERVER_FINGERPRINT, comma-separated); `GET /v1/identity` on the server shows it',
      collect,
      [],
    )
    .option('--state-dir <dir>', `its key, certificate and VM namespace journal (default ${DEFAULT_AGENT_STATE_DIR})`, DEFAULT_AGENT_STATE_DIR)
    .option('--netns <name>', 'run commands inside this network namespace (direct when the agent already runs in it)')
    .action(async (opts: { listen: { host: string; port: number }; serverFingerprint: string[]; stateDir: string; netns?: string }) => {
      const fromEnv = (process.env.NETFORGE_SERVER_FINGERPRINT ?? '').split(',').map((f) => f.trim()).filter(Boolean);
      const agent = await startAgent({
        host: opts.listen.host,
        port: opts.listen.port,
        stateDir: opts.stateDir,
        serverFingerprints: [...opts.serverFingerprint, ...fromEnv],
        netns: opts.netns,
        log: (line) => console.log(`${new Date().toISOString()} ${line}`),
      });
      console.log(`agent certificate ${agent.fingerprint}`);
      const stop = () => {
        void agent.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
