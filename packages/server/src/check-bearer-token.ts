import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks an `Authorization` header against the accepted tokens in constant time: both sides are
 * hashed to the same length first, and every token is compared (no early exit), so neither the
 * token's length nor which token matched leaks through timing.
 */
export function createBearerCheck(
  tokens: readonly string[],
): (header: string | undefined) => boolean {
  const digests = tokens.map((token) => createHash('sha256').update(token).digest());
  return (header) => {
    if (header === undefined) return false;
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match === null) return false;
    const presented = createHash('sha256')
      .update(match[1] ?? '')
      .digest();
    let accepted = false;
    for (const digest of digests) {
      // Bitwise OR keeps every comparison running even after a match.
      accepted = timingSafeEqual(digest, presented) || accepted;
    }
    return accepted;
  };
}

/**
 * Parses `TWOSTAGE_SERVER_TOKENS`: tokens separated by commas or whitespace, empty ones dropped.
 */
export function parseServerTokens(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(/[\s,]+/)
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
}
