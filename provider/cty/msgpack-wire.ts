/**
 * Minimal msgpack reader and writer. The generic msgpack libraries hide which integer or
 * float form a number arrived in, and cty needs exactly that (see number.ts), so the codec
 * works on the wire format directly. Only what cty's encoding uses is supported.
 */

export class MsgpackWriter {
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  nil(): void {
    this.byte(0xc0);
  }

  bool(v: boolean): void {
    this.byte(v ? 0xc3 : 0xc2);
  }

  /** Integer in the most compact form, unsigned forms for non-negative values (as Go's encoder does). */
  int(v: number | bigint): void {
    const n = typeof v === 'bigint' ? v : BigInt(v);
    if (n >= 0n) {
      if (n < 128n) return this.byte(Number(n));
      if (n < 0x100n) return this.fixed(0xcc, 1, n);
      if (n < 0x10000n) return this.fixed(0xcd, 2, n);
      if (n < 0x100000000n) return this.fixed(0xce, 4, n);
      if (n < 2n ** 64n) return this.fixed(0xcf, 8, n);
    } else {
      if (n >= -32n) return this.byte(0x100 + Number(n));
      if (n >= -0x80n) return this.fixed(0xd0, 1, n);
      if (n >= -0x8000n) return this.fixed(0xd1, 2, n);
      if (n >= -0x80000000n) return this.fixed(0xd2, 4, n);
      if (n >= -(2n ** 63n)) return this.fixed(0xd3, 8, n);
    }
    throw new RangeError(`integer ${n} does not fit 64 bits`);
  }

  private fixed(code: number, width: number, n: bigint): void {
    this.ensure(1 + width);
    this.buf[this.pos++] = code;
    const unsigned = n < 0n ? (1n << BigInt(width * 8)) + n : n;
    for (let i = width - 1; i >= 0; i--) this.buf[this.pos++] = Number((unsigned >> BigInt(i * 8)) & 0xffn);
  }

  float64(v: number): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xcb;
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  str(s: string): void {
    const data = Buffer.from(s, 'utf8');
    const n = data.length;
    if (n < 32) this.byte(0xa0 | n);
    else if (n < 0x100) this.header(0xd9, 1, n);
    else if (n < 0x10000) this.header(0xda, 2, n);
    else this.header(0xdb, 4, n);
    this.raw(data);
  }

  bin(data: Uint8Array): void {
    const n = data.length;
    if (n < 0x100) this.header(0xc4, 1, n);
    else if (n < 0x10000) this.header(0xc5, 2, n);
    else this.header(0xc6, 4, n);
    this.raw(data);
  }

  arrayHeader(n: number): void {
    if (n < 16) this.byte(0x90 | n);
    else if (n < 0x10000) this.header(0xdc, 2, n);
    else this.header(0xdd, 4, n);
  }

  mapHeader(n: number): void {
    if (n < 16) this.byte(0x80 | n);
    else if (n < 0x10000) this.header(0xde, 2, n);
    else this.header(0xdf, 4, n);
  }

  /** cty's "wholly unknown" marker: fixext1 of type 0 with a zero byte. */
  unknown(): void {
    this.byte(0xd4);
    this.byte(0x00);
    this.byte(0x00);
  }

  private header(code: number, width: number, n: number): void {
    this.fixed(code, width, BigInt(n));
  }
}

export type MsgpackToken =
  | { kind: 'nil' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number | bigint }
  | { kind: 'float'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'bin'; value: Buffer }
  | { kind: 'array'; length: number }
  | { kind: 'map'; length: number }
  | { kind: 'ext'; type: number; data: Buffer };

export class MsgpackFormatError extends Error {
  override name = 'MsgpackFormatError';
}

export class MsgpackReader {
  private pos = 0;
  private readonly buf: Buffer;

