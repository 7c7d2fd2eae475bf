import { decode as genericDecode } from '@msgpack/msgpack';
import {
  CtyDynamic,
  CtyNumber,
  CtyPathError,
  decodeJson,
  decodeMsgpack,
  encodeJson,
  encodeMsgpack,
  isUnknown,
  JsonSyntaxError,
  parseJsonLossless,
  typeFromJson,
  typeToJson,
  types,
  Unknown,
  UNKNOWN,
  valuesEqual,
} from '../../provider/cty';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');

describe('cty types as JSON', () => {
  test('primitive types are quoted JSON strings', () => {
    expect(typeToJson(types.string)).toBe('"string"');
    expect(typeToJson(types.number)).toBe('"number"');
    expect(typeToJson(types.dynamic)).toBe('"dynamic"');
  });

  test('collection and structural types use cty array forms with sorted attributes', () => {
    expect(typeToJson(types.list(types.string))).toBe('["list","string"]');
    expect(typeToJson(types.map(types.set(types.bool)))).toBe('["map",["set","bool"]]');
    expect(typeToJson(types.object({ z: types.number, a: types.string }))).toBe('["object",{"a":"string","z":"number"}]');
    expect(typeToJson(types.tuple([types.string, types.number]))).toBe('["tuple",["string","number"]]');
  });

  test('parses what it writes, including optional attribute markers', () => {
    const t = types.object({ a: types.list(types.object({ b: types.number })), c: types.string }, ['c']);
    expect(typeFromJson(typeToJson(t))).toEqual(t);
    expect(() => typeFromJson('["list"]')).toThrow(/unsupported type/);
  });
});

