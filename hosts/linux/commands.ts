/**
 * Command plans: what the KVM realizers want a host to run, as argument arrays (never a
 * shell string), and the executors that run them. A realizer first runs an inspection
 * plan (`ip -json ...`), then computes the change plan from what it saw (pure functions
 * in l2-plans.ts and vm-plans.ts), then runs that; unit tests assert the exact argv.
 *
 * Executors (executors.ts, agent-client.ts) all share one contract: run the commands in
 * order, stop at the first failure of a command not marked `allowFailure`, and throw
 * CommandFailedError naming it; otherwise resolve with one result per command. And they mark
 * what they create: right after an `ip link add` succeeds, the new device gets the alias
 * NETFORGE_MARK (runCommandMarked), so netforge (and the agent's policy) can tell its own
 * devices from everything else on the host, also after a crash.
 */

/** The programs a plan may run as processes (the agent enforces the same list and each argv shape). */
export const PLAN_PROGRAMS = ['ip', 'bridge', 'nft', 'sysctl'] as const;
export type PlanProgram = (typeof PLAN_PROGRAMS)[number];

export interface HostCommand {
  /** argv[0] is a PLAN_PROGRAMS program or `netforge` (a builtin, hosts/services/builtins.ts); the rest are its arguments, passed as-is. */
  readonly argv: readonly string[];
  /** A non-zero exit does not stop the plan; the caller reads the result (probes, inspection of what may be absent). */
  readonly allowFailure?: boolean;
}

export type CommandPlan = readonly HostCommand[];

/** Runs one argv (a program or a builtin) and answers its result: what executors and the agent are built on. */
export type ArgvRunner = (argv: readonly string[]) => Promise<CommandResult>;

export interface CommandResult {
  argv: string[];
  /** Exit code; null when killed by a signal or the program could not be started. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CommandExecutor {
  /** "local", "netns nf-lab-h1", "agent http://172.30.0.11:7070": for error messages. */
  readonly description: string;
  /** Runs `plan` in order (see the file comment for the failure contract). */
  run(plan: CommandPlan): Promise<CommandResult[]>;
}

/** A command of a plan failed on a host. */
export class CommandFailedError extends Error {
  readonly code = 'KVM_COMMAND_FAILED';
  constructor(
    readonly result: CommandResult,
    readonly where: string,
    /** Results of the commands that ran before it, in order. */
    readonly previous: readonly CommandResult[] = [],
  ) {
    const why =
      result.stderr.trim() || result.stdout.trim() || (result.code === null ? 'killed or could not be started' : `exit code ${result.code}`);
    super(`\`${formatArgv(result.argv)}\` failed on ${where}: ${why}`);
    this.name = 'CommandFailedError';
  }
}

/** `ip link add name br_eth1 type bridge`, quoting arguments a reader could misread (display only: nothing is ever run through a shell). */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** The interface alias (ifalias) of every device netforge creates. */
export const NETFORGE_MARK = 'netforge';

/** The device an `ip [-n <ns>] link add ... name <dev> ...` creates, and the `-n <ns>` it runs under. */
export function createdDevice(argv: readonly string[]): { name: string; netnsArgs: string[] } | null {
  const netnsArgs = argv[1] === '-n' ? ['-n', argv[2]] : [];
  const rest = argv.slice(1 + netnsArgs.length);
  if (argv[0] !== 'ip' || rest[0] !== 'link' || rest[1] !== 'add') return null;
  // The first `name` before any `peer`: a veth's host end, not its peer.
  const peer = rest.indexOf('peer');
  const at = rest.indexOf('name');
  if (at < 0 || (peer >= 0 && at > peer) || at + 1 >= rest.length) return null;
  return { name: rest[at + 1], netnsArgs };
}

/** Where a runner records a device between its creation and its marking (the agent keeps a journal). */
export interface CreationHooks {
  beforeCreate?(name: string): void;
  afterCreate?(name: string): void;
}

/** Runs `argv`, then marks the device it created (if any); a device that can't be marked is removed again. */
export async function runCommandMarked(
  argv: readonly string[],
  exec: (argv: readonly string[]) => Promise<CommandResult>,
  hooks: CreationHooks = {},
): Promise<CommandResult> {
  const creating = createdDevice(argv);
  if (creating && creating.netnsArgs.length === 0) hooks.beforeCreate?.(creating.name);
  const result = await exec(argv);
  const created = result.code === 0 ? creating : null;
  if (!created) {
    if (creating) hooks.afterCreate?.(creating.name);
    return result;
  }
  const mark = await exec(['ip', ...created.netnsArgs, 'link', 'set', 'dev', created.name, 'alias', NETFORGE_MARK]);
  hooks.afterCreate?.(created.name);
  if (mark.code === 0) return result;
  await exec(['ip', ...created.netnsArgs, 'link', 'del', 'dev', created.name]);
  return { ...result, code: mark.code ?? 1, stderr: `created ${created.name} but could not mark it as netforge's (${mark.stderr.trim()}); removed it again` };
}

export function cmd(...argv: string[]): HostCommand {
  return { argv };
}

export function probe(...argv: string[]): HostCommand {
  return { argv, allowFailure: true };
}

/** The argv arrays of a plan (what unit tests compare). */
export function argvOf(plan: CommandPlan): string[][] {
  return plan.map((c) => [...c.argv]);
}

/** Parses the JSON an `ip -json`/`bridge -json` command printed; empty output is an empty list. */
export function parseJsonOutput<T>(result: CommandResult | undefined, where: string): T[] {
  if (!result || result.code !== 0) return [];
  const text = result.stdout.trim();
  if (text === '') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as T[]) : [];
  } catch {
    throw new Error(`\`${formatArgv(result.argv)}\` on ${where} printed output that is not JSON: ${text.slice(0, 200)}`);
  }
}