  constructor(data: Uint8Array) {
    this.buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  peekByte(): number {
    if (this.pos >= this.buf.length) throw new MsgpackFormatError('unexpected end of msgpack data');
    return this.buf[this.pos];
  }

  private take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new MsgpackFormatError('unexpected end of msgpack data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private uint(width: number): number {
    const b = this.take(width);
    switch (width) {
      case 1:
        return b[0];
      case 2:
        return b.readUInt16BE(0);
      default:
        return b.readUInt32BE(0);
    }
  }

  /** Reads one token (a scalar, or the header of an array/map/ext). */
  next(): MsgpackToken {
    const c = this.take(1)[0];
    if (c <= 0x7f) return { kind: 'int', value: c };
    if (c >= 0xe0) return { kind: 'int', value: c - 0x100 };
    if ((c & 0xf0) === 0x80) return { kind: 'map', length: c & 0x0f };
    if ((c & 0xf0) === 0x90) return { kind: 'array', length: c & 0x0f };
    if ((c & 0xe0) === 0xa0) return { kind: 'str', value: this.take(c & 0x1f).toString('utf8') };
    switch (c) {
      case 0xc0:
        return { kind: 'nil' };
      case 0xc2:
        return { kind: 'bool', value: false };
      case 0xc3:
        return { kind: 'bool', value: true };
      case 0xc4:
      case 0xc5:
      case 0xc6:
        return { kind: 'bin', value: Buffer.from(this.take(this.uint(1 << (c - 0xc4)))) };
      case 0xc7:
      case 0xc8:
      case 0xc9: {
        const len = this.uint(1 << (c - 0xc7));
        const type = this.take(1).readInt8(0);
        return { kind: 'ext', type, data: Buffer.from(this.take(len)) };
      }
      case 0xca:
        return { kind: 'float', value: this.take(4).readFloatBE(0) };
      case 0xcb:
        return { kind: 'float', value: this.take(8).readDoubleBE(0) };
      case 0xcc:
        return { kind: 'int', value: this.take(1).readUInt8(0) };
      case 0xcd:
        return { kind: 'int', value: this.take(2).readUInt16BE(0) };
      case 0xce:
        return { kind: 'int', value: this.take(4).readUInt32BE(0) };
      case 0xcf:
        return { kind: 'int', value: safeInt(this.take(8).readBigUInt64BE(0)) };
      case 0xd0:
        return { kind: 'int', value: this.take(1).readInt8(0) };
      case 0xd1:
        return { kind: 'int', value: this.take(2).readInt16BE(0) };
      case 0xd2:
        return { kind: 'int', value: this.take(4).readInt32BE(0) };
      case 0xd3:
        return { kind: 'int', value: safeInt(this.take(8).readBigInt64BE(0)) };
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8: {
        const type = this.take(1).readInt8(0);
        return { kind: 'ext', type, data: Buffer.from(this.take(1 << (c - 0xd4))) };
      }
      case 0xd9:
      case 0xda:
      case 0xdb:
        return { kind: 'str', value: this.take(this.uint(1 << (c - 0xd9))).toString('utf8') };
      case 0xdc:
      case 0xdd:
        return { kind: 'array', length: this.uint(c === 0xdc ? 2 : 4) };
      case 0xde:
      case 0xdf:
        return { kind: 'map', length: this.uint(c === 0xde ? 2 : 4) };
    }
    throw new MsgpackFormatError(`unsupported msgpack byte 0x${c.toString(16)}`);
  }

  /** Reads a whole value without a type (used for refinement payloads). */
  readAny(): unknown {
    const t = this.next();
    switch (t.kind) {
      case 'nil':
        return null;
      case 'array': {
        const out: unknown[] = [];
        for (let i = 0; i < t.length; i++) out.push(this.readAny());
        return out;
      }
      case 'map': {
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < t.length; i++) {
          const k = this.readAny();
          out.set(k, this.readAny());
        }
        return out;
      }
      case 'ext':
        return t;
      default:
        return t.value;
    }
  }

  /** Skips one whole value. */
  skip(): void {
    const t = this.next();
    if (t.kind === 'array') for (let i = 0; i < t.length; i++) this.skip();
    else if (t.kind === 'map') for (let i = 0; i < t.length * 2; i++) this.skip();
  }
}

function safeInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