describe('msgpack encoding', () => {
  const thing = types.object({
    name: types.string,
    count: types.number,
    enabled: types.bool,
    tags: types.map(types.string),
    labels: types.set(types.string),
    routes: types.list(types.object({ prefix: types.string, next_hop: types.string })),
  });

  test('a nested object is a msgpack map of every attribute; sets and lists are arrays, maps are maps', () => {
    const value = {
      name: 'zone-a',
      count: 3,
      enabled: true,
      tags: { env: 'prod' },
      labels: ['a'],
      routes: [{ prefix: '10.0.0.0/24', next_hop: '10.0.0.1' }],
    };
    expect(genericDecode(encodeMsgpack(value, thing))).toEqual({
      count: 3,
      enabled: true,
      labels: ['a'],
      name: 'zone-a',
      routes: [{ next_hop: '10.0.0.1', prefix: '10.0.0.0/24' }],
      tags: { env: 'prod' },
    });
    // Attributes left out are sent as nil: Terraform wants every attribute of the type.
    expect(genericDecode(encodeMsgpack({ name: 'n' }, thing))).toEqual({ count: null, enabled: null, labels: null, name: 'n', routes: null, tags: null });
    expect(() => encodeMsgpack({ name: 'n', colour: 'red' }, thing)).toThrow(/unsupported attribute "colour"/);
  });

  test('attribute names and map keys are written in sorted order, integer-like keys included', () => {
    const obj = types.object({ b: types.string, a: types.number, '10': types.bool, '9': types.bool });
    // 84 | "10" nil | "9" nil | "a" 1 | "b" "x"
    expect(hex(encodeMsgpack({ b: 'x', a: 1 }, obj))).toBe('84a23130c0a139c0a16101a162a178');
    expect(hex(encodeMsgpack({ z: 'x', '2': 'y', '10': 'w' }, types.map(types.string)))).toBe('83a23130a177a132a179a17aa178');
  });

  test('a map key "__proto__" is written; reading one is refused with an error (msgpack library guard)', () => {
    const map = types.map(types.string);
    const bytes = encodeMsgpack(JSON.parse('{"__proto__":"x"}'), map);
    expect(hex(bytes)).toBe('81a95f5f70726f746f5f5fa178');
    expect(() => decodeMsgpack(bytes, map)).toThrow(CtyPathError);
    expect(() => decodeMsgpack(bytes, map)).toThrow(/__proto__ is not allowed/);
  });

  test('malformed msgpack and mismatched types are path errors, not crashes', () => {
    expect(() => decodeMsgpack(fromHex('cd 12'), types.number)).toThrow(CtyPathError); // truncated
    expect(() => decodeMsgpack(fromHex('01 ff'), types.number)).toThrow(/malformed msgpack/); // trailing bytes
    expect(() => decodeMsgpack(fromHex('c1'), types.number)).toThrow(/malformed msgpack/); // never used
    expect(() => decodeMsgpack(fromHex('81 01 a1 61'), types.map(types.string))).toThrow(/map keys must be strings/);
    const obj = types.object({ on: types.bool, tags: types.list(types.string) });
    expect(() => decodeMsgpack(fromHex('81 a2 6f 6e 01'), obj)).toThrow(expect.objectContaining({ path: [{ attribute: 'on' }], message: expect.stringMatching(/bool required, got msgpack int/) }));
    expect(() => decodeMsgpack(fromHex('81 a4 74 61 67 73 91 cb 3f f8 00 00 00 00 00 00'), obj)).toThrow(/string required, got msgpack float/);
    expect(() => decodeMsgpack(fromHex('81 a4 74 61 67 73 a1 61'), obj)).toThrow(/list required, got msgpack str/);
    expect(() => decodeMsgpack(fromHex('81 a1 78 c0'), obj)).toThrow(/unsupported attribute/);
    expect(() => decodeMsgpack(fromHex('c4 01 00'), types.number)).toThrow(/number required, got msgpack bin/);
  });

  test('round-trips nested objects, nulls and unknowns', () => {
    const value = {
      name: 'n',
      count: UNKNOWN,
      enabled: null,
      tags: null,
      labels: [UNKNOWN],
      routes: [{ prefix: 'p', next_hop: UNKNOWN }],
    };
    const decoded = decodeMsgpack(encodeMsgpack(value, thing), thing) as Record<string, unknown>;
    expect(decoded.name).toBe('n');
    expect(isUnknown(decoded.count)).toBe(true);
    expect(decoded.enabled).toBeNull();
    expect(decoded.tags).toBeNull();
    expect(isUnknown((decoded.labels as unknown[])[0])).toBe(true);
    expect(isUnknown((decoded.routes as Record<string, unknown>[])[0].next_hop)).toBe(true);
  });

  test('null is c0 and an unknown is the fixext1 d4 00 00', () => {
    expect(hex(encodeMsgpack(null, thing))).toBe('c0');
    expect(hex(encodeMsgpack(UNKNOWN, types.string))).toBe('d40000');
    expect(decodeMsgpack(fromHex('c0'), thing)).toBeNull();
    expect(decodeMsgpack(fromHex('d40000'), thing)).toBeInstanceOf(Unknown);
  });

  test('decodes refined unknowns (ext 0x0c) with their refinements', () => {
    // ext8 len 7 type 0x0c: { 1: false (not null), 2: "x-" (string prefix) }
    const refined = fromHex('c7 07 0c 82 01 c2 02 a2 78 2d');
    const value = decodeMsgpack(refined, types.string) as Unknown;
    expect(value).toBeInstanceOf(Unknown);
    expect(value.refinement).toEqual({ notNull: true, stringPrefix: 'x-' });
    // Inside an object, and encoded back as a plain unknown.
    const obj = types.object({ id: types.string });
    const decoded = decodeMsgpack(Buffer.concat([fromHex('81 a2 69 64'), refined]), obj);
    expect(isUnknown((decoded as Record<string, unknown>).id)).toBe(true);
    expect(hex(encodeMsgpack(decoded, obj))).toBe(hex(fromHex('81 a2 69 64 d4 00 00')));
  });

  test('numeric bounds and length refinements are decoded', () => {
    // { 3: [0, true], 4: ["0.5", false] }
    const n = decodeMsgpack(fromHex('c7 0c 0c 82 03 92 00 c3 04 92 a3 30 2e 35 c2'), types.number) as Unknown;
    expect(n.refinement?.numberLowerBound?.value.equals(0)).toBe(true);
    expect(n.refinement?.numberLowerBound?.inclusive).toBe(true);
    expect(n.refinement?.numberUpperBound?.value.toString()).toBe('0.5');
    const l = decodeMsgpack(fromHex('c7 05 0c 82 05 01 06 03'), types.list(types.string)) as Unknown;
    expect(l.refinement).toEqual({ lengthLowerBound: 1, lengthUpperBound: 3 });
    // Bounds keep exact values whatever form they came in: uint64 2^53+1, float64 1.5.
    const exact = decodeMsgpack(fromHex('c7 19 0c 82 03 92 cf 00 20 00 00 00 00 00 01 c3 04 92 cb 3f f8 00 00 00 00 00 00 c2'), types.number) as Unknown;
    expect(exact.refinement?.numberLowerBound?.value.toBigInt()).toBe(2n ** 53n + 1n);
    expect(exact.refinement?.numberUpperBound?.value.equals(1.5)).toBe(true);
  });

  test('other extensions: one-byte ones are plain unknowns, longer ones of other types are refused', () => {
    expect(decodeMsgpack(fromHex('d4 05 00'), types.string)).toBeInstanceOf(Unknown);
    expect(decodeMsgpack(fromHex('c7 00 00'), types.string)).toBeInstanceOf(Unknown); // ext8 of length 0
    expect(() => decodeMsgpack(fromHex('c7 03 05 81 01 c2'), types.string)).toThrow(/unsupported msgpack extension type 0x5/);
    // A refined unknown of dynamic type is just unknown (its type is not known either).
    const dyn = decodeMsgpack(fromHex('c7 03 0c 81 01 c2'), types.dynamic) as Unknown;
    expect(dyn).toBeInstanceOf(Unknown);
    expect(dyn.refinement).toBeUndefined();
  });
});

