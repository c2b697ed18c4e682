import type { RerankCompatibleRerankOptions } from './rerank-compatible-options.js';
import type { RerankCompatibleProviderSettings } from './rerank-compatible-provider-settings.js';
import { RerankCompatibleRerankStage } from './rerank-compatible-rerank-stage.js';
import { validateRerankCompatibleSettings } from './validate-rerank-compatible-settings.js';

/** A configured provider for one rerank server (or load balancer in front of a fleet). */
export type RerankCompatibleProvider = {
  /**
   * A rerank stage on the server's rerank route.
   * @param modelId - the served model name (vLLM's `--served-model-name`, Infinity's model id)
   * @param options - defaults for every call; `providerOptions['rerank-compatible']` of a call wins
   */
  reranker(modelId: string, options?: RerankCompatibleRerankOptions): RerankCompatibleRerankStage;
};

/**
 * Creates a provider for a Cohere-, Jina- or Infinity-shaped rerank endpoint. Settings are
 * checked here; `baseUrl`, `api` and `apiKey` missing here are read from
 * `RERANK_COMPATIBLE_BASE_URL`, `RERANK_COMPATIBLE_API` and `RERANK_COMPATIBLE_API_KEY` at each
 * stage's first call.
 *
 * @example
 * const vllm = createRerankCompatible({ baseUrl: 'http://vllm:8000', api: 'cohere-v2' });
 * const reranker = vllm.reranker('BAAI/bge-reranker-v2-m3');
 */
export function createRerankCompatible(
  settings: RerankCompatibleProviderSettings = {},
): RerankCompatibleProvider {
  // A checked copy: changing the caller's object later does not change this provider.
  const frozen = validateRerankCompatibleSettings(settings);
  return {
    reranker: (modelId, options = {}) => new RerankCompatibleRerankStage(modelId, options, frozen),
  };
}

/** The default provider: everything from the environment, read at first call. */
export const rerankCompatible: RerankCompatibleProvider = createRerankCompatible();
