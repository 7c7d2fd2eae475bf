/**
 * The provider's HTTP client for the control server. Failures become ProviderErrors whose
 * attribute path points at the field the server blamed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { codesOfKind } from '../../topology/violation-codes';
import { ProviderError } from '../framework';
import { apiPathToAttributePath } from './paths';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8787';

export interface ApiErrorBody {
  error: { code: string; message: string; details: Array<{ path: string; message: string; code?: string }> };
}

export class NetforgeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(body.message);
  }
}

/** The server's token file: NETFORGE_DATA_DIR, else the nearest `.netforge/token` above cwd. */
export function findTokenFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  if (env.NETFORGE_DATA_DIR) {
    const f = path.join(path.resolve(env.NETFORGE_DATA_DIR), 'token');
    return fs.existsSync(f) ? f : null;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const f = path.join(dir, '.netforge', 'token');
    if (fs.existsSync(f)) return f;
    if (path.dirname(dir) === dir) return null;
  }
}

export class NetforgeClient {
  constructor(
    readonly endpoint: string,
    private readonly token: string,
    private readonly signal?: AbortSignal,
  ) {}

  async request<T>(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.endpoint.replace(/\/$/, '')}${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: this.signal,
      });
      // The answer can be lost after the request arrived (connection cut mid-response).
      text = await res.text();
    } catch (err) {
      throw unreachable(this.endpoint, err);
    }
    let parsed: unknown = null;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      if (res.ok) throw new NetforgeUnreachableError(`the netforge server at ${this.endpoint} answered something that is not JSON`, { detail: text.slice(0, 200) });
    }
    if (!res.ok) {
      const e = (parsed as ApiErrorBody | null)?.error ?? { code: `HTTP_${res.status}`, message: text || res.statusText, details: [] };
      throw new NetforgeApiError(res.status, e);
    }
    return parsed as T;
  }

  /** Fails with one clear diagnostic when the server is down or the token is wrong. */
  async checkConnection(): Promise<void> {
    try {
      await this.request('GET', '/v1/zones?name=__netforge_provider_probe__');
    } catch (err) {
      if (err instanceof NetforgeApiError && err.status === 401) {
        throw new ProviderError('netforge rejected the token', {
          detail: `The server at ${this.endpoint} answered 401: ${err.message}. Set the provider's token (or NETFORGE_TOKEN) to the contents of the server's <data-dir>/token.`,
          path: ['token'],
        });
      }
      throw err;
    }
  }
}

/** The server could not be reached, or its answer was lost on the way: the request may or may not have been carried out. */
export class NetforgeUnreachableError extends ProviderError {}

function unreachable(endpoint: string, err: unknown): ProviderError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new NetforgeUnreachableError(`cannot reach the netforge server at ${endpoint}`, {
    detail: `${why}. Start it with \`npx netforge server\` or set the provider's endpoint (or NETFORGE_ENDPOINT).`,
    path: ['endpoint'],
  });
}

/** Worth retrying with the same idempotency key: no answer, or the server was restarting. */
export function isTransient(err: unknown): boolean {
  return err instanceof NetforgeUnreachableError || (err instanceof NetforgeApiError && (err.status === 502 || err.status === 503 || err.status === 504));
}

/** An API error as a diagnostic on the attribute the server named, headed by the server's summary. */
export function toProviderError(err: unknown, summary: string, fieldMap: ReadonlyMap<string, string>): unknown {
  if (!(err instanceof NetforgeApiError)) return err;
  const [first] = err.body.details;
  const attributePath = first?.path ? apiPathToAttributePath(first.path, fieldMap) : undefined;
  const details = err.body.details.length > 1 ? err.body.details.map((d) => `- ${d.path ? `${d.path}: ` : ''}${d.message}`) : [];
  return new ProviderError(`${summary}: ${err.message}`, {
    detail: [`netforge answered ${err.status} ${err.body.code}.`, ...details].join('\n'),
    path: attributePath,
  });
}

/** Conflicts that end when other deletes of the same apply finish (Terraform runs them in parallel). */
export const IN_USE_CODES: ReadonlySet<string> = codesOfKind('inUse');

export function isInUse(err: unknown): boolean {
  return err instanceof NetforgeApiError && err.status === 409 && (IN_USE_CODES.has(err.body.code) || err.body.details.some((d) => d.code !== undefined && IN_USE_CODES.has(d.code)));
}