describe('lossless numbers', () => {
  const cases: [string, string][] = [
    ['decimal sent as a string ("0.1")', 'a3 30 2e 31'],
    ['2^53+1 as uint64', 'cf 00 20 00 00 00 00 00 01'],
    ['-2^63 as int64', 'd3 80 00 00 00 00 00 00 00'],
    ['float64 1.5', 'cb 3f f8 00 00 00 00 00 00'],
    ['float64 0.30000000000000004', 'cb 3f d3 33 33 33 33 33 34'],
    ['positive fixint', '2a'],
    ['negative fixint', 'fb'],
    ['uint16', 'cd 12 34'],
    ['uint32', 'ce ff ff ff ff'],
    ['int32', 'd2 80 00 00 00'],
    ['uint64 2^40 (a safe integer beyond 32 bits)', 'cf 00 00 01 00 00 00 00 00'],
    ['int64 -2^31-1', 'd3 ff ff ff ff 7f ff ff ff'],
    ['float64 2^64 (an integer beyond 64 bits)', 'cb 43 f0 00 00 00 00 00 00'],
    ['huge integer as a string', 'b8 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38 39 30 31 32 33 34'],
  ];
  test.each(cases)('%s goes back out in the same wire form', (_name, wire) => {
    const value = decodeMsgpack(fromHex(wire), types.number);
    expect(value).toBeInstanceOf(CtyNumber);
    expect(hex(encodeMsgpack(value, types.number))).toBe(hex(fromHex(wire)));
  });

  test('other number forms keep their value: a float64 or uint64 holding a small integer, float32', () => {
    const forms: [string, string][] = [
      ['cb 3f f0 00 00 00 00 00 00', '01'], // 1.0 as float64 -> int 1, as cty itself would send it
      ['cf 00 00 00 00 00 00 00 05', '05'],
      ['d3 ff ff ff ff ff ff ff fb', 'fb'],
      ['ca 3f c0 00 00', 'cb3ff8000000000000'], // float32 1.5 -> float64 1.5
    ];
    for (const [wire, out] of forms) expect(hex(encodeMsgpack(decodeMsgpack(fromHex(wire), types.number), types.number))).toBe(out);
  });

  test('integers beyond 32 bits go out as uint64 / int64, the way Go writes them, not as float64', () => {
    expect(hex(encodeMsgpack(2 ** 32, types.number))).toBe('cf0000000100000000');
    expect(hex(encodeMsgpack(2 ** 40, types.number))).toBe('cf0000010000000000');
    expect(hex(encodeMsgpack(-(2 ** 40), types.number))).toBe('d3ffffff0000000000');
    expect(hex(encodeMsgpack(Number.MAX_SAFE_INTEGER, types.number))).toBe('cf001fffffffffffff');
    expect(hex(encodeMsgpack(-(2n ** 63n), types.number))).toBe('d38000000000000000');
    expect(hex(encodeMsgpack(2n ** 64n - 1n, types.number))).toBe('cfffffffffffffffff');
    expect(hex(encodeMsgpack(2n ** 64n, types.number))).toBe(hex(Buffer.concat([fromHex('b4'), Buffer.from('18446744073709551616')]))); // beyond 64 bits: decimal text
  });

  test('keeps exact values', () => {
    const big = decodeMsgpack(fromHex('cf 00 20 00 00 00 00 00 01'), types.number) as CtyNumber;
    expect(big.toBigInt()).toBe(2n ** 53n + 1n);
    expect(big.toString()).toBe('9007199254740993');
    const tenth = decodeMsgpack(fromHex('a3 30 2e 31'), types.number) as CtyNumber;
    expect(tenth.toString()).toBe('0.1');
    expect(tenth.isInteger()).toBe(false);
  });

  test('numbers created by resource code are encoded the way Terraform would read the same literal', () => {
    expect(hex(encodeMsgpack(0.1, types.number))).toBe('a3302e31'); // "0.1", not the float64 nearest to it
    expect(hex(encodeMsgpack(1500, types.number))).toBe('cd05dc');
    expect(hex(encodeMsgpack(2n ** 53n + 1n, types.number))).toBe('cf0020000000000001');
    expect(hex(encodeMsgpack('12', types.number))).toBe('0c');
    expect(() => encodeMsgpack('twelve', types.number)).toThrow(/not a decimal number/);
  });

  test('compares by value, not spelling', () => {
    expect(CtyNumber.from('1.50').equals(1.5)).toBe(true);
    expect(CtyNumber.from('1e3').equals(1000)).toBe(true);
    expect(CtyNumber.from('-0').equals(0)).toBe(true);
    expect(CtyNumber.from('0.1').equals('0.10000000000000001')).toBe(false);
    expect(CtyNumber.from('+.50').toDecimalString()).toBe('0.5');
    expect(CtyNumber.from('1.2e-3').toDecimalString()).toBe('0.0012');
    expect(JSON.stringify({ n: CtyNumber.from('0.1'), big: CtyNumber.from(2n ** 60n) })).toBe('{"n":0.1,"big":"1152921504606846976"}');
  });
});

