import type { RerankingModelV3CallOptions } from '@ai-sdk/provider';
import { APICallError, InvalidResponseDataError, NoSuchModelError } from '@ai-sdk/provider';
import {
  AbortedError,
  ApiCallError,
  InvalidArgumentError,
  InvalidResponseError,
  ModelNotFoundError,
  rerank,
  twoStage,
} from '@twostage/core';
import { MockRetrieveStage } from '@twostage/core/mock';
import { MockRerankingModelV3 } from 'ai/test';
import { describe, expect, test } from 'vitest';
import { fromAiSdkRerankingModel } from '../src/index.js';

type Reply = Awaited<ReturnType<MockRerankingModelV3['doRerank']>>;

/** An AI SDK model that scores by the number in each text and records what it was sent. */
function numberModel() {
  const calls: RerankingModelV3CallOptions[] = [];
  const model = new MockRerankingModelV3({
    provider: 'acme.reranking',
    modelId: 'acme-rerank-1',
    doRerank: async (options) => {
      calls.push(options);
      const values = options.documents.values.map((value) =>
        typeof value === 'string' ? value : String(value.text),
      );
      const ranking = values
        .map((text, index) => ({ index, relevanceScore: Number(/\d+/.exec(text)?.[0] ?? 0) / 100 }))
        .sort((left, right) => right.relevanceScore - left.relevanceScore)
        .slice(0, options.topN ?? values.length);
      return { ranking, response: { id: `r-${calls.length}`, headers: { 'x-trace': 't' } } };
    },
  });
  return { model, calls };
}

/** A model that fails with each error in turn, then answers. */
function failingModel(errors: unknown[]) {
  let call = 0;
  const model = new MockRerankingModelV3({
    doRerank: async (options) => {
      const error = errors[call++];
      if (error !== undefined) throw error;
      return {
        ranking: options.documents.values.map((_, index) => ({ index, relevanceScore: 0.5 })),
      };
    },
  });
  return { model, calls: () => call };
}

const apiError = (statusCode: number, headers: Record<string, string> = {}) =>
  new APICallError({
    message: `status ${statusCode}`,
    url: 'https://api.acme.example/v1/rerank',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    responseBody: JSON.stringify({ message: `status ${statusCode}` }),
    isRetryable: statusCode === 429 || statusCode >= 500,
  });

