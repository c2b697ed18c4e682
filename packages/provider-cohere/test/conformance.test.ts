import { embeddingModelTests, rerankStageTests } from '@twostage/core/testing';
import { describe, test } from 'vitest';
import { createCohere } from '../src/index.js';
import { emulatorApiKey, useCohereEmulator } from './helpers/use-cohere-emulator.js';

const emulator = useCohereEmulator();

function provider() {
  return createCohere({ apiKey: emulatorApiKey, baseUrl: emulator().url, timeoutMs: 10_000 });
}

describe('cohere rerank stage conformance (emulator)', () => {
  rerankStageTests(test, () => provider().reranker('rerank-v3.5'), {
    scoreKind: 'probability',
    // The emulator scores word overlap: no sense of meaning, Unicode normalised to NFC.
    semanticRelevance: false,
    unicodeNormalization: true,
    // Above 1,000 so that the suite's windowing checks cross a window boundary.
    maxTestedDocuments: 2_500,
  });
});

describe('cohere embedding model conformance (emulator)', () => {
  embeddingModelTests(test, () => provider().embeddingModel('embed-english-v3.0'), {
    normalized: true,
    unicodeNormalization: true,
    maxTestedEmbeddings: 200,
  });
});
