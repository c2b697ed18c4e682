/**
 * Reads how long a server asked the client to wait before retrying, in milliseconds.
 *
 * Honours `retry-after-ms` (milliseconds, a non-standard header sent by some APIs, checked first
 * because it is the more precise) and `retry-after` as delay-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Header names are matched case-insensitively. A date in the past gives 0.
 * Returns `undefined` when neither header holds a usable value. Adapters use this to fill
 * `ApiCallError.retryAfterMs`; capping the wait is the retry loop's job, not this parser's.
 *
 * @param headers - response headers, as a `Headers` object or a plain record
 * @param now - the current time in epoch milliseconds, for HTTP dates
 * @default now `Date.now()`
 */
export function parseRetryAfter(
  headers: Headers | Record<string, string | undefined> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;

  const retryAfterMs = readHeader(headers, 'retry-after-ms');
  if (retryAfterMs !== undefined) {
    const milliseconds = parseNonNegativeNumber(retryAfterMs);
    if (milliseconds !== undefined) return milliseconds;
  }

  const retryAfter = readHeader(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  const seconds = parseNonNegativeNumber(retryAfter);
  if (seconds !== undefined) return seconds * 1000;
  // An HTTP date always names its month; this keeps Date.parse from reading '-1' as a year.
  if (!/[a-z]/i.test(retryAfter)) return undefined;
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Non-negative decimal numbers only: `Number('')` is 0 and `Number('0x10')` is 16, both wrong here. */
const decimalPattern = /^\d+(\.\d+)?$/;

function parseNonNegativeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return decimalPattern.test(trimmed) ? Number(trimmed) : undefined;
}

function readHeader(
  headers: Headers | Record<string, string | undefined>,
  name: string,
): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | undefined>;
  const exact = record[name];
  if (exact !== undefined) return exact;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === name) return record[key];
  }
  return undefined;
}
