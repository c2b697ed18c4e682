import { describe, expect, test } from 'vitest';
import { createRerankCompatible } from '../src/index.js';
import { engineApiKey, useEngineEmulator } from './helpers/use-engine-emulator.js';

const infinity = useEngineEmulator({
  engine: 'infinity',
  apiKey: engineApiKey,
  urlPrefix: '/v1',
  models: ['mixedbread-ai/mxbai-rerank-xsmall-v1', 'BAAI/bge-reranker-base'],
  maxClientBatchSize: 4,
});
const model = 'mixedbread-ai/mxbai-rerank-xsmall-v1';
const documents = ['opening hours', ' the early repayment fee ', 'fee schedule'];

function provider(settings: { maxDocumentsPerCall?: number; apiKey?: string } = {}) {
  return createRerankCompatible({
    baseUrl: infinity().url,
    api: 'infinity',
    apiKey: engineApiKey,
    ...settings,
  });
}

describe('Infinity /rerank', () => {
  test("posts Infinity's fields under the URL prefix and reads its reply (document: null)", async () => {
    const result = await provider()
      .reranker(model, { rawScores: false })
      .doRerank({
        query: 'repayment fee',
        documents: { type: 'text', values: documents },
        topN: 2,
      });
    expect(infinity().requests.map(({ path, body }) => ({ path, body }))).toEqual([
      {
        path: '/v1/rerank',
        body: {
          model,
          query: 'repayment fee',
          documents,
          top_n: 2,
          return_documents: false,
          raw_scores: false,
        },
      },
    ]);
    expect(result.ranking).toEqual([
      { index: 1, score: 1 },
      { index: 2, score: 0.5 },
    ]);
    expect(result.response?.id).toMatch(/^infinity-/);
    expect(result.usage).toEqual({ inputTokens: 14 });
  });

  test('raw_scores gives logits and the stage declares them', async () => {
    const stage = provider().reranker(model, { rawScores: true });
    expect(stage.scoreKind).toBe('logit');
    const result = await stage.doRerank({
      query: 'fee',
      documents: { type: 'text', values: documents },
    });
    expect(result.ranking.map((entry) => entry.score)).toEqual([4, 4, -4]);
  });

  test('maxTokensPerDoc is not sent (Infinity has none) and the warning says so', async () => {
    const result = await provider()
      .reranker(model, { maxTokensPerDoc: 100 })
      .doRerank({ query: 'fee', documents: { type: 'text', values: documents } });
    expect(infinity().requests[0]?.body).not.toHaveProperty('max_tokens_per_doc');
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'maxTokensPerDoc' }),
    ]);
  });
});
