/**
 * The host agent (after ZStack's KVM agent): a small HTTP server on each KVM host that runs
 * the command plans the control server's KVM plugin sends, and answers JSON.
 *
 *   GET  /v1/ping   -> { ok, netns, pid, version }
 *   POST /v1/exec   { commands: [{ argv: string[], allowFailure?: boolean }] }
 *                   -> { results: [{ argv, code, stdout, stderr }], failedIndex: number | null }
 *
 * Every request needs `Authorization: Bearer <token>` (compared in constant time), else 401
 * before the body is read. Every command of a plan must match argv-policy.ts, else 400 and
 * nothing runs. Plans run one at a time, commands in order, stopping at the first failure
 * of a command not marked allowFailure (failedIndex says which).
 *
 * Where commands run: in the agent's own network namespace; with `netns`, inside that
 * named namespace unless the agent already runs in it (then `ip netns exec <ns>` would
 * only add a process). The lab starts agents inside their host namespace with
 * `nsenter --net=/run/netns/<ns>`, not `ip netns exec`: the latter gives the agent a private
 * mount namespace, and VM namespaces it then adds with `ip netns add` would vanish with it.
 *
 * With `netnsJournal`, the names of VM namespaces the agent added (and not yet deleted)
 * are kept in that JSON file, so `netforge lab down` can remove them even if no server
 * asks for it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { argvRefusal } from './argv-policy';
import type { CommandResult } from './commands';
import { execArgv, inNetns } from './executors';

export const AGENT_VERSION = '1';
/** Request bodies above this are refused with 413. */
export const MAX_AGENT_BODY_BYTES = 1024 * 1024;
export const MAX_COMMANDS_PER_PLAN = 256;

export type ArgvRunner = (argv: readonly string[]) => Promise<CommandResult>;

export interface AgentOptions {
  /** Address to listen on (the host's management address). */
  host: string;
  port: number;
  token: string;
  /** Run commands inside this named network namespace (see the file comment). */
  netns?: string;
  /** JSON file listing the VM namespaces this agent added. */
  netnsJournal?: string;
  /** Runs one argv (tests inject a recording runner); default execFile, wrapped for `netns`. */
  runner?: ArgvRunner;
  log?: (line: string) => void;
}

