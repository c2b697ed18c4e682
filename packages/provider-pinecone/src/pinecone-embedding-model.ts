import type {
  EmbeddingModelV1,
  EmbeddingModelV1CallOptions,
  EmbeddingModelV1Result,
} from '@twostage/core';
import { ApiCallError, InvalidArgumentError } from '@twostage/core';
import { validateInteger } from '@twostage/core/provider-utils';
import type { PineconeConnection } from './pinecone-connection.js';
import {
  type EmbeddingModelLimits,
  embeddingModelLimits,
  isKnownEmbeddingModel,
  type PineconeEmbeddingModelId,
} from './pinecone-models.js';
import { readProviderOptions } from './provider-options.js';

/** Settings of a Pinecone embedding model. */
export type PineconeEmbeddingSettings = {
  /**
   * The vector length. `llama-text-embed-v2` offers 384, 512, 768, 1024 and 2048; required for a
   * model this package does not know.
   * @default the model's default (1024 for both hosted models)
   */
  dimensions?: number;
  /**
   * What the model does with an input longer than its token limit: `END` cuts it, `NONE`
   * rejects the request (`START` too, on llama-text-embed-v2).
   * @default 'END'
   */
  truncate?: 'END' | 'NONE' | 'START';
  /**
   * The most inputs per request; core batches larger inputs.
   * @default the model's limit (96), 96 for a model this package does not know
   */
  maxEmbeddingsPerCall?: number;
};

/**
 * An embedding model hosted by Pinecone (`POST /embed` via `inference.embed`). Queries are sent
 * with `input_type: query`, documents with `input_type: passage`, as the asymmetric models expect.
 *
 * @see https://docs.pinecone.io/reference/api/2026-04/inference/generate-embeddings
 */
export class PineconeEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1';
  readonly provider = 'pinecone';
  readonly modelId: string;
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall: number;
  readonly supportsParallelCalls = true;
  /** The token limit of one input, when the model is known. */
  readonly maxTokensPerInput: number | undefined;
  private readonly limits: EmbeddingModelLimits | undefined;

  constructor(
    private readonly connection: PineconeConnection,
    modelId: PineconeEmbeddingModelId | (string & {}),
    private readonly settings: PineconeEmbeddingSettings = {},
  ) {
    if (typeof modelId !== 'string' || modelId.trim() === '') {
      throw new InvalidArgumentError({
        argument: 'modelId',
        message: 'must be a non-empty string.',
      });
    }
    this.modelId = modelId;
    this.limits = isKnownEmbeddingModel(modelId) ? embeddingModelLimits[modelId] : undefined;
    const dimensions = settings.dimensions ?? this.limits?.defaultDimensions;
    if (dimensions === undefined) {
      throw new InvalidArgumentError({
        argument: 'dimensions',
        message: `is required for the embedding model '${modelId}', whose vector length this package does not know.`,
      });
    }
    if (this.limits !== undefined && !this.limits.supportedDimensions.includes(dimensions)) {
      throw new InvalidArgumentError({
        argument: 'dimensions',
        message: `${modelId} produces vectors of ${this.limits.supportedDimensions.join(', ')} dimensions, not ${dimensions}.`,
      });
    }
    this.dimensions = validateInteger(dimensions, 'dimensions', { min: 1, max: 20_000 });
    this.maxEmbeddingsPerCall = validateInteger(
      settings.maxEmbeddingsPerCall ?? this.limits?.maxEmbeddingsPerCall ?? 96,
      'maxEmbeddingsPerCall',
      { min: 1, max: 10_000 },
    );
    this.maxTokensPerInput = this.limits?.maxTokensPerInput;
  }

  async doEmbed(options: EmbeddingModelV1CallOptions): Promise<EmbeddingModelV1Result> {
    const parameters: Record<string, string | number> = {
      input_type: options.inputType === 'query' ? 'query' : 'passage',
      truncate: this.settings.truncate ?? 'END',
    };
    // Only models with a choice of lengths take `dimension`; the others reject unknown parameters.
    if (this.limits === undefined || this.limits.supportedDimensions.length > 1) {
      if (this.settings.dimensions !== undefined) parameters.dimension = this.settings.dimensions;
    }
    const extra = readProviderOptions(options.providerOptions).parameters;
    if (extra !== undefined) Object.assign(parameters, extra);

    const result = await this.connection.run(
      'embed',
      (client) =>
        client.inference.embed({
          model: this.modelId,
          inputs: options.values,
          // The client types parameters as strings, but the API takes `dimension` as an integer.
          parameters: parameters as Record<string, string>,
        }),
      { abortSignal: options.abortSignal, headers: options.headers },
    );

    const embeddings = result.data.map((item, position) => {
      if (!('values' in item) || !Array.isArray(item.values)) {
        throw new ApiCallError({
          message: `Pinecone returned a ${item.vectorType} embedding for input ${position} of the dense model ${this.modelId}.`,
          url: '',
          statusCode: 200,
          isRetryable: false,
        });
      }
      return Float32Array.from(item.values);
    });
    const embedResult: EmbeddingModelV1Result = { embeddings, response: { modelId: result.model } };
    if (result.usage.totalTokens !== undefined)
      embedResult.usage = { tokens: result.usage.totalTokens };
    return embedResult;
  }
}
