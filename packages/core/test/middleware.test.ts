import { describe, expect, test } from 'vitest';
import {
  ApiCallError,
  InvalidArgumentError,
  rerank,
  retrieve,
  wrapEmbeddingModel,
  wrapRerankStage,
  wrapRetrieveStage,
} from '../src/index.js';
import { MockEmbeddingModel, MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';
import { embeddingModelTests, rerankStageTests, retrieveStageTests } from '../src/testing/index.js';

// Middleware wraps a stage's do* call and keeps the rest of the contract: a wrapped stage is a
// stage (the conformance suites pass on it) and core's windowing and retries run around it.

describe('wrapped stages pass the conformance suites', () => {
  describe('wrapRerankStage', () => {
    rerankStageTests(
      test,
      () =>
        wrapRerankStage(new MockRerankStage({ maxDocumentsPerCall: 4 }), {
          wrapCall: ({ doCall }) => doCall(),
        }),
      { scoreKind: 'probability', unicodeNormalization: true, objectDocuments: true },
    );
  });
  describe('wrapRetrieveStage', () => {
    retrieveStageTests(
      test,
      (corpus) =>
        wrapRetrieveStage(new MockRetrieveStage({ documents: corpus }), {
          wrapCall: ({ doCall }) => doCall(),
        }),
      { filters: true, namespaces: true, unicodeNormalization: true },
    );
  });
  describe('wrapEmbeddingModel', () => {
    embeddingModelTests(test, () =>
      wrapEmbeddingModel(new MockEmbeddingModel(), { wrapCall: ({ doCall }) => doCall() }),
    );
  });
});

describe('wrapRerankStage', () => {
  test('keeps the contract, runs a list outermost-first, and sees the transformed options', async () => {
    const stage = new MockRerankStage({ maxDocumentsPerCall: 2, scoreKind: 'probability' });
    const order: string[] = [];
    const wrapped = wrapRerankStage(stage, [
      {
        transformOptions: ({ options }) => {
          order.push('outer transform');
          return { ...options, headers: { ...options.headers, 'x-tenant': 'bank' } };
        },
        wrapCall: async ({ doCall }) => {
          order.push('outer before');
          const result = await doCall();
          order.push('outer after');
          return result;
        },
      },
      {
        wrapCall: async ({ doCall, options }) => {
          order.push(`inner sees ${options.headers?.['x-tenant']}`);
          return doCall();
        },
      },
    ]);
    expect({
      specificationVersion: wrapped.specificationVersion,
      provider: wrapped.provider,
      modelId: wrapped.modelId,
      maxDocumentsPerCall: wrapped.maxDocumentsPerCall,
      scoreKind: wrapped.scoreKind,
    }).toEqual({
      specificationVersion: 'v1',
      provider: 'mock',
      modelId: 'mock-reranker',
      maxDocumentsPerCall: 2,
      scoreKind: 'probability',
    });
    const { ranking } = await rerank({ model: wrapped, query: 'fee', documents: ['fee', 'card'] });
    expect(ranking.map((item) => item.index)).toEqual([0, 1]);
    expect(order).toEqual(['outer transform', 'outer before', 'inner sees bank', 'outer after']);
    expect(stage.calls[0]?.headers).toEqual({ 'x-tenant': 'bank' });
  });

  test('core windows and retries around the middleware: it sees every window and every attempt', async () => {
    const stage = new MockRerankStage({
      maxDocumentsPerCall: 2,
      faults: [
        {
          call: 1,
          error: new ApiCallError({
            message: 'busy',
            url: 'mock://',
            statusCode: 503,
            retryAfterMs: 1,
          }),
        },
      ],
    });
    const seen: number[] = [];
    const wrapped = wrapRerankStage(stage, {
      wrapCall: ({ doCall, options }) => {
        seen.push(options.documents.values.length);
        return doCall();
      },
    });
    const { ranking } = await rerank({
      model: wrapped,
      query: 'fee',
      documents: ['fee', 'card', 'fee card'],
      maxConcurrency: 1,
    });
    expect(ranking).toHaveLength(3);
    expect(seen).toEqual([2, 2, 1]);
  });

  test('a wrapCall can answer instead of the stage', async () => {
    const stage = new MockRerankStage();
    const wrapped = wrapRerankStage(stage, {
      wrapCall: async () => ({ ranking: [{ index: 0, score: 0.25 }] }),
    });
    const { ranking } = await rerank({ model: wrapped, query: 'q', documents: ['a'] });
    expect(ranking).toEqual([{ index: 0, score: 0.25, document: 'a' }]);
    expect(stage.calls).toEqual([]);
  });

  test('malformed middleware and non-stages are refused by name', () => {
    const stage = new MockRerankStage();
    expect(() => wrapRerankStage(stage, { wrapCal: () => undefined } as never)).toThrow(
      /Invalid argument 'middleware.wrapCal'.*did you mean 'wrapCall'/,
    );
    expect(() => wrapRerankStage(stage, [{}, { wrapCall: 5 }] as never)).toThrow(
      /Invalid argument 'middleware\[1\]\.wrapCall': must be a function/,
    );
    expect(() => wrapRerankStage(stage, null as never)).toThrow(InvalidArgumentError);
    expect(() => wrapRerankStage({} as never, {})).toThrow(/Invalid argument 'stage'/);
  });
});

describe('wrapRetrieveStage', () => {
  test('transformOptions can rewrite the query the stage sees', async () => {
    const stage = new MockRetrieveStage({
      documents: [
        { id: 'fee', text: 'early repayment fee' },
        { id: 'card', text: 'lost card' },
      ],
    });
    const wrapped = wrapRetrieveStage(stage, {
      transformOptions: ({ options }) => ({ ...options, query: `${options.query} fee` }),
    });
    const { candidates } = await retrieve({ retriever: wrapped, query: 'early repayment' });
    expect(stage.calls[0]?.query).toBe('early repayment fee');
    expect(candidates[0]?.id).toBe('fee');
  });
});
