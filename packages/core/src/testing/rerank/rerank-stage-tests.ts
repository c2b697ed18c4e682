import type { RerankStageV1 } from '../../spec/v1/index.js';
import type { TestFunction } from '../test-function.js';
import { registerRerankAbortTests } from './abort.js';
import { registerCallIndependenceTests } from './call-independence.js';
import { registerCoreRerankTests } from './core-rerank.js';
import { registerDeterminismTests } from './determinism.js';
import { registerDuplicateTests } from './duplicates.js';
import { registerRerankImmutabilityTests } from './immutability.js';
import { registerLongDocumentTests } from './long-documents.js';
import { registerRerankMetadataTests } from './metadata.js';
import { registerObjectDocumentTests } from './object-documents.js';
import { registerRankingShapeTests } from './ranking-shape.js';
import { registerRelevanceTests } from './relevance.js';
import {
  defaultRerankStageCapabilities,
  type RerankStageCapabilities,
} from './rerank-capabilities.js';
import { registerScoreRangeTests } from './score-range.js';
import { registerTopNTests } from './top-n.js';
import { registerRerankUnicodeTests } from './unicode.js';

/**
 * Registers the conformance checks every rerank stage must pass, one `test` per check. Checks
 * that need a capability the stage lacks are not registered.
 *
 * @param test - the framework's test-registration function (`test` / `it` of vitest or jest, or
 *   `node:test`'s `test`)
 * @param factory - builds a fresh stage; called once per check
 * @param capabilities - what the stage can do; see {@link RerankStageCapabilities} for defaults
 *
 * @example
 * describe('cohere rerank stage', () => {
 *   rerankStageTests(test, () => cohere.reranker('rerank-v3.5'), { semanticRelevance: false });
 * });
 */
export function rerankStageTests(
  test: TestFunction,
  factory: () => RerankStageV1 | Promise<RerankStageV1>,
  capabilities: Partial<RerankStageCapabilities> = {},
): void {
  const context = {
    test,
    factory,
    capabilities: { ...defaultRerankStageCapabilities, ...capabilities },
  };
  registerRerankMetadataTests(context);
  registerRankingShapeTests(context);
  registerTopNTests(context);
  registerCoreRerankTests(context);
  registerRerankAbortTests(context);
  registerRerankImmutabilityTests(context);
  registerRerankUnicodeTests(context);
  registerLongDocumentTests(context);
  registerDuplicateTests(context);
  registerDeterminismTests(context);
  registerCallIndependenceTests(context);
  registerScoreRangeTests(context);
  registerRelevanceTests(context);
  registerObjectDocumentTests(context);
}
