import { ApiCallError, MissingSettingError, ModelNotFoundError, rerank } from '@twostage/core';
import { rerankStageTests } from '@twostage/core/testing';
import { beforeEach, describe, expect, test, vi } from 'vitest';
// The vLLM emulator lives with the provider for Cohere- and Jina-shaped engines.
import {
  engineApiKey,
  useEngineEmulator,
} from '../../provider-rerank-compatible/test/helpers/use-engine-emulator.js';
import { createCohere } from '../src/index.js';

/**
 * Does the Cohere adapter reach vLLM's `/v2/rerank` by configuration alone? vLLM answers
 * `{ id, model, usage, results: [{ index, document, relevance_score }] }` with no `meta`, and
 * errors as `{ error: { message, type, param, code } }` (shared/reference/serving-engines.md).
 */
const vllm = useEngineEmulator({ engine: 'vllm', apiKey: engineApiKey });
const model = 'BAAI/bge-reranker-v2-m3';

beforeEach(() => {
  vi.stubEnv('COHERE_API_KEY', '');
  vi.stubEnv('CO_API_KEY', '');
  vi.stubEnv('COHERE_BASE_URL', '');
});

function cohereOnVllm() {
  return createCohere({ apiKey: engineApiKey, baseUrl: vllm().url, timeoutMs: 10_000 });
}

describe('the Cohere adapter against vLLM /v2/rerank', () => {
  test('accepts the reply without meta: ranking read, no usage, no warnings', async () => {
    const result = await cohereOnVllm()
      .reranker(model)
      .doRerank({
        query: 'repayment fee',
        documents: { type: 'text', values: ['opening hours', 'the repayment fee', 'fee table'] },
        topN: 2,
      });
    expect(vllm().requests.map(({ path, body }) => ({ path, body }))).toEqual([
      {
        path: '/v2/rerank',
        body: {
          model,
          query: 'repayment fee',
          documents: ['opening hours', 'the repayment fee', 'fee table'],
          top_n: 2,
        },
      },
    ]);
    expect(vllm().requests[0]?.headers.authorization).toBe(`Bearer ${engineApiKey}`);
    expect(result.ranking).toEqual([
      { index: 1, score: 1 },
      { index: 2, score: 0.5 },
    ]);
    expect(result.usage).toBeUndefined();
    expect(result.warnings).toBeUndefined();
    expect(result.response?.id).toMatch(/^score-/);
  });

  test('retries a 429 with Retry-After through core', async () => {
    vllm().script({
      type: 'status',
      status: 429,
      body: { error: { message: 'busy', type: 'TooManyRequests', param: null, code: 429 } },
      headers: { 'retry-after': '0' },
    });
    const result = await rerank({
      model: cohereOnVllm().reranker(model),
      query: 'fee',
      documents: ['hours', 'fee'],
    });
    expect(vllm().requests.map((request) => request.status)).toEqual([429, 200]);
    expect(result.ranking[0]?.index).toBe(1);
  });

  test("reads vLLM's { error: { message } } into the message, but an unknown model stays an ApiCallError", async () => {
    let error: unknown;
    try {
      await cohereOnVllm()
        .reranker('no/such-model')
        .doRerank({ query: 'fee', documents: { type: 'text', values: ['fee'] } });
    } catch (caught) {
      error = caught;
    }
    // mapCohereError reads Cohere's { message } only: vLLM's 404 is not a ModelNotFoundError.
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(ModelNotFoundError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ statusCode: 404, isRetryable: false });
    expect((error as Error).message).toContain('The model `no/such-model` does not exist.');
  });
  test('needs an apiKey even for a vLLM started without --api-key (any value then)', async () => {
    const stage = createCohere({ baseUrl: vllm().url }).reranker(model);
    await expect(
      stage.doRerank({ query: 'fee', documents: { type: 'text', values: ['fee'] } }),
    ).rejects.toThrow(MissingSettingError);
    expect(vllm().requests).toEqual([]);
  });
});

describe('Cohere adapter conformance against vLLM /v2/rerank', () => {
  rerankStageTests(test, () => cohereOnVllm().reranker(model), {
    scoreKind: 'probability',
    semanticRelevance: false,
    unicodeNormalization: true,
    maxTestedDocuments: 2_500,
  });
});
