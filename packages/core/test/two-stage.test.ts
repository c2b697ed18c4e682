import { describe, expect, test } from 'vitest';
import { AbortedError } from '../src/errors/aborted-error.js';
import { ApiCallError } from '../src/errors/api-call-error.js';
import { InvalidArgumentError } from '../src/errors/invalid-argument-error.js';
import {
  MockRerankStage,
  MockRetrieveStage,
  type MockRetrieveStageSettings,
} from '../src/mock/index.js';
import { createPipeline } from '../src/pipeline/create-pipeline.js';
import { type TwoStageOptions, twoStage } from '../src/pipeline/two-stage.js';
import type { RetrievedCandidateV1 } from '../src/spec/v1/retrieve-stage-v1.js';
import { deepFreeze } from '../src/testing/helpers/deep-freeze.js';

/** Stage 1 ranks doc-0 first; the reranker's own scores are in `rerankScores`. */
const candidates: RetrievedCandidateV1[] = Array.from({ length: 8 }, (_value, index) => ({
  id: `doc-${index}`,
  text: `text-${index}`,
  score: 10 - index,
  ...(index % 2 === 0 ? { metadata: { position: index } } : {}),
}));
const rerankScores = [0.1, 0.2, 0.95, 0.3, 0.8, 0.05, 0.6, 0.4];
// Object documents reach the reranker's score() rendered as `key: value` lines, so the number is
// found wherever `text-i` stands.
const byText = (text: string) => rerankScores[Number(/text-(\d+)/.exec(text)?.[1])] as number;
const retrieveScoreByText = new Map(
  candidates.map((candidate) => [candidate.text, candidate.score]),
);

/**
 * A mock retriever whose candidates are `candidates`, in the default partition and in the two
 * tenants' namespaces the tests query.
 */
function retrieverOf(settings: Partial<MockRetrieveStageSettings> = {}): MockRetrieveStage {
  return new MockRetrieveStage({
    documents: [undefined, 'tenant-a', 'tenant-b'].flatMap((namespace) =>
      candidates.map(({ id, text, metadata }) => ({
        id,
        text,
        ...(metadata && { metadata }),
        ...(namespace && { namespace }),
      })),
    ),
    score: (text) => retrieveScoreByText.get(text) ?? 0,
    ...settings,
  });
}

