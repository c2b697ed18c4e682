import { describe, expect, test } from 'vitest';
import { AbortedError } from '../src/errors/aborted-error.js';
import { ApiCallError } from '../src/errors/api-call-error.js';
import { InvalidArgumentError } from '../src/errors/invalid-argument-error.js';
import { InvalidResponseError } from '../src/errors/invalid-response-error.js';
import { MockRetrieveStage, type MockRetrieveStageSettings } from '../src/mock/index.js';
import { type RetrieveOptions, retrieve } from '../src/retrieve/retrieve.js';
import type {
  RetrievedCandidateV1,
  RetrieveStageV1CallOptions,
} from '../src/spec/v1/retrieve-stage-v1.js';
import { deepFreeze } from '../src/testing/helpers/deep-freeze.js';

const candidates: RetrievedCandidateV1[] = Array.from({ length: 80 }, (_value, index) => ({
  id: `doc-${index}`,
  text: `text ${index}`,
  score: 1 - index / 100,
  metadata: { position: index },
}));
const scoreByText = new Map(candidates.map((candidate) => [candidate.text, candidate.score]));

/** A mock retriever over the documents of `candidates`, scoring each as `candidates` says. */
function retrieverOf(settings: Partial<MockRetrieveStageSettings> = {}): MockRetrieveStage {
  return new MockRetrieveStage({
    documents: candidates.map(({ id, text, metadata }) => ({
      id,
      text,
      ...(metadata && { metadata }),
    })),
    score: (text) => scoreByText.get(text) ?? 0,
    ...settings,
  });
}

