/**
 * `@twostage/provider-pinecone`: stage 1 on Pinecone (vector query or integrated-inference text
 * search), Pinecone-hosted rerank and embeddings, and batched ingestion.
 * @packageDocumentation
 */
export { MetadataTooLargeError } from './metadata-too-large-error.js';
export type { PineconeEmbeddingSettings } from './pinecone-embedding-model.js';
export { PineconeEmbeddingModel } from './pinecone-embedding-model.js';
export {
  embeddingModelLimits,
  type PineconeEmbeddingModelId,
  type PineconeRerankModelId,
  rerankModelLimits,
} from './pinecone-models.js';
export {
  createPinecone,
  type PineconeProvider,
  type PineconeProviderSettings,
  pinecone,
} from './pinecone-provider.js';
export { type PineconeResolveOptions, twostageProvider } from './pinecone-registry-entry.js';
export { type PineconeRerankSettings, PineconeRerankStage } from './pinecone-rerank-stage.js';
export {
  type PineconeMetric,
  PineconeRetriever,
  type PineconeRetrieverMode,
  type PineconeRetrieverOptions,
} from './pinecone-retriever.js';
export type { PineconeProviderOptions } from './provider-options.js';
export { UpsertAbortedError } from './upsert-aborted-error.js';
export {
  type PineconeDocument,
  pineconeUpsertLimits,
  type UpsertDocumentsOptions,
  type UpsertDocumentsResult,
  type UpsertProgress,
} from './upsert-documents.js';
export { VERSION } from './version.js';
