import { ApiCallError } from '../errors/api-call-error.js';
import { redactSecrets } from '../errors/redact.js';
import { type ApiCallOptions, type ApiResponse, callApi } from './call-api.js';
import { collectSecrets } from './collect-secrets.js';

/** Options of {@link postJsonToApi}: those of `callApi`, with a JSON body. */
export type PostJsonToApiOptions = Omit<ApiCallOptions, 'body' | 'method'> & {
  /** Sent as `JSON.stringify(body)`, with `Content-Type: application/json`. */
  body: unknown;
  /**
   * Checks the parsed body of a 2xx answer against what the API describes; returns what is wrong
   * (`"the body has no 'results' array."`), or `undefined` when it is fine. A problem fails the
   * call like a body that is not JSON.
   */
  checkResponse?: ((value: unknown) => string | undefined) | undefined;
};

/** What {@link postJsonToApi} resolves to: the parsed body and the response it came in. */
export type JsonApiResult = {
  /** The parsed JSON body; its shape is for the adapter to check. */
  value: unknown;
  response: ApiResponse;
};

/**
 * `POST`s a JSON body and parses the JSON answer, through {@link callApi} (timeout per attempt,
 * the caller's abort, every failure a core error, secrets redacted). `Content-Type` and `Accept`
 * are `application/json` unless the caller's headers say otherwise.
 *
 * A 2xx whose body is not JSON (a proxy's HTML page, a cut-off answer from a buggy server), or
 * fails `checkResponse`, is an `ApiCallError` that is not retryable, holding the status and the
 * (redacted) body: a server that answers garbage with a success does so again. A body cut short
 * by a dropped connection is a retryable network failure instead.
 *
 * @throws like `callApi`
 */
export async function postJsonToApi(options: PostJsonToApiOptions): Promise<JsonApiResult> {
  const { body, checkResponse, ...rest } = options;
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
  for (const [name, value] of headerEntries(options.headers)) headers.set(name, value);
  const response = await callApi({ ...rest, method: 'POST', headers, body: JSON.stringify(body) });
  let value: unknown;
  let problem: string | undefined;
  try {
    value = JSON.parse(response.text) as unknown;
  } catch {
    problem = 'it is not valid JSON.';
  }
  problem ??= checkResponse?.(value);
  if (problem === undefined) return { value, response };

  const secrets = collectSecrets(options.url, headers, options.secrets);
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((headerValue, name) => {
    responseHeaders[name] = redactSecrets(headerValue, secrets);
  });
  const text = redactSecrets(response.text, secrets);
  throw new ApiCallError({
    message: `${options.provider} answered ${response.url} with status ${response.status} but an invalid body: ${problem}`,
    url: response.url,
    statusCode: response.status,
    responseHeaders,
    responseBody: value === undefined ? text : parseRedacted(text),
    isRetryable: false,
  });
}

/** The parsed body, redacted through its text; the text when redacting broke the JSON. */
function parseRedacted(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The caller's headers as pairs, `undefined` values left out. */
function headerEntries(headers: ApiCallOptions['headers']): [string, string][] {
  if (headers === undefined) return [];
  if (headers instanceof Headers) return [...headers];
  return Object.entries(headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
}