export interface RunningAgent {
  url: string;
  port: number;
  /** Where commands run: 'own network namespace' or 'network namespace <ns>'. */
  runsIn: string;
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when this process already runs in the named network namespace. */
export function inNamedNetns(netns: string): boolean {
  try {
    const mine = fs.statSync('/proc/self/ns/net');
    const named = fs.statSync(path.join('/run/netns', netns));
    return mine.ino === named.ino && mine.dev === named.dev;
  } catch {
    return false;
  }
}

class HttpError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string, readonly details: unknown[] = []) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_AGENT_BODY_BYTES) {
        // Stop keeping it, let the rest drain, answer 413.
        req.off('data', onData);
        req.resume();
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `request bodies are limited to ${MAX_AGENT_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface ExecRequest {
  commands: { argv: string[]; allowFailure: boolean }[];
}

function parseExecRequest(text: string): ExecRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'the body is not JSON');
  }
  const commands = (body as { commands?: unknown })?.commands;
  if (!Array.isArray(commands) || commands.length === 0 || commands.length > MAX_COMMANDS_PER_PLAN) {
    throw new HttpError(400, 'INVALID_PLAN', `body must be { commands: [...] } with 1-${MAX_COMMANDS_PER_PLAN} commands`);
  }
  const details: { path: string; message: string }[] = [];
  const out = commands.map((c: unknown, i) => {
    const { argv, allowFailure, ...rest } = (c ?? {}) as { argv?: unknown; allowFailure?: unknown };
    const refusal = Object.keys(rest).length > 0 ? `unknown fields: ${Object.keys(rest).join(', ')}` : argvRefusal(argv);
    if (refusal) details.push({ path: `commands[${i}].argv`, message: refusal });
    if (allowFailure !== undefined && typeof allowFailure !== 'boolean')
      details.push({ path: `commands[${i}].allowFailure`, message: 'must be a boolean' });
    return { argv: argv as string[], allowFailure: allowFailure === true };
  });
  if (details.length > 0) {
    throw new HttpError(
      400,
      'COMMAND_NOT_ALLOWED',
      `refused ${details.length} of ${commands.length} commands; nothing was run: ${details[0].path}: ${details[0].message}`,
      details,
    );
  }
  return { commands: out };
}

/** Keeps the journal of VM namespaces in step with successful `ip netns add|del`. */
class NetnsJournal {
  private readonly names: Set<string>;
  constructor(private readonly file: string) {
    let names: string[] = [];
    try {
      names = (JSON.parse(fs.readFileSync(file, 'utf8')) as { netns?: string[] }).netns ?? [];
    } catch {
      // absent or unreadable: start empty
    }
    this.names = new Set(names);
  }

  note(argv: readonly string[]): void {
    if (argv[0] !== 'ip' || argv[1] !== 'netns' || argv.length !== 4) return;
    if (argv[2] === 'add') this.names.add(argv[3]);
    else if (argv[2] === 'del') this.names.delete(argv[3]);
    else return;
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ netns: [...this.names].sort() })}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  if (typeof options.token !== 'string' || options.token.length === 0)
    throw new Error('the agent needs a token (--token, --token-file or NETFORGE_KVM_AGENT_TOKEN)');
  const expected = digest(options.token);
  const log = options.log ?? (() => undefined);
  const wrap = options.netns !== undefined && !inNamedNetns(options.netns);
  const netns = options.netns;
  const runner: ArgvRunner =
    options.runner ??
    (wrap && netns !== undefined ? async (argv) => ({ ...(await execArgv(inNetns(netns, argv))), argv: [...argv] }) : (argv) => execArgv(argv));
  const runsIn = netns === undefined ? 'own network namespace' : `network namespace ${netns}`;
  const journal = options.netnsJournal ? new NetnsJournal(options.netnsJournal) : null;
  let queue: Promise<unknown> = Promise.resolve();

  const runPlan = (req: ExecRequest) => {
    const job = queue.then(async () => {
      const results: CommandResult[] = [];
      let failedIndex: number | null = null;
      for (const [i, c] of req.commands.entries()) {
        const r = await runner(c.argv);
        results.push(r);
        if (r.code === 0) journal?.note(c.argv);
        if (r.code !== 0 && !c.allowFailure) {
          failedIndex = i;
          break;
        }
      }
      return { results, failedIndex };
    });
    queue = job.catch(() => undefined);
    return job;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]), expected)) {
      req.resume();
      throw new HttpError(
        401,
        'UNAUTHORIZED',
        header ? 'the bearer token is not valid' : 'a valid bearer token is required (Authorization: Bearer <token>)',
      );
    }
    const url = new URL(req.url ?? '/', 'http://agent');
    if (url.pathname === '/v1/ping') {
      if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
      send(res, 200, { ok: true, netns: netns ?? null, pid: process.pid, version: AGENT_VERSION });
      return;
    }
    if (url.pathname === '/v1/exec') {
      if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
      const plan = parseExecRequest(await readBody(req));
      const out = await runPlan(plan);
      log(`exec ${plan.commands.length} commands${out.failedIndex === null ? '' : `, failed at ${out.failedIndex}`}`);
      send(res, 200, out);
      return;
    }
    throw new HttpError(404, 'NOT_FOUND', `no route ${req.method ?? ''} ${url.pathname}`);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 'INTERNAL', err instanceof Error ? err.message : String(err));
      if (!res.headersSent) send(res, e.status, { error: { code: e.errorCode, message: e.message, details: e.details } });
    });
  });
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  log(`netforge agent listening on ${url}; commands run in ${runsIn}${wrap ? ' (through ip netns exec)' : ''}`);
  return {
    url,
    port,
    runsIn,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
