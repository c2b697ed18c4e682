import { InvalidArgumentError, MissingSettingError, rerank } from '@twostage/core';
import { describe, expect, test } from 'vitest';
import { createRerankCompatible, rerankCompatible } from '../src/index.js';
import { engineApiKey, useEngineEmulator } from './helpers/use-engine-emulator.js';

const vllm = useEngineEmulator({ engine: 'vllm', apiKey: engineApiKey });
const model = 'BAAI/bge-reranker-v2-m3';
const documents = ['opening hours', 'the early repayment fee is 2%', 'fee schedule'];

describe('what goes on the wire to vLLM', () => {
  test("cohere-v2 posts to /v2/rerank in Cohere's names, with the key as a Bearer token", async () => {
    const provider = createRerankCompatible({
      baseUrl: vllm().url,
      api: 'cohere-v2',
      apiKey: engineApiKey,
    });
    const result = await provider.reranker(model, { maxTokensPerDoc: 256 }).doRerank({
      query: 'repayment fee',
      documents: { type: 'text', values: documents },
      topN: 2,
    });
    const [request] = vllm().requests;
    expect(request?.path).toBe('/v2/rerank');
    expect(request?.headers.authorization).toBe(`Bearer ${engineApiKey}`);
    expect(request?.body).toEqual({
      model,
      query: 'repayment fee',
      documents,
      top_n: 2,
      max_tokens_per_doc: 256,
    });
    expect(result.ranking).toEqual([
      { index: 1, score: 1 },
      { index: 2, score: 0.5 },
    ]);
    // vLLM's usage has no meta: prompt tokens are the input tokens (2 query words per document + 2 + 6 + 2).
    expect(result.usage).toEqual({ inputTokens: 16 });
    expect(result.response?.id).toMatch(/^score-/);
    expect(result.response?.modelId).toBe(model);
  });

  test('jina-v1 posts to /v1/rerank and asks for no documents back', async () => {
    const provider = createRerankCompatible({
      baseUrl: vllm().url,
      api: 'jina-v1',
      apiKey: engineApiKey,
    });
    await provider
      .reranker(model)
      .doRerank({ query: 'fee', documents: { type: 'text', values: documents } });
    expect(vllm().requests.map(({ path, body }) => ({ path, body }))).toEqual([
      { path: '/v1/rerank', body: { model, query: 'fee', documents, return_documents: false } },
    ]);
  });

  test("rawScores sends use_activation: false and makes the stage's scores logits", async () => {
    const stage = createRerankCompatible({
      baseUrl: vllm().url,
      api: 'cohere-v2',
      apiKey: engineApiKey,
    }).reranker(model, { rawScores: true });
    expect(stage.scoreKind).toBe('logit');
    const result = await stage.doRerank({
      query: 'fee',
      documents: { type: 'text', values: documents },
    });
    expect(vllm().requests[0]?.body).toHaveProperty('use_activation', false);
    expect(result.ranking).toEqual([
      { index: 1, score: 4 },
      { index: 2, score: 4 },
      { index: 0, score: -4 },
    ]);
  });

  test('keeps a path prefix, sends provider and call headers, never the key in the result', async () => {
    const provider = createRerankCompatible({
      baseUrl: `${vllm().url}/`,
      api: 'cohere-v2',
      apiKey: engineApiKey,
      headers: { 'x-team': 'search' },
    });
    const result = await provider.reranker(model).doRerank({
      query: 'fee',
      documents: { type: 'text', values: documents },
      headers: { 'x-request-id': 'abc' },
    });
    expect(vllm().requests[0]?.headers['x-team']).toBe('search');
    expect(vllm().requests[0]?.headers['x-request-id']).toBe('abc');
    expect(JSON.stringify(result)).not.toContain(engineApiKey);
  });

  test('object documents are sent as key: value lines, with a lossy-input warning', async () => {
    const stage = createRerankCompatible({
      baseUrl: vllm().url,
      api: 'cohere-v2',
      apiKey: engineApiKey,
    }).reranker(model);
    const result = await stage.doRerank({
      query: 'fee',
      documents: { type: 'object', values: [{ title: 'Fees', year: 2024 }] },
    });
    expect(vllm().requests[0]?.body).toHaveProperty('documents', ['title: Fees\nyear: 2024']);
    expect(result.warnings?.[0]?.type).toBe('lossy-input');
  });

  test('the default instance reads base URL, API and key from the environment at first call', async () => {
    const stage = rerankCompatible.reranker(model);
    await expect(
      stage.doRerank({ query: 'fee', documents: { type: 'text', values: documents } }),
    ).rejects.toThrow(MissingSettingError);
    process.env.RERANK_COMPATIBLE_BASE_URL = vllm().url;
    process.env.RERANK_COMPATIBLE_API = 'cohere-v2';
    process.env.RERANK_COMPATIBLE_API_KEY = engineApiKey;
    const result = await stage.doRerank({
      query: 'fee',
      documents: { type: 'text', values: documents },
    });
    expect(result.ranking[0]).toEqual({ index: 1, score: 1 });
    expect(vllm().requests[0]?.path).toBe('/v2/rerank');
    process.env.RERANK_COMPATIBLE_API = 'cohere';
    await expect(
      stage.doRerank({ query: 'fee', documents: { type: 'text', values: documents } }),
    ).rejects.toThrow(/RERANK_COMPATIBLE_API.*must be one of cohere-v2, jina-v1, infinity/);
  });

  test('core windows 2,500 documents into calls of maxDocumentsPerCall', async () => {
    const many = Array.from({ length: 2_500 }, (_, index) =>
      index === 1_700 ? 'fee here' : `doc ${index}`,
    );
    const provider = createRerankCompatible({
      baseUrl: vllm().url,
      api: 'cohere-v2',
      apiKey: engineApiKey,
      maxDocumentsPerCall: 1_000,
    });
    const result = await rerank({
      model: provider.reranker(model),
      query: 'fee',
      documents: many,
      topN: 1,
    });
    const sizes = vllm().requests.map(
      (request) => (request.body as { documents: string[] }).documents.length,
    );
    expect(sizes.sort((left, right) => right - left)).toEqual([1_000, 1_000, 500]);
    expect(result.ranking.map(({ index, score }) => ({ index, score }))).toEqual([
      { index: 1_700, score: 1 },
    ]);
  });
});

