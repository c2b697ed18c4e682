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
import { collectWarnings } from '../util/collect-warnings.js';
import { raceAbort } from '../util/race-abort.js';
import { runWindows } from '../util/run-windows.js';
import {
  describe,
  validateAbortSignal,
  validateInteger,
  validateOptionsObject,
  validateStage,
} from '../util/validate-arguments.js';
import { defaultTimeoutMs, validateDeadlineMs, withDeadline } from '../util/with-deadline.js';
import { checkEmbeddings } from './check-embeddings.js';
import { type EmbeddingUsage, validateInputType } from './embed.js';

/** Options of {@link embedMany}. */
export type EmbedManyOptions = {
  /** The embedding model (a bi-encoder). */
  model: EmbeddingModelV1;
  /** The texts to embed. Never modified. */
  values: readonly string[];
  /**
   * Whether the texts are queries or documents; asymmetric models embed them differently.
   * @default 'document'
   */
  inputType?: EmbeddingInputTypeV1;
  /**
   * Retries of each batch after a retryable failure (see `retryWithBackoff`).
   * @default 2
   */
  maxRetries?: number;
  /**
   * The most batches in flight at once; only used when the model `supportsParallelCalls`,
   * otherwise batches run one after another.
   * @default 4
   */
  maxConcurrency?: number;
  /** Cancels the call: it rejects promptly with an `AbortedError` and starts no further batch. */
  abortSignal?: AbortSignal;
  /**
   * The deadline of the whole call, retries and backoff waits included: past it the call rejects
   * with a `TimeoutError`. `Infinity` for none.
   * @default 600000
   */
  timeoutMs?: number;
  /** Extra HTTP headers for providers that speak HTTP. */
  headers?: HeadersV1;
  /** Provider-specific options, keyed by provider name. */
  providerOptions?: ProviderOptionsV1;
};

/** Every option {@link embedMany} accepts; any other name is refused (plain-JS typos). */
const embedManyOptionNames = [
  'model',
  'values',
  'inputType',
  'maxRetries',
  'maxConcurrency',
  'abortSignal',
  'timeoutMs',
  'headers',
  'providerOptions',
] as const satisfies readonly (keyof EmbedManyOptions)[];

/** What {@link embedMany} returns. */
export type EmbedManyResult = {
  /** One vector per value, in the order of `values`. */
  embeddings: Float32Array[];
  /** Usage summed over the batches; `tokens` is present when a batch reported it. */
  usage: EmbeddingUsage;
  /** The model's warnings, each once. */
  warnings: WarningV1[];
  /** Response metadata of each batch that reported some, in batch order. */
  responses: ResponseMetadataV1[];
};

/**
 * Embeds many texts (by default as documents): batches of at most `maxEmbeddingsPerCall`, run
 * in parallel only when the model `supportsParallelCalls`, each retried like `rerank`'s windows.
 * Each batch's result is checked (one vector per value, each of the model's `dimensions`).
 * An empty `values` returns no embeddings without calling the model.
 *
 * @throws InvalidArgumentError when `values` is not an array of strings (names `values[i]`)
 * @throws InvalidResponseError when a batch returns the wrong count or a wrong-length vector
 * @throws AbortedError when `abortSignal` fires
 * @throws TimeoutError when the call outlasts `timeoutMs`
 */
export async function embedMany(options: EmbedManyOptions): Promise<EmbedManyResult> {
  validateOptionsObject(options);
  checkOptionNames(options, embedManyOptionNames, 'embedMany()');
  const { model, values, abortSignal } = options;
  validateStage(model, 'model', 'doEmbed');
  if (!Array.isArray(values)) {
    throw new InvalidArgumentError({
      argument: 'values',
      message: `must be an array of strings, got ${describe(values)}.`,
    });
  }
  for (let index = 0; index < values.length; index++) {
    if (typeof values[index] !== 'string') {
      throw new InvalidArgumentError({
        argument: `values[${index}]`,
        message: `must be a string, got ${describe(values[index])}.`,
      });
    }
  }
  const inputType = validateInputType(options.inputType ?? 'document');
  const maxRetries = validateInteger(options.maxRetries ?? 2, 'maxRetries', { min: 0 });
  validateAbortSignal(abortSignal);
  const maxConcurrency = validateInteger(options.maxConcurrency ?? 4, 'maxConcurrency', {
    min: 1,
    allowInfinity: true,
  });
  const timeoutMs = validateDeadlineMs(options.timeoutMs, defaultTimeoutMs.embedMany);
  if (values.length === 0) return { embeddings: [], usage: {}, warnings: [], responses: [] };
  throwIfAborted(abortSignal);

  const batchSize =
    model.maxEmbeddingsPerCall === undefined
      ? values.length
      : Math.min(
          values.length,
          validateInteger(model.maxEmbeddingsPerCall, 'model.maxEmbeddingsPerCall', {
            min: 1,
            allowInfinity: true,
          }),
        );

  const results = await withDeadline('embedMany', timeoutMs, abortSignal, (callSignal, deadline) =>
    runWindows({
      count: Math.ceil(values.length / batchSize),
      maxConcurrency: model.supportsParallelCalls ? maxConcurrency : 1,
      abortSignal: callSignal,
      run: async (batchIndex, signal) => {
        const batch = values.slice(batchIndex * batchSize, (batchIndex + 1) * batchSize);
        const callOptions: EmbeddingModelV1CallOptions = { values: batch, inputType };
        if (signal !== undefined) callOptions.abortSignal = signal;
        if (options.headers !== undefined) callOptions.headers = options.headers;
        if (options.providerOptions !== undefined) {
          callOptions.providerOptions = options.providerOptions;
        }
        const result = await retryLoop(
          () => raceAbort(model.doEmbed(callOptions), signal),
          maxRetries,
          { abortSignal: signal, deadline },
        );
        checkEmbeddings(model, result, batch.length);
        return result;
      },
    }),
  );

  const embeddings: Float32Array[] = [];
  const usage: EmbeddingUsage = {};
  const warnings: WarningV1[] = [];
  const responses: ResponseMetadataV1[] = [];
  for (const result of results) {
    for (const embedding of result.embeddings) embeddings.push(embedding);
    if (result.usage?.tokens !== undefined) {
      usage.tokens = (usage.tokens ?? 0) + result.usage.tokens;
    }
    collectWarnings(warnings, result.warnings);
    if (result.response !== undefined) responses.push(result.response);
  }
  return { embeddings, usage, warnings, responses };
}
