/**
 * The AI SDK's error classes mapped into twostage's error family, so that core's retry loop can
 * read `isRetryable` and `retryAfterMs` and callers can branch on one family whichever side the
 * model came from. The classes' `isInstance` checks a `Symbol.for` marker, so errors thrown by
 * another copy of `@ai-sdk/provider` (v3 or v4) are recognised too.
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-errors
 */
import {
  InvalidArgumentError as AiSdkInvalidArgumentError,
  APICallError,
  EmptyResponseBodyError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  LoadSettingError,
  NoContentGeneratedError,
  NoSuchModelError,
  TooManyEmbeddingValuesForCallError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import {
  AbortedError,
  ApiCallError,
  InvalidArgumentError,
  InvalidResponseError,
  MissingSettingError,
  ModelNotFoundError,
  parseRetryAfter,
  TwostageError,
} from '@twostage/core';

/** Which bridged model failed, and the call's signal (an abort is never an API failure). */
export type MapAiSdkErrorContext = {
  /** The twostage provider name of the bridged stage. */
  provider: string;
  /** The model id of the bridged stage. */
  modelId: string;
  /** The signal of the failed call. */
  abortSignal?: AbortSignal | undefined;
};

/**
 * Maps an error thrown by an AI SDK model into twostage's error family:
 * - the caller's abort (or an `AbortError`) → `AbortedError`, never retried;
 * - `APICallError` → `ApiCallError` with its status, URL, headers (credentials removed), body
 *   (parsed when it is JSON), `isRetryable` as the AI SDK provider decided it, and `retryAfterMs`
 *   from `retry-after-ms` / `retry-after`;
 * - `NoSuchModelError` → `ModelNotFoundError`;
 * - `LoadAPIKeyError` / `LoadSettingError` → `MissingSettingError` (the AI SDK provider's option);
 * - `InvalidArgumentError`, `UnsupportedFunctionalityError`, `TooManyEmbeddingValuesForCallError`
 *   → `InvalidArgumentError`;
 * - a reply the AI SDK provider could not read (`InvalidResponseDataError`, `JSONParseError`,
 *   `TypeValidationError`, `EmptyResponseBodyError`, `NoContentGeneratedError`) →
 *   `InvalidResponseError`;
 * - a twostage error (a bridged twostage stage inside the AI SDK model) passes unchanged;
 * - anything else → a `TwostageError` naming the model, the original as its `cause`.
 */
export function mapAiSdkError(error: unknown, context: MapAiSdkErrorContext): TwostageError {
  const { provider, modelId, abortSignal } = context;
  if (TwostageError.isInstance(error)) return error;
  if (abortSignal?.aborted === true) return new AbortedError({ reason: abortSignal.reason });
  if (error instanceof Error && error.name === 'AbortError')
    return new AbortedError({ reason: error });

  if (APICallError.isInstance(error)) return fromApiCallError(error);
  if (NoSuchModelError.isInstance(error)) {
    return new ModelNotFoundError({ provider, modelId, message: error.message, cause: error });
  }
  if (LoadAPIKeyError.isInstance(error) || LoadSettingError.isInstance(error)) {
    return missingSetting(error, provider);
  }
  if (AiSdkInvalidArgumentError.isInstance(error)) {
    return new InvalidArgumentError({
      argument: error.argument,
      message: error.message,
      cause: error,
    });
  }
  if (UnsupportedFunctionalityError.isInstance(error)) {
    return new InvalidArgumentError({
      argument: error.functionality,
      message: `${provider}:${modelId} does not support it (${error.message})`,
      cause: error,
    });
  }
  if (TooManyEmbeddingValuesForCallError.isInstance(error)) {
    return new InvalidArgumentError({
      argument: 'values',
      message: `${error.message} Declare the model's limit as the bridge's 'maxEmbeddingsPerCall' so that core batches.`,
      cause: error,
    });
  }
  if (
    InvalidResponseDataError.isInstance(error) ||
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error) ||
    NoContentGeneratedError.isInstance(error)
  ) {
    return new InvalidResponseError({ provider, modelId, message: error.message });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TwostageError({
    name: 'TwostageError',
    message: `${provider}:${modelId} failed: ${message}`,
    cause: error,
  });
}

function fromApiCallError(error: APICallError): ApiCallError {
  return new ApiCallError({
    message: error.message,
    url: error.url,
    statusCode: error.statusCode,
    responseHeaders: error.responseHeaders,
    responseBody: parseBody(error.responseBody),
    // The AI SDK provider knows its API best (some retry 409, some do not); keep its decision.
    isRetryable: error.isRetryable,
    retryAfterMs: parseRetryAfter(error.responseHeaders),
    cause: error,
  });
}

/** The body as JSON when it parses (core keeps bodies parsed), else the text as it came. */
function parseBody(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * The AI SDK's messages name the missing option and the variables ("… Pass it using the 'apiKey'
 * parameter or the COHERE_API_KEY environment variable."); core's error carries them as fields.
 */
function missingSetting(error: Error, provider: string): TwostageError {
  const setting = /'([A-Za-z][\w.]*)' parameter/.exec(error.message)?.[1];
  const variables = [...error.message.matchAll(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g)].map(
    (match) => match[0],
  );
  if (setting === undefined || variables.length === 0) {
    return new TwostageError({
      name: 'TwostageError',
      message: `A setting of AI SDK provider '${provider}' is missing: ${error.message}`,
      cause: error,
    });
  }
  return new MissingSettingError({
    setting,
    environmentVariables: [...new Set(variables)],
    description: `The '${setting}' setting of AI SDK provider '${provider}'`,
  });
}
