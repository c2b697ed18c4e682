import type { EmbeddingModelV1 } from '../../spec/v1/index.js';
import type { TestFunction } from '../test-function.js';
import { registerEmbeddingAbortTests } from './abort.js';
import { registerBatchTests } from './batch.js';
import { registerEmbeddingDeterminismTests } from './determinism.js';
import {
  defaultEmbeddingModelCapabilities,
  type EmbeddingModelCapabilities,
} from './embedding-capabilities.js';
import { registerEmbeddingImmutabilityTests } from './immutability.js';
import { registerEmbeddingMetadataTests } from './metadata.js';
import { registerNormalizationTests } from './normalization.js';
import { registerSimilarityTests } from './similarity.js';
import { registerEmbeddingUnicodeTests } from './unicode.js';
import { registerVectorsShapeTests } from './vectors-shape.js';

/**
 * Registers the conformance checks every embedding model must pass, one `test` per check. Checks
 * that need a capability the model lacks are not registered.
 *
 * @param test - the framework's test-registration function
 * @param factory - builds a fresh model; called once per check
 * @param capabilities - what the model can do; see {@link EmbeddingModelCapabilities} for defaults
 *
 * @example
 * describe('cohere embedding model', () => {
 *   embeddingModelTests(test, () => cohere.embeddingModel('embed-multilingual-v3.0'), { normalized: true });
 * });
 */
export function embeddingModelTests(
  test: TestFunction,
  factory: () => EmbeddingModelV1 | Promise<EmbeddingModelV1>,
  capabilities: Partial<EmbeddingModelCapabilities> = {},
): void {
  const context = {
    test,
    factory,
    capabilities: { ...defaultEmbeddingModelCapabilities, ...capabilities },
  };
  registerEmbeddingMetadataTests(context);
  registerVectorsShapeTests(context);
  registerBatchTests(context);
  registerEmbeddingUnicodeTests(context);
  registerEmbeddingDeterminismTests(context);
  registerNormalizationTests(context);
  registerSimilarityTests(context);
  registerEmbeddingAbortTests(context);
  registerEmbeddingImmutabilityTests(context);
}
