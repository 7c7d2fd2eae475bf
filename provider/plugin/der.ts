/**
 * Just enough ASN.1 DER to write one X.509 certificate. Hand-written because loading a
 * general X.509 library costs ~70 ms at every provider start (Terraform starts 3-5
 * provider processes per command); Node's crypto does the key generation and signing.
 */

export function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else if (n < 0x100) header = [tag, 0x81, n];
  else if (n < 0x10000) header = [tag, 0x82, n >> 8, n & 0xff];
  else header = [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from(header), content]);
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]) => tlv(0x31, Buffer.concat(items));
export const octetString = (content: Uint8Array) => tlv(0x04, content);
export const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
export const boolean = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
/** Context-specific constructed tag [n] (EXPLICIT wrapping). */
export const explicit = (n: number, content: Uint8Array) => tlv(0xa0 | n, content);
/** Context-specific primitive tag [n] (IMPLICIT, e.g. dNSName [2] in a SAN). */
export const implicitPrimitive = (n: number, content: Uint8Array) => tlv(0x80 | n, content);

/** A BIT STRING holding whole bytes, or `unusedBits` trailing zero bits of the last byte. */
export function bitString(content: Uint8Array, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
}

/** Non-negative INTEGER from big-endian magnitude bytes. */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let bytes = Buffer.from(magnitude);
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1] & 0x80) === 0) bytes = bytes.subarray(1);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime (years 1950-2049) or GeneralizedTime, as RFC 5280 requires. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2025-01-02T03:04:05.678Z
  const digits = iso.slice(0, 19).replace(/[-:T]/g, ''); // 20250102030405
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}
