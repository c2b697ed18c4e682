import { rerankStageTests } from '@twostage/core/testing';
import { createCohere } from '@twostage/provider-cohere';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startTestServer, type TestServer, testToken } from './helpers/start-test-server.js';
import { createSyntheticReranker, type SyntheticReranker } from './helpers/synthetic-reranker.js';

// "Switch by configuration": the Cohere adapter, its base URL set to the server, passes core's
// rerank conformance suite against a synthetic local ONNX cross-encoder.
let model: SyntheticReranker;
let running: TestServer;
beforeAll(async () => {
  model = await createSyntheticReranker();
  running = await startTestServer({ reranker: model.stage });
});
afterAll(async () => {
  await running?.server.close();
  await model?.dispose();
});

describe('cohere adapter → twostage server → local ONNX (synthetic BERT)', () => {
  rerankStageTests(
    test,
    () =>
      createCohere({ apiKey: testToken, baseUrl: running.url, timeoutMs: 30_000 }).reranker(
        'served-model',
      ),
    {
      scoreKind: 'probability',
      // Random weights know no relevance.
      lexicalRelevance: false,
      semanticRelevance: false,
      unicodeNormalization: true,
      timeoutMs: 60_000,
    },
  );
});
