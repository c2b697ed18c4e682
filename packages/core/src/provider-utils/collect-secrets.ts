/** Request headers whose values are credentials. */
const credentialHeader = /^(authorization|proxy-authorization|api-key|x-api-key|cookie)$/i;

/** Query parameters that carry credentials (`?key=`, `?api_key=`, `?access_token=`, `?sig=`). */
const credentialParameter = /key|token|secret|passw|auth|sig|session|credential/i;

/**
 * Every value of one request that must never appear in an error: the caller's secrets (the API
 * key), credential headers (with and without their `Bearer ` / `Basic ` scheme), the user info
 * of the URL and credential-looking query parameters (raw and percent-decoded, since `fetch`
 * and servers may quote either form).
 */
export function collectSecrets(
  url: string,
  headers: Headers,
  secrets: readonly (string | undefined)[] | undefined,
): string[] {
  const result: string[] = [];
  for (const secret of secrets ?? []) if (secret !== undefined) result.push(secret);
  headers.forEach((value, name) => {
    if (credentialHeader.test(name)) result.push(value, value.replace(/^(bearer|basic)\s+/i, ''));
  });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return result;
  }
  const parts = [parsed.username, parsed.password];
  for (const [name, value] of parsed.searchParams) {
    if (credentialParameter.test(name)) parts.push(value, encodeURIComponent(value));
  }
  for (const part of parts) {
    if (part === '') continue;
    result.push(part);
    try {
      result.push(decodeURIComponent(part));
    } catch {
      // Not valid percent-encoding: the raw form is all there is.
    }
  }
  return result;
}

/**
 * The URL as errors show it: without user info (`http://user:password@proxy`), every secret
 * replaced. A URL the WHATWG parser refuses is shown as given, redacted.
 */
export function publicUrl(url: string, redact: (text: string) => string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = '';
      parsed.password = '';
      return redact(parsed.href);
    }
  } catch {
    // Reported as given; fetch fails on it and says why.
  }
  return redact(url);
}
