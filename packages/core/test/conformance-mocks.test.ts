import { describe, test } from 'vitest';
import { MockEmbeddingModel, MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';
import { embeddingModelTests, rerankStageTests, retrieveStageTests } from '../src/testing/index.js';

// The mocks pass their own suites with every capability they have switched on: this is what
// proves the suites' checks can pass (test/conformance-failures.test.ts proves they can fail).

describe('MockRerankStage conformance', () => {
  rerankStageTests(test, () => new MockRerankStage(), {
    scoreKind: 'probability',
    unicodeNormalization: true,
  });
});

describe('MockRerankStage conformance with windows and latency', () => {
  rerankStageTests(test, () => new MockRerankStage({ maxDocumentsPerCall: 4, latencyMs: 2 }), {
    scoreKind: 'probability',
    unicodeNormalization: true,
    objectDocuments: true,
  });
});

describe('MockRetrieveStage conformance', () => {
  retrieveStageTests(test, (corpus) => new MockRetrieveStage({ documents: corpus }), {
    filters: true,
    namespaces: true,
    unicodeNormalization: true,
  });
});

describe('MockRetrieveStage conformance with latency', () => {
  retrieveStageTests(test, (corpus) => new MockRetrieveStage({ documents: corpus, latencyMs: 2 }), {
    namespaces: true,
  });
});

describe('MockEmbeddingModel conformance', () => {
  embeddingModelTests(test, () => new MockEmbeddingModel(), {
    normalized: true,
    unicodeNormalization: true,
    vectorTolerance: 0,
  });
});

describe('MockEmbeddingModel conformance with small batches and latency', () => {
  embeddingModelTests(
    test,
    () => new MockEmbeddingModel({ dimensions: 16, maxEmbeddingsPerCall: 3, latencyMs: 2 }),
    { normalized: true },
  );
});
