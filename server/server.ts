/**
 * Starts and stops the control server: database and migrations, extension registry with
 * the built-in plugins, the bearer token, the HTTP listener, and graceful shutdown.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { buildApp } from './api/app';
import { resolveConfig, type ServerConfig } from './config';
import { openDatabase } from './db/database';
import { ExtensionRegistry } from './extension/registry';
import { registerKvm, type KvmPluginOptions } from './hypervisors/kvm';
import { loadOrCreateIdentity, type TlsIdentity } from '../lib/tls-identity';
import { registerSimulator } from './hypervisors/simulator';
import { registerNetworkServices } from './network-services';
import { SimulatorState } from './hypervisors/simulator/state';
import type { ServerParts } from './services/context';
import { builtinProvidersOnNewL2 } from './services/providers';
import { prepareAtStart } from './services/startup';

export const NETFORGE_VERSION = '0.1.0';
export const TOKEN_FILE = 'token';

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  config: ServerConfig;
  parts: ServerParts;
  simulator: SimulatorState;
  /** The certificate the server presents to KVM agents (they pin its fingerprint). */
  agentClientIdentity: TlsIdentity;
  close(): Promise<void>;
}

/**
 * The token given, else the one in `tokenFile`, else the one in the data dir, else a new one
 * written there with mode 0600.
 */
export function ensureToken(dataDir: string, given?: string, tokenFile?: string): string {
  if (given) return given;
  if (tokenFile) {
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    if (!token) throw new Error(`the token file ${tokenFile} is empty`);
    return token;
  }
  const file = path.join(dataDir, TOKEN_FILE);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return token;
}

export function createRegistry(simulator: SimulatorState, kvm: KvmPluginOptions = {}): ExtensionRegistry {
  const registry = new ExtensionRegistry();
  registerSimulator(registry, simulator);
  registerKvm(registry, kvm);
  registry.registerL2NetworkCreate(builtinProvidersOnNewL2);
  registerNetworkServices(registry);
  return registry;
}

export async function startServer(overrides: Partial<ServerConfig> = {}, logger?: Logger): Promise<RunningServer> {
  const config = resolveConfig(overrides);
  // Belt and braces next to redactUrl: nothing logged under these keys shows a credential.
  const log =
    logger ??
    pino({
      level: config.logLevel,
      base: { service: 'netforge-server' },
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', '*.headers.authorization', '*.headers.cookie'], censor: '[REDACTED]' },
    });
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const token = ensureToken(config.dataDir, config.token, config.tokenFile);
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const simulator = new SimulatorState();
  const agentClientIdentity = loadOrCreateIdentity(config.dataDir, 'agent-client', 'netforge-server');
  const registry = createRegistry(simulator, { agentPort: config.kvmAgentPort, identity: agentClientIdentity });
  const parts: ServerParts = { db, registry, realizeConcurrency: config.realizeConcurrency, log };
  await prepareAtStart(parts);

  const app = buildApp({ parts, token, version: NETFORGE_VERSION, simulator, agentClientFingerprint: agentClientIdentity.fingerprint });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 5_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, dataDir: config.dataDir, database: db.dialect, agentClientFingerprint: agentClientIdentity.fingerprint }, 'netforge server listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // Stop accepting, let in-flight requests (and their topology writes) finish, then close the database.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await db.write(async () => undefined);
      await db.close();
      log.info('netforge server stopped');
    })());
  return { url, port, token, config, parts, simulator, agentClientIdentity, close };
}
