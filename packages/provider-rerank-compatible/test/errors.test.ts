import {
  AbortedError,
  ApiCallError,
  InvalidResponseError,
  ModelNotFoundError,
  RetryError,
  rerank,
} from '@twostage/core';
import { describe, expect, test } from 'vitest';
import { createRerankCompatible } from '../src/index.js';
import { engineApiKey, useEngineEmulator } from './helpers/use-engine-emulator.js';

const vllm = useEngineEmulator({ engine: 'vllm', apiKey: engineApiKey });
const infinity = useEngineEmulator({
  engine: 'infinity',
  apiKey: engineApiKey,
  models: ['a/reranker', 'b/reranker'],
  maxClientBatchSize: 2,
});
const model = 'BAAI/bge-reranker-v2-m3';
const documents = { type: 'text' as const, values: ['opening hours', 'the fee'] };

function vllmStage(settings: { apiKey?: string; timeoutMs?: number } = {}, modelId = model) {
  return createRerankCompatible({
    baseUrl: vllm().url,
    api: 'cohere-v2',
    apiKey: engineApiKey,
    ...settings,
  }).reranker(modelId);
}

async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe("vLLM's error bodies", () => {
  test('an unknown model (404 NotFoundError) is a ModelNotFoundError with the ApiCallError as cause', async () => {
    const error = await failure(
      vllmStage({}, 'no/such-model').doRerank({ query: 'fee', documents }),
    );
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect((error as ModelNotFoundError).modelId).toBe('no/such-model');
    expect((error as Error).message).toContain('The model `no/such-model` does not exist.');
    expect(ApiCallError.isInstance((error as Error).cause)).toBe(true);
  });

  test("a wrong key (401 { error: 'Unauthorized' }) names the setting, never the key", async () => {
    const error = await failure(
      vllmStage({ apiKey: 'wrong-key-0123456789' }).doRerank({ query: 'fee', documents }),
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false });
    expect((error as Error).message).toMatch(/answered 401: Unauthorized\. Check apiKey/);
    expect(JSON.stringify(error)).not.toContain('wrong-key-0123456789');
    expect(String((error as Error).message)).not.toContain('wrong-key-0123456789');
  });

  test('a 400 BadRequestError carries its message and param, and is not retried', async () => {
    vllm().script({
      type: 'status',
      status: 400,
      body: {
        error: {
          message: 'max_tokens_per_doc must be less than max_model_len',
          type: 'BadRequestError',
          param: 'max_tokens_per_doc',
          code: 400,
        },
      },
    });
    const error = await failure(
      rerank({ model: vllmStage(), query: 'fee', documents: documents.values }),
    );
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect((error as Error).message).toContain(
      "answered 400 BadRequestError: max_tokens_per_doc must be less than max_model_len (param 'max_tokens_per_doc')",
    );
    expect(vllm().requests).toHaveLength(1);
  });

  test('a 501 (the model cannot score) is not retried', async () => {
    vllm().script({
      type: 'status',
      status: 501,
      body: {
        error: {
          message: 'The model does not support Rerank',
          type: 'NotImplementedError',
          param: null,
          code: 501,
        },
      },
    });
    const error = await failure(
      rerank({ model: vllmStage(), query: 'fee', documents: documents.values }),
    );
    expect(error).toMatchObject({ statusCode: 501, isRetryable: false });
    expect(vllm().requests.map((request) => request.status)).toEqual([501]);
  });

  test('a wrong api for the server (404 { detail: Not Found }) says which routes each api uses', async () => {
    const stage = createRerankCompatible({ baseUrl: `${vllm().url}/v9`, api: 'infinity' }).reranker(
      model,
    );
    const error = await failure(stage.doRerank({ query: 'fee', documents }));
    expect(ApiCallError.isInstance(error) && !ModelNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      'Not Found. No infinity rerank route there: check baseUrl and api',
    );
  });
});

describe("Infinity's error bodies", () => {
  function infinityStage(modelId = 'a/reranker') {
    return createRerankCompatible({
      baseUrl: infinity().url,
      api: 'infinity',
      apiKey: engineApiKey,
    }).reranker(modelId);
  }

  test("FastAPI's 422 { detail: [...] } names the field and the rule", async () => {
    const error = await failure(
      infinityStage().doRerank({
        query: 'fee',
        documents: { type: 'text', values: ['a', 'b', 'c'] },
      }),
    );
    expect(error).toMatchObject({ statusCode: 422, isRetryable: false });
    expect((error as Error).message).toContain(
      'body.documents: List should have at most 2 items after validation, not 3',
    );
  });

  test('an unknown model among several (400 Invalid model) is a ModelNotFoundError', async () => {
    const error = await failure(infinityStage('c/reranker').doRerank({ query: 'fee', documents }));
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Invalid model: c/reranker');
  });

  test('a full queue (429) is retried by core after its Retry-After', async () => {
    infinity().script({
      type: 'status',
      status: 429,
      body: { error: { message: 'queue is full', type: null, param: null, code: 429 } },
      headers: { 'retry-after': '0' },
    });
    const result = await rerank({
      model: infinityStage(),
      query: 'fee',
      documents: documents.values,
    });
    expect(infinity().requests.map((request) => request.status)).toEqual([429, 200]);
    expect(result.ranking.map(({ index, score }) => ({ index, score }))).toEqual([
      { index: 1, score: 1 },
      { index: 0, score: 0 },
    ]);
  });

  test("a missing key (401 { detail: 'Unauthorized' }) is a non-retryable ApiCallError", async () => {
    const stage = createRerankCompatible({ baseUrl: infinity().url, api: 'infinity' }).reranker(
      'a/reranker',
    );
    const error = await failure(stage.doRerank({ query: 'fee', documents }));
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false });
    expect(infinity().requests[0]?.headers).not.toHaveProperty('authorization');
  });
});

