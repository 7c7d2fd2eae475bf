/**
 * The host agent (after ZStack's KVM agent): a small HTTPS server on each KVM host that runs
 * the command plans the control server's KVM plugin sends, and answers JSON.
 *
 *   GET  /v1/ping   -> { ok, netns, pid, version, fingerprint }
 *   POST /v1/exec   { commands: [{ argv: string[], allowFailure?: boolean }] }
 *                   -> { results: [{ argv, code, stdout, stderr }], failedIndex: number | null }
 *
 * Who may ask: mutual TLS with pinned certificates, no shared secret (identity.ts). The agent
 * serves its own certificate (the server pins it per host) and answers only clients whose
 * certificate fingerprint it was given (--server-fingerprint); anyone else gets 401 before
 * the body is read.
 *
 * What may run: every command must match argv-policy.ts (shapes), and the whole plan must
 * pass ownership.ts against a fresh inspection of the host (only netforge's devices, marked
 * with its alias, and the VM namespaces this agent added); otherwise 400 and nothing runs.
 * Plans run one at a time, commands in order, stopping at the first failure of a command
 * not marked allowFailure (failedIndex says which). Devices a plan creates are marked as
 * they are created (commands.ts runCommandMarked).
 *
 * Where commands run: in the agent's own network namespace; with `netns`, inside that
 * named namespace unless the agent already runs in it (then `ip netns exec <ns>` would
 * only add a process). The lab starts agents inside their host namespace with
 * `nsenter --net=/run/netns/<ns>`, not `ip netns exec`: the latter gives the agent a private
 * mount namespace, and VM namespaces it then adds with `ip netns add` would vanish with it.
 *
 * State (its own directory, 0700): its key and certificate, and the journal of the VM
 * namespaces it added and not yet deleted, so it (and `netforge lab down`) knows which are
 * netforge's.
 */
import fs from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import { certificateFingerprint, FINGERPRINT_PATTERN } from '../../../lib/x509';
import { argvRefusal } from './argv-policy';
import { cmd, NETFORGE_MARK, runCommandMarked, type CommandResult } from './commands';
import { execArgv, inNetns } from './executors';
import { loadOrCreateIdentity } from './identity';
import { parseAddresses, parseLinks } from './inspect';
import { HostDeviceModel } from './ownership';

export const AGENT_VERSION = '2';
/** The journal of VM namespaces, in the state dir. */
export const NETNS_JOURNAL_FILE = 'netns.json';
/** Devices being created and not yet marked (a crash in between leaves them here to adopt). */
export const PENDING_CREATIONS_FILE = 'creating.json';
/** Request bodies above this are refused with 413. */
export const MAX_AGENT_BODY_BYTES = 1024 * 1024;
export const MAX_COMMANDS_PER_PLAN = 256;

export type ArgvRunner = (argv: readonly string[]) => Promise<CommandResult>;

export interface AgentOptions {
  /** Address to listen on (the host's management address). */
  host: string;
  port: number;
  /** Its key, certificate and namespace journal live here (created 0700). */
  stateDir: string;
  /** Certificate fingerprints (sha256:<hex>) of the control servers it answers. */
  serverFingerprints: readonly string[];
  /** Run commands inside this named network namespace (see the file comment). */
  netns?: string;
  /** Runs one argv (tests inject a recording runner); default execFile, wrapped for `netns`. */
  runner?: ArgvRunner;
  log?: (line: string) => void;
}

export interface RunningAgent {
  url: string;
  port: number;
  /** Its certificate's fingerprint: what the server is told when the host is registered. */
  fingerprint: string;
  /** Where commands run: 'own network namespace' or 'network namespace <ns>'. */
  runsIn: string;
  close(): Promise<void>;
}

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

/** A set of names kept in a JSON file ({ "<key>": [...] }), rewritten atomically on every change. */
class PersistedNames {
  private readonly names: Set<string>;
  constructor(
    private readonly file: string,
    private readonly key: string,
  ) {
    let names: string[] = [];
    try {
      const parsed = (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)[key];
      names = Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      // absent or unreadable: start empty
    }
    this.names = new Set(names);
  }

  get all(): ReadonlySet<string> {
    return this.names;
  }

  add(name: string): void {
    this.names.add(name);
    this.save();
  }

  delete(name: string): void {
    if (this.names.delete(name)) this.save();
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ [this.key]: [...this.names].sort() })}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

/** The VM namespaces the agent added and not yet deleted (`ip netns add|del` that succeeded). */
export class NetnsJournal extends PersistedNames {
  constructor(file: string) {
    super(file, 'netns');
  }

