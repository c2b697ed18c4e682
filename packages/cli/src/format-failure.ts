import {
  ApiCallError,
  MissingSettingError,
  ModelNotFoundError,
  ProviderNotFoundError,
  redactSecrets,
  TwostageError,
} from '@twostage/core';
import { CliError } from './cli-error.js';

/**
 * The one or two lines a failure prints: `twostage: <what went wrong>` and, where one is known,
 * `  → <what to do>`. With `debug`, the stack and the chain of causes follow. Secrets never
 * appear: provider text is redacted by core already, and messages pass `redactSecrets` again
 * with every secret the environment holds.
 */
export function formatFailure(error: unknown, debug: boolean, secrets: readonly string[]): string {
  const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  const hint = hintFor(error);
  let text = `twostage: ${message}\n`;
  if (hint !== undefined) text += `  → ${hint}\n`;
  if (debug) {
    let current: unknown = error;
    while (current instanceof Error) {
      text += `${redactSecrets(current.stack ?? String(current), secrets)}\n`;
      current = current.cause;
      if (current !== undefined) text += 'caused by: ';
    }
  } else if (!(error instanceof CliError) && !TwostageError.isInstance(error)) {
    text += '  (an unexpected error: run again with --debug for the stack trace)\n';
  }
  return text;
}

function hintFor(error: unknown): string | undefined {
  if (error instanceof CliError) return error.hint;
  if (MissingSettingError.isInstance(error)) {
    return 'Set the option or the environment variable the message names, then run again.';
  }
  if (ProviderNotFoundError.isInstance(error)) {
    return 'Install the package the message names, or use another provider reference.';
  }
  if (ModelNotFoundError.isInstance(error)) {
    return "Check the model id; 'twostage models list' shows the models in the local cache.";
  }
  if (ApiCallError.isInstance(error)) {
    return error.isRetryable
      ? 'The service is unavailable or rate-limited right now; try again later.'
      : 'The service refused the request; check the key, the model id and the inputs.';
  }
  return undefined;
}

/** The values of environment variables that hold credentials (`*_API_KEY`, `*_TOKEN(S)`). */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !/(_API_KEY|_TOKENS?|_SECRET|_PASSWORD)$/i.test(name)) continue;
    // TWOSTAGE_SERVER_TOKENS holds several, comma-separated.
    for (const part of value.split(',')) if (part.trim() !== '') secrets.push(part.trim());
  }
  return secrets;
}
