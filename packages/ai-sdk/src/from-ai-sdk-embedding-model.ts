/**
 * An AI SDK embedding model (`EmbeddingModelV3` / `V4`: OpenAI, Cohere, Voyage, Mistral, …) as a
 * twostage embedding model, for the embedded vector index, `embedMany()` and middleware.
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-core/embed-many
 */
import type { EmbeddingModelV3CallOptions, JSONObject } from '@ai-sdk/provider';
import {
  type EmbeddingInputTypeV1,
  type EmbeddingModelV1,
  type EmbeddingModelV1CallOptions,
  type EmbeddingModelV1Result,
  InvalidArgumentError,
  InvalidResponseError,
  type ProviderOptionsV1,
} from '@twostage/core';
import {
  checkEmbeddings,
  raceAbort,
  throwIfAborted,
  validateInteger,
} from '@twostage/core/provider-utils';
import { type AiSdkEmbeddingModel, aiSdkModelVersions } from './ai-sdk-models.js';
import {
  checkBridgeOptions,
  checkModelShape,
  checkOptionalName,
  definedHeaders,
  describeValue,
} from './check-bridge-arguments.js';
import { mapAiSdkError } from './map-ai-sdk-error.js';
import { fromAiSdkWarnings } from './map-warnings.js';
import { responseMetadata } from './response-metadata.js';
import { withoutTwostageOptions } from './without-twostage-options.js';

/** Options of {@link fromAiSdkEmbeddingModel}. */
export type FromAiSdkEmbeddingModelOptions = {
  /**
   * The length of the model's vectors. AI SDK models do not declare it, and twostage's vector
   * index needs it before the first call (e.g. 1536 for OpenAI's `text-embedding-3-small`).
   */
  dimensions: number;
  /**
   * The most values one call accepts; core batches larger inputs.
   * @default the model's `maxEmbeddingsPerCall` when it is a plain number
   */
  maxEmbeddingsPerCall?: number;
  /**
   * Whether core may run several calls at once.
   * @default the model's `supportsParallelCalls` when it is a plain boolean, else false
   */
  supportsParallelCalls?: boolean;
  /**
   * Provider options added to every call of one input type, for AI SDK providers that embed
   * queries and documents differently, e.g.
   * `{ query: { cohere: { inputType: 'search_query' } }, document: { cohere: { inputType: 'search_document' } } }`.
   * A call's own provider options win, key by key.
   * @default none
   */
  providerOptionsByInputType?: Partial<Record<EmbeddingInputTypeV1, ProviderOptionsV1>>;
  /**
   * The model's `provider`, as `servedBy` and errors name it.
   * @default the AI SDK model's `provider` (e.g. `openai.embedding`)
   */
  provider?: string;
  /**
   * The model's `modelId`.
   * @default the AI SDK model's `modelId`
   */
  modelId?: string;
};

const optionNames = [
  'dimensions',
  'maxEmbeddingsPerCall',
  'supportsParallelCalls',
  'providerOptionsByInputType',
  'provider',
  'modelId',
] as const;

/**
 * Makes an AI SDK embedding model a twostage embedding model.
 *
 * Core's retries apply: the AI SDK model is called directly, once per batch, and its errors map
 * into the twostage family (see `mapAiSdkError`; `APICallError` keeps its `isRetryable` and
 * `Retry-After`). Each reply is checked: one vector per value, each of `dimensions` finite
 * numbers, or the call fails with an `InvalidResponseError`. Vectors come back as `Float32Array`.
 *
 * @example
 * import { openai } from '@ai-sdk/openai';
 * const model = fromAiSdkEmbeddingModel(openai.embedding('text-embedding-3-small'), { dimensions: 1536 });
 * @throws InvalidArgumentError when `model` is not an AI SDK v3 or v4 embedding model, when
 * `dimensions` is missing, or for an unknown or malformed option
 */
export function fromAiSdkEmbeddingModel(
  model: AiSdkEmbeddingModel,
  options: FromAiSdkEmbeddingModelOptions,
): EmbeddingModelV1 {
  checkModelShape(model, {
    argument: 'model',
    method: 'doEmbed',
    versions: aiSdkModelVersions,
    kind: 'an AI SDK embedding model',
    hint: 'A twostage embedding model is bridged the other way, with toAiSdkEmbeddingModel().',
  });
  const checked = checkBridgeOptions(options, optionNames, 'fromAiSdkEmbeddingModel()', {
    required: true,
  });
  const dimensions = validateInteger(checked.dimensions, 'options.dimensions', { min: 1 });
  const maxEmbeddingsPerCall = embeddingLimit(checked.maxEmbeddingsPerCall, model);
  const supportsParallelCalls = parallelCalls(checked.supportsParallelCalls, model);
  const byInputType = checkByInputType(checked.providerOptionsByInputType);
  const provider = checkOptionalName(checked.provider, 'options.provider') ?? model.provider;
  const modelId = checkOptionalName(checked.modelId, 'options.modelId') ?? model.modelId;

  const bridged: EmbeddingModelV1 = {
    specificationVersion: 'v1',
    provider,
    modelId,
    dimensions,
    maxEmbeddingsPerCall,
    supportsParallelCalls,
    async doEmbed(callOptions: EmbeddingModelV1CallOptions): Promise<EmbeddingModelV1Result> {
      const { values, inputType, abortSignal, headers } = callOptions;
      throwIfAborted(abortSignal);
      const aiSdkOptions: EmbeddingModelV3CallOptions = { values };
      if (abortSignal !== undefined) aiSdkOptions.abortSignal = abortSignal;
      const defined = definedHeaders(headers);
      if (defined !== undefined) aiSdkOptions.headers = defined;
      const providerOptions = mergeProviderOptions(
        byInputType[inputType],
        withoutTwostageOptions(callOptions.providerOptions),
      );
      if (providerOptions !== undefined) aiSdkOptions.providerOptions = providerOptions;
      let reply: unknown;
      try {
        reply = await raceAbort(model.doEmbed(aiSdkOptions), abortSignal);
      } catch (error) {
        throw mapAiSdkError(error, { provider, modelId, abortSignal });
      }
      return fromAiSdkReply(reply, bridged, values.length);
    },
  };
  return bridged;
}

