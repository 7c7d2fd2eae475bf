/**
 * Self-signed X.509 certificates (ECDSA P-256) and their fingerprints: the identities that
 * pin each other in go-plugin's AutoMTLS (the provider) and between the control server and
 * its KVM host agents.
 *
 * node:crypto makes the key and signs; the certificate structure is encoded with the ASN.1
 * schema classes @peculiar/x509 is built on (@peculiar/asn1-x509). The full @peculiar/x509
 * API (tsyringe, reflect-metadata, WebCrypto) costs ~70 ms at every provider start, and
 * Terraform starts 3-5 provider processes per command.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { ecdsaWithSHA256 } from '@peculiar/asn1-ecc';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_kp_clientAuth,
  id_kp_serverAuth,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';

export interface SelfSignedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly certDer: Buffer;
}

export interface CertificateOptions {
  commonName: string;
  /** subjectAltName dNSName entries. */
  dnsNames?: readonly string[];
  /** subjectAltName iPAddress entries (IPv4 or IPv6 text). */
  ipAddresses?: readonly string[];
  validityMs: number;
  now?: Date;
}

/** X.520 attribute types (RFC 5280 appendix A). */
const ID_AT_COMMON_NAME = '2.5.4.3';
const ID_AT_ORGANIZATION_NAME = '2.5.4.10';

/** Tolerate small clock differences, as go-plugin does for its own certificates. */
const CLOCK_SKEW_MS = 30_000;

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function attribute(type: string, utf8String: string): RelativeDistinguishedName {
  return new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String }) })]);
}

/** A positive serial number of 16 random bytes (the first byte's top bit clear, and non-zero, so DER keeps all 16). */
function serialNumber(): ArrayBuffer {
  const serial = new Uint8Array(randomBytes(16));
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return serial.buffer;
}

/**
 * An ECDSA P-256 self-signed certificate usable for TLS server and client authentication.
 * Peers pin it by fingerprint (certificateFingerprint), so no CA is involved.
 */
export function createSelfSignedCertificate(o: CertificateOptions): SelfSignedCertificate {
  const now = o.now ?? new Date();
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = new Name([attribute(ID_AT_COMMON_NAME, o.commonName), attribute(ID_AT_ORGANIZATION_NAME, 'netforge')]);
  const altNames = [...(o.dnsNames ?? []).map((dNSName) => new GeneralName({ dNSName })), ...(o.ipAddresses ?? []).map((ip) => new GeneralName({ iPAddress: ipaddr.parse(ip).toString() }))];
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumber(),
    signature: ecdsaWithSHA256,
    issuer: name,
    validity: new Validity({
      notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
      notAfter: new Date(now.getTime() + o.validityMs),
    }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo),
    extensions: new Extensions([
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment | KeyUsageFlags.keyCertSign)),
      extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])),
      ...(altNames.length > 0 ? [extension(id_ce_subjectAltName, false, new SubjectAlternativeName(altNames))] : []),
    ]),
  });
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbsCertificate)), privateKey); // DER ECDSA-Sig-Value
  const certDer = Buffer.from(
    AsnConvert.serialize(new Certificate({ tbsCertificate, signatureAlgorithm: ecdsaWithSHA256, signatureValue: new Uint8Array(signature).buffer })),
  );
  return {
    certDer,
    certPem: new X509Certificate(certDer).toString(),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** "sha256:<64 hex>" of a certificate's DER bytes: what operators copy and peers pin. */
export function certificateFingerprint(der: Uint8Array): string {
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

export const FINGERPRINT_PATTERN = /^sha256:[0-9a-f]{64}$/;
