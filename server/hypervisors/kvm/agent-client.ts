/** The executor the server uses for KVM hosts: plans go to the host agent over HTTP (agent.ts). */
import { CommandFailedError, type CommandExecutor, type CommandPlan, type CommandResult } from './commands';

export const DEFAULT_AGENT_TIMEOUT_MS = 60_000;

export interface AgentExecutorOptions {
  /** http://<managementIp>:<port> */
  baseUrl: string;
  token: string;
  /** For messages, e.g. "host 'h1' (uuid, ip)". */
  description?: string;
  timeoutMs?: number;
}

/** The agent refused or could not run a plan (unreachable, 401, 400 ...). */
export class AgentRequestError extends Error {
  readonly code = 'KVM_AGENT_ERROR';
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'AgentRequestError';
  }
}

export class AgentExecutor implements CommandExecutor {
  readonly description: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: AgentExecutorOptions) {
    this.description = options.description ?? `agent ${options.baseUrl}`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
  }

  async run(plan: CommandPlan): Promise<CommandResult[]> {
    if (plan.length === 0) return [];
    const url = `${this.options.baseUrl}/v1/exec`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ commands: plan.map((c) => ({ argv: [...c.argv], ...(c.allowFailure ? { allowFailure: true } : {}) })) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new AgentRequestError(`cannot reach the KVM agent of ${this.description} at ${this.options.baseUrl}: ${why}`, null);
    }
    const text = await res.text();
    let body: { results?: CommandResult[]; failedIndex?: number | null; error?: { code?: string; message?: string } } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // reported below
    }
    if (res.status !== 200 || !Array.isArray(body.results)) {
      const why = body.error?.message ?? (text.slice(0, 200) || res.statusText);
      throw new AgentRequestError(
        `the KVM agent of ${this.description} answered ${res.status}${body.error?.code ? ` ${body.error.code}` : ''}: ${why}`,
        res.status,
      );
    }
    const results = body.results;
    if (typeof body.failedIndex === 'number') {
      const failed = results[body.failedIndex];
      throw new CommandFailedError(failed, this.description, results.slice(0, body.failedIndex));
    }
    return results;
  }
}
