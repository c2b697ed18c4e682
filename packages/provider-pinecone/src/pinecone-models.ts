/**
 * The hosted models and their per-call limits, as Pinecone's model list reports them
 * (`GET /models`: `max_batch_size`, `max_sequence_length`, `default_dimension`).
 *
 * @see https://docs.pinecone.io/reference/api/2025-10/inference/list_models
 * @see https://docs.pinecone.io/guides/search/rerank-results#reranking-models
 */

/** The reranking models Pinecone hosts. Other ids are accepted and sent as they are. */
export type PineconeRerankModelId =
  | 'bge-reranker-v2-m3'
  | 'cohere-rerank-3.5'
  | 'pinecone-rerank-v0';

/** The embedding models Pinecone hosts. Other ids are accepted and sent as they are. */
export type PineconeEmbeddingModelId = 'multilingual-e5-large' | 'llama-text-embed-v2';

/** The limits of one rerank model. */
export type RerankModelLimits = {
  /** Documents per request (`max_batch_size`). */
  maxDocumentsPerCall: number;
  /** Tokens of one query + document pair (`max_sequence_length`). */
  maxTokensPerPair: number;
  /** Whether it ranks on several fields of an object document (only Cohere's does). */
  multipleRankFields: boolean;
  /** The `truncate` parameter the model accepts, if any (Cohere's has none). */
  truncate: boolean;
};

/** Limits per rerank model, from Pinecone's model list. */
export const rerankModelLimits: Readonly<Record<PineconeRerankModelId, RerankModelLimits>> = {
  'bge-reranker-v2-m3': {
    maxDocumentsPerCall: 100,
    maxTokensPerPair: 1024,
    multipleRankFields: false,
    truncate: true,
  },
  'cohere-rerank-3.5': {
    maxDocumentsPerCall: 200,
    maxTokensPerPair: 40_000,
    multipleRankFields: true,
    truncate: false,
  },
  'pinecone-rerank-v0': {
    maxDocumentsPerCall: 100,
    maxTokensPerPair: 512,
    multipleRankFields: false,
    truncate: true,
  },
};

/** The limits of one embedding model. */
export type EmbeddingModelLimits = {
  /** Inputs per request (`max_batch_size`). */
  maxEmbeddingsPerCall: number;
  /** Tokens of one input (`max_sequence_length`). */
  maxTokensPerInput: number;
  /** The vector length when none is asked for. */
  defaultDimensions: number;
  /** The vector lengths the model can produce (Matryoshka models offer several). */
  supportedDimensions: readonly number[];
};

/** Limits per embedding model, from Pinecone's model list. */
export const embeddingModelLimits: Readonly<
  Record<PineconeEmbeddingModelId, EmbeddingModelLimits>
> = {
  'multilingual-e5-large': {
    maxEmbeddingsPerCall: 96,
    maxTokensPerInput: 507,
    defaultDimensions: 1024,
    supportedDimensions: [1024],
  },
  'llama-text-embed-v2': {
    maxEmbeddingsPerCall: 96,
    maxTokensPerInput: 2048,
    defaultDimensions: 1024,
    supportedDimensions: [384, 512, 768, 1024, 2048],
  },
};

/** Whether `modelId` is one of the rerank models in {@link rerankModelLimits}. */
export function isKnownRerankModel(modelId: string): modelId is PineconeRerankModelId {
  return Object.hasOwn(rerankModelLimits, modelId);
}

/** Whether `modelId` is one of the embedding models in {@link embeddingModelLimits}. */
export function isKnownEmbeddingModel(modelId: string): modelId is PineconeEmbeddingModelId {
  return Object.hasOwn(embeddingModelLimits, modelId);
}
