import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/**
 * Checks that a provider's base URL is an http(s) URL. Otherwise `fetch` fails on it at every
 * attempt with an error that reads as a retryable network failure (`localhost:8080` even parses,
 * as a URL whose scheme is `localhost:`). The value is not repeated in the message: it may hold
 * user info.
 *
 * @param source - what the value came from, named in the error (`settings.baseUrl`, an environment variable)
 * @param example - a URL shown as the expected form (`'http://tei:8080'`)
 * @returns the URL, as given
 * @throws InvalidArgumentError naming `source` when it is not an http or https URL
 */
export function checkBaseUrl(baseUrl: unknown, source: string, example: string): string {
  let protocol: string | undefined;
  try {
    protocol = typeof baseUrl === 'string' ? new URL(baseUrl).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    const got = protocol === undefined ? 'a value that is not a URL' : `the scheme '${protocol}'`;
    throw new InvalidArgumentError({
      argument: source,
      message: `must be an http or https URL such as '${example}', got ${got}.`,
    });
  }
  return baseUrl as string;
}
