/**
 * TLS identities between the control server and its KVM host agents. Each side has its own
 * key pair and self-signed certificate, made on first start and kept in its state dir
 * (mode 0600); each pins the other's certificate by fingerprint:
 *
 *   agent   <state-dir>/agent-{key,cert}.pem          pinned by the server per host (Host.agentFingerprint,
 *                                                       given when the host is registered)
 *   server  <data-dir>/agent-client-{key,cert}.pem    pinned by every agent (--server-fingerprint)
 *
 * No secret ever crosses the wire: a host's credential is its private key, which never
 * leaves it, so a listener at a wrong address learns nothing, and one host can't pose as
 * another.
 */
import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { certificateFingerprint, createSelfSignedCertificate, FINGERPRINT_PATTERN } from './x509';

/** Long-lived: a certificate is replaced by re-pinning, not by expiry. */
const IDENTITY_VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000;

export interface TlsIdentity {
  keyPem: string;
  certPem: string;
  /** sha256:<hex> of the certificate. */
  fingerprint: string;
}

export { FINGERPRINT_PATTERN };

/** The identity `<dir>/<name>-{key,cert}.pem`, created there (0600) on first use. */
export function loadOrCreateIdentity(dir: string, name: 'agent' | 'agent-client', commonName: string): TlsIdentity {
  const keyFile = path.join(dir, `${name}-key.pem`);
  const certFile = path.join(dir, `${name}-cert.pem`);
  if (!fs.existsSync(keyFile) || !fs.existsSync(certFile)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const made = createSelfSignedCertificate({ commonName, validityMs: IDENTITY_VALIDITY_MS });
    // Written beside, then renamed: a crash never leaves a key without its certificate.
    for (const [file, text] of [
      [keyFile, made.keyPem],
      [certFile, made.certPem],
    ] as const) {
      fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
      fs.renameSync(`${file}.tmp`, file);
    }
  }
  const certPem = fs.readFileSync(certFile, 'utf8');
  return { keyPem: fs.readFileSync(keyFile, 'utf8'), certPem, fingerprint: certificateFingerprint(new X509Certificate(certPem).raw) };
}