function stages(options: { rerankFails?: unknown; scoreKind?: 'probability' | 'logit' } = {}) {
  const retriever = retrieverOf();
  const reranker = new MockRerankStage({
    score: byText,
    scoreKind: options.scoreKind ?? 'probability',
    intercept: () => {
      if (options.rerankFails !== undefined) throw options.rerankFails;
      return undefined;
    },
  });
  return { retriever, reranker };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('twoStage', () => {
  test('retrieves, reranks and returns the best rerankTopN by rerank score', async () => {
    const { retriever, reranker } = stages();
    const result = await twoStage({ query: 'close account', retriever, reranker });
    expect(retriever.calls).toEqual([
      {
        query: 'close account',
        topK: 50,
        abortSignal: expect.any(AbortSignal),
        hadAbortSignal: true,
      },
    ]);
    expect(reranker.calls[0]?.documents).toEqual({
      type: 'text',
      values: candidates.map((candidate) => candidate.text),
    });
    expect(reranker.calls[0]?.topN).toBe(5);
    expect(result.results).toEqual([
      {
        id: 'doc-2',
        text: 'text-2',
        metadata: { position: 2 },
        rerankScore: 0.95,
        retrieveScore: 8,
        retrieveRank: 3,
      },
      {
        id: 'doc-4',
        text: 'text-4',
        metadata: { position: 4 },
        rerankScore: 0.8,
        retrieveScore: 6,
        retrieveRank: 5,
      },
      {
        id: 'doc-6',
        text: 'text-6',
        metadata: { position: 6 },
        rerankScore: 0.6,
        retrieveScore: 4,
        retrieveRank: 7,
      },
      {
        id: 'doc-7',
        text: 'text-7',
        metadata: {},
        rerankScore: 0.4,
        retrieveScore: 3,
        retrieveRank: 8,
      },
      {
        id: 'doc-3',
        text: 'text-3',
        metadata: {},
        rerankScore: 0.3,
        retrieveScore: 7,
        retrieveRank: 4,
      },
    ]);
    expect(result.degraded).toBe(false);
    expect(result.warnings).toEqual([]);
    expect(result.rerankError).toBeUndefined();
  });

  test('sorts on the rerank score only, never on a blend with the stage-1 score', async () => {
    // doc-0 has by far the best stage-1 score and a slightly lower rerank score than doc-1.
    const retriever = new MockRetrieveStage({
      documents: [
        { id: 'doc-0', text: 'a' },
        { id: 'doc-1', text: 'b' },
      ],
      score: (text) => (text === 'a' ? 1000 : 0.001),
    });
    const reranker = new MockRerankStage({ score: (text) => (text === 'a' ? 0.5 : 0.51) });
    const result = await twoStage({ query: 'q', retriever, reranker });
    expect(result.results.map((item) => item.id)).toEqual(['doc-1', 'doc-0']);
  });

  test('per-stage timings are present and consistent', async () => {
    const { retriever, reranker } = stages();
    const { timings } = await twoStage({ query: 'q', retriever, reranker });
    expect(Object.keys(timings).sort()).toEqual(['rerankMs', 'retrieveMs', 'totalMs']);
    for (const value of Object.values(timings)) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(timings.totalMs).toBeGreaterThanOrEqual(timings.retrieveMs);
    expect(timings.totalMs).toBeCloseTo(timings.retrieveMs + timings.rerankMs, 6);
  });

  test('passes retrieveTopK, rerankTopN, filter, namespace, headers and providerOptions to the stages', async () => {
    const { retriever, reranker } = stages();
    // A filter every candidate passes (a missing field matches $ne), so the mock's filtering
    // leaves the results those of the whole list.
    const filter = { position: { $ne: -1 } };
    const result = await twoStage({
      query: 'q',
      retriever,
      reranker,
      retrieveTopK: 4,
      rerankTopN: 2,
      filter,
      namespace: 'tenant-a',
      headers: { 'x-request-id': 'r-1' },
      providerOptions: { fake: { x: 1 } },
    });
    expect(retriever.calls[0]).toMatchObject({ topK: 4, filter, namespace: 'tenant-a' });
    expect(retriever.calls[0]?.headers).toEqual({ 'x-request-id': 'r-1' });
    expect(reranker.calls[0]?.headers).toEqual({ 'x-request-id': 'r-1' });
    expect(retriever.calls[0]?.providerOptions).toEqual({ fake: { x: 1 } });
    expect(reranker.calls[0]?.providerOptions).toEqual({ fake: { x: 1 } });
    expect(reranker.calls[0]?.documents.values).toHaveLength(4);
    expect(result.results.map((item) => item.id)).toEqual(['doc-2', 'doc-3']);
  });

  test('the default retrieveTopK is lowered to a retriever’s smaller maxTopK instead of failing', async () => {
    const retriever = retrieverOf({ maxTopK: 3 });
    const reranker = new MockRerankStage({ score: byText });
    const result = await twoStage({ query: 'q', retriever, reranker, rerankTopN: 2 });
    expect(retriever.calls.map((call) => call.topK)).toEqual([3]);
    expect(result.results.map((item) => item.id)).toEqual(['doc-2', 'doc-1']);
    // An explicit value above the cap is still the caller's mistake.
    expect(
      InvalidArgumentError.isInstance(
        await errorOf(twoStage({ query: 'q', retriever, reranker, retrieveTopK: 4 })),
      ),
    ).toBe(true);
  });

  test("documentFormat 'object' sends the candidates’ metadata to the reranker", async () => {
    const { retriever, reranker } = stages();
    await twoStage({ query: 'q', retriever, reranker, retrieveTopK: 2, documentFormat: 'object' });
    expect(reranker.calls[0]?.documents).toEqual({
      type: 'object',
      values: [{ position: 0, text: 'text-0' }, { text: 'text-1' }],
    });
  });

  test('zero candidates give empty results without calling the reranker', async () => {
    const retriever = new MockRetrieveStage({ documents: [] });
    const reranker = new MockRerankStage();
    const result = await twoStage({ query: 'q', retriever, reranker });
    expect(result.results).toEqual([]);
    expect(result.degraded).toBe(false);
    expect(result.timings.rerankMs).toBe(0);
    expect(reranker.calls).toEqual([]);
  });

  test('works on deep-frozen options and candidates, leaving them unchanged', async () => {
    const frozenCandidates = deepFreeze(structuredClone(candidates));
    const options = {
      query: 'q',
      retrieveTopK: 6,
      rerankTopN: 3,
      filter: { tags: { $in: ['a'] } },
      documentFormat: 'object' as const,
    };
    const before = structuredClone(options);
    deepFreeze(options);
    const result = await twoStage({
      ...options,
      // The retriever hands back the deep-frozen candidates themselves.
      retriever: retrieverOf({
        intercept: (_call, callOptions) => ({
          candidates: frozenCandidates.slice(0, callOptions.topK),
        }),
      }),
      reranker: new MockRerankStage({ score: byText }),
    });
    expect(result.results.map((item) => item.id)).toEqual(['doc-2', 'doc-4', 'doc-3']);
    expect(options).toEqual(before);
    expect(frozenCandidates).toEqual(candidates);
  });

  describe('minScore', () => {
    test('drops results whose rerank score is below it', async () => {
      const { retriever, reranker } = stages();
      const result = await twoStage({ query: 'q', retriever, reranker, minScore: 0.6 });
      expect(result.results.map((item) => item.rerankScore)).toEqual([0.95, 0.8, 0.6]);
      expect(result.warnings).toEqual([]);
    });

    test('warns that a logit threshold is model-specific', async () => {
      const { retriever, reranker } = stages({ scoreKind: 'logit' });
      const result = await twoStage({ query: 'q', retriever, reranker, minScore: 0.5 });
      expect(result.results.map((item) => item.id)).toEqual(['doc-2', 'doc-4', 'doc-6']);
      expect(result.warnings).toEqual([
        {
          type: 'other',
          message:
            "minScore 0.5 is applied to mock:mock-reranker's logit scores, which are unbounded and specific to this model: the threshold will not carry over to another reranker.",
        },
      ]);
    });

    test('warns when a threshold is outside the probability range', async () => {
      const { retriever, reranker } = stages();
      const result = await twoStage({ query: 'q', retriever, reranker, minScore: 2 });
      expect(result.results).toEqual([]);
      expect(result.warnings).toEqual([
        {
          type: 'other',
          message:
            "minScore 2 is outside [0, 1], the range of mock:mock-reranker's probability scores.",
        },
      ]);
    });
  });

  describe('onRerankError', () => {
    const failure = new ApiCallError({ message: 'reranker down', url: 'u', statusCode: 400 });

    test("'throw' (the default) rejects with the reranker's error", async () => {
      const { retriever, reranker } = stages({ rerankFails: failure });
      await expect(twoStage({ query: 'q', retriever, reranker })).rejects.toBe(failure);
    });

    test("'fallback' returns stage-1 order, marked degraded, with the reason", async () => {
      const { retriever, reranker } = stages({ rerankFails: failure });
      const result = await twoStage({
        query: 'q',
        retriever,
        reranker,
        rerankTopN: 3,
        onRerankError: 'fallback',
      });
      expect(result.degraded).toBe(true);
      expect(result.rerankError).toBe(failure);
      expect(result.results).toEqual([
        {
          id: 'doc-0',
          text: 'text-0',
          metadata: { position: 0 },
          rerankScore: null,
          retrieveScore: 10,
          retrieveRank: 1,
        },
        {
          id: 'doc-1',
          text: 'text-1',
          metadata: {},
          rerankScore: null,
          retrieveScore: 9,
          retrieveRank: 2,
        },
        {
          id: 'doc-2',
          text: 'text-2',
          metadata: { position: 2 },
          rerankScore: null,
          retrieveScore: 8,
          retrieveRank: 3,
        },
      ]);
      expect(result.warnings).toEqual([
        {
          type: 'other',
          message:
            'Reranking with mock:mock-reranker failed, so the results keep stage-1 order (degraded): reranker down',
        },
      ]);
      expect(result.timings.rerankMs).toBeGreaterThanOrEqual(0);
    });

    test("'fallback' covers exhausted retries and says minScore was not applied", async () => {
      const busy = new ApiCallError({
        message: 'busy',
        url: 'u',
        statusCode: 503,
        retryAfterMs: 0,
      });
      const { retriever, reranker } = stages({ rerankFails: busy });
      const result = await twoStage({
        query: 'q',
        retriever,
        reranker,
        minScore: 0.5,
        maxRetries: 1,
        onRerankError: 'fallback',
      });
      expect(reranker.calls).toHaveLength(2);
      expect(result.degraded).toBe(true);
      expect(result.results.map((item) => item.id)).toEqual([
        'doc-0',
        'doc-1',
        'doc-2',
        'doc-3',
        'doc-4',
      ]);
      expect(
        result.warnings.map((warning) => (warning.type === 'other' ? warning.message : '')),
      ).toEqual([
        'Reranking with mock:mock-reranker failed, so the results keep stage-1 order (degraded): Failed after 2 attempts. Last error: busy',
        'minScore was not applied: a degraded result has no rerank scores.',
      ]);
    });

    test('an abort during reranking is never turned into a fallback', async () => {
      const controller = new AbortController();
      const retriever = retrieverOf();
      const reranker = new MockRerankStage({ latencyMs: 10_000 });
      const promise = twoStage({
        query: 'q',
        retriever,
        reranker,
        onRerankError: 'fallback',
        abortSignal: controller.signal,
      });
      setTimeout(() => controller.abort('user left'), 5);
      const error = await errorOf(promise);
      expect(AbortedError.isInstance(error)).toBe(true);
      expect((error as AbortedError).reason).toBe('user left');
    });

    test("'fallback' covers a reranker that fails with an AbortedError the caller did not cause", async () => {
      // E.g. a stage that cancels its own work on an internal timeout: a reranker failure, which
      // is what fail-open exists for.
      const { retriever, reranker } = stages({
        rerankFails: new AbortedError({ reason: 'timeout' }),
      });
      const result = await twoStage({ query: 'q', retriever, reranker, onRerankError: 'fallback' });
      expect(result.degraded).toBe(true);
      expect(result.results.map((item) => item.id)).toEqual([
        'doc-0',
        'doc-1',
        'doc-2',
        'doc-3',
        'doc-4',
      ]);
      expect(AbortedError.isInstance(result.rerankError)).toBe(true);
    });

    test('an abort during retrieval rejects with AbortedError', async () => {
      const controller = new AbortController();
      const retriever = retrieverOf({ latencyMs: 10_000 });
      const reranker = new MockRerankStage();
      const promise = twoStage({ query: 'q', retriever, reranker, abortSignal: controller.signal });
      setTimeout(() => controller.abort(), 5);
      await expect(promise).rejects.toSatisfy(AbortedError.isInstance);
      expect(reranker.calls).toEqual([]);
    });

    test('a retriever failure is thrown even with fallback', async () => {
      const down = new ApiCallError({ message: 'index down', url: 'u', statusCode: 404 });
      const retriever = new MockRetrieveStage({
        documents: [],
        intercept: () => {
          throw down;
        },
      });
      await expect(
        twoStage({
          query: 'q',
          retriever,
          reranker: new MockRerankStage(),
          onRerankError: 'fallback',
        }),
      ).rejects.toBe(down);
    });
  });

  describe('validation, before any stage runs', () => {
    test.each([
      ['a blank query', { query: ' ' }, 'query'],
      ['rerankTopN 0', { rerankTopN: 0 }, 'rerankTopN'],
      ['a fractional retrieveTopK', { retrieveTopK: 1.5 }, 'retrieveTopK'],
      ['retrieveTopK above maxTopK', { retrieveTopK: 1001 }, 'retrieveTopK'],
      ['a NaN minScore', { minScore: Number.NaN }, 'minScore'],
      ['an unknown onRerankError', { onRerankError: 'ignore' }, 'onRerankError'],
      ['maxConcurrency 0', { maxConcurrency: 0 }, 'maxConcurrency'],
      ['a negative maxRetries', { maxRetries: -1 }, 'maxRetries'],
      [
        'the controller instead of its signal',
        { abortSignal: new AbortController() },
        'abortSignal',
      ],
      ['a reranker without doRerank', { reranker: {} }, 'reranker'],
      ['a missing retriever', { retriever: undefined }, 'retriever'],
    ])('rejects %s, naming the argument', async (_name, overrides, argument) => {
      const retriever = retrieverOf({ maxTopK: 1000 });
      const reranker = new MockRerankStage();
      const error = await errorOf(
        twoStage({ query: 'q', retriever, reranker, ...overrides } as TwoStageOptions),
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
      expect(retriever.calls).toEqual([]);
      expect(reranker.calls).toEqual([]);
    });
  });
});

describe('createPipeline', () => {
  test('runs the same search as twoStage', async () => {
    const { retriever, reranker } = stages();
    const pipeline = createPipeline({ retriever, reranker, rerankTopN: 3 });
    const fromPipeline = await pipeline.run('close account');
    const direct = await twoStage({ query: 'close account', retriever, reranker, rerankTopN: 3 });
    expect(fromPipeline.results).toEqual(direct.results);
    // The same stage call, each under its own deadline signal.
    const { abortSignal: first, ...fromPipelineCall } = retriever.calls[0] ?? {};
    const { abortSignal: second, ...directCall } = retriever.calls[1] ?? {};
    expect(fromPipelineCall).toEqual(directCall);
    expect(first).toBeInstanceOf(AbortSignal);
    expect(second).toBeInstanceOf(AbortSignal);
  });

  test('overrides apply to one run only', async () => {
    const { retriever, reranker } = stages();
    const pipeline = createPipeline({ retriever, reranker, rerankTopN: 3 });
    const overridden = await pipeline.run('q', { rerankTopN: 1, namespace: 'tenant-b' });
    const plain = await pipeline.run('q');
    expect(overridden.results.map((item) => item.id)).toEqual(['doc-2']);
    expect(retriever.calls[0]?.namespace).toBe('tenant-b');
    expect(plain.results.map((item) => item.id)).toEqual(['doc-2', 'doc-4', 'doc-6']);
    expect(retriever.calls[1]?.namespace).toBeUndefined();
  });

  test('rejects a bad configuration when created', () => {
    const { retriever, reranker } = stages();
    expect(() => createPipeline({ retriever, reranker, rerankTopN: 0 })).toThrow(
      "Invalid argument 'rerankTopN': must be at least 1, got 0.",
    );
  });

  test('keeps a frozen copy of its options', async () => {
    const { retriever, reranker } = stages();
    const options = { retriever, reranker, rerankTopN: 2 };
    const pipeline = createPipeline(options);
    options.rerankTopN = 7;
    expect(Object.isFrozen(pipeline.options)).toBe(true);
    expect(pipeline.options.rerankTopN).toBe(2);
    const result = await pipeline.run('q');
    expect(result.results.map((item) => item.id)).toEqual(['doc-2', 'doc-4']);
  });

  test('a per-run abort signal rejects that run', async () => {
    const retriever = retrieverOf({ latencyMs: 10_000 });
    const pipeline = createPipeline({ retriever, reranker: new MockRerankStage() });
    await expect(pipeline.run('q', { abortSignal: AbortSignal.abort() })).rejects.toSatisfy(
      AbortedError.isInstance,
    );
  });
});

describe('the package entry point', () => {
  test('exports the core functions', async () => {
    const core = await import('../src/index.js');
    expect(core.twoStage).toBe(twoStage);
    expect(core.createPipeline).toBe(createPipeline);
    for (const name of [
      'rerank',
      'retrieve',
      'embed',
      'embedMany',
      'retryWithBackoff',
      'parseRetryAfter',
    ] as const) {
      expect(typeof core[name]).toBe('function');
    }
    expect(
      core.InvalidResponseError.isInstance(
        new core.InvalidResponseError({ provider: 'p', modelId: 'm', message: 'x' }),
      ),
    ).toBe(true);
  });

  test('InvalidResponseError belongs to the error family in src/errors', async () => {
    const errors = await import('../src/errors/index.js');
    const core = await import('../src/index.js');
    expect(core.InvalidResponseError).toBe(errors.InvalidResponseError);
    const error = new errors.InvalidResponseError({ provider: 'p', modelId: 'm', message: 'x' });
    expect(errors.TwostageError.isInstance(error)).toBe(true);
    expect(error.message).toBe('Invalid response from p:m: x');
    // The marker works across copies of the package: a plain object carrying it passes.
    const fromAnotherCopy = {
      [Symbol.for('twostage.error')]: true,
      [Symbol.for('twostage.error.InvalidResponseError')]: true,
    };
    expect(errors.InvalidResponseError.isInstance(fromAnotherCopy)).toBe(true);
    expect(
      errors.InvalidResponseError.isInstance(new errors.TwostageError({ name: 'X', message: 'y' })),
    ).toBe(false);
  });
});
