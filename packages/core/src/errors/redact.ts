/** Header names whose values are credentials and must never be logged or kept on an error. */
const secretHeaderNames = new Set([
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'cookie',
  'set-cookie',
]);

/** A copy of `headers` without credential-bearing headers (matched case-insensitively). */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!secretHeaderNames.has(name.toLowerCase())) result[name] = value;
  }
  return result;
}

/**
 * Replaces every occurrence of each secret in `text` with `[REDACTED]`. Adapters pass the API
 * key through this before putting any provider text (an error body, a message) on an error.
 * Secrets shorter than 4 characters are ignored: replacing them would shred ordinary text.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4)
      result = result.split(secret).join('[REDACTED]');
  }
  return result;
}
