/**
 * `@twostage/core`: the contracts of two-stage retrieval and everything provider-neutral.
 * @packageDocumentation
 */

// Core user-facing functions: retries, rerank, embed, retrieve and the two-stage pipeline.
// Calibration: one model's raw scores as probabilities of relevance, and thresholds on them.
export * from './calibration/index.js';
export { type EmbeddingUsage, type EmbedOptions, type EmbedResult, embed } from './embed/embed.js';
export { type EmbedManyOptions, type EmbedManyResult, embedMany } from './embed/embed-many.js';
export * from './errors/index.js';
export * from './eval/index.js';
export * from './filter/index.js';
// Long documents: chunk-max windows (offsets in each ranking item's `chunk`).
export type {
  LongDocumentOptions,
  LongDocumentStrategy,
} from './long-documents/long-document-options.js';
export { charactersPerToken } from './long-documents/plan-character-windows.js';
// Middleware: wrap a stage's do* call (timing, caching, breakers, fallbacks) without changing it.
export * from './middleware/index.js';
export { createPipeline, type Pipeline } from './pipeline/create-pipeline.js';
export type { StageEndEvent, StageStartEvent } from './pipeline/stage-events.js';
export {
  type PipelineOptions,
  type RerankErrorPolicy,
  type TwoStageOptions,
  type TwoStageResult,
  type TwoStageResultItem,
  twoStage,
} from './pipeline/two-stage.js';
// Provider registry: `provider:model` references and TWOSTAGE_* variables resolved to models.
export {
  type ModelReference,
  type ProviderModelKind,
  type ProviderModuleV1,
  parseModelReference,
  type ResolveOptions,
  registerProvider,
  resolveEmbeddingModel,
  resolveReranker,
  resolveRetriever,
  unregisterProvider,
} from './registry/index.js';
export type { RerankedDocument } from './rerank/collect-window-ranking.js';
export type {
  RerankDocumentFormat,
  RerankInputDocument,
} from './rerank/prepare-rerank-documents.js';
export {
  type RerankOptions,
  type RerankResult,
  type RerankUsage,
  rerank,
} from './rerank/rerank.js';
export { type RetrieveOptions, type RetrieveResult, retrieve } from './retrieve/retrieve.js';
export { parseRetryAfter } from './retry/parse-retry-after.js';
export {
  isRetryableError,
  type RetryOptions,
  retryDelayMs,
  retryWithBackoff,
} from './retry/retry-with-backoff.js';
export { loadOptionalSetting, loadSetting } from './settings/load-setting.js';
export type * from './spec/v1/index.js';
export { raceAbort } from './util/race-abort.js';
export { sleep } from './util/sleep.js';
export { validateMetadata } from './util/validate-metadata.js';
