/**
 * Runs a provider as a go-plugin gRPC server: checks the environment, serves on a unix
 * socket with AutoMTLS, prints the handshake line, and exits when Terraform says so.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createServerCertificate, ServerCertificate } from './auto-mtls';
import { checkPluginEnvironment, handshakeLine } from './handshake';
import { loadPluginServices } from './protocol';
import { PROVIDER_RPC_NAMES, ProviderHandlers } from './protocol-types';

/** Terraform's own limit; grpc-js defaults to 4 MiB, too small for large plans or states. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** How long in-flight calls may take to finish after Shutdown before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface ServeOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where the handshake line goes; stdout for Terraform. */
  readonly announce?: (line: string) => void;
  /** Called instead of process.exit (tests). */
  readonly exit?: (code: number) => void;
}

export interface RunningPlugin {
  readonly socketPath: string;
  readonly handshake: string;
  /** Stops the server and removes the socket directory. */
  stop(): Promise<void>;
}

export async function servePlugin(handlers: ProviderHandlers, options: ServeOptions = {}): Promise<RunningPlugin> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const check = checkPluginEnvironment(options.env ?? process.env);
  if (!check.ok) {
    process.stderr.write(`${check.message}\n`);
    exit(1);
    throw new Error(check.message);
  }

  // Ctrl-C reaches the whole process group. Dying here would lose objects being created;
  // Terraform sends StopProvider instead and waits for in-flight applies to finish.
  process.on('SIGINT', () => {});

  const services = loadPluginServices();

  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfplugin-'));
  const socketPath = path.join(socketDir, 'plugin.sock');
  const removeSocketDir = () => fs.rmSync(socketDir, { recursive: true, force: true });
  process.on('exit', removeSocketDir);
  process.on('SIGTERM', () => {
    removeSocketDir();
    exit(0);
  });

  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    // Per-call bookkeeping for grpc's channelz introspection, which nothing here reads.
    'grpc.enable_channelz': 0,
  });
  server.addService(services.provider, toGrpcImplementation(handlers));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      timer.unref();
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    }).finally(removeSocketDir));

  server.addService(services.controller, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      // Answer first, then stop: Terraform waits for the reply before it reaps the process.
      setImmediate(() => void stop().then(() => exit(0)));
    },
  });

  const cert: ServerCertificate | undefined = check.env.tlsDisabled ? undefined : createServerCertificate();
  const credentials = cert
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(check.env.clientCertPem!, 'utf8'),
        [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }],
        true,
      )
    : grpc.ServerCredentials.createInsecure();

  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${socketPath}`, credentials, (err) => (err ? reject(err) : resolve())),
  );

  const line = handshakeLine('unix', socketPath, cert?.certDer);
  (options.announce ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
  return { socketPath, handshake: line, stop };
}

/** Adapts promise-returning handlers to grpc-js unary callbacks. */
function toGrpcImplementation(handlers: ProviderHandlers): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const name of PROVIDER_RPC_NAMES) {
    const handler = (handlers[name] as (request: unknown) => Promise<unknown>).bind(handlers);
    impl[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      handler(call.request).then(
        (response) => callback(null, response),
        (err: unknown) =>
          callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) }),
      );
    };
  }
  return impl;
}