describe('sets', () => {
  const set = types.set(types.string);

  test('encoding drops duplicates and is independent of element order', () => {
    expect(hex(encodeMsgpack(['b', 'a', 'b'], set))).toBe(hex(encodeMsgpack(['a', 'b'], set)));
    expect((decodeMsgpack(encodeMsgpack(['b', 'a', 'b'], set), set) as string[]).length).toBe(2);
  });

  test('equality ignores order; lists do not', () => {
    expect(valuesEqual(['x', 'y'], ['y', 'x'], set)).toBe(true);
    expect(valuesEqual(['x', 'y'], ['y', 'x'], types.list(types.string))).toBe(false);
    expect(valuesEqual(['x'], ['x', 'z'], set)).toBe(false);
    expect(valuesEqual([{ a: 1 }], [{ a: CtyNumber.from('1.0') }], types.set(types.object({ a: types.number })))).toBe(true);
  });

  test('unknown never equals anything', () => {
    expect(valuesEqual(UNKNOWN, UNKNOWN, types.string)).toBe(false);
    expect(valuesEqual(null, undefined, types.string)).toBe(true);
  });
});

describe('dynamic values', () => {
  test('are [type JSON as bin, value] on the wire', () => {
    const bytes = encodeMsgpack(new CtyDynamic(types.list(types.string), ['a']), types.dynamic);
    expect(hex(bytes)).toBe(hex(Buffer.concat([fromHex('92 c4 11'), Buffer.from('["list","string"]'), fromHex('91 a1 61')])));
    const decoded = decodeMsgpack(bytes, types.dynamic) as CtyDynamic;
    expect(decoded.type).toEqual(types.list(types.string));
    expect(decoded.value).toEqual(['a']);
  });

  test('plain JS values get an inferred type', () => {
    const decoded = decodeMsgpack(encodeMsgpack({ a: 'x', n: 1 }, types.dynamic), types.dynamic) as CtyDynamic;
    expect(decoded.type).toEqual(types.object({ a: types.string, n: types.number }));
  });
});

