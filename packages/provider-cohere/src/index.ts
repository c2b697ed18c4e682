/**
 * `@twostage/provider-cohere`: Cohere Rerank (v2 `/rerank`) and Embed (v2 `/embed`) for twostage,
 * over core's shared HTTP helper (`@twostage/core/provider-utils`).
 * @packageDocumentation
 */
export type { CohereEmbeddingModel, CohereEmbeddingModelId } from './cohere-embedding-model.js';
export type {
  CohereEmbeddingCallOptions,
  CohereEmbeddingModelOptions,
} from './cohere-embedding-options.js';
export { type CohereProvider, cohere, createCohere } from './cohere-provider.js';
export type { CohereProviderSettings } from './cohere-provider-settings.js';
export { twostageProvider } from './cohere-registry-entry.js';
export type { CohereRerankOptions } from './cohere-rerank-options.js';
export type { CohereRerankModelId, CohereRerankStage } from './cohere-rerank-stage.js';
export { renderObjectDocument } from './render-object-document.js';
export { VERSION } from './version.js';
