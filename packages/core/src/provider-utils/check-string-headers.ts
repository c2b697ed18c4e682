import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/**
 * Checks a provider's extra request headers: a plain object whose values are all strings.
 *
 * @returns a copy, so a later change to the caller's object does not reach the requests
 * @throws InvalidArgumentError naming `argument` otherwise
 */
export function checkStringHeaders(headers: unknown, argument: string): Record<string, string> {
  if (
    headers === null ||
    typeof headers !== 'object' ||
    Array.isArray(headers) ||
    !Object.values(headers).every((value) => typeof value === 'string')
  ) {
    throw new InvalidArgumentError({ argument, message: 'must be an object of string values.' });
  }
  return { ...(headers as Record<string, string>) };
}
