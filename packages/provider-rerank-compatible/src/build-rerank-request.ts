import type { RerankCompatibleApi } from './rerank-compatible-api.js';
import type { RerankCompatibleRerankOptions } from './rerank-compatible-options.js';

/**
 * The request body of one rerank call, in each API's wire names.
 * - `cohere-v2` / `jina-v1` (vLLM's `/v2/rerank` and `/v1/rerank`, one handler): `model`,
 *   `query`, `documents`, `top_n`, `max_tokens_per_doc`, `use_activation`. `return_documents`
 *   is sent for Jina-shaped servers that echo documents by default (vLLM ignores it).
 * - `infinity`: `model`, `query`, `documents`, `return_documents: false`, `raw_scores`, `top_n`.
 * @see shared/reference/serving-engines.md (vLLM, Infinity)
 */
export function buildRerankRequest({
  api,
  modelId,
  query,
  documents,
  topN,
  options,
}: {
  api: RerankCompatibleApi;
  modelId: string;
  query: string;
  documents: string[];
  topN: number | undefined;
  options: RerankCompatibleRerankOptions;
}): Record<string, unknown> {
  const body: Record<string, unknown> = { model: modelId, query, documents };
  if (topN !== undefined) body.top_n = topN;
  if (api === 'infinity') {
    body.return_documents = false;
    if (options.rawScores !== undefined) body.raw_scores = options.rawScores;
    return body;
  }
  if (api === 'jina-v1') body.return_documents = false;
  if (options.maxTokensPerDoc !== undefined) body.max_tokens_per_doc = options.maxTokensPerDoc;
  if (options.rawScores === true) body.use_activation = false;
  return body;
}
