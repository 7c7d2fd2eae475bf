/**
 * The control server as the review sees it: endpoint and token resolved like the
 * provider's (flag, environment, nearest .netforge/token), a probe that tells reachable
 * from not, and the few reads the report needs.
 */
import fs from 'node:fs';
import { DEFAULT_ENDPOINT, findTokenFile, NetforgeApiError, NetforgeClient } from '../provider/netforge/client';
import { API_PATH_OF_KIND, type Kind, type ObjectLookup } from './topology';

export interface ServerOptions {
  endpoint?: string;
  token?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Milliseconds the probe may take (default 10 s). */
  probeTimeoutMs?: number;
  /** Milliseconds all later requests together may take (default 5 min). */
  timeoutMs?: number;
}

export type Connection =
  | { reachable: true; endpoint: string; client: NetforgeClient }
  | { reachable: false; endpoint: string; reason: string };

export class ServerAuthError extends Error {}

function describeCause(err: unknown): string {
  const detail = (err as { detail?: string }).detail;
  const message = err instanceof Error ? err.message : String(err);
  return detail ? `${message}: ${detail.split('.')[0]}` : message;
}

/** Resolves endpoint and token and probes the server. A rejected token is an error, not "unreachable". */
export async function connect(opts: ServerOptions): Promise<Connection> {
  const env = opts.env ?? process.env;
  // An empty value (e.g. an unset CI secret) counts as not given.
  const endpoint = (opts.endpoint || env.NETFORGE_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/$/, '');
  let token = opts.token || env.NETFORGE_TOKEN;
  if (!token) {
    const file = findTokenFile(env, opts.cwd);
    if (file) token = fs.readFileSync(file, 'utf8').trim();
  }
  if (!token) return { reachable: false, endpoint, reason: 'no token (set --token, NETFORGE_TOKEN or NETFORGE_DATA_DIR)' };
  const probe = new NetforgeClient(endpoint, token, AbortSignal.timeout(opts.probeTimeoutMs ?? 10_000));
  try {
    await probe.request('GET', '/v1/zones?name=__netforge_review_probe__');
  } catch (err) {
    if (err instanceof NetforgeApiError && err.status === 401) {
      throw new ServerAuthError(`the netforge server at ${endpoint} rejected the token (401): set --token or NETFORGE_TOKEN to the contents of the server's <data-dir>/token`);
    }
    return { reachable: false, endpoint, reason: describeCause(err) };
  }
  return { reachable: true, endpoint, client: new NetforgeClient(endpoint, token, AbortSignal.timeout(opts.timeoutMs ?? 300_000)) };
}

export function serverLookup(client: NetforgeClient): ObjectLookup {
  return async (kind: Kind, uuid: string) => {
    const p = API_PATH_OF_KIND[kind];
    if (!p) return null;
    try {
      return await client.request<Record<string, unknown>>('GET', `/v1/${p}/${encodeURIComponent(uuid)}`);
    } catch (err) {
      if (err instanceof NetforgeApiError && err.status === 404) return null;
      throw err;
    }
  };
}

/** Uuids of the hosts in a cluster on the server. */
export async function hostsOfCluster(client: NetforgeClient, clusterUuid: string): Promise<string[]> {
  const hosts = await client.request<Array<{ uuid: string }>>('GET', `/v1/hosts?clusterUuid=${encodeURIComponent(clusterUuid)}`);
  return hosts.map((h) => h.uuid);
}