describe("twostage's rerank() over an AI SDK model", () => {
  test('returns the exact ranking, windowed by maxDocumentsPerCall with topN per window', async () => {
    const { model, calls } = numberModel();
    const stage = fromAiSdkRerankingModel(model, {
      scoreKind: 'probability',
      maxDocumentsPerCall: 3,
    });
    const documents = ['a 10', 'b 70', 'c 20', 'd 90', 'e 30', 'f 80', 'g 40'];
    const result = await rerank({ model: stage, query: 'letters', documents, topN: 3 });
    expect(result.ranking.map(({ index, score, document }) => [index, score, document])).toEqual([
      [3, 0.9, 'd 90'],
      [5, 0.8, 'f 80'],
      [1, 0.7, 'b 70'],
    ]);
    expect(calls.map((call) => [call.documents.values, call.topN])).toEqual([
      [['a 10', 'b 70', 'c 20'], 3],
      [['d 90', 'e 30', 'f 80'], 3],
      [['g 40'], 1],
    ]);
    expect(result.servedBy).toBe('acme.reranking:acme-rerank-1');
    expect(result.responses.map((response) => response.id)).toEqual(['r-1', 'r-2', 'r-3']);
  });

  test('sends object documents as { ...metadata, text }, headers and provider options as they are', async () => {
    const { model, calls } = numberModel();
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const result = await rerank({
      model: stage,
      query: 'q',
      documents: [
        { id: 'x', text: 'first 5', metadata: { year: 2020 } },
        { id: 'y', text: 'second 50' },
      ],
      documentFormat: 'object',
      headers: { 'x-team': 'search' },
      providerOptions: { cohere: { maxTokensPerDoc: 512 } },
    });
    expect(calls[0]?.documents).toEqual({
      type: 'object',
      values: [{ year: 2020, text: 'first 5' }, { text: 'second 50' }],
    });
    expect(calls[0]?.headers).toEqual({ 'x-team': 'search' });
    expect(calls[0]?.providerOptions).toEqual({ cohere: { maxTokensPerDoc: 512 } });
    expect(result.ranking.map(({ document }) => document.id)).toEqual(['y', 'x']);
  });

  test('twoStage() with an AI SDK reranker orders stage-1 candidates by its scores', async () => {
    const { model } = numberModel();
    const retriever = new MockRetrieveStage({
      documents: [
        { id: 'fee-10', text: 'fee 10' },
        { id: 'fee-90', text: 'fee 90' },
        { id: 'fee-40', text: 'fee 40' },
        { id: 'hours', text: 'hours 99' },
      ],
    });
    const result = await twoStage({
      retriever,
      reranker: fromAiSdkRerankingModel(model, { scoreKind: 'probability' }),
      query: 'fee',
      rerankTopN: 2,
    });
    expect(result.results.map(({ id, rerankScore }) => [id, rerankScore])).toEqual([
      ['fee-90', 0.9],
      ['fee-40', 0.4],
    ]);
  });

  test('sorts an unsorted reply and cuts it to topN', async () => {
    const model = new MockRerankingModelV3({
      doRerank: async () => ({
        ranking: [
          { index: 0, relevanceScore: 0.1 },
          { index: 2, relevanceScore: 0.9 },
          { index: 1, relevanceScore: 0.5 },
        ],
      }),
    });
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const reply = await stage.doRerank({
      query: 'q',
      documents: { type: 'text', values: ['a', 'b', 'c'] },
      topN: 2,
    });
    expect(reply.ranking).toEqual([
      { index: 2, score: 0.9 },
      { index: 1, score: 0.5 },
    ]);
  });

  test('maps warnings and response metadata, credential headers removed', async () => {
    const model = new MockRerankingModelV3({
      doRerank: async () => ({
        ranking: [{ index: 0, relevanceScore: 0.3 }],
        warnings: [
          { type: 'compatibility', feature: 'object documents', details: 'stringified' },
          { type: 'unsupported', feature: 'topN' },
          { type: 'compatibility', feature: 'streaming' },
          { type: 'other', message: 'note' },
          { type: 'deprecated', feature: 'v3', details: 'use v4' } as never,
        ],
        response: {
          id: 'resp-1',
          modelId: 'acme-2',
          headers: { authorization: 'Bearer secret', 'x-trace': 't' },
          body: { ok: true },
        },
      }),
    });
    const reply = await fromAiSdkRerankingModel(model, { scoreKind: 'logit' }).doRerank({
      query: 'q',
      documents: { type: 'text', values: ['a'] },
    });
    expect(reply.warnings).toEqual([
      { type: 'lossy-input', details: 'stringified' },
      { type: 'unsupported-setting', setting: 'topN' },
      { type: 'other', message: 'compatibility: streaming' },
      { type: 'other', message: 'note' },
      { type: 'other', message: 'deprecated: v3: use v4' },
    ]);
    expect(reply.response).toEqual({
      id: 'resp-1',
      modelId: 'acme-2',
      headers: { 'x-trace': 't' },
      body: { ok: true },
    });
  });
});