describe('retries belong to core, timeouts and malformed answers are typed', () => {
  test('a 429 with Retry-After and a 503 are retried by core; the third attempt answers', async () => {
    vllm().script(
      {
        type: 'status',
        status: 429,
        body: { error: { message: 'busy', type: 'TooManyRequests', param: null, code: 429 } },
        headers: { 'retry-after': '0' },
      },
      {
        type: 'status',
        status: 503,
        body: {
          error: { message: 'engine dead', type: 'ServiceUnavailable', param: null, code: 503 },
        },
        headers: { 'retry-after': '0' },
      },
    );
    const result = await rerank({ model: vllmStage(), query: 'fee', documents: documents.values });
    expect(vllm().requests.map((request) => request.status)).toEqual([429, 503, 200]);
    expect(result.ranking.map(({ index, score }) => ({ index, score }))).toEqual([
      { index: 1, score: 1 },
      { index: 0, score: 0 },
    ]);
  });

  test('a 429 carries retryAfterMs from Retry-After; past maxRetries core gives up with a RetryError', async () => {
    const busy = {
      type: 'status' as const,
      status: 429,
      body: { error: { message: 'busy', type: 'TooManyRequests', param: null, code: 429 } },
      headers: { 'retry-after': '0' },
    };
    vllm().script(busy, busy);
    const error = await failure(
      rerank({ model: vllmStage(), query: 'fee', documents: documents.values, maxRetries: 1 }),
    );
    expect(RetryError.isInstance(error)).toBe(true);
    const attempts = (error as RetryError).errors as ApiCallError[];
    expect(
      attempts.map((attempt) => [attempt.statusCode, attempt.retryAfterMs, attempt.isRetryable]),
    ).toEqual([
      [429, 0, true],
      [429, 0, true],
    ]);
  });

  test('an attempt past timeoutMs fails with a retryable ApiCallError', async () => {
    vllm().script({ type: 'delay', ms: 5_000 });
    const error = await failure(vllmStage({ timeoutMs: 50 }).doRerank({ query: 'fee', documents }));
    expect(error).toMatchObject({ isRetryable: true, statusCode: undefined });
    expect((error as Error).message).toContain('timed out after 50 ms');
  });

  test('a reset connection is a retryable ApiCallError', async () => {
    vllm().script({ type: 'reset' });
    const error = await failure(vllmStage().doRerank({ query: 'fee', documents }));
    expect(error).toMatchObject({ isRetryable: true });
  });

  test('an abort rejects with AbortedError', async () => {
    vllm().script({ type: 'delay', ms: 5_000 });
    const controller = new AbortController();
    const pending = vllmStage().doRerank({
      query: 'fee',
      documents,
      abortSignal: controller.signal,
    });
    controller.abort(new Error('user left'));
    expect(AbortedError.isInstance(await failure(pending))).toBe(true);
  });

  const malformed: [string, string][] = [
    ['a cut-off body', '{"id":"x","results":[{"index":0,"relevance_'],
    ['no results array', '{"id":"x","data":[]}'],
    ['an index out of range', '{"results":[{"index":7,"relevance_score":0.5}]}'],
    [
      'a repeated index',
      '{"results":[{"index":0,"relevance_score":0.5},{"index":0,"relevance_score":0.4}]}',
    ],
    ['a score that is not a number', '{"results":[{"index":0,"relevance_score":"high"}]}'],
    [
      'more results than documents',
      '{"results":[{"index":0,"relevance_score":1},{"index":1,"relevance_score":1},{"index":1,"relevance_score":1}]}',
    ],
  ];
  test.each(malformed)(
    'a 200 with %s is an InvalidResponseError, not retried',
    async (_name, body) => {
      vllm().script({ type: 'malformed-json', body });
      const error = await failure(
        rerank({ model: vllmStage(), query: 'fee', documents: documents.values }),
      );
      expect(InvalidResponseError.isInstance(error)).toBe(true);
      expect(vllm().requests).toHaveLength(1);
    },
  );
});
