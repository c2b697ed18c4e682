import { describe, expect, test } from 'vitest';
import { AbortedError } from '../src/errors/aborted-error.js';
import { ApiCallError } from '../src/errors/api-call-error.js';
import { InvalidArgumentError } from '../src/errors/invalid-argument-error.js';
import { InvalidResponseError } from '../src/errors/invalid-response-error.js';
import { MockRerankStage } from '../src/mock/index.js';
import { type RerankOptions, rerank } from '../src/rerank/rerank.js';
import type { RerankStageV1, RerankStageV1CallOptions } from '../src/spec/v1/rerank-stage-v1.js';
import { deepFreeze } from '../src/testing/helpers/deep-freeze.js';
import { never } from './helpers/never.js';

/** Scores a text by how many of the query's words it contains. */
function overlap(text: string, query: string): number {
  const words = new Set(text.toLowerCase().split(/\W+/));
  return query
    .toLowerCase()
    .split(/\W+/)
    .filter((word) => word !== '' && words.has(word)).length;
}

/** Scores a text by its length, so longer texts rank first. */
// Lengths are unbounded scores: the stages that use them declare logits.
const byLength = (text: string) => text.length;

const documents = [
  'The branch opens at nine.',
  'Close an account at any branch with your ID.',
  'Card fees are waived for students.',
  'To close a savings account, visit a branch.',
];

async function invalidArgumentOf(options: unknown): Promise<string> {
  const error = await rerank(options as RerankOptions).catch((caught: unknown) => caught);
  if (!InvalidArgumentError.isInstance(error))
    throw new Error(`expected an InvalidArgumentError, got ${String(error)}`);
  return error.argument;
}