function fromAiSdkReply(
  reply: unknown,
  model: EmbeddingModelV1,
  expected: number,
): EmbeddingModelV1Result {
  const { embeddings, usage, warnings, response } = (reply ?? {}) as Record<string, unknown>;
  const invalid = (message: string) =>
    new InvalidResponseError({ provider: model.provider, modelId: model.modelId, message });
  if (!Array.isArray(embeddings)) {
    throw invalid(`'embeddings' must be an array, got ${describeValue(embeddings)}.`);
  }
  const vectors = embeddings.map((embedding: unknown, index) => {
    if (!Array.isArray(embedding) && !ArrayBuffer.isView(embedding)) {
      throw invalid(
        `embeddings[${index}] must be an array of numbers, got ${describeValue(embedding)}.`,
      );
    }
    const vector = Float32Array.from(embedding as ArrayLike<number>);
    if (!vector.every(Number.isFinite)) {
      throw invalid(`embeddings[${index}] holds a value that is not a finite number.`);
    }
    return vector;
  });
  const result: EmbeddingModelV1Result = {
    // Count and lengths, the same check core's embedMany() makes.
    embeddings: checkEmbeddings(model, { embeddings: vectors }, expected),
    warnings: fromAiSdkWarnings(warnings),
  };
  const tokens = (usage as { tokens?: unknown } | undefined)?.tokens;
  if (typeof tokens === 'number' && Number.isFinite(tokens)) result.usage = { tokens };
  const metadata = responseMetadata(response);
  if (metadata !== undefined) result.response = metadata;
  return result;
}

function embeddingLimit(option: unknown, model: AiSdkEmbeddingModel): number | undefined {
  const declared = option ?? model.maxEmbeddingsPerCall;
  if (declared === undefined || declared === Number.POSITIVE_INFINITY) return undefined;
  if (typeof declared === 'object' || typeof declared === 'function') {
    // A provider that looks its limit up asynchronously; twostage reads limits synchronously.
    throw new InvalidArgumentError({
      argument: 'options.maxEmbeddingsPerCall',
      message: `is required for ${model.provider}:${model.modelId}, whose own limit is a promise.`,
    });
  }
  return validateInteger(
    declared,
    option === undefined ? 'model.maxEmbeddingsPerCall' : 'options.maxEmbeddingsPerCall',
    { min: 1 },
  );
}

function parallelCalls(option: unknown, model: AiSdkEmbeddingModel): boolean {
  if (option !== undefined) {
    if (typeof option !== 'boolean') {
      throw new InvalidArgumentError({
        argument: 'options.supportsParallelCalls',
        message: `must be a boolean when given, got ${describeValue(option)}.`,
      });
    }
    return option;
  }
  // A promised answer cannot be read synchronously: one call at a time is always safe.
  return model.supportsParallelCalls === true;
}

function checkByInputType(
  value: unknown,
): Partial<Record<EmbeddingInputTypeV1, ProviderOptionsV1>> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      argument: 'options.providerOptionsByInputType',
      message: `must be an object with 'query' and/or 'document' provider options, got ${describeValue(value)}.`,
    });
  }
  for (const [name, options] of Object.entries(value)) {
    if (name !== 'query' && name !== 'document') {
      throw new InvalidArgumentError({
        argument: `options.providerOptionsByInputType.${name}`,
        message: "is not an input type; they are 'query' and 'document'.",
      });
    }
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new InvalidArgumentError({
        argument: `options.providerOptionsByInputType.${name}`,
        message: `must be provider options keyed by provider name, got ${describeValue(options)}.`,
      });
    }
  }
  return value as Partial<Record<EmbeddingInputTypeV1, ProviderOptionsV1>>;
}

/** The input type's options under the call's, merged per provider key (the call wins). */
function mergeProviderOptions(
  base: ProviderOptionsV1 | undefined,
  call: ProviderOptionsV1 | undefined,
): Record<string, JSONObject> | undefined {
  if (base === undefined) return call as Record<string, JSONObject> | undefined;
  const merged: Record<string, JSONObject> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(call ?? {})])) {
    merged[key] = { ...base[key], ...call?.[key] } as JSONObject;
  }
  return merged;
}
