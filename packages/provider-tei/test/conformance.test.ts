import { rerankStageTests } from '@twostage/core/testing';
import { describe, test } from 'vitest';
import { createTei } from '../src/index.js';
import { teiTestApiKey, useTeiEmulator } from './helpers/use-tei-emulator.js';

describe('TEI /rerank conformance', () => {
  const server = useTeiEmulator({ apiKey: teiTestApiKey, maxClientBatchSize: 64 });
  rerankStageTests(
    test,
    () =>
      createTei({ baseUrl: server().url, apiKey: teiTestApiKey }).reranker(
        'BAAI/bge-reranker-base',
      ),
    {
      scoreKind: 'probability',
      // The emulator scores word overlap: no sense of meaning, Unicode normalised to NFC.
      semanticRelevance: false,
      unicodeNormalization: true,
      // Far above max_client_batch_size, so the stage's own windowing is exercised.
      maxTestedDocuments: 1_000,
    },
  );
});
