/**
 * A twostage embedding model as an AI SDK embedding model (`EmbeddingModelV3`), for `embed()` and
 * `embedMany()` of `ai` 6 and 7, and anything else that takes one (the AI SDK's vector helpers).
 * @see https://ai-sdk.dev/docs/reference/ai-sdk-core/embed-many
 */
import type {
  EmbeddingModelV3,
  EmbeddingModelV3CallOptions,
  EmbeddingModelV3Result,
} from '@ai-sdk/provider';
import {
  type EmbeddingInputTypeV1,
  type EmbeddingModelV1,
  type EmbedManyOptions,
  embedMany,
  InvalidArgumentError,
} from '@twostage/core';
import {
  type BridgeCallSettings,
  bridgeCallSettingNames,
  checkBridgeCallSettings,
} from './bridge-call-settings.js';
import {
  checkBridgeOptions,
  checkModelShape,
  checkOptionalName,
  definedHeaders,
  describeValue,
} from './check-bridge-arguments.js';
import { toAiSdkWarnings } from './map-warnings.js';
import { withoutTwostageOptions } from './without-twostage-options.js';

/** Options of {@link toAiSdkEmbeddingModel}. */
export type ToAiSdkEmbeddingModelOptions = BridgeCallSettings & {
  /**
   * Whether the texts are embedded as queries or documents (the AI SDK has no such notion). A
   * call can override it with `providerOptions: { twostage: { inputType: 'query' } }`.
   * @default 'document'
   */
  inputType?: EmbeddingInputTypeV1;
  /**
   * The model's `provider`, as the AI SDK reports it.
   * @default the twostage model's `provider`
   */
  provider?: string;
  /**
   * The model's `modelId`, as the AI SDK reports it.
   * @default the twostage model's `modelId`
   */
  modelId?: string;
};

const optionNames = ['inputType', 'provider', 'modelId', ...bridgeCallSettingNames] as const;

/**
 * Makes a twostage embedding model usable by the AI SDK's `embed()` and `embedMany()`.
 *
 * Each call runs through core's `embedMany()`: core batches by the model's
 * `maxEmbeddingsPerCall` (so the bridged model declares no limit of its own, and the AI SDK sends
 * one call), runs batches in parallel only when the model `supportsParallelCalls`, retries
 * retryable failures (`maxRetries`, default 2) and checks every vector. As with the reranking
 * bridge, failures surface as twostage errors, which the AI SDK does not retry again.
 *
 * @example
 * import { embed } from 'ai';
 * const { embedding } = await embed({ model: toAiSdkEmbeddingModel(bi, { inputType: 'query' }), value: 'overdraft fee' });
 * @throws InvalidArgumentError when `model` is not a twostage v1 embedding model, or for an
 * unknown or malformed option
 */
export function toAiSdkEmbeddingModel(
  model: EmbeddingModelV1,
  options?: ToAiSdkEmbeddingModelOptions,
): EmbeddingModelV3 {
  checkModelShape(model, {
    argument: 'model',
    method: 'doEmbed',
    versions: ['v1'],
    kind: 'a twostage embedding model',
    hint: 'An AI SDK embedding model is bridged the other way, with fromAiSdkEmbeddingModel().',
  });
  const checked = checkBridgeOptions(options, optionNames, 'toAiSdkEmbeddingModel()');
  const settings = checkBridgeCallSettings(checked);
  const inputType = checkInputType(checked.inputType, 'options.inputType') ?? 'document';
  const provider = checkOptionalName(checked.provider, 'options.provider') ?? model.provider;
  const modelId = checkOptionalName(checked.modelId, 'options.modelId') ?? model.modelId;

  return {
    specificationVersion: 'v3',
    provider,
    modelId,
    // Core batches by the twostage model's own limit, so the AI SDK may send everything at once.
    maxEmbeddingsPerCall: undefined,
    supportsParallelCalls: model.supportsParallelCalls,
    async doEmbed(callOptions: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
      const { values, abortSignal, headers, providerOptions } = callOptions;
      const coreOptions: EmbedManyOptions = {
        model,
        values,
        inputType:
          checkInputType(
            providerOptions?.twostage?.inputType,
            'providerOptions.twostage.inputType',
          ) ?? inputType,
        ...settings,
      };
      if (abortSignal !== undefined) coreOptions.abortSignal = abortSignal;
      const defined = definedHeaders(headers);
      if (defined !== undefined) coreOptions.headers = defined;
      const forwarded = withoutTwostageOptions(providerOptions);
      if (forwarded !== undefined) coreOptions.providerOptions = forwarded;
      const result = await embedMany(coreOptions);
      const answer: EmbeddingModelV3Result = {
        embeddings: result.embeddings.map((embedding) => Array.from(embedding)),
        warnings: toAiSdkWarnings(result.warnings),
      };
      if (result.usage.tokens !== undefined) answer.usage = { tokens: result.usage.tokens };
      const [first, ...others] = result.responses;
      if (first !== undefined) {
        answer.response =
          others.length > 0
            ? { body: result.responses }
            : {
                ...(first.headers === undefined ? {} : { headers: first.headers }),
                ...(first.body === undefined ? {} : { body: first.body }),
              };
      }
      return answer;
    },
  };
}

function checkInputType(value: unknown, argument: string): EmbeddingInputTypeV1 | undefined {
  if (value === undefined || value === 'query' || value === 'document') return value;
  throw new InvalidArgumentError({
    argument,
    message: `must be 'query' or 'document', got ${describeValue(value)}.`,
  });
}
