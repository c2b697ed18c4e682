import { throwIfAborted } from '../errors/aborted-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { retryLoop } from '../retry/retry-with-backoff.js';
import type {
  EmbeddingInputTypeV1,
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
} from '../spec/v1/embedding-model-v1.js';
import type {
  HeadersV1,
  ProviderOptionsV1,
  ResponseMetadataV1,
  WarningV1,
} from '../spec/v1/shared-v1.js';
import { checkOptionNames } from '../util/check-option-names.js';
import { raceAbort } from '../util/race-abort.js';
import {
  describe,
  describeChoice,
  validateAbortSignal,
  validateInteger,
  validateOptionsObject,
  validateStage,
} from '../util/validate-arguments.js';
import { defaultTimeoutMs, validateDeadlineMs, withDeadline } from '../util/with-deadline.js';
import { checkEmbeddings } from './check-embeddings.js';

/** Options of {@link embed}. */
export type EmbedOptions = {
  /** The embedding model (a bi-encoder). */
  model: EmbeddingModelV1;
  /** The text to embed. */
  value: string;
  /**
   * Whether the text is a query or a document; asymmetric models embed them differently.
   * @default 'query'
   */
  inputType?: EmbeddingInputTypeV1;
  /**
   * Retries after a retryable failure (see `retryWithBackoff`).
   * @default 2
   */
  maxRetries?: number;
  /** Cancels the call: it rejects promptly with an `AbortedError`. */
  abortSignal?: AbortSignal;
  /**
   * The deadline of the whole call, retries and backoff waits included: past it the call rejects
   * with a `TimeoutError`. `Infinity` for none.
   * @default 30000
   */
  timeoutMs?: number;
  /** Extra HTTP headers for providers that speak HTTP. */
  headers?: HeadersV1;
  /** Provider-specific options, keyed by provider name. */
  providerOptions?: ProviderOptionsV1;
};

/** Every option {@link embed} accepts; any other name is refused (plain-JS typos). */
const embedOptionNames = [
  'model',
  'value',
  'inputType',
  'maxRetries',
  'abortSignal',
  'timeoutMs',
  'headers',
  'providerOptions',
] as const satisfies readonly (keyof EmbedOptions)[];

/** Token usage, when the provider reports it. */
export type EmbeddingUsage = {
  /** Tokens read by the model. */
  tokens?: number;
};

/** What {@link embed} returns. */
export type EmbedResult = {
  /** The vector, of the model's `dimensions`. */
  embedding: Float32Array;
  /** Token usage, as the provider reported it. */
  usage: EmbeddingUsage;
  /** The model's warnings (a setting it could not honour, a text it truncated). */
  warnings: WarningV1[];
  /** The provider's response metadata, when it reported some. */
  response?: ResponseMetadataV1;
};

/**
 * Embeds one text (by default as a query) with retries, and checks the vector's length.
 *
 * @throws InvalidArgumentError when `value` is not a string
 * @throws InvalidResponseError when the model returns no vector or one of the wrong length
 * @throws AbortedError when `abortSignal` fires
 * @throws TimeoutError when the call outlasts `timeoutMs`
 */
export async function embed(options: EmbedOptions): Promise<EmbedResult> {
  validateOptionsObject(options);
  checkOptionNames(options, embedOptionNames, 'embed()');
  const { model, value, abortSignal } = options;
  validateStage(model, 'model', 'doEmbed');
  if (typeof value !== 'string') {
    throw new InvalidArgumentError({
      argument: 'value',
      message: `must be a string, got ${describe(value)}.`,
    });
  }
  const inputType = validateInputType(options.inputType ?? 'query');
  const maxRetries = validateInteger(options.maxRetries ?? 2, 'maxRetries', { min: 0 });
  validateAbortSignal(abortSignal);
  const timeoutMs = validateDeadlineMs(options.timeoutMs, defaultTimeoutMs.embed);
  throwIfAborted(abortSignal);

  const result = await withDeadline('embed', timeoutMs, abortSignal, (signal, deadline) => {
    const callOptions: EmbeddingModelV1CallOptions = { values: [value], inputType };
    if (signal !== undefined) callOptions.abortSignal = signal;
    if (options.headers !== undefined) callOptions.headers = options.headers;
    if (options.providerOptions !== undefined)
      callOptions.providerOptions = options.providerOptions;
    return retryLoop(() => raceAbort(model.doEmbed(callOptions), signal), maxRetries, {
      abortSignal: signal,
      deadline,
    });
  });
  const [embedding] = checkEmbeddings(model, result, 1) as [Float32Array];
  const embedResult: EmbedResult = {
    embedding,
    usage: result.usage?.tokens === undefined ? {} : { tokens: result.usage.tokens },
    warnings: result.warnings === undefined ? [] : [...result.warnings],
  };
  if (result.response !== undefined) embedResult.response = result.response;
  return embedResult;
}

/** Checks `inputType` ('query' or 'document'). */
export function validateInputType(inputType: unknown): EmbeddingInputTypeV1 {
  if (inputType !== 'query' && inputType !== 'document') {
    throw new InvalidArgumentError({
      argument: 'inputType',
      message: `must be 'query' or 'document', got ${describeChoice(inputType)}.`,
    });
  }
  return inputType;
}