describe('rerank', () => {
  test('ranks by score descending and re-attaches each document by index', async () => {
    // `extra: () => ({})`: a stage that reports no usage and no warnings.
    const model = new MockRerankStage({ score: overlap, scoreKind: 'logit', extra: () => ({}) });
    const result = await rerank({ model, query: 'close account branch', documents });
    expect(result.ranking).toEqual([
      { index: 1, score: 3, document: documents[1] },
      { index: 3, score: 3, document: documents[3] },
      { index: 0, score: 1, document: documents[0] },
      { index: 2, score: 0, document: documents[2] },
    ]);
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0]?.documents).toEqual({ type: 'text', values: documents });
    expect(model.calls[0]?.query).toBe('close account branch');
    expect(model.calls[0]?.topN).toBeUndefined();
    expect(result.timings.calls).toBe(1);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(0);
    expect(result.usage).toEqual({});
    expect(result.warnings).toEqual([]);
  });

  test('returns the caller’s own document objects, unchanged', async () => {
    const objects = [
      { id: 'a', text: 'short', metadata: { year: 2020 } },
      { id: 'b', text: 'a longer text' },
    ];
    const result = await rerank({
      model: new MockRerankStage({ score: byLength, scoreKind: 'logit' }),
      query: 'q',
      documents: objects,
    });
    expect(result.ranking.map((entry) => entry.document)).toEqual([objects[1], objects[0]]);
    expect(result.ranking[0]?.document).toBe(objects[1]);
    expect(result.ranking[0]?.document.id).toBe('b');
  });

  test('topN keeps the best N and is passed to the model', async () => {
    const model = new MockRerankStage({ score: overlap, scoreKind: 'logit' });
    const result = await rerank({ model, query: 'close account branch', documents, topN: 2 });
    expect(result.ranking.map((entry) => entry.index)).toEqual([1, 3]);
    expect(model.calls[0]?.topN).toBe(2);
  });

  test('topN larger than the documents is clamped to their count', async () => {
    const model = new MockRerankStage({ score: byLength, scoreKind: 'logit' });
    const result = await rerank({ model, query: 'q', documents: ['a', 'bb', 'ccc'], topN: 10 });
    expect(result.ranking.map((entry) => entry.index)).toEqual([2, 1, 0]);
    expect(model.calls[0]?.topN).toBe(3);
  });

  test('empty documents give an empty result without calling the model', async () => {
    const model = new MockRerankStage();
    const result = await rerank({ model, query: 'q', documents: [], topN: 3 });
    expect(result.ranking).toEqual([]);
    expect(result.timings.calls).toBe(0);
    expect(model.calls).toEqual([]);
  });

  test('equal scores keep their input order', async () => {
    const model = new MockRerankStage({ score: () => 0.5, reverseTies: true });
    const result = await rerank({ model, query: 'q', documents: ['a', 'b', 'c', 'd'] });
    expect(result.ranking.map((entry) => entry.index)).toEqual([0, 1, 2, 3]);
  });

  test('sends object documents as text by default', async () => {
    const model = new MockRerankStage();
    await rerank({
      model,
      query: 'q',
      documents: ['plain', { id: 'x', text: 'object text', metadata: { year: 2024 } }],
    });
    expect(model.calls[0]?.documents).toEqual({ type: 'text', values: ['plain', 'object text'] });
  });

  test("documentFormat 'object' sends { ...metadata, text } without the id", async () => {
    const model = new MockRerankStage();
    await rerank({
      model,
      query: 'q',
      documentFormat: 'object',
      documents: [
        'plain',
        { id: 'x', text: 'object text', metadata: { title: 'Fees', year: 2024, tags: ['a'] } },
        { text: 'no metadata' },
        { text: 'the real text', metadata: { text: 'a metadata field named text' } },
      ],
    });
    expect(model.calls[0]?.documents).toEqual({
      type: 'object',
      values: [
        { text: 'plain' },
        { title: 'Fees', year: 2024, tags: ['a'], text: 'object text' },
        { text: 'no metadata' },
        { text: 'the real text' },
      ],
    });
  });

  test("passes headers, providerOptions and a signal that the caller's abort fires", async () => {
    const model = new MockRerankStage({ latencyMs: 10_000 });
    const controller = new AbortController();
    const call = rerank({
      model,
      query: 'q',
      documents: ['a'],
      headers: { 'x-trace': '1' },
      providerOptions: { fake: { flag: true } },
      abortSignal: controller.signal,
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    // The model gets the call's own signal (the caller's, linked to the call's deadline).
    const signal = model.calls[0]?.abortSignal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(false);
    controller.abort();
    expect(signal?.aborted).toBe(true);
    expect(AbortedError.isInstance(await call)).toBe(true);
    expect(model.calls[0]?.headers).toEqual({ 'x-trace': '1' });
    expect(model.calls[0]?.providerOptions).toEqual({ fake: { flag: true } });
  });

  test('never mutates deep-frozen inputs', async () => {
    const input = {
      query: 'close account',
      topN: 2,
      documents: [
        'The branch opens at nine.',
        { id: 'b', text: 'Close an account at a branch.', metadata: { tags: ['accounts'] } },
        { text: 'Card fees.' },
      ],
      headers: { 'x-trace': '1' },
      providerOptions: { fake: { nested: { deep: [1, 2] } } },
    };
    const before = structuredClone(input);
    deepFreeze(input);
    for (const documentFormat of ['text', 'object'] as const) {
      const result = await rerank({
        model: new MockRerankStage({ score: overlap, scoreKind: 'logit' }),
        ...input,
        documentFormat,
      });
      expect(result.ranking.map((entry) => entry.index)).toEqual([1, 0]);
    }
    expect(input).toEqual(before);
  });

  test('sums usage and collects warnings and response metadata', async () => {
    const model = new MockRerankStage({
      extra: () => ({
        usage: { searchUnits: 1 },
        warnings: [{ type: 'lossy-input', details: 'metadata dropped' }],
        response: { id: 'response-1' },
      }),
    });
    const result = await rerank({ model, query: 'q', documents: ['a', 'b'] });
    expect(result.usage).toEqual({ searchUnits: 1 });
    expect(result.warnings).toEqual([{ type: 'lossy-input', details: 'metadata dropped' }]);
    expect(result.responses).toEqual([{ id: 'response-1' }]);
  });

  describe('validation', () => {
    const model = new MockRerankStage();
    const valid = { model, query: 'q', documents: ['a', 'b'] };

    test.each([
      ['an empty query', { ...valid, query: '' }, 'query'],
      ['a blank query', { ...valid, query: ' \n\t ' }, 'query'],
      ['a query that is not a string', { ...valid, query: 42 }, 'query'],
      ['documents that are not an array', { ...valid, documents: 'a' }, 'documents'],
      ['a missing document', { ...valid, documents: ['a', 'b', 'c', undefined] }, 'documents[3]'],
      ['a null document', { ...valid, documents: [null] }, 'documents[0]'],
      ['a number as document', { ...valid, documents: ['a', 7] }, 'documents[1]'],
      ['an array as document', { ...valid, documents: [['a']] }, 'documents[0]'],
      ['an object without text', { ...valid, documents: ['a', { id: 'x' }] }, 'documents[1].text'],
      [
        'an object whose text is a number',
        { ...valid, documents: [{ text: 3 }] },
        'documents[0].text',
      ],
      ['topN 0', { ...valid, topN: 0 }, 'topN'],
      ['a negative topN', { ...valid, topN: -2 }, 'topN'],
      ['a fractional topN', { ...valid, topN: 1.5 }, 'topN'],
      ['topN NaN', { ...valid, topN: Number.NaN }, 'topN'],
      ['topN as a string', { ...valid, topN: '3' }, 'topN'],
      ['maxConcurrency 0', { ...valid, maxConcurrency: 0 }, 'maxConcurrency'],
      ['a fractional maxConcurrency', { ...valid, maxConcurrency: 2.5 }, 'maxConcurrency'],
      ['a negative maxRetries', { ...valid, maxRetries: -1 }, 'maxRetries'],
      ['an unknown documentFormat', { ...valid, documentFormat: 'yaml' }, 'documentFormat'],
      // biome-ignore lint/suspicious/noSparseArray: a hole is what this case is about.
      ['a sparse documents array', { ...valid, documents: ['a', , 'c'] }, 'documents[1]'],
      ['topN Infinity', { ...valid, topN: Number.POSITIVE_INFINITY }, 'topN'],
      [
        'the controller instead of its signal',
        { ...valid, abortSignal: new AbortController() },
        'abortSignal',
      ],
      ['an abortSignal that is not a signal', { ...valid, abortSignal: true }, 'abortSignal'],
      ['a model without doRerank', { ...valid, model: {} }, 'model'],
      ['no model', { ...valid, model: undefined }, 'model'],
    ])('rejects %s, naming the argument', async (_name, options, argument) => {
      const calls = model.calls.length;
      expect(await invalidArgumentOf(options)).toBe(argument);
      expect(model.calls.length).toBe(calls);
    });

    test("rejects metadata that is not an object with documentFormat 'object'", async () => {
      expect(
        await invalidArgumentOf({
          ...valid,
          documentFormat: 'object',
          documents: [{ text: 'a', metadata: 'x' }],
        }),
      ).toBe('documents[0].metadata');
    });

    test('validates the options even when there are no documents', async () => {
      expect(await invalidArgumentOf({ ...valid, documents: [], topN: 0 })).toBe('topN');
      expect(await invalidArgumentOf({ ...valid, documents: [], query: '' })).toBe('query');
    });

    test('the message names the argument and what was wrong', async () => {
      await expect(rerank({ ...valid, documents: ['a', 5 as unknown as string] })).rejects.toThrow(
        "Invalid argument 'documents[1]': must be a string or an object with a string 'text', got 5.",
      );
    });

    test('a misspelt option value is quoted in the message; a long or non-string one is not', async () => {
      await expect(rerank({ ...valid, documentFormat: 'json' as 'text' })).rejects.toThrow(
        "Invalid argument 'documentFormat': must be 'text' or 'object', got 'json'.",
      );
      await expect(rerank({ ...valid, documentFormat: {} as 'text' })).rejects.toThrow(
        "must be 'text' or 'object', got an object.",
      );
      await expect(
        rerank({ ...valid, documentFormat: 'x'.repeat(1000) as 'text' }),
      ).rejects.toThrow("must be 'text' or 'object', got a string.");
    });

    test('every user function rejects missing options with an InvalidArgumentError, not a TypeError', async () => {
      const core = await import('../src/index.js');
      for (const call of [
        () => core.rerank(undefined as never),
        () => core.embed(null as never),
        () => core.embedMany(undefined as never),
        () => core.retrieve(undefined as never),
        () => core.twoStage(undefined as never),
      ]) {
        await expect(call()).rejects.toThrow("Invalid argument 'options': must be an object");
      }
    });

    test('passing the controller instead of its signal is named in the message', async () => {
      await expect(
        rerank({ ...valid, abortSignal: new AbortController() as unknown as AbortSignal }),
      ).rejects.toThrow(/pass the controller's `signal`, not the controller/);
    });

    test('accepts maxConcurrency Infinity', async () => {
      const result = await rerank({ ...valid, maxConcurrency: Number.POSITIVE_INFINITY });
      expect(result.ranking.map((entry) => entry.document)).toEqual(['a', 'b']);
    });
  });

  describe('a misbehaving model', () => {
    function stageReturning(ranking: unknown): MockRerankStage {
      return new MockRerankStage({
        intercept: () => ({ ranking }) as { ranking: { index: number; score: number }[] },
      });
    }

    test.each([
      [
        'an index out of range',
        [
          { index: 0, score: 1 },
          { index: 2, score: 0.5 },
        ],
        'ranking[1].index must be an integer in [0, 1], got 2.',
      ],
      [
        'a negative index',
        [{ index: -1, score: 1 }],
        'ranking[0].index must be an integer in [0, 1], got -1.',
      ],
      [
        'a fractional index',
        [{ index: 0.5, score: 1 }],
        'ranking[0].index must be an integer in [0, 1], got 0.5.',
      ],
      [
        'a repeated index',
        [
          { index: 1, score: 1 },
          { index: 1, score: 0.5 },
        ],
        'ranking[1].index 1 appears more than once.',
      ],
      [
        'a NaN score',
        [{ index: 0, score: Number.NaN }],
        'ranking[0].score must be a finite number, got NaN.',
      ],
      [
        'an infinite score',
        [{ index: 0, score: Number.POSITIVE_INFINITY }],
        'ranking[0].score must be a finite number, got Infinity.',
      ],
      [
        'a string score',
        [{ index: 0, score: '0.5' }],
        'ranking[0].score must be a finite number, got a string.',
      ],
      ['a null entry', [null], 'ranking[0].index must be an integer in [0, 1], got undefined.'],
      ['no ranking array', { index: 0 }, "'ranking' must be an array, got an object."],
    ])('fails clearly on %s, without retrying', async (_name, ranking, message) => {
      const model = stageReturning(ranking);
      const error = await rerank({ model, query: 'q', documents: ['a', 'b'] }).catch(
        (caught: unknown) => caught,
      );
      expect(InvalidResponseError.isInstance(error)).toBe(true);
      expect((error as InvalidResponseError).message).toBe(
        `Invalid response from mock:mock-reranker: ${message}`,
      );
      expect(model.calls).toHaveLength(1);
    });

    test('a stage that answers synchronously works with and without an abort signal', async () => {
      const model = {
        specificationVersion: 'v1' as const,
        provider: 'plain-js',
        modelId: 'sync',
        maxDocumentsPerCall: undefined,
        scoreKind: 'probability' as const,
        // Not a promise: what a plain-JS adapter might return.
        doRerank: () => ({
          ranking: [
            { index: 1, score: 0.9 },
            { index: 0, score: 0.1 },
          ],
        }),
      } as unknown as RerankStageV1;
      for (const abortSignal of [undefined, new AbortController().signal]) {
        const result = await rerank({
          model,
          query: 'q',
          documents: ['a', 'b'],
          ...(abortSignal === undefined ? {} : { abortSignal }),
        });
        expect(result.ranking.map((entry) => entry.document)).toEqual(['b', 'a']);
      }
    });

    test('a ranking shorter than asked for gives a warning', async () => {
      const model = stageReturning([{ index: 1, score: 0.9 }]);
      const result = await rerank({ model, query: 'q', documents: ['a', 'b', 'c'] });
      expect(result.ranking).toEqual([{ index: 1, score: 0.9, document: 'b' }]);
      expect(result.warnings).toEqual([
        {
          type: 'other',
          message:
            'mock:mock-reranker returned 1 results where 3 were asked for; the missing documents are left out of the ranking.',
        },
      ]);
    });

    test('a ranking longer than topN is cut to topN', async () => {
      const model = stageReturning([
        { index: 0, score: 0.1 },
        { index: 1, score: 0.9 },
      ]);
      const result = await rerank({ model, query: 'q', documents: ['a', 'b'], topN: 1 });
      expect(result.ranking).toEqual([{ index: 1, score: 0.9, document: 'b' }]);
    });
  });

  describe('retries', () => {
    test('retries a retryable failure and counts every call', async () => {
      const received: RerankStageV1CallOptions[] = [];
      const model = new MockRerankStage({
        score: byLength,
        scoreKind: 'logit',
        intercept: (call, options) => {
          received.push(options);
          if (call === 1) {
            throw new ApiCallError({ message: 'busy', url: 'u', statusCode: 503, retryAfterMs: 0 });
          }
          return undefined;
        },
      });
      const result = await rerank({ model, query: 'q', documents: ['a', 'bb'] });
      expect(result.ranking.map((entry) => entry.index)).toEqual([1, 0]);
      expect(result.timings.calls).toBe(2);
      // The retry sends the very same call options.
      expect(received[1]).toBe(received[0]);
      expect(model.calls[1]).toEqual(model.calls[0]);
    });

    test('does not retry a non-retryable failure', async () => {
      const failure = new ApiCallError({ message: 'bad request', url: 'u', statusCode: 400 });
      const model = new MockRerankStage({
        intercept: () => {
          throw failure;
        },
      });
      await expect(rerank({ model, query: 'q', documents: ['a'] })).rejects.toBe(failure);
      expect(model.calls).toHaveLength(1);
    });

    test('maxRetries bounds the attempts', async () => {
      const model = new MockRerankStage({
        intercept: () => {
          throw new ApiCallError({ message: 'busy', url: 'u', statusCode: 429, retryAfterMs: 0 });
        },
      });
      await expect(rerank({ model, query: 'q', documents: ['a'], maxRetries: 3 })).rejects.toThrow(
        'Failed after 4 attempts. Last error: busy',
      );
      expect(model.calls).toHaveLength(4);
    });
  });

  describe('abort', () => {
    test('an already aborted signal rejects without calling the model', async () => {
      const model = new MockRerankStage();
      const error = await rerank({
        model,
        query: 'q',
        documents: ['a'],
        abortSignal: AbortSignal.abort('stop'),
      }).catch((caught: unknown) => caught);
      expect(AbortedError.isInstance(error)).toBe(true);
      expect((error as AbortedError).reason).toBe('stop');
      expect(model.calls).toEqual([]);
    });

    test('an abort mid-flight rejects promptly even if the model ignores the signal', async () => {
      const controller = new AbortController();
      const model: RerankStageV1 = {
        specificationVersion: 'v1',
        provider: 'hanging',
        modelId: 'hanging',
        maxDocumentsPerCall: undefined,
        scoreKind: 'logit',
        doRerank: () => {
          queueMicrotask(() => controller.abort());
          return never();
        },
      };
      await expect(
        rerank({ model, query: 'q', documents: ['a'], abortSignal: controller.signal }),
      ).rejects.toSatisfy(AbortedError.isInstance);
    });

    test('an abort is never retried', async () => {
      const controller = new AbortController();
      const model = new MockRerankStage({
        intercept: () => {
          controller.abort();
          throw new ApiCallError({ message: 'busy', url: 'u', statusCode: 503, retryAfterMs: 0 });
        },
      });
      await expect(
        rerank({ model, query: 'q', documents: ['a'], abortSignal: controller.signal }),
      ).rejects.toSatisfy(AbortedError.isInstance);
      expect(model.calls).toHaveLength(1);
    });
  });
});
