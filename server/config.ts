/** Server configuration: flags > environment > defaults. */
import path from 'node:path';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = '.netforge';
/** Hosts realized at once during an attach; 1000 hosts x 10 ms / 32 ≈ 0.3 s. */
export const DEFAULT_REALIZE_CONCURRENCY = 32;
/** Where KVM host agents listen (hosts/agent/agent.ts). */
export const DEFAULT_KVM_AGENT_PORT = 7070;

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:` file under dataDir when unset; `postgres://...` for shared state. */
  databaseUrl?: string;
  /** Bearer token; generated into dataDir/token when unset. */
  token?: string;
  /** File holding the bearer token (env NETFORGE_TOKEN_FILE); read when `token` is unset. */
  tokenFile?: string;
  realizeConcurrency: number;
  logLevel: string;
  /** Port of the agent on every KVM host (env NETFORGE_KVM_AGENT_PORT). */
  kvmAgentPort: number;
}

export function resolveConfig(overrides: Partial<ServerConfig> = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = overrides.dataDir ?? env.NETFORGE_DATA_DIR ?? DEFAULT_DATA_DIR;
  return {
    port: overrides.port ?? numberFrom(env.NETFORGE_PORT) ?? DEFAULT_PORT,
    host: overrides.host ?? env.NETFORGE_HOST ?? DEFAULT_HOST,
    dataDir: path.resolve(dataDir),
    databaseUrl: overrides.databaseUrl ?? env.NETFORGE_DATABASE_URL,
    token: overrides.token ?? (env.NETFORGE_TOKEN || undefined),
    tokenFile: overrides.tokenFile ?? (env.NETFORGE_TOKEN_FILE || undefined),
    realizeConcurrency: overrides.realizeConcurrency ?? numberFrom(env.NETFORGE_REALIZE_CONCURRENCY) ?? DEFAULT_REALIZE_CONCURRENCY,
    logLevel: overrides.logLevel ?? env.NETFORGE_LOG_LEVEL ?? 'info',
    kvmAgentPort: overrides.kvmAgentPort ?? numberFrom(env.NETFORGE_KVM_AGENT_PORT) ?? DEFAULT_KVM_AGENT_PORT,
  };
}

function numberFrom(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got ${JSON.stringify(text)}`);
  return n;
}
