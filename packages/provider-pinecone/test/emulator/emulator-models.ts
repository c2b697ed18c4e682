/**
 * The hosted models the emulator serves, with the limits Pinecone's `GET /models` reports.
 * Written out here on purpose rather than imported from the adapter: the emulator plays the
 * service, so an adapter that declares the wrong limit fails against it.
 *
 * @see https://docs.pinecone.io/reference/api/2025-10/inference/list_models
 */

export type EmulatedEmbedModel = {
  maxBatch: number;
  maxTokens: number;
  defaultDimension: number;
  dimensions: readonly number[];
  truncate: readonly string[];
};

export type EmulatedRerankModel = {
  maxDocuments: number;
  maxTokens: number;
  multipleRankFields: boolean;
  /** The default of `truncate`, or undefined when the model takes no such parameter. */
  defaultTruncate: 'END' | 'NONE' | undefined;
};

export const embedModels: Readonly<Record<string, EmulatedEmbedModel>> = {
  'multilingual-e5-large': {
    maxBatch: 96,
    maxTokens: 507,
    defaultDimension: 1024,
    dimensions: [1024],
    truncate: ['END', 'NONE'],
  },
  'llama-text-embed-v2': {
    maxBatch: 96,
    maxTokens: 2048,
    defaultDimension: 1024,
    dimensions: [384, 512, 768, 1024, 2048],
    truncate: ['END', 'NONE', 'START'],
  },
};

export const rerankModels: Readonly<Record<string, EmulatedRerankModel>> = {
  'bge-reranker-v2-m3': {
    maxDocuments: 100,
    maxTokens: 1024,
    multipleRankFields: false,
    defaultTruncate: 'NONE',
  },
  'cohere-rerank-3.5': {
    maxDocuments: 200,
    maxTokens: 40_000,
    multipleRankFields: true,
    defaultTruncate: undefined,
  },
  'pinecone-rerank-v0': {
    maxDocuments: 100,
    maxTokens: 512,
    multipleRankFields: false,
    defaultTruncate: 'END',
  },
};
