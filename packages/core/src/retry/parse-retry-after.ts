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
  const date = parseHttpDate(retryAfter);
  if (date === undefined) return undefined;
  return Math.max(0, date - now);
}

/** IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and the obsolete RFC 850 form: both say GMT. */
const zonedHttpDatePattern =
  /^[a-z]{3,9},\s+\d{1,2}[\s-][a-z]{3}[\s-]\d{2,4}\s+\d{2}:\d{2}:\d{2}\s+(?:GMT|UTC)$/i;

/** The obsolete asctime form (`Sun Nov  6 08:49:37 1994`): no zone, but it means GMT. */
const asctimePattern = /^[a-z]{3}\s+[a-z]{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+\d{4}$/i;

/**
 * Reads the three HTTP-date forms of RFC 9110 §5.6.7, in epoch milliseconds. Anything else is
 * `undefined`: `Date.parse` alone is lenient (it reads `Jan 2` as a date in 2001, which would
 * mean "retry now") and reads an asctime date in the machine's local zone.
 */
function parseHttpDate(text: string): number | undefined {
  const trimmed = text.trim();
  let date = Number.NaN;
  if (zonedHttpDatePattern.test(trimmed)) date = Date.parse(trimmed);
  else if (asctimePattern.test(trimmed)) date = Date.parse(`${trimmed} GMT`);
  return Number.isNaN(date) ? undefined : date;
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
