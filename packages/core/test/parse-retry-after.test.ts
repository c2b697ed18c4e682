import { describe, expect, test } from 'vitest';
import { parseRetryAfter } from '../src/retry/parse-retry-after.js';

const now = Date.parse('2026-01-15T12:00:00Z');

describe('parseRetryAfter', () => {
  test('no headers, or neither header, gives undefined', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
    expect(parseRetryAfter({ 'content-type': 'application/json' })).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });

  test('reads retry-after as seconds', () => {
    expect(parseRetryAfter({ 'retry-after': '3' })).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': '0' })).toBe(0);
    expect(parseRetryAfter({ 'retry-after': ' 1.5 ' })).toBe(1500);
  });

  test('reads retry-after-ms as milliseconds, before retry-after', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250' })).toBe(250);
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
  });

  test('falls back to retry-after when retry-after-ms is unusable', () => {
    expect(parseRetryAfter({ 'retry-after-ms': 'soon', 'retry-after': '2' })).toBe(2000);
  });

  test('reads retry-after as an HTTP date', () => {
    expect(parseRetryAfter({ 'retry-after': 'Thu, 15 Jan 2026 12:00:05 GMT' }, now)).toBe(5000);
  });

  test('an HTTP date in the past gives 0', () => {
    expect(parseRetryAfter({ 'retry-after': 'Thu, 15 Jan 2026 11:59:00 GMT' }, now)).toBe(0);
  });

  test('matches header names case-insensitively in a record', () => {
    expect(parseRetryAfter({ 'Retry-After': '4' })).toBe(4000);
    expect(parseRetryAfter({ 'RETRY-AFTER-MS': '40' })).toBe(40);
  });

  test('reads a Headers object', () => {
    expect(parseRetryAfter(new Headers({ 'Retry-After': '2' }))).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '15' }))).toBe(15);
  });

  test.each(['', 'soon', '-1', '0x10', '1e3', 'NaN', 'Infinity'])(
    'ignores the unusable value %j',
    (value) => {
      expect(parseRetryAfter({ 'retry-after': value }, now)).toBeUndefined();
    },
  );

  test('ignores an undefined value in a record', () => {
    expect(parseRetryAfter({ 'retry-after': undefined })).toBeUndefined();
  });
});
