/**
 * go-plugin AutoMTLS, server side: a fresh self-signed certificate per process, announced in
 * the handshake line; Terraform pins it and we pin Terraform's (PLUGIN_CLIENT_CERT).
 * Go's TLS client checks the server name "localhost" (SAN) and extended key usage serverAuth.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import * as der from './der';

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly certDer: Buffer;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

const VALIDITY_MS = 30 * 24 * 3600 * 1000;
/** digitalSignature (bit 0), keyEncipherment (bit 2), keyCertSign (bit 5): 1010 0100, 2 unused bits. */
const KEY_USAGE_BITS = der.bitString(Buffer.from([0xa4]), 2);

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? der.sequence(der.oid(id), der.boolean(true), der.octetString(value)) : der.sequence(der.oid(id), der.octetString(value));
}

/** ECDSA P-256 self-signed certificate for "localhost", like the one go-plugin makes for itself. */
export function createServerCertificate(now = new Date()): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = der.sequence(
    der.set(der.sequence(der.oid(OID.commonName), der.utf8String('localhost'))),
    der.set(der.sequence(der.oid(OID.organization), der.utf8String('netforge'))),
  );
  const signatureAlgorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const tbs = der.sequence(
    der.explicit(0, der.unsignedInteger(Buffer.from([2]))), // X.509 v3
    der.unsignedInteger(randomBytes(16)),
    signatureAlgorithm,
    name,
    // Tolerate small clock differences, as go-plugin does for its own certificates.
    der.sequence(der.time(new Date(now.getTime() - 30_000)), der.time(new Date(now.getTime() + VALIDITY_MS))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(
      3,
      der.sequence(
        extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
        extension(OID.keyUsage, true, KEY_USAGE_BITS),
        extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth), der.oid(OID.clientAuth))),
        extension(OID.subjectAltName, false, der.sequence(der.implicitPrimitive(2, Buffer.from('localhost', 'ascii')))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
  const certDer = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  return {
    certDer,
    certPem: toPem('CERTIFICATE', certDer),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function toPem(label: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