  note(argv: readonly string[]): void {
    if (argv[0] !== 'ip' || argv[1] !== 'netns' || argv.length !== 4) return;
    if (argv[2] === 'add') this.add(argv[3]);
    else if (argv[2] === 'del') this.delete(argv[3]);
  }
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const allowed = new Set(options.serverFingerprints);
  if (allowed.size === 0) throw new Error('the agent needs the fingerprint of the control server it serves (--server-fingerprint sha256:...)');
  for (const f of allowed) if (!FINGERPRINT_PATTERN.test(f)) throw new Error(`${JSON.stringify(f)} is not a certificate fingerprint (sha256:<64 hex>)`);
  fs.mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const identity = loadOrCreateIdentity(options.stateDir, 'agent', `netforge-agent ${options.host}`);
  const log = options.log ?? (() => undefined);
  const wrap = options.netns !== undefined && !inNamedNetns(options.netns);
  const netns = options.netns;
  const runner: ArgvRunner =
    options.runner ??
    (wrap && netns !== undefined ? async (argv) => ({ ...(await execArgv(inNetns(netns, argv))), argv: [...argv] }) : (argv) => execArgv(argv));
  const runsIn = netns === undefined ? 'own network namespace' : `network namespace ${netns}`;
  const journal = new NetnsJournal(path.join(options.stateDir, NETNS_JOURNAL_FILE));
  const creating = new PersistedNames(path.join(options.stateDir, PENDING_CREATIONS_FILE), 'devices');
  let queue: Promise<unknown> = Promise.resolve();

  /** A model of the host right now: its links (with marks), addresses and namespaces. */
  const inspect = async (): Promise<HostDeviceModel> => {
    const [links, addrs, spaces] = await Promise.all([
      runner(['ip', '-json', '-d', 'link', 'show']),
      runner(['ip', '-json', 'addr', 'show']),
      runner(['ip', '-json', 'netns', 'list']),
    ]);
    if (links.code !== 0) throw new HttpError(500, 'INSPECTION_FAILED', `could not inspect the host: ${links.stderr.trim()}`);
    const namespaces = spaces.code === 0 && spaces.stdout.trim() ? (JSON.parse(spaces.stdout) as Array<{ name?: string }>).map((n) => n.name ?? '') : [];
    return new HostDeviceModel({
      links: parseLinks(links, 'this host').values(),
      addresses: parseAddresses(addrs, 'this host'),
      namespaces,
      agentNamespaces: journal.all,
    });
  };

  /**
   * Devices an earlier plan created but could not mark (the agent was killed in between)
   * are netforge's: mark them now, so they can be realized and removed like any other.
   */
  const adoptPending = async (): Promise<void> => {
    for (const name of creating.all) {
      const r = await runner(cmd('ip', 'link', 'set', 'dev', name, 'alias', NETFORGE_MARK).argv);
      if (r.code === 0) log(`adopted ${name}, created by a plan that was cut off before marking it`);
      creating.delete(name);
    }
  };

  /** Refuses the whole plan unless every command may touch what it touches (ownership.ts). */
  const admit = async (req: ExecRequest): Promise<void> => {
    const model = await inspect();
    const details = req.commands.flatMap((c, i) => {
      const why = model.check(c.argv);
      if (why === null) model.apply(c.argv);
      return why === null ? [] : [{ path: `commands[${i}].argv`, message: why }];
    });
    if (details.length > 0) {
      throw new HttpError(400, 'COMMAND_NOT_ALLOWED', `refused ${details.length} of ${req.commands.length} commands; nothing was run: ${details[0].path}: ${details[0].message}`, details);
    }
  };

  const runPlan = (req: ExecRequest) => {
    const job = queue.then(async () => {
      await adoptPending();
      await admit(req);
      // Checked again as it runs: what a command may touch depends on what those before it really did.
      const model = await inspect();
      const results: CommandResult[] = [];
      let failedIndex: number | null = null;
      for (const [i, c] of req.commands.entries()) {
        const why = model.check(c.argv);
        const r: CommandResult =
          why !== null
            ? { argv: [...c.argv], code: 1, stdout: '', stderr: `refused by the agent: ${why}` }
            : await runCommandMarked(c.argv, runner, { beforeCreate: (name) => creating.add(name), afterCreate: (name) => creating.delete(name) });
        results.push(r);
        if (r.code === 0) {
          model.apply(c.argv);
          journal.note(c.argv);
        }
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
    const peer = req.socket instanceof TLSSocket ? req.socket.getPeerX509Certificate() : undefined;
    const fingerprint = peer ? certificateFingerprint(peer.raw) : null;
    if (fingerprint === null || !allowed.has(fingerprint)) {
      req.resume();
      throw new HttpError(401, 'UNAUTHORIZED', fingerprint ? `client certificate ${fingerprint} is not one this agent serves` : 'a client certificate is required');
    }
    const url = new URL(req.url ?? '/', 'https://agent');
    if (url.pathname === '/v1/ping') {
      if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
      send(res, 200, { ok: true, netns: netns ?? null, pid: process.pid, version: AGENT_VERSION, fingerprint: identity.fingerprint });
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

  // Client certificates are requested but checked here, by fingerprint (self-signed, pinned).
  await adoptPending();
  const server = https.createServer({ key: identity.keyPem, cert: identity.certPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' }, (req, res) => {
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
  const url = `https://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  log(`netforge agent listening on ${url}; certificate ${identity.fingerprint}; commands run in ${runsIn}${wrap ? ' (through ip netns exec)' : ''}`);
  return {
    url,
    port,
    fingerprint: identity.fingerprint,
    runsIn,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
