/**
 * The host agent (after ZStack's KVM agent): a small HTTPS server on each KVM host that runs
 * the command plans the control server's KVM plugin sends, and answers JSON.
 *
 *   GET  /v1/ping   -> { ok, netns, pid, version, fingerprint }
 *   POST /v1/exec   { commands: [{ argv: string[], allowFailure?: boolean }] }
 *                   -> { results: [{ argv, code, stdout, stderr }], failedIndex: number | null }
 *
 * Who may ask: mutual TLS with pinned certificates, no shared secret (lib/tls-identity.ts). The agent
 * serves its own certificate (the server pins it per host) and answers only clients whose
 * certificate fingerprint it was given (--server-fingerprint); anyone else gets 401 before
 * the body is read.
 *
 * What may run: every command must match argv-policy.ts (shapes), and the whole plan must
 * pass ownership.ts against a fresh inspection of the host (only netforge's devices, marked
 * with its alias, and the VM namespaces this agent added); otherwise 400 and nothing runs.
 * Builtins (`netforge dnsmasq-sync ...`, hosts/services/builtins.ts) run in the agent.
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
 * State (its own directory, 0711: traversable so dnsmasq, which runs as nobody, reads its
 * files; the key is 0600): its key and certificate, the journal of the VM namespaces it
 * added and not yet deleted, so it (and `netforge lab down`) knows which are netforge's,
 * and the services' files (hosts/services/service-dirs.ts).
 */
import fs from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import { certificateFingerprint, FINGERPRINT_PATTERN } from '../../lib/x509';
import { cmd, NETFORGE_MARK, runCommandMarked, type ArgvRunner, type CommandResult } from '../linux/commands';
import { execArgv, inNetns, withBuiltins } from '../linux/executors';
import { loadOrCreateIdentity } from '../../lib/tls-identity';
import { parseAddresses, parseLinks } from '../linux/inspect';
import { HostDeviceModel } from './ownership';
import { NETNS_JOURNAL_FILE, NetnsJournal, PENDING_CREATIONS_FILE, PersistedNames } from './journal';
import { HttpError, parseExecRequest, readBody, send, type ExecRequest } from './requests';

export { NETNS_JOURNAL_FILE, NetnsJournal, PENDING_CREATIONS_FILE } from './journal';
export { MAX_AGENT_BODY_BYTES, MAX_COMMANDS_PER_PLAN } from './requests';

export const AGENT_VERSION = '2';
export type { ArgvRunner };

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

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const allowed = new Set(options.serverFingerprints);
  if (allowed.size === 0) throw new Error('the agent needs the fingerprint of the control server it serves (--server-fingerprint sha256:...)');
  for (const f of allowed) if (!FINGERPRINT_PATTERN.test(f)) throw new Error(`${JSON.stringify(f)} is not a certificate fingerprint (sha256:<64 hex>)`);
  fs.mkdirSync(options.stateDir, { recursive: true, mode: 0o711 });
  fs.chmodSync(options.stateDir, 0o711);
  const identity = loadOrCreateIdentity(options.stateDir, 'agent', `netforge-agent ${options.host}`);
  const log = options.log ?? (() => undefined);
  const wrap = options.netns !== undefined && !inNamedNetns(options.netns);
  const netns = options.netns;
  const runner: ArgvRunner =
    options.runner ??
    (wrap && netns !== undefined ? async (argv) => ({ ...(await execArgv(inNetns(netns, argv))), argv: [...argv] }) : (argv) => execArgv(argv));
  const runsIn = netns === undefined ? 'own network namespace' : `network namespace ${netns}`;
  // Builtins (dnsmasq, the DHCP client) keep their files in the state directory.
  const exec = withBuiltins(runner, options.stateDir);
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
            : await runCommandMarked(c.argv, exec, { beforeCreate: (name) => creating.add(name), afterCreate: (name) => creating.delete(name) });
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
