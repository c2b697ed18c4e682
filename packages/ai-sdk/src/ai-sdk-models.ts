import type { EmbeddingModelV3, RerankingModelV3 } from '@ai-sdk/provider';

/**
 * An AI SDK reranking model of spec v3 (`@ai-sdk/provider` 3, `ai` 6) or v4 (`@ai-sdk/provider`
 * 4, `ai` 7): the two differ only in the version literal (and v4 may warn `deprecated`), so the
 * bridge calls `doRerank` the same way on both.
 */
export type AiSdkRerankingModel = Omit<RerankingModelV3, 'specificationVersion'> & {
  readonly specificationVersion: 'v3' | 'v4';
};

/** An AI SDK embedding model of spec v3 or v4, called the same way. */
export type AiSdkEmbeddingModel = Omit<EmbeddingModelV3, 'specificationVersion'> & {
  readonly specificationVersion: 'v3' | 'v4';
};

/** The AI SDK spec versions the bridge reads. */
export const aiSdkModelVersions = ['v3', 'v4'] as const;