describe('JSON state', () => {
  const state = types.object({ id: types.string, size: types.number, big: types.number, tags: types.map(types.string), any: types.dynamic });

  test('decodes numbers losslessly', () => {
    const decoded = decodeJson('{"id":"a","size":0.1,"big":9007199254740993,"tags":{"k":"v"},"any":{"value":["x"],"type":["list","string"]}}', state);
    const value = decoded as Record<string, unknown>;
    expect((value.size as CtyNumber).toString()).toBe('0.1');
    expect((value.big as CtyNumber).toBigInt()).toBe(9007199254740993n);
    expect((value.any as CtyDynamic).value).toEqual(['x']);
    // ...and the msgpack sent back carries the exact values.
    const wire = encodeMsgpack(decoded, state);
    const again = decodeMsgpack(wire, state) as Record<string, unknown>;
    expect((again.big as CtyNumber).toBigInt()).toBe(9007199254740993n);
  });

  test('fills missing attributes with null and can drop removed ones', () => {
    expect(() => decodeJson('{"id":"a","gone":1}', state)).toThrow(/unsupported attribute "gone"/);
    const value = decodeJson('{"id":"a","gone":1}', state, { dropUnknownAttributes: true }) as Record<string, unknown>;
    expect(value).toEqual({ id: 'a', size: null, big: null, tags: null, any: null });
  });

  test('encodeJson writes exact decimals and round-trips', () => {
    const value = decodeJson('{"id":"a","size":1e-7,"big":123456789012345678901234567890,"tags":null,"any":null}', state);
    const text = encodeJson(value, state);
    expect(text).toBe('{"any":null,"big":123456789012345678901234567890,"id":"a","size":0.0000001,"tags":null}');
    expect(valuesEqual(decodeJson(text, state), value, state)).toBe(true);
  });

  test('the lossless parser handles escapes and rejects garbage', () => {
    expect(parseJsonLossless('{"a":"q\\"uote\\u00e9","b":[true,false,null]}')).toEqual({ a: 'q"uoteé', b: [true, false, null] });
    expect(() => parseJsonLossless('{"a":1,}')).toThrow();
    expect(() => parseJsonLossless('[1] x')).toThrow(/Expected end of input but got 'x'/);
    expect(() => parseJsonLossless('[1] x')).toThrow(JsonSyntaxError);
  });
});
