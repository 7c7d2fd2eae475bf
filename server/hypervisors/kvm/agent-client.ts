/**
 * The executor the server uses for KVM hosts: plans go to the host agent (hosts/agent/) over
 * mutual TLS. The agent is authenticated before a single byte of the request is written:
 * the TLS connection is opened first, the certificate the peer presents is compared with
 * the fingerprint pinned for that host, and only a match gets the request. A listener at a
 * wrong address (or a different host) gets a TLS handshake and nothing else.
 */
import http from 'node:http';
import tls from 'node:tls';
import { certificateFingerprint } from '../../../lib/x509';
import { CommandFailedError, type CommandExecutor, type CommandPlan, type CommandResult } from '../../../hosts/linux/commands';
import type { TlsIdentity } from '../../../lib/tls-identity';

export const DEFAULT_AGENT_TIMEOUT_MS = 60_000;

export interface AgentExecutorOptions {
  host: string;
  port: number;
  /** sha256:<hex> of the agent's certificate, registered with the host. */
  agentFingerprint: string;
  /** The server's own certificate, which the agent pins. */
  identity: Pick<TlsIdentity, 'keyPem' | 'certPem'>;
  /** For messages, e.g. "host 'h1' (uuid, ip)". */
  description?: string;
  timeoutMs?: number;
}

/** The agent refused or could not run a plan (unreachable, wrong certificate, 401, 400 ...). */
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
  private readonly address: string;

  constructor(private readonly options: AgentExecutorOptions) {
    this.address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    this.description = options.description ?? `agent ${this.address}`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
  }

  /** A TLS connection to the agent whose certificate matches the pinned fingerprint. */
  private connect(deadline: number): Promise<tls.TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host: this.options.host,
        port: this.options.port,
        key: this.options.identity.keyPem,
        cert: this.options.identity.certPem,
        // Self-signed and pinned: the fingerprint check below is the verification.
        rejectUnauthorized: false,
        minVersion: 'TLSv1.3',
      });
      const fail = (why: string) => {
        socket.destroy();
        reject(new AgentRequestError(`cannot reach the KVM agent of ${this.description} at ${this.address}: ${why}`, null));
      };
      socket.setTimeout(Math.max(1, deadline - Date.now()), () => fail('timed out'));
      socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
      socket.once('secureConnect', () => {
        const cert = socket.getPeerX509Certificate();
        const presented = cert ? certificateFingerprint(cert.raw) : 'no certificate';
        if (presented !== this.options.agentFingerprint) {
          socket.destroy();
          reject(
            new AgentRequestError(
              `the agent at ${this.address} for ${this.description} presented certificate ${presented}, not the registered ${this.options.agentFingerprint}; nothing was sent`,
              null,
            ),
          );
          return;
        }
        socket.setTimeout(0);
        socket.removeAllListeners('error');
        resolve(socket);
      });
    });
  }

  private async post(path: string, body: string): Promise<{ status: number; text: string }> {
    const deadline = Date.now() + this.timeoutMs;
    const socket = await this.connect(deadline);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          method: 'POST',
          path,
          host: this.options.host,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          createConnection: () => socket,
          timeout: Math.max(1, deadline - Date.now()),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            socket.destroy();
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err: NodeJS.ErrnoException) => {
        socket.destroy();
        reject(new AgentRequestError(`the KVM agent of ${this.description} at ${this.address} did not answer: ${err.code ?? err.message}`, null));
      });
      req.end(body);
    });
  }

  async run(plan: CommandPlan): Promise<CommandResult[]> {
    if (plan.length === 0) return [];
    const { status, text } = await this.post(
      '/v1/exec',
      JSON.stringify({ commands: plan.map((c) => ({ argv: [...c.argv], ...(c.allowFailure ? { allowFailure: true } : {}) })) }),
    );
    let body: { results?: CommandResult[]; failedIndex?: number | null; error?: { code?: string; message?: string } } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // reported below
    }
    if (status !== 200 || !Array.isArray(body.results)) {
      const why = body.error?.message ?? (text.slice(0, 200) || `status ${status}`);
      throw new AgentRequestError(`the KVM agent of ${this.description} answered ${status}${body.error?.code ? ` ${body.error.code}` : ''}: ${why}`, status);
    }
    const results = body.results;
    if (typeof body.failedIndex === 'number') {
      const failed = results[body.failedIndex];
      throw new CommandFailedError(failed, this.description, results.slice(0, body.failedIndex));
    }
    return results;
  }
}
