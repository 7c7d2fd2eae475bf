/**
 * Executors that run command plans on this machine with child_process.execFile (argument
 * arrays, no shell): LocalExecutor in the caller's network namespace, NetnsExecutor inside
 * a named one through `ip netns exec <ns> <argv>`. The agent (agent.ts) runs plans with one
 * of these; the server reaches remote hosts through AgentExecutor (agent-client.ts).
 * Builtins (`netforge ...`, hosts/services/builtins.ts) run in-process, with the state
 * directory the executor is given.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isBuiltin, runBuiltin } from '../services/builtins';
import { CommandFailedError, PLAN_PROGRAMS, runCommandMarked, type CommandExecutor, type ArgvRunner, type CommandPlan, type CommandResult, type PlanProgram } from './commands';

/** Per command; `ip` answers in milliseconds, so this only stops a hung one. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
/** `ip -json -d link show` on a host with thousands of devices is a few MB. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** Where iproute2 lives; searched before PATH, which often lacks the sbin directories. */
const SYSTEM_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

const resolved = new Map<string, string>();

/** Where programs are looked up: the system directories first, then absolute PATH entries. */
function searchPath(): string[] {
  return [...new Set([...SYSTEM_DIRS, ...(process.env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d))])];
}

/** Absolute path of a plan program; throws when it isn't installed. */
export function resolveProgram(program: PlanProgram): string {
  const cached = resolved.get(program);
  if (cached) return cached;
  const dirs = searchPath();
  for (const dir of dirs) {
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      resolved.set(program, candidate);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new Error(`'${program}' (${program === 'nft' ? 'nftables' : 'iproute2'}) is not installed: looked in ${dirs.join(', ')}`);
}

function assertProgram(argv: readonly string[]): PlanProgram {
  const program = argv[0];
  if (!(PLAN_PROGRAMS as readonly string[]).includes(program)) {
    throw new Error(`refusing to run '${String(program)}': plans may only run ${PLAN_PROGRAMS.join(', ')}`);
  }
  return program as PlanProgram;
}

/**
 * Runs one argv with execFile. Command failures come back as a result; it rejects only
 * when argv names a program plans may not run (nothing is started then).
 */
export function execArgv(argv: readonly string[], timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<CommandResult> {
  let program: PlanProgram;
  try {
    program = assertProgram(argv);
  } catch (err) {
    return Promise.reject(err as Error);
  }
  let file: string;
  try {
    file = resolveProgram(program);
  } catch (err) {
    return Promise.resolve({ argv: [...argv], code: null, stdout: '', stderr: (err as Error).message });
  }
  return new Promise((resolve) => {
    execFile(
      file,
      argv.slice(1),
      // `ip netns exec <ns> <program>` looks <program> up in PATH: only the system directories
      // and absolute entries of ours (an empty or relative entry would mean the working directory).
      { timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', env: { PATH: searchPath().join(':'), LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        let code: number | null = 0;
        // A process that ran has its exit status as the code; a spawn failure a string (ENOENT).
        if (err) code = typeof err.code === 'number' ? err.code : null;
        const extra = err && code === null ? `${stderr ? '\n' : ''}${err.message}` : '';
        resolve({ argv: [...argv], code, stdout, stderr: stderr + extra });
      },
    );
  });
}

/** Runs a plan through `exec`, applying the shared contract (failures, marking). */
export async function runPlanWith(
  plan: CommandPlan,
  where: string,
  exec: (argv: readonly string[]) => Promise<CommandResult>,
): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  for (const c of plan) {
    const r = await runCommandMarked(c.argv, exec);
    if (r.code !== 0 && !c.allowFailure) throw new CommandFailedError(r, where, results);
    results.push(r);
  }
  return results;
}

/** `exec`, with builtins run in-process against `stateDir` (refused without one). */
export function withBuiltins(exec: ArgvRunner, stateDir: string | undefined): ArgvRunner {
  return (argv) => {
    if (!isBuiltin(argv)) return exec(argv);
    if (stateDir === undefined) return Promise.resolve({ argv: [...argv], code: 1, stdout: '', stderr: 'this executor has no state directory for netforge builtins' });
    return runBuiltin(argv, { stateDir, run: exec });
  };
}

export interface LocalExecutorOptions {
  /** Where builtins keep their files (dnsmasq, leases); without it they are refused. */
  stateDir?: string;
}

/** Runs plans in this process's network namespace. */
export class LocalExecutor implements CommandExecutor {
  readonly description: string;
  private readonly exec: ArgvRunner;
  constructor(description = 'local host', options: LocalExecutorOptions = {}) {
    this.description = description;
    this.exec = withBuiltins((argv) => execArgv(argv), options.stateDir);
  }

  run(plan: CommandPlan): Promise<CommandResult[]> {
    return runPlanWith(plan, this.description, this.exec);
  }
}

/**
 * `ip netns add|del|list|exec` name namespaces machine-wide and don't depend on the
 * namespace they run in (`exec` names its own target); they must run in this process's
 * mount namespace, because `ip netns exec` gives the command a private (slave) mount
 * namespace in which the bind mount that names a new namespace would be lost. Everything
 * else is wrapped.
 */
export function isNetnsManagement(argv: readonly string[]): boolean {
  return argv[0] === 'ip' && (argv[1] === 'netns' || (argv[1] === '-json' && argv[2] === 'netns'));
}

/** `ip netns exec <ns> <argv>` for one command (netns management runs unwrapped, see isNetnsManagement). */
export function inNetns(netns: string, argv: readonly string[]): string[] {
  return isNetnsManagement(argv) ? [...argv] : ['ip', 'netns', 'exec', netns, ...argv];
}

/** Runs plans inside the named network namespace as `ip netns exec <ns> ip ...`. */
export class NetnsExecutor implements CommandExecutor {
  readonly description: string;
  private readonly exec: ArgvRunner;
  constructor(readonly netns: string, description?: string, options: LocalExecutorOptions = {}) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(netns)) throw new Error(`invalid network namespace name ${JSON.stringify(netns)}`);
    this.description = description ?? `network namespace ${netns}`;
    this.exec = withBuiltins(async (argv) => ({ ...(await execArgv(inNetns(netns, argv))), argv: [...argv] }), options.stateDir);
  }

  run(plan: CommandPlan): Promise<CommandResult[]> {
    return runPlanWith(plan, this.description, this.exec);
  }
}