describe('errors of the AI SDK model, in the twostage family', () => {
  test('a 429 APICallError is retried by core after its retry-after-ms', async () => {
    const { model, calls } = failingModel([apiError(429, { 'retry-after-ms': '5' })]);
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const result = await rerank({ model: stage, query: 'q', documents: ['a', 'b'] });
    expect(result.ranking.map(({ index }) => index)).toEqual([0, 1]);
    expect(calls()).toBe(2);
    expect(result.timings.calls).toBe(2);
  });

  test('5xx APICallErrors (500, 503) are retried by core as well', async () => {
    const { model, calls } = failingModel([apiError(500, {}), apiError(503, {})]);
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const result = await rerank({ model: stage, query: 'q', documents: ['a', 'b'] });
    expect(result.ranking.map(({ index }) => index)).toEqual([0, 1]);
    expect(calls()).toBe(3);
  });

  test('a 400 APICallError is not retried and keeps its status, body and headers', async () => {
    const { model, calls } = failingModel([apiError(400, { 'x-request-id': 'q-1' })]);
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const error = await rerank({ model: stage, query: 'q', documents: ['a'] }).catch(
      (caught: unknown) => caught,
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 400,
      isRetryable: false,
      url: 'https://api.acme.example/v1/rerank',
      responseBody: { message: 'status 400' },
      responseHeaders: { 'x-request-id': 'q-1' },
    });
    expect(calls()).toBe(1);
  });

  test('retry-after in seconds becomes retryAfterMs; credential headers are dropped', async () => {
    const { model } = failingModel([
      apiError(503, { 'retry-after': '7', 'x-api-key': 'sk-secret-value' }),
    ]);
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const error = await Promise.resolve(
      stage.doRerank({ query: 'q', documents: { type: 'text', values: ['a'] } }),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'ApiCallError',
      statusCode: 503,
      isRetryable: true,
      retryAfterMs: 7000,
      responseHeaders: { 'retry-after': '7' },
    });
    expect((error as ApiCallError).cause).toBeInstanceOf(APICallError);
  });

  test.each([
    [
      'NoSuchModelError → ModelNotFoundError',
      new NoSuchModelError({ modelId: 'gone', modelType: 'rerankingModel' }),
      ModelNotFoundError,
    ],
    [
      'InvalidResponseDataError → InvalidResponseError',
      new InvalidResponseDataError({ data: {}, message: 'no results' }),
      InvalidResponseError,
    ],
  ])('%s', async (_, thrown, expected) => {
    const { model, calls } = failingModel([thrown]);
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const error = await rerank({ model: stage, query: 'q', documents: ['a'] }).catch(
      (caught: unknown) => caught,
    );
    expect(expected.isInstance(error)).toBe(true);
    expect(calls()).toBe(1);
  });

  test('any other error becomes a TwostageError naming the model, with the original as cause', async () => {
    const original = new TypeError('fetch failed badly');
    const { model } = failingModel([original]);
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    await expect(
      stage.doRerank({ query: 'q', documents: { type: 'text', values: ['a'] } }),
    ).rejects.toMatchObject({
      name: 'TwostageError',
      message: 'mock-provider:mock-model-id failed: fetch failed badly',
      cause: original,
    });
  });

  test('aborting in flight rejects with AbortedError and passes the signal to the model', async () => {
    let seen: AbortSignal | undefined;
    const model = new MockRerankingModelV3({
      doRerank: (options) => {
        seen = options.abortSignal;
        return new Promise(() => {});
      },
    });
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const controller = new AbortController();
    const call = rerank({
      model: stage,
      query: 'q',
      documents: ['a'],
      abortSignal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('stop'));
    const error = await call.catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(seen?.aborted).toBe(true);
  });

  test("the model's own AbortError after an abort is an AbortedError too", async () => {
    const controller = new AbortController();
    const model = new MockRerankingModelV3({
      doRerank: async () => {
        controller.abort();
        throw new DOMException('This operation was aborted', 'AbortError');
      },
    });
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const error = await Promise.resolve(
      stage.doRerank({
        query: 'q',
        documents: { type: 'text', values: ['a'] },
        abortSignal: controller.signal,
      }),
    ).catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
  });
});

