/**
 * `@twostage/core/testing`: conformance suites every stage must pass (the mocks they can run
 * against live in `@twostage/core/mock`).
 *
 * @example
 * import { rerankStageTests } from '@twostage/core/testing';
 * describe('my reranker', () => rerankStageTests(test, () => createMyReranker(), { semanticRelevance: true }));
 * @packageDocumentation
 */
export type { ConformanceDocument } from './conformance-document.js';
export {
  defaultEmbeddingModelCapabilities,
  type EmbeddingModelCapabilities,
} from './embedding/embedding-capabilities.js';
export { embeddingModelTests } from './embedding/embedding-model-tests.js';
export {
  type FilterCase,
  type FilterFixtureRecord,
  filterCases,
  filterFixtureRecords,
} from './filter-cases.js';
export {
  defaultRerankStageCapabilities,
  type RerankStageCapabilities,
} from './rerank/rerank-capabilities.js';
export { rerankStageTests } from './rerank/rerank-stage-tests.js';
export {
  defaultRetrieveStageCapabilities,
  type RetrieveStageCapabilities,
} from './retrieve/retrieve-capabilities.js';
export { retrieveStageTests } from './retrieve/retrieve-stage-tests.js';
export type { TestFunction } from './test-function.js';
