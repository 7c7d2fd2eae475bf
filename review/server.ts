/**
 * The control server as the review sees it: endpoint and token resolved like the
 * provider's (flag, environment, nearest .netforge/token), a probe that tells reachable
 * from not, and the few reads the report needs.
 */
import { NetforgeApiError, NetforgeBadAnswerError, NetforgeClient, NetforgeUnreachableError, resolveConnection } from '../client';
import { typeOfKind, type Kind, type ObjectLookup } from './topology';

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
  if (err instanceof NetforgeUnreachableError) return `${err.message}: ${err.reason}`;
  if (err instanceof NetforgeBadAnswerError) return `${err.message}: ${err.text.split('.')[0]}`;
  return err instanceof Error ? err.message : String(err);
}

/** Resolves endpoint and token and probes the server. A rejected token is an error, not "unreachable". */
export async function connect(opts: ServerOptions): Promise<Connection> {
  const { endpoint, token } = resolveConnection(opts);
  if (!token) return { reachable: false, endpoint, reason: 'no token (set --token, NETFORGE_TOKEN or NETFORGE_DATA_DIR)' };
  const probe = new NetforgeClient(endpoint, token, AbortSignal.timeout(opts.probeTimeoutMs ?? 10_000));
  try {
    await probe.probe();
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
    const found = await client.find(typeOfKind(kind), uuid);
    return found ? { ...found } : null;
  };
}

/** Uuids of the hosts in a cluster on the server. */
export async function hostsOfCluster(client: NetforgeClient, clusterUuid: string): Promise<string[]> {
  return (await client.list('host', { clusterUuid })).map((h) => h.uuid);
}
