import type { RetrieveStageV1 } from '../../spec/v1/index.js';
import type { ConformanceDocument } from '../conformance-document.js';
import type { TestFunction } from '../test-function.js';
import { registerRetrieveAbortTests } from './abort.js';
import { registerCandidatesShapeTests } from './candidates-shape.js';
import { registerRetrieveDeterminismTests } from './determinism.js';
import { registerFilterTests } from './filters.js';
import { registerRetrieveImmutabilityTests } from './immutability.js';
import { registerRetrieveMetadataTests } from './metadata.js';
import { registerNamespaceTests } from './namespaces.js';
import { registerRetrieveRelevanceTests } from './relevance.js';
import {
  defaultRetrieveStageCapabilities,
  type RetrieveStageCapabilities,
} from './retrieve-capabilities.js';
import { registerStoredMetadataTests } from './stored-metadata.js';
import { registerTopKTests } from './top-k.js';

/**
 * Registers the conformance checks every retrieve stage must pass, one `test` per check. Checks
 * that need a capability the stage lacks are not registered.
 *
 * @param test - the framework's test-registration function
 * @param factory - builds a fresh stage holding exactly the given corpus (indexed, embedded,
 *   upserted: whatever the stage needs); called once per check
 * @param capabilities - what the stage can do; see {@link RetrieveStageCapabilities} for defaults
 *
 * @example
 * describe('bm25 retriever', () => {
 *   retrieveStageTests(test, (corpus) => createBm25Retriever({ documents: corpus }), { namespaces: true });
 * });
 */
export function retrieveStageTests(
  test: TestFunction,
  factory: (corpus: ConformanceDocument[]) => RetrieveStageV1 | Promise<RetrieveStageV1>,
  capabilities: Partial<RetrieveStageCapabilities> = {},
): void {
  const context = {
    test,
    factory,
    capabilities: { ...defaultRetrieveStageCapabilities, ...capabilities },
  };
  registerRetrieveMetadataTests(context);
  registerCandidatesShapeTests(context);
  registerTopKTests(context);
  registerRetrieveRelevanceTests(context);
  registerStoredMetadataTests(context);
  registerFilterTests(context);
  registerNamespaceTests(context);
  registerRetrieveAbortTests(context);
  registerRetrieveImmutabilityTests(context);
  registerRetrieveDeterminismTests(context);
}
