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
import * as M from './db/models';
import { ExtensionRegistry } from './extension/registry';
import { registerKvm, type KvmPluginOptions } from './hypervisors/kvm';
import { registerSimulator } from './hypervisors/simulator';
import { SimulatorState } from './hypervisors/simulator/state';
import type { ServerParts } from './services/context';
import { realizeL2OnHosts } from './services/host-effects';
import { hostInventory } from './services/inventory';
import { loadL2 } from './services/lookups';
import { builtinProvidersOnNewL2 } from './services/providers';
import { forgetExpiredKeys } from './services/idempotency';

export const NETFORGE_VERSION = '0.1.0';
export const TOKEN_FILE = 'token';

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  config: ServerConfig;
  parts: ServerParts;
  simulator: SimulatorState;
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
  return registry;
}

/**
 * Like ZStack's host reconnect: realize attached L2 networks on every connected host.
 * Realizers are idempotent; the simulator's in-memory hosts need this after a restart.
 */
async function reconnectHosts(parts: ServerParts): Promise<void> {
  const clusters = new Map((await M.ClusterRow.findAll()).map((c) => [c.uuid, c]));
  const attachments = await M.L2ClusterAttachmentRow.findAll({ order: [['createdAt', 'ASC']] });
  for (const a of attachments) {
    const hosts = (await M.HostRow.findAll({ where: { clusterUuid: a.clusterUuid, state: 'Connected' } })).map((h) => ({
      host: hostInventory(h),
      hypervisorType: clusters.get(a.clusterUuid)!.hypervisorType,
    }));
    const l2 = await loadL2(a.l2NetworkUuid, { parts, dryRun: false });
    await realizeL2OnHosts(l2, hosts, { parts, dryRun: false }).catch((err: unknown) =>
      parts.log.warn({ err, l2: l2.uuid, cluster: a.clusterUuid }, 'could not re-realize L2 network on reconnect'),
    );
  }
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
  const registry = createRegistry(simulator, { agentPort: config.kvmAgentPort, agentToken: config.kvmAgentToken });
  const parts: ServerParts = { db, registry, realizeConcurrency: config.realizeConcurrency, log };
  await db.write((tx) => forgetExpiredKeys({ parts, tx, dryRun: false }));
  await reconnectHosts(parts);

  const app = buildApp({ parts, token, version: NETFORGE_VERSION, simulator });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 5_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, dataDir: config.dataDir, database: db.dialect }, 'netforge server listening');

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
  return { url, port, token, config, parts, simulator, close };
}