async function errorOf(options: unknown): Promise<unknown> {
  return retrieve(options as RetrieveOptions).then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('retrieve', () => {
  test('asks for 50 candidates by default and returns them', async () => {
    const retriever = retrieverOf();
    const result = await retrieve({ retriever, query: 'close account' });
    // Every call runs under its deadline, so the stage always gets a signal to stop on.
    expect(retriever.calls).toEqual([
      {
        query: 'close account',
        topK: 50,
        abortSignal: expect.any(AbortSignal),
        hadAbortSignal: true,
      },
    ]);
    expect(result.candidates).toEqual(candidates.slice(0, 50));
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(0);
    expect(result.warnings).toEqual([]);
  });

  test('passes topK, filter, namespace, the abort signal, headers and providerOptions', async () => {
    const received: RetrieveStageV1CallOptions[] = [];
    const retriever = retrieverOf({
      intercept: (_call, options) => {
        received.push(options);
        return undefined;
      },
    });
    const controller = new AbortController();
    const filter = { year: { $gte: 2020 } };
    await retrieve({
      retriever,
      query: 'q',
      topK: 7,
      filter,
      namespace: 'tenant-a',
      abortSignal: controller.signal,
      headers: { 'x-a': '1' },
      providerOptions: { fake: { hybrid: true } },
    });
    expect(retriever.calls).toEqual([
      {
        query: 'q',
        topK: 7,
        filter,
        namespace: 'tenant-a',
        abortSignal: expect.any(AbortSignal),
        hadAbortSignal: true,
        headers: { 'x-a': '1' },
        providerOptions: { fake: { hybrid: true } },
      },
    ]);
    // The caller's filter object itself reaches the stage, not a copy.
    expect(received[0]?.filter).toBe(filter);
  });

  test('the default topK is lowered to a smaller maxTopK instead of failing', async () => {
    const retriever = retrieverOf({ maxTopK: 20 });
    const result = await retrieve({ retriever, query: 'q' });
    expect(retriever.calls.map((call) => call.topK)).toEqual([20]);
    expect(result.candidates).toEqual(candidates.slice(0, 20));
  });

  test('accepts topK equal to the retriever’s maxTopK', async () => {
    const retriever = retrieverOf({ maxTopK: 10 });
    const result = await retrieve({ retriever, query: 'q', topK: 10 });
    expect(result.candidates).toEqual(candidates.slice(0, 10));
  });

  test('works on deep-frozen options and candidates', async () => {
    const frozen = deepFreeze(structuredClone(candidates.slice(0, 5)));
    const filter = deepFreeze({ tags: { $in: ['a', 'b'] } });
    // The stage hands back the deep-frozen candidates themselves, so core must not write to them.
    const retriever = retrieverOf({
      intercept: (_call, options) => ({ candidates: frozen.slice(0, options.topK) }),
    });
    const result = await retrieve({ retriever, query: 'q', filter });
    expect(result.candidates).toEqual(candidates.slice(0, 5));
  });

  test('passes on the retriever’s warnings and response', async () => {
    const retriever = new MockRetrieveStage({
      documents: [],
      intercept: () => ({
        candidates: [],
        warnings: [{ type: 'unsupported-setting', setting: 'namespace' }],
        response: { id: 'query-1' },
      }),
    });
    const result = await retrieve({ retriever, query: 'q' });
    expect(result.warnings).toEqual([{ type: 'unsupported-setting', setting: 'namespace' }]);
    expect(result.response).toEqual({ id: 'query-1' });
  });

  test('retries a retryable failure', async () => {
    const retriever = retrieverOf({
      intercept: (call) => {
        if (call === 1) {
          throw new ApiCallError({ message: 'busy', url: 'u', statusCode: 503, retryAfterMs: 0 });
        }
        return undefined;
      },
    });
    const result = await retrieve({ retriever, query: 'q', topK: 3 });
    expect(result.candidates).toEqual(candidates.slice(0, 3));
    expect(retriever.calls).toHaveLength(2);
  });

  test('an abort rejects with AbortedError', async () => {
    const controller = new AbortController();
    const retriever = retrieverOf({ latencyMs: 10_000 });
    const promise = retrieve({ retriever, query: 'q', abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(promise).rejects.toSatisfy(AbortedError.isInstance);
  });

  describe('validation', () => {
    const retriever = retrieverOf({ maxTopK: 100 });
    test.each([
      ['an empty query', { query: '' }, 'query'],
      ['a blank query', { query: '   ' }, 'query'],
      ['topK 0', { topK: 0 }, 'topK'],
      ['a fractional topK', { topK: 2.5 }, 'topK'],
      ['topK as a string', { topK: '5' }, 'topK'],
      ['topK above maxTopK', { topK: 101 }, 'topK'],
      ['a filter that is an array', { filter: [] }, 'filter'],
      ['a null filter', { filter: null }, 'filter'],
      ['a namespace that is not a string', { namespace: 3 }, 'namespace'],
      ['a negative maxRetries', { maxRetries: -1 }, 'maxRetries'],
      [
        'the controller instead of its signal',
        { abortSignal: new AbortController() },
        'abortSignal',
      ],
      ['a retriever without doRetrieve', { retriever: { doRerank() {} } }, 'retriever'],
    ])('rejects %s, naming the argument', async (_name, overrides, argument) => {
      const calls = retriever.calls.length;
      const error = await errorOf({ retriever, query: 'q', ...overrides });
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
      expect(retriever.calls.length).toBe(calls);
    });

    test('the maxTopK message names the limit', async () => {
      await expect(retrieve({ retriever, query: 'q', topK: 500 })).rejects.toThrow(
        "Invalid argument 'topK': must be at most 100, got 500.",
      );
    });
  });

  describe('a misbehaving retriever', () => {
    const a = { id: 'a', text: 'A', score: 0.9 };
    const b = { id: 'b', text: 'B', score: 0.5 };
    test.each([
      ['duplicate ids', [a, { ...b, id: 'a' }], "candidates[1].id 'a' appears more than once."],
      [
        'unsorted scores',
        [b, a],
        'candidates must be sorted by score descending; candidates[1] (0.9) follows 0.5.',
      ],
      [
        'a NaN score',
        [{ ...a, score: Number.NaN }],
        'candidates[0].score must be a finite number, got NaN.',
      ],
      [
        'a missing text',
        [{ id: 'a', score: 1 }],
        'candidates[0].text must be a string, got undefined.',
      ],
      ['a numeric id', [{ ...a, id: 7 }], 'candidates[0].id must be a string, got 7.'],
      [
        'more than topK',
        [a, b, { ...b, id: 'c', score: 0.1 }],
        'returned 3 candidates for topK 2.',
      ],
      ['no candidates array', undefined, "'candidates' must be an array, got undefined."],
    ])('fails clearly on %s', async (_name, returned, message) => {
      const retriever = new MockRetrieveStage({
        documents: [],
        intercept: () => ({ candidates: returned as RetrievedCandidateV1[] }),
      });
      const error = await errorOf({ retriever, query: 'q', topK: 2 });
      expect(InvalidResponseError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(`Invalid response from mock:mock-index: ${message}`);
      expect(retriever.calls).toHaveLength(1);
    });

    test('equal scores are in order', async () => {
      const retriever = new MockRetrieveStage({
        documents: [a, { ...a, id: 'b' }].map(({ id, text }) => ({ id, text })),
        score: () => a.score,
      });
      const result = await retrieve({ retriever, query: 'q' });
      expect(result.candidates.map((candidate) => candidate.id)).toEqual(['a', 'b']);
    });
  });
});
