import type { CallOptionsV1, ResponseMetadataV1, WarningV1 } from './shared-v1.js';

/**
 * Whether a text is a query or a document. Asymmetric models embed them differently (Cohere's
 * `search_query` / `search_document`, e5's `query: ` / `passage: ` prefixes).
 */
export type EmbeddingInputTypeV1 = 'query' | 'document';

/** Options of one `doEmbed` call. Adapters must not mutate them. */
export type EmbeddingModelV1CallOptions = CallOptionsV1 & {
  /** The texts; core guarantees at most `maxEmbeddingsPerCall` of them and at least one. */
  values: string[];
  inputType: EmbeddingInputTypeV1;
};

/** What one `doEmbed` call returns. */
export type EmbeddingModelV1Result = {
  /** One vector per input value, in input order, each of length `dimensions`. */
  embeddings: Float32Array[];
  usage?: { tokens?: number };
  warnings?: WarningV1[];
  response?: ResponseMetadataV1;
};

/** A bi-encoder: turns texts into vectors for stage-1 vector search. */
export type EmbeddingModelV1 = {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  readonly modelId: string;
  /** Length of every vector this model returns. */
  readonly dimensions: number;
  /** The most values one call accepts; core batches larger inputs. Unlimited when undefined. */
  readonly maxEmbeddingsPerCall: number | undefined;
  /** Whether core may run several calls of this model at once. */
  readonly supportsParallelCalls: boolean;
  /** Embeds the values. */
  doEmbed(options: EmbeddingModelV1CallOptions): PromiseLike<EmbeddingModelV1Result>;
};
