/**
 * `@twostage/core/mock`: deterministic stand-ins for the three stage contracts. They score by
 * term overlap (no model, no network), record their calls and how many ran at once, and can be
 * slowed down, scripted to fail or made to answer anything, so an app can wire its pipeline
 * before it has an account or a model, and test how it copes with a misbehaving stage. The
 * registry's `mock` provider serves them as `mock` references (`TWOSTAGE_RERANKER=mock`).
 *
 * Every setting is checked when a mock is built: a bad value or an unknown name is an
 * `InvalidArgumentError` naming it.
 *
 * @example
 * import { MockRerankStage } from '@twostage/core/mock';
 * const reranker = new MockRerankStage({ maxDocumentsPerCall: 10 });
 * @packageDocumentation
 */

export type { MockDocument } from './mock-document.js';
export {
  type MockEmbeddingCall,
  MockEmbeddingModel,
  type MockEmbeddingModelSettings,
} from './mock-embedding-model.js';
export type { MockFault } from './mock-fault.js';
export type { MockIntercept } from './mock-intercept.js';
export {
  type MockRerankCall,
  MockRerankStage,
  type MockRerankStageSettings,
} from './mock-rerank-stage.js';
export {
  type MockRetrieveCall,
  MockRetrieveStage,
  type MockRetrieveStageSettings,
} from './mock-retrieve-stage.js';
