/**
 * go-plugin AutoMTLS, server side: a fresh self-signed certificate per process, announced in
 * the handshake line; Terraform pins it and we pin Terraform's (PLUGIN_CLIENT_CERT).
 * Go's TLS client checks the server name "localhost" (SAN) and extended key usage serverAuth.
 */
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../../lib/x509';

export type ServerCertificate = SelfSignedCertificate;

const VALIDITY_MS = 30 * 24 * 3600 * 1000;

/** ECDSA P-256 self-signed certificate for "localhost", like the one go-plugin makes for itself. */
export function createServerCertificate(now = new Date()): ServerCertificate {
  return createSelfSignedCertificate({ commonName: 'localhost', dnsNames: ['localhost'], validityMs: VALIDITY_MS, now });
}
