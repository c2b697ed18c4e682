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

  test('reads the obsolete RFC 850 and asctime date forms, asctime as GMT whatever the local zone', () => {
    expect(parseRetryAfter({ 'retry-after': 'Thursday, 15-Jan-26 12:00:05 GMT' }, now)).toBe(5000);
    const zone = process.env.TZ;
    // Date.parse reads a zoneless date in local time; asctime dates mean GMT (RFC 9110 §5.6.7).
    process.env.TZ = 'America/New_York';
    try {
      expect(parseRetryAfter({ 'retry-after': 'Thu Jan 15 12:00:05 2026' }, now)).toBe(5000);
      expect(parseRetryAfter({ 'retry-after': 'Thu Jan  1 00:00:00 2026' }, now)).toBe(0);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test('reads a fractional retry-after-ms and does not cap a long wait (the retry loop does)', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '0.5' })).toBe(0.5);
    expect(parseRetryAfter({ 'retry-after-ms': '1500.25' })).toBe(1500.25);
    expect(parseRetryAfter({ 'retry-after': '86400' })).toBe(86_400_000);
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

  // 'Jan 2', 'x 5' and the like are no HTTP dates, though Date.parse reads them (as past dates,
  // which would mean "retry now").
  test.each(['', 'soon', '-1', '0x10', '1e3', 'NaN', 'Infinity', 'Jan 2', 'x 5', 'May 2026', '.5'])(
    'ignores the unusable value %j',
    (value) => {
      expect(parseRetryAfter({ 'retry-after': value }, now)).toBeUndefined();
    },
  );

  test('ignores an undefined value in a record', () => {
    expect(parseRetryAfter({ 'retry-after': undefined })).toBeUndefined();
  });
});