describe('bad settings and options are typed errors before anything is sent', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'misspelt setting',
      () => createRerankCompatible({ baseURL: 'http://x' } as never),
      /did you mean 'baseUrl'/,
    ],
    ['unknown api', () => createRerankCompatible({ api: 'tei' } as never), /settings\.api.*one of/],
    [
      'base URL without scheme',
      () => createRerankCompatible({ baseUrl: 'localhost:8000' }),
      /scheme 'localhost:'/,
    ],
    [
      'maxDocumentsPerCall 0',
      () => createRerankCompatible({ maxDocumentsPerCall: 0 }),
      /at least 1/,
    ],
    ['timeoutMs negative', () => createRerankCompatible({ timeoutMs: -1 }), /timeoutMs/],
    [
      'headers not strings',
      () => createRerankCompatible({ headers: { a: 1 } as never }),
      /string values/,
    ],
    ['blank model', () => createRerankCompatible().reranker(' '), /modelId/],
    [
      'misspelt option',
      () => createRerankCompatible().reranker('m', { rawScore: true } as never),
      /did you mean 'rawScores'/,
    ],
    [
      'bad scoreKind',
      () => createRerankCompatible().reranker('m', { scoreKind: 'prob' } as never),
      /scoreKind/,
    ],
  ];
  test.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrow(InvalidArgumentError);
    expect(run).toThrow(message);
  });

  test('a misspelt per-call provider option rejects with InvalidArgumentError, nothing sent', async () => {
    const stage = createRerankCompatible({ baseUrl: vllm().url, api: 'cohere-v2' }).reranker(model);
    await expect(
      stage.doRerank({
        query: 'fee',
        documents: { type: 'text', values: documents },
        providerOptions: { 'rerank-compatible': { max_tokens_per_doc: 5 } },
      }),
    ).rejects.toThrow(InvalidArgumentError);
    expect(vllm().requests).toEqual([]);
  });
});
