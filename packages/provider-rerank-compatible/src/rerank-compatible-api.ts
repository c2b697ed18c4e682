/**
 * The wire shapes this provider speaks, each with its path below the base URL.
 * @see https://docs.cohere.com/reference/rerank (cohere-v2; vLLM's `/v2/rerank`)
 * @see https://jina.ai/reranker/ (jina-v1; vLLM's `/v1/rerank`)
 * @see https://github.com/michaelfeil/infinity (infinity; `POST {url_prefix}/rerank`)
 */
export type RerankCompatibleApi = 'cohere-v2' | 'jina-v1' | 'infinity';

/** Every accepted value of {@link RerankCompatibleApi}. */
export const rerankCompatibleApis: readonly RerankCompatibleApi[] = [
  'cohere-v2',
  'jina-v1',
  'infinity',
];

/** The path of the rerank route of each API, below the base URL. */
export const rerankCompatibleEndpoints: Readonly<Record<RerankCompatibleApi, string>> = {
  'cohere-v2': 'v2/rerank',
  'jina-v1': 'v1/rerank',
  infinity: 'rerank',
};
