import { TeiEmbeddingModel } from './tei-embedding-model.js';
import type { TeiEmbeddingOptions } from './tei-embedding-options.js';
import type { TeiProviderSettings } from './tei-provider-settings.js';
import type { TeiRerankOptions } from './tei-rerank-options.js';
import { TeiRerankStage } from './tei-rerank-stage.js';
import { TeiServerInfoCache } from './tei-server-info.js';
import { validateTeiSettings } from './validate-tei-settings.js';

/** A configured provider for one TEI server (or a load balancer in front of a TEI fleet). */
export type TeiProvider = {
  /**
   * A rerank stage on the server's `POST /rerank`.
   * @param modelId - the model TEI serves (its `--model-id`), used in results and errors
   * @param options - defaults for every call; `providerOptions.tei` of a call wins
   */
  reranker(modelId: string, options?: TeiRerankOptions): TeiRerankStage;
  /**
   * An embedding model on the server's `POST /embed`.
   * @param modelId - the model TEI serves (its `--model-id`)
   * @param options - `dimensions` (required: TEI does not report it) and the `/embed` options
   */
  embeddingModel(modelId: string, options: TeiEmbeddingOptions): TeiEmbeddingModel;
};

/**
 * Creates a provider for a Text Embeddings Inference server. Settings are checked here;
 * `baseUrl` and `apiKey` missing here are read from `TEI_BASE_URL` and `TEI_API_KEY` at the
 * first call. `GET /info` is read once per provider, at the first call that needs its limits.
 *
 * @example
 * const server = createTei({ baseUrl: 'http://tei:8080' });
 * const reranker = server.reranker('BAAI/bge-reranker-base');
 */
export function createTei(settings: TeiProviderSettings = {}): TeiProvider {
  // A checked copy: changing the caller's object later does not change this provider.
  const frozen = validateTeiSettings(settings);
  const info = new TeiServerInfoCache(frozen);
  return {
    reranker: (modelId, options = {}) => new TeiRerankStage(modelId, options, frozen, info),
    embeddingModel: (modelId, options) => new TeiEmbeddingModel(modelId, options, frozen, info),
  };
}

/** The default provider: everything from the environment, read at first call. */
export const tei: TeiProvider = createTei();
