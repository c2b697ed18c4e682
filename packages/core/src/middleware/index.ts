export type { StageMiddleware } from './stage-middleware.js';
export { type RerankCacheOptions, type RerankCacheStore, withCache } from './with-cache.js';
export {
  type CircuitBreakerOptions,
  type CircuitBreakerState,
  withCircuitBreaker,
} from './with-circuit-breaker.js';
export { withFallback } from './with-fallback.js';
export {
  type EmbeddingModelMiddleware,
  wrapEmbeddingModel,
} from './wrap-embedding-model.js';
export { type RerankStageMiddleware, wrapRerankStage } from './wrap-rerank-stage.js';
export { type RetrieveStageMiddleware, wrapRetrieveStage } from './wrap-retrieve-stage.js';
