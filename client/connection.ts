/**
 * Where the control server is and which token it takes, resolved the same way for every
 * client: an explicit value, else the environment (NETFORGE_ENDPOINT, NETFORGE_TOKEN),
 * else the server's token file (NETFORGE_DATA_DIR/token, or the nearest .netforge/token
 * above the working directory). Empty values count as not given (an unset CI secret).
 */
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8787';

/** The server's token file: NETFORGE_DATA_DIR, else the nearest `.netforge/token` above cwd. */
function findTokenFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
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

export interface ConnectionSettings {
  endpoint?: string | null;
  token?: string | null;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ResolvedConnection {
  /** Without a trailing slash. */
  endpoint: string;
  /** null when none was given and no token file was found. */
  token: string | null;
}

export function resolveEndpoint(given: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return (given || env.NETFORGE_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/$/, '');
}

export function resolveConnection(settings: ConnectionSettings = {}): ResolvedConnection {
  const env = settings.env ?? process.env;
  let token = settings.token || env.NETFORGE_TOKEN || null;
  if (!token) {
    const file = findTokenFile(env, settings.cwd);
    if (file) token = fs.readFileSync(file, 'utf8').trim() || null;
  }
  return { endpoint: resolveEndpoint(settings.endpoint, env), token };
}