describe("the model's reply is checked", () => {
  test.each<[string, Reply['ranking'], RegExp]>([
    [
      'an index out of range',
      [{ index: 2, relevanceScore: 0.5 }],
      /index must be an integer in \[0, 1\], got 2/,
    ],
    ['a negative index', [{ index: -1, relevanceScore: 0.5 }], /got -1/],
    ['a fractional index', [{ index: 0.5, relevanceScore: 0.5 }], /got 0.5/],
    [
      'a repeated index',
      [
        { index: 1, relevanceScore: 0.5 },
        { index: 1, relevanceScore: 0.4 },
      ],
      /index 1 appears twice/,
    ],
    [
      'a NaN score',
      [{ index: 0, relevanceScore: Number.NaN }],
      /relevanceScore must be a finite number, got NaN/,
    ],
  ])('%s is an InvalidResponseError', async (_, ranking, message) => {
    const model = new MockRerankingModelV3({ doRerank: async () => ({ ranking }) });
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    const call = Promise.resolve(
      stage.doRerank({ query: 'q', documents: { type: 'text', values: ['a', 'b'] } }),
    );
    await expect(call).rejects.toThrow(InvalidResponseError);
    await expect(call).rejects.toThrow(message);
  });

  test('a reply without a ranking array is an InvalidResponseError', async () => {
    const model = new MockRerankingModelV3({ doRerank: async () => ({}) as never });
    const stage = fromAiSdkRerankingModel(model, { scoreKind: 'probability' });
    await expect(
      stage.doRerank({ query: 'q', documents: { type: 'text', values: ['a'] } }),
    ).rejects.toThrow(/'ranking' must be an array/);
  });
});

describe('fromAiSdkRerankingModel() accepts v3 and v4 models and refuses bad input', () => {
  const model = new MockRerankingModelV3();

  test('a v4 model (ai 7) is called the same way', async () => {
    const v4 = {
      specificationVersion: 'v4' as const,
      provider: 'acme',
      modelId: 'v4-model',
      doRerank: async () => ({ ranking: [{ index: 0, relevanceScore: 0.75 }] }),
    };
    const stage = fromAiSdkRerankingModel(v4, {
      scoreKind: 'probability',
      maxDocumentsPerCall: 100,
    });
    expect([
      stage.specificationVersion,
      stage.provider,
      stage.modelId,
      stage.maxDocumentsPerCall,
    ]).toEqual(['v1', 'acme', 'v4-model', 100]);
    const result = await rerank({ model: stage, query: 'q', documents: ['only'] });
    expect(result.ranking).toEqual([{ index: 0, score: 0.75, document: 'only' }]);
  });

  test.each([
    ['not a model', undefined, 'model'],
    [
      'a model without doRerank',
      { specificationVersion: 'v3', provider: 'p', modelId: 'm' },
      'model',
    ],
    [
      'a v2 model',
      { specificationVersion: 'v2', provider: 'p', modelId: 'm', doRerank: () => undefined },
      'model.specificationVersion',
    ],
    [
      'a twostage stage',
      { specificationVersion: 'v1', provider: 'p', modelId: 'm', doRerank: () => undefined },
      'model.specificationVersion',
    ],
  ])('%s', (_, value, argument) => {
    const attempt = () => fromAiSdkRerankingModel(value as never, { scoreKind: 'probability' });
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ argument }));
  });

  test.each([
    ['no options', undefined, 'options'],
    ['a missing scoreKind', {}, 'options.scoreKind'],
    ['an unknown scoreKind', { scoreKind: 'percent' }, 'options.scoreKind'],
    [
      'a zero maxDocumentsPerCall',
      { scoreKind: 'logit', maxDocumentsPerCall: 0 },
      'options.maxDocumentsPerCall',
    ],
    ['an unknown option name', { scoreKind: 'logit', topN: 3 }, 'options.topN'],
    ['an empty provider', { scoreKind: 'logit', provider: '' }, 'options.provider'],
  ])('%s', (_, options, argument) => {
    const attempt = () => fromAiSdkRerankingModel(model, options as never);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ argument }));
  });

  test('an unlimited maxDocumentsPerCall (Infinity) is no limit', () => {
    const stage = fromAiSdkRerankingModel(model, {
      scoreKind: 'similarity',
      maxDocumentsPerCall: Infinity,
    });
    expect(stage.maxDocumentsPerCall).toBeUndefined();
    expect(stage.scoreKind).toBe('similarity');
  });
});
