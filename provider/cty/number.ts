/**
 * A cty number kept lossless.
 *
 * Terraform holds numbers as 512-bit big floats and sends them as msgpack int, uint64,
 * float64 or, when neither fits exactly, as a decimal string ("0.1"). Turning them into JS
 * numbers breaks plans ("planned value ... does not match config value"), so a CtyNumber
 * keeps the decimal text and re-encodes in the form Terraform would read back as the same
 * value: integers as int/uint64, values received as float64 as float64, everything else as
 * the decimal string.
 */

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Beyond this many zero digits an integer cannot fit 64 bits anyway; avoids giant strings. */
const MAX_INTEGER_EXPONENT = 40;

interface Decimal {
  readonly negative: boolean;
  /** Significant digits without leading or trailing zeros; '' for zero. */
  readonly digits: string;
  /** value = digits × 10^exponent */
  readonly exponent: number;
}

function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const intPart = m[2];
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return undefined;
  let digits = (intPart + fracPart).replace(/^0+/, '');
  let exponent = Number(m[4] ?? '0') - fracPart.length;
  if (!Number.isFinite(exponent)) return undefined;
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  if (digits === '') return { negative: false, digits: '', exponent: 0 };
  return { negative: m[1] === '-', digits, exponent };
}

export type NumberWireForm = number | bigint | string;

export class CtyNumber {
  private readonly decimal: Decimal;

  private constructor(
    /** Decimal text as received or given. */
    private readonly text: string,
    /** Set when the value arrived as msgpack float64: it goes back out as float64. */
    private readonly float64: number | undefined,
  ) {
    const parsed = parseDecimal(text);
    if (!parsed) throw new TypeError(`not a decimal number: ${JSON.stringify(text)}`);
    this.decimal = parsed;
  }

  /**
   * Accepts a JS number, bigint, decimal string or CtyNumber. Non-integer JS numbers are kept
   * as their shortest decimal text (0.1 -> "0.1"), which is what an HCL literal `0.1` means.
   */
  static from(value: number | bigint | string | CtyNumber): CtyNumber {
    if (value instanceof CtyNumber) return value;
    if (typeof value === 'bigint') return new CtyNumber(value.toString(), undefined);
    if (typeof value === 'string') return new CtyNumber(value, undefined);
    if (!Number.isFinite(value)) throw new TypeError(`cty numbers must be finite, got ${value}`);
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 64) return new CtyNumber(BigInt(value).toString(), undefined);
    return new CtyNumber(String(value), undefined);
  }

  /** A value decoded from msgpack; float64 values remember their wire form. */
  static fromWire(value: NumberWireForm, wasFloat64 = false): CtyNumber {
    if (wasFloat64 && typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError(`non-finite number ${value} is not supported`);
      return new CtyNumber(String(value), value);
    }
    return CtyNumber.from(value);
  }

  static isCtyNumber(value: unknown): value is CtyNumber {
    return value instanceof CtyNumber;
  }

  isInteger(): boolean {
    return this.decimal.exponent >= 0;
  }

  /** Nearest JS number (may lose precision). */
  toNumber(): number {
    return this.float64 ?? Number(this.text);
  }

  /** Exact integer value; throws for fractional numbers. */
  toBigInt(): bigint {
    if (!this.isInteger()) throw new RangeError(`${this.text} is not an integer`);
    const { negative, digits, exponent } = this.decimal;
    if (digits === '') return 0n;
    const magnitude = BigInt(digits) * 10n ** BigInt(exponent);
    return negative ? -magnitude : magnitude;
  }

  /** How the number goes back onto the msgpack wire, mirroring cty's own marshaller. */
  toWire(): NumberWireForm {
    if (this.float64 !== undefined) {
      // A float that holds an integer is sent as an integer, as cty does.
      if (!Number.isInteger(this.float64) || Math.abs(this.float64) >= 2 ** 63) return this.float64;
    }
    if (this.isInteger() && this.decimal.exponent <= MAX_INTEGER_EXPONENT) {
      const big = this.toBigInt();
      if (big >= INT64_MIN && big <= UINT64_MAX) {
        return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
    }
    if (this.float64 !== undefined) return this.float64;
    return this.toString();
  }

  /** Numeric equality, independent of spelling ("1.50" equals "1.5" equals 1.5). */
  equals(other: CtyNumber | number | bigint | string): boolean {
    const o = CtyNumber.from(other).decimal;
    const d = this.decimal;
    return d.negative === o.negative && d.digits === o.digits && d.exponent === o.exponent;
  }

  toString(): string {
    return this.float64 !== undefined ? String(this.float64) : this.text.trim();
  }

  /** Plain decimal literal, valid JSON and HCL ("+.50" -> "0.5", "1e3" -> "1000"). */
  toDecimalString(): string {
    if (this.float64 !== undefined) return String(this.float64);
    const { negative, digits, exponent } = this.decimal;
    if (digits === '') return '0';
    if (exponent > MAX_INTEGER_EXPONENT * 10 || exponent < -MAX_INTEGER_EXPONENT * 10) {
      return `${negative ? '-' : ''}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exponent + digits.length - 1}`;
    }
    let body: string;
    if (exponent >= 0) body = digits + '0'.repeat(exponent);
    else if (-exponent < digits.length) body = `${digits.slice(0, digits.length + exponent)}.${digits.slice(digits.length + exponent)}`;
    else body = `0.${'0'.repeat(-exponent - digits.length)}${digits}`;
    return negative ? `-${body}` : body;
  }

  /** JSON.stringify support: a JSON number when exact as a JS number, else the decimal string. */
  toJSON(): number | string {
    const n = this.toNumber();
    // The number must print back as the same decimal, not merely parse to the same double.
    return CtyNumber.from(String(n)).equals(this) ? n : this.toString();
  }

  /** Stable key for set membership and sorting. */
  canonicalKey(): string {
    const { negative, digits, exponent } = this.decimal;
    return digits === '' ? '0' : `${negative ? '-' : ''}${digits}e${exponent}`;
  }
}
