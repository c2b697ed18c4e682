import { validateCohereSettings } from './call-cohere.js';
import { CohereEmbeddingModel, type CohereEmbeddingModelId } from './cohere-embedding-model.js';
import type { CohereEmbeddingModelOptions } from './cohere-embedding-options.js';
import type { CohereProviderSettings } from './cohere-provider-settings.js';
import type { CohereRerankOptions } from './cohere-rerank-options.js';
import { type CohereRerankModelId, CohereRerankStage } from './cohere-rerank-stage.js';

/** A configured Cohere provider: a factory of rerank stages and embedding models. */
export type CohereProvider = {
  /**
   * A rerank stage on Cohere's v2 rerank endpoint.
   * @param modelId - e.g. `rerank-v3.5`, `rerank-multilingual-v3.0`, `rerank-v4.0-pro`
   * @param options - defaults for every call; `providerOptions.cohere` of a call wins
   */
  reranker(modelId: CohereRerankModelId, options?: CohereRerankOptions): CohereRerankStage;
  /**
   * An embedding model on Cohere's v2 embed endpoint.
   * @param modelId - e.g. `embed-v4.0`, `embed-multilingual-v3.0`
   */
  embeddingModel(
    modelId: CohereEmbeddingModelId,
    options?: CohereEmbeddingModelOptions,
  ): CohereEmbeddingModel;
};

/**
 * Creates a Cohere provider. Nothing is read or sent here: the API key (option, else
 * `COHERE_API_KEY`, else `CO_API_KEY`) is read at each model's first call, so a provider can be
 * created before the environment is set up.
 *
 * @example
 * const cohere = createCohere({ apiKey: process.env.MY_COHERE_KEY, timeoutMs: 10_000 });
 * const reranker = cohere.reranker('rerank-v3.5');
 */
export function createCohere(settings: CohereProviderSettings = {}): CohereProvider {
  validateCohereSettings(settings);
  // A copy, so that changing the caller's object later does not change this provider.
  const frozen: CohereProviderSettings = {
    ...settings,
    ...(settings.headers === undefined ? {} : { headers: { ...settings.headers } }),
  };
  return {
    reranker: (modelId, options = {}) => new CohereRerankStage(modelId, options, frozen),
    embeddingModel: (modelId, options = {}) => new CohereEmbeddingModel(modelId, options, frozen),
  };
}

/** The default provider: the key from `COHERE_API_KEY` (or `CO_API_KEY`), read at first call. */
export const cohere: CohereProvider = createCohere();
