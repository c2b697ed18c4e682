/**
 * `@twostage/provider-tei`: rerank (and embeddings) over Hugging Face Text Embeddings Inference,
 * so a TEI server or fleet is reached by configuration alone (`TEI_BASE_URL`).
 * @packageDocumentation
 */
export type { TeiEmbeddingModel } from './tei-embedding-model.js';
export type { TeiEmbeddingOptions } from './tei-embedding-options.js';
export { createTei, type TeiProvider, tei } from './tei-provider.js';
export type { TeiProviderSettings } from './tei-provider-settings.js';
export { twostageProvider } from './tei-registry-entry.js';
export type { TeiRerankOptions } from './tei-rerank-options.js';
export type { TeiRerankStage } from './tei-rerank-stage.js';
export { VERSION } from './version.js';
