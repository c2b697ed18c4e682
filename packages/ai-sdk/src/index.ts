/**
 * `@twostage/ai-sdk`: bridges between twostage and the Vercel AI SDK (`ai` 6 and 7). twostage
 * rerank stages and embedding models become AI SDK reranking and embedding models
 * (`RerankingModelV3`, `EmbeddingModelV3`), windowed and retried by core; AI SDK models become
 * twostage stages, with core's retries and the AI SDK's errors mapped into twostage's family.
 * @packageDocumentation
 */
export type { AiSdkEmbeddingModel, AiSdkRerankingModel } from './ai-sdk-models.js';
export type { BridgeCallSettings } from './bridge-call-settings.js';
export {
  type FromAiSdkEmbeddingModelOptions,
  fromAiSdkEmbeddingModel,
} from './from-ai-sdk-embedding-model.js';
export {
  type FromAiSdkRerankingModelOptions,
  fromAiSdkRerankingModel,
} from './from-ai-sdk-reranking-model.js';
export { type MapAiSdkErrorContext, mapAiSdkError } from './map-ai-sdk-error.js';
export {
  type ToAiSdkEmbeddingModelOptions,
  toAiSdkEmbeddingModel,
} from './to-ai-sdk-embedding-model.js';
export {
  type ToAiSdkRerankingModelOptions,
  toAiSdkRerankingModel,
} from './to-ai-sdk-reranking-model.js';
export { VERSION } from './version.js';
