import {
  type EmbeddingModelV1,
  type EmbeddingModelV1CallOptions,
  type EmbeddingModelV1Result,
  InvalidArgumentError,
} from '@twostage/core';
import { checkOptionNames, validateInteger } from '@twostage/core/provider-utils';
import { callCohere } from './call-cohere.js';
import type { CohereEmbedResponse } from './cohere-api-types.js';
import { cohereEmbeddingDimensions } from './cohere-embedding-dimensions.js';
import {
  type CohereEmbeddingModelOptions,
  parseCohereEmbeddingCallOptions,
} from './cohere-embedding-options.js';
import { cohereMetaWarnings } from './cohere-meta-warnings.js';
import type { CohereProviderSettings } from './cohere-provider-settings.js';
import { headersToRecord } from './headers-to-record.js';

/** Embedding models Cohere documents; any other id works with an explicit `dimensions`. */
export type CohereEmbeddingModelId =
  | 'embed-v4.0'
  | 'embed-english-v3.0'
  | 'embed-multilingual-v3.0'
  | 'embed-english-light-v3.0'
  | 'embed-multilingual-light-v3.0'
  | (string & {});

/**
 * Cohere Embed (v2 `POST /v2/embed`) as a twostage embedding model: float vectors, with the
 * contract's input type sent as `search_query` / `search_document`.
 * @see https://docs.cohere.com/reference/embed
 */
export class CohereEmbeddingModel implements EmbeddingModelV1 {
  /** The contract this model implements. */
  readonly specificationVersion = 'v1';
  /** `cohere`, as in a `cohere:<model>` reference. */
  readonly provider = 'cohere';
  /** The Cohere model id, sent as `model`. */
  readonly modelId: string;
  /** The length of every vector: the model's native one, or the `dimensions` option. */
  readonly dimensions: number;
  /** The v2 embed endpoint takes at most 96 texts per call; core batches larger inputs. */
  readonly maxEmbeddingsPerCall = 96;
  /** Batches may run concurrently (Cohere's rate limits permitting). */
  readonly supportsParallelCalls = true;
  /** Sent as `output_dimension`, for models whose length is chosen by the caller. */
  private readonly outputDimension: number | undefined;
  /**
   * A private field (`#`), not a TypeScript `private`: it holds the API key, and `console.log` or
   * `JSON.stringify` of a model must not show it.
   */
  readonly #settings: CohereProviderSettings;

  constructor(
    modelId: string,
    options: CohereEmbeddingModelOptions,
    settings: CohereProviderSettings,
  ) {
    this.modelId = modelId;
    this.#settings = settings;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new InvalidArgumentError({ argument: 'options', message: 'must be an object.' });
    }
    checkOptionNames(options, ['dimensions'], 'cohere.embeddingModel()', 'options');
    const requested =
      options.dimensions === undefined
        ? undefined
        : validateInteger(options.dimensions, 'dimensions', { min: 1 });
    const known = cohereEmbeddingDimensions[modelId];
    if (known === undefined) {
      if (requested === undefined) {
        throw new InvalidArgumentError({
          argument: 'dimensions',
          message: `is required for the Cohere model '${modelId}', whose vector length this package does not know. Known models: ${Object.keys(cohereEmbeddingDimensions).join(', ')}.`,
        });
      }
      this.dimensions = requested;
      this.outputDimension = undefined;
    } else if (requested === undefined || requested === known.native) {
      this.dimensions = known.native;
      this.outputDimension = undefined;
    } else if (known.choices?.includes(requested)) {
      this.dimensions = requested;
      this.outputDimension = requested;
    } else {
      const allowed = known.choices?.join(', ') ?? String(known.native);
      throw new InvalidArgumentError({
        argument: 'dimensions',
        message: `must be one of ${allowed} for the Cohere model '${modelId}', got ${requested}.`,
      });
    }
  }

  /** Embeds one batch of texts with one `POST /v2/embed`; see `EmbeddingModelV1`. */
  async doEmbed(options: EmbeddingModelV1CallOptions): Promise<EmbeddingModelV1Result> {
    const callOptions = parseCohereEmbeddingCallOptions(options.providerOptions?.cohere);
    // Cohere's wire names, in the order its API reference lists them.
    const request: Record<string, unknown> = {
      model: this.modelId,
      texts: options.values,
      input_type: options.inputType === 'query' ? 'search_query' : 'search_document',
      embedding_types: ['float'],
    };
    if (this.outputDimension !== undefined) request.output_dimension = this.outputDimension;
    if (callOptions.truncate !== undefined) request.truncate = callOptions.truncate;
    if (callOptions.priority !== undefined) request.priority = callOptions.priority;
    if (callOptions.maxTokens !== undefined) request.max_tokens = callOptions.maxTokens;

    const expected = options.values.length;
    const { value, response } = await callCohere({
      settings: this.#settings,
      endpoint: 'v2/embed',
      modelId: this.modelId,
      abortSignal: options.abortSignal,
      headers: options.headers,
      body: request,
      checkResponse: (body) => {
        const vectors = (body as { embeddings?: { float?: unknown } } | null)?.embeddings?.float;
        if (!Array.isArray(vectors)) return "the body has no 'embeddings.float' array.";
        if (vectors.length !== expected) {
          return `${vectors.length} embeddings came back for ${expected} texts.`;
        }
        return vectors.some((vector) => !Array.isArray(vector) || vector.length !== this.dimensions)
          ? `a vector does not have the ${this.dimensions} dimensions this model declares.`
          : undefined;
      },
    });
    const data = value as CohereEmbedResponse;

    const embeddings = data.embeddings.float.map((vector) => Float32Array.from(vector));
    const tokens = data.meta?.billed_units?.input_tokens;
    const result: EmbeddingModelV1Result = {
      embeddings,
      response: {
        ...(data.id === undefined ? {} : { id: data.id }),
        modelId: this.modelId,
        headers: headersToRecord(response.headers),
      },
    };
    if (tokens !== undefined) result.usage = { tokens };
    const warnings = cohereMetaWarnings(data.meta);
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  }
}
