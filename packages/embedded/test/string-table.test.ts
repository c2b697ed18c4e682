import { describe, expect, test } from 'vitest';
import { decodeJsonArray, encodeJsonArray } from '../src/json-array.js';
import { decodeStrings, encodeStrings } from '../src/string-table.js';

const strings = [
  'plain',
  '',
  'Phí trả nợ trước hạn',
  '\uFEFFstarts with a byte-order mark',
  '🏦 emoji 𝄞 astral',
  '',
  'a'.repeat(40),
  'đ',
];

/** The bytes format version 1 has always stored: the UTF-8 of the strings joined. */
const joinedBytes = (values: readonly string[]) => new TextEncoder().encode(values.join(''));

describe('string tables (texts and ids of an index)', () => {
  test('encoded in small pieces, the blob equals the UTF-8 of the joined strings (format v1)', () => {
    for (const chunkUnits of [1, 3, 16, 1 << 24]) {
      const { blob, ends } = encodeStrings(strings, chunkUnits);
      expect(blob).toEqual(joinedBytes(strings));
      expect([...ends]).toEqual([5, 5, 25, 55, 73, 73, 113, 114]);
    }
  });

  test('decoded in pieces that cut multi-byte characters, every string comes back', () => {
    const { blob, ends } = encodeStrings(strings);
    for (const chunkBytes of [1, 2, 3, 5, 7, 64, 1 << 24]) {
      expect(decodeStrings(blob, ends, chunkBytes)).toEqual(strings);
    }
  });

  test('an empty table and a table of empty strings round-trip', () => {
    const empty = encodeStrings([]);
    expect(decodeStrings(empty.blob, empty.ends)).toEqual([]);
    const blanks = encodeStrings(['', '', '']);
    expect(decodeStrings(blanks.blob, blanks.ends, 2)).toEqual(['', '', '']);
  });

  test('offsets that do not match the text are refused', () => {
    const { blob } = encodeStrings(['abc', 'def']);
    expect(() => decodeStrings(blob, Uint32Array.of(3, 5), 2)).toThrow(RangeError);
    expect(() => decodeStrings(blob, Uint32Array.of(3, 7), 2)).toThrow(RangeError);
    expect(() => decodeStrings(blob, Uint32Array.of(4, 2, 6), 2)).toThrow(RangeError);
  });

  test('bytes that are not UTF-8 are refused', () => {
    expect(() => decodeStrings(Uint8Array.of(0x61, 0xff, 0x62), Uint32Array.of(3), 1)).toThrow(
      TypeError,
    );
  });
});

describe('metadata as a JSON array', () => {
  const values = [
    null,
    { tags: ['a,b', '[c]', '{"d": "e"}'], quoted: 'say "hi" \\ then', n: 1.5 },
    { nested: ['x'], flag: true },
    null,
    { text: 'Lãi suất 🏦, ]}' },
  ];

  test('encoded in small pieces, the bytes equal one JSON.stringify (format v1)', () => {
    const expected = new TextEncoder().encode(JSON.stringify(values));
    for (const chunkUnits of [1, 10, 1 << 24]) {
      expect(encodeJsonArray(values, chunkUnits)).toEqual(expected);
    }
    expect(encodeJsonArray([], 1)).toEqual(new TextEncoder().encode('[]'));
  });

  test('decoded in pieces cut at top-level commas only, the values come back', () => {
    const bytes = encodeJsonArray(values);
    for (const chunkBytes of [1, 4, 20, 1 << 24]) {
      expect(decodeJsonArray(bytes, chunkBytes)).toEqual(values);
    }
    expect(decodeJsonArray(encodeJsonArray([]), 1)).toEqual([]);
  });

  test('bytes that are not one JSON array are refused', () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(() => decodeJsonArray(encode('{"a": 1}'), 2)).toThrow(SyntaxError);
    expect(() => decodeJsonArray(encode('[1, 2'), 2)).toThrow(SyntaxError);
    expect(() => decodeJsonArray(encode('[1, 2] 3'), 2)).toThrow(SyntaxError);
    expect(() => decodeJsonArray(encode('{"a": 1}'))).toThrow(SyntaxError);
  });
});
