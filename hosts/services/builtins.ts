/**
 * The agent's built-in programs: plan commands whose argv[0] is `netforge`, run inside the
 * executor (the agent, or a local executor in tests) rather than as a process of that name,
 * because they manage long-running processes and files in the state directory:
 *
 *   netforge dnsmasq-sync <ns> <config json>   run dnsmasq in <ns> as configured (dnsmasq.ts)
 *   netforge dnsmasq-stop <ns>                  stop it and remove its files
 *   netforge dnsmasq-list                       instances known to the state directory
 *   netforge dhcp-request <ns> <eth>            ask for a lease on <eth> in <ns> (dhcp-client.ts)
 *   netforge dhcp-leases <ns>                   the leases recorded for <ns>
 *   netforge dhcp-forget <ns>                   forget them (the VM is going away)
 *
 * Each answers like a process: exit code 0 and JSON on stdout, or 1 and the reason on
 * stderr. The agent admits them by argv shape and ownership like any other command.
 */
import type { CommandResult } from '../linux/commands';
import { forgetLeases, recordedLeases, requestLease } from './dhcp-client';
import { DnsmasqConfig } from './dnsmasq-config';
import { listDnsmasq, stopDnsmasq, syncDnsmasq } from './dnsmasq';
import type { BuiltinContext } from './service-dirs';

export const BUILTIN_PROGRAM = 'netforge';
export const BUILTIN_COMMANDS = ['dnsmasq-sync', 'dnsmasq-stop', 'dnsmasq-list', 'dhcp-request', 'dhcp-leases', 'dhcp-forget'] as const;
export type BuiltinCommand = (typeof BUILTIN_COMMANDS)[number];

export function isBuiltin(argv: readonly string[]): boolean {
  return argv[0] === BUILTIN_PROGRAM;
}

/** Argv of a builtin, for plans. */
export function builtin(command: BuiltinCommand, ...args: string[]): string[] {
  return [BUILTIN_PROGRAM, command, ...args];
}

async function dispatch(argv: readonly string[], ctx: BuiltinContext): Promise<unknown> {
  const [, command, ...args] = argv;
  switch (command as BuiltinCommand) {
    case 'dnsmasq-sync':
      return syncDnsmasq(ctx, args[0], DnsmasqConfig.parse(JSON.parse(args[1])));
    case 'dnsmasq-stop':
      return stopDnsmasq(ctx, args[0]);
    case 'dnsmasq-list':
      return listDnsmasq(ctx.stateDir);
    case 'dhcp-request':
      return requestLease(ctx, args[0], args[1]);
    case 'dhcp-leases':
      return recordedLeases(ctx.stateDir, args[0]);
    case 'dhcp-forget':
      forgetLeases(ctx.stateDir, args[0]);
      return { forgotten: args[0] };
    default:
      throw new Error(`unknown netforge builtin ${JSON.stringify(command)} (${BUILTIN_COMMANDS.join(', ')})`);
  }
}

/** Runs a builtin; never throws. */
export async function runBuiltin(argv: readonly string[], ctx: BuiltinContext): Promise<CommandResult> {
  try {
    return { argv: [...argv], code: 0, stdout: `${JSON.stringify(await dispatch(argv, ctx))}\n`, stderr: '' };
  } catch (err) {
    return { argv: [...argv], code: 1, stdout: '', stderr: err instanceof Error ? err.message : String(err) };
  }
}
