/**
 * go-plugin handshake: the environment Terraform sets when it starts a provider, and the one
 * line the provider prints on stdout to say where it listens.
 */

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
/** go-plugin's own protocol version; always 1. */
export const CORE_PROTOCOL_VERSION = 1;
/** Terraform plugin protocol major version served (tfplugin6). */
export const APP_PROTOCOL_VERSION = 6;

export const NOT_A_PLUGIN_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically';

export interface PluginEnvironment {
  /** PEM of the certificate Terraform will present (AutoMTLS); undefined when TLS is disabled. */
  readonly clientCertPem?: string;
  readonly tlsDisabled: boolean;
}

export type EnvironmentCheck = { ok: true; env: PluginEnvironment } | { ok: false; message: string };

export function checkPluginEnvironment(env: NodeJS.ProcessEnv = process.env): EnvironmentCheck {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) return { ok: false, message: NOT_A_PLUGIN_MESSAGE };

  // The order varies ("5,6" or "6,5"); without the variable the client accepts our default.
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  if (offered !== undefined && offered.trim() !== '') {
    const versions = offered.split(',').map((v) => v.trim());
    if (!versions.includes(String(APP_PROTOCOL_VERSION))) {
      return {
        ok: false,
        message: `Incompatible API version with plugin. Plugin version: ${APP_PROTOCOL_VERSION}, Client versions: ${versions.join(', ')}`,
      };
    }
  }

  const tlsDisabled = isTruthy(env.TF_DISABLE_PLUGIN_TLS);
  const clientCertPem = env.PLUGIN_CLIENT_CERT?.trim() ? env.PLUGIN_CLIENT_CERT : undefined;
  if (!tlsDisabled && !clientCertPem) {
    return {
      ok: false,
      message: 'PLUGIN_CLIENT_CERT is not set: Terraform always enables AutoMTLS; set TF_DISABLE_PLUGIN_TLS=1 to run without TLS.',
    };
  }
  return { ok: true, env: { clientCertPem: tlsDisabled ? undefined : clientCertPem, tlsDisabled } };
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 't', 'yes'].includes(value.trim().toLowerCase());
}

/**
 * `1|6|unix|/path/plugin.sock|grpc|<cert>`: cert is the server certificate DER in base64
 * with the `=` padding removed (go-plugin decodes with RawStdEncoding).
 */
export function handshakeLine(network: 'unix' | 'tcp', address: string, serverCertDer?: Uint8Array): string {
  const fields = [CORE_PROTOCOL_VERSION, APP_PROTOCOL_VERSION, network, address, 'grpc'].map(String);
  if (serverCertDer) fields.push(Buffer.from(serverCertDer).toString('base64').replace(/=+$/, ''));
  return fields.join('|');
}
