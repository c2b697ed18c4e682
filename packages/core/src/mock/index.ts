/**
 * `@twostage/core/mock`: deterministic stand-ins for the three stage contracts. They score by
 * term overlap (no model, no network), record their calls and can inject faults, so an app can
 * wire its pipeline before it has an account or a model. The registry's `mock` provider serves
 * them as `mock` references (`TWOSTAGE_RERANKER=mock`).
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
