import { embeddingModelTests } from '@twostage/core/testing';
import { describe, test } from 'vitest';
import { createTei } from '../src/index.js';
import { teiTestApiKey, useTeiEmulator } from './helpers/use-tei-emulator.js';

describe('TEI /embed conformance', () => {
  // A small max_client_batch_size, so the model's own windowing by /info is exercised.
  const server = useTeiEmulator({ apiKey: teiTestApiKey, maxClientBatchSize: 8, dimensions: 256 });
  embeddingModelTests(
    test,
    () =>
      createTei({ baseUrl: server().url, apiKey: teiTestApiKey }).embeddingModel('BAAI/bge-small', {
        dimensions: 256,
      }),
    {
      // TEI normalises by default; the emulator's bag-of-words vectors are NFC-normalised.
      normalized: true,
      unicodeNormalization: true,
      maxTestedEmbeddings: 100,
    },
  );
});
