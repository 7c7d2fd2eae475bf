/** The `netforge` command: one subcommand per module. */
import { Command } from 'commander';
import { NETFORGE_VERSION } from '../server/server';
import { agentCommand } from './agent-command';
import { deployCommand } from './deploy-command';
import { labCommand } from './lab-command';
import { providerCommand } from './provider-command';
import { reviewCommand } from './review-command';
import { serverCommand } from './server-command';

export function buildCli(): Command {
  return new Command('netforge')
    .description('Private-cloud networking as code')
    .version(NETFORGE_VERSION)
    .addCommand(serverCommand())
    .addCommand(deployCommand())
    .addCommand(providerCommand())
    .addCommand(reviewCommand())
    .addCommand(agentCommand())
    .addCommand(labCommand());
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      console.error(`netforge: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
