/**
 * A redacted copy of an error chain: plain `Error`s with the original names, messages, stacks
 * and system `code`s, secrets replaced, nothing else kept (a vendor error may hold the raw
 * request, headers included).
 */
export function redactErrorChain(
  cause: unknown,
  redact: (text: string) => string,
  depth = 0,
): unknown {
  if (depth > 5 || cause === undefined || cause === null) return undefined;
  if (typeof cause === 'string') return redact(cause);
  if (!(cause instanceof Error)) return undefined;
  const inner = redactErrorChain(cause.cause, redact, depth + 1);
  const copy = new Error(redact(cause.message), inner === undefined ? undefined : { cause: inner });
  copy.name = cause.name;
  if (cause.stack !== undefined) copy.stack = redact(cause.stack);
  const code = errorCodeOf(cause);
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}

/**
 * `fetch failed: connect ECONNREFUSED 127.0.0.1:1234`: the messages along the cause chain, then
 * the system code when no message names it. undici says only "fetch failed"; the reason is in
 * its causes.
 */
export function describeErrorChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const message = errorMessageOf(current);
    if (message !== '' && !parts.includes(message)) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  const code = errorCodeOf(error);
  if (code !== undefined && !parts.some((part) => part.includes(code))) parts.push(code);
  return parts.join(': ');
}

function errorMessageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}

/** The system error code (`ECONNRESET`, `UND_ERR_SOCKET`...) of an error or its causes. */
function errorCodeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return errorCodeOf((error as { cause?: unknown }).cause, depth + 1);
}
