import { rerankStageTests } from '@twostage/core/testing';
import { describe, test } from 'vitest';
import { createRerankCompatible } from '../src/index.js';
import { engineApiKey, useEngineEmulator } from './helpers/use-engine-emulator.js';

const capabilities = {
  scoreKind: 'probability',
  // The emulators score word overlap: no sense of meaning, Unicode normalised to NFC.
  semanticRelevance: false,
  unicodeNormalization: true,
  // Above the default 1,000 per call, so that the windowing checks cross a window boundary.
  maxTestedDocuments: 2_500,
} as const;

describe('vLLM /v2/rerank (cohere-v2) conformance', () => {
  const vllm = useEngineEmulator({ engine: 'vllm', apiKey: engineApiKey });
  rerankStageTests(
    test,
    () =>
      createRerankCompatible({
        baseUrl: vllm().url,
        api: 'cohere-v2',
        apiKey: engineApiKey,
      }).reranker('BAAI/bge-reranker-v2-m3'),
    capabilities,
  );
});

describe('vLLM /v1/rerank (jina-v1) conformance', () => {
  const vllm = useEngineEmulator({ engine: 'vllm', apiKey: engineApiKey });
  rerankStageTests(
    test,
    () =>
      createRerankCompatible({
        baseUrl: vllm().url,
        api: 'jina-v1',
        apiKey: engineApiKey,
      }).reranker('BAAI/bge-reranker-v2-m3'),
    capabilities,
  );
});

describe('Infinity /rerank conformance', () => {
  const infinity = useEngineEmulator({
    engine: 'infinity',
    apiKey: engineApiKey,
    urlPrefix: '/v1',
  });
  rerankStageTests(
    test,
    () =>
      createRerankCompatible({
        baseUrl: infinity().url,
        api: 'infinity',
        apiKey: engineApiKey,
      }).reranker('mixedbread-ai/mxbai-rerank-xsmall-v1'),
    capabilities,
  );
});
