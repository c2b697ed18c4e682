import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  AbortedError,
  ApiCallError,
  embedMany,
  InvalidArgumentError,
  rerank,
  retrieve,
  TimeoutError,
  twoStage,
} from '../src/index.js';
import { MockRetrieveStage } from '../src/mock/index.js';
import type { EmbeddingModelV1, RerankStageV1, RetrieveStageV1 } from '../src/spec/v1/index.js';
import { watchTimers } from '../src/testing/helpers/active-timers.js';

// Deadlines: timeoutMs bounds a whole call, retries and backoff waits included, and a default
// applies when none is given, so no call with default settings stays pending forever.

/** A reranker that accepts the call and never answers (and ignores the abort signal). */
const hangingReranker: RerankStageV1 = {
  specificationVersion: 'v1',
  provider: 'hang',
  modelId: 'forever',
  maxDocumentsPerCall: undefined,
  scoreKind: 'probability',
  doRerank: () => new Promise(() => {}),
};

/** A retriever whose every call fails with a 429 asking to wait `retryAfterMs`. */
function rateLimitedRetriever(retryAfterMs: number): RetrieveStageV1 & { calls: number } {
  const stage = {
    specificationVersion: 'v1' as const,
    provider: 'limited',
    modelId: 'index',
    maxTopK: undefined,
    calls: 0,
    async doRetrieve() {
      stage.calls++;
      throw new ApiCallError({
        message: 'rate limited',
        url: 'https://search.example/query',
        statusCode: 429,
        retryAfterMs,
      });
    },
  };
  return stage;
}

const corpus = new MockRetrieveStage({
  documents: [
    { id: 'fee', text: 'early repayment fee of a home loan' },
    { id: 'card', text: 'report a lost card in the app' },
  ],
});

afterEach(() => {
  vi.useRealTimers();
});

describe('timeoutMs bounds the whole call', () => {
  test('a stage that never settles: rerank rejects with a TimeoutError and leaves no timer', async () => {
    const timers = watchTimers();
    const startedAt = performance.now();
    const error = await rerank({
      model: hangingReranker,
      query: 'fee',
      documents: ['a', 'b'],
      timeoutMs: 80,
    }).catch((caught: unknown) => caught);
    const elapsedMs = performance.now() - startedAt;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).operation).toBe('rerank');
    expect((error as TimeoutError).timeoutMs).toBe(80);
    expect((error as TimeoutError).isRetryable).toBe(false);
    // Bounded by the deadline, not by the stage: a generous ceiling, not a timing assertion.
    expect(elapsedMs).toBeLessThan(5_000);
    expect(await timers.leftRunning()).toBe(0);
    timers.stop();
  });

  test('a Retry-After longer than what is left ends the call at once, the 429 as its cause', async () => {
    const retriever = rateLimitedRetriever(60_000);
    const error = await retrieve({ retriever, query: 'fee', timeoutMs: 10_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/60000 ms.*past its deadline of 10000 ms/);
    expect(ApiCallError.isInstance((error as Error).cause)).toBe(true);
    expect(retriever.calls).toBe(1);
  });

  test('without timeoutMs, the documented default deadline ends a hanging call', async () => {
    vi.useFakeTimers();
    const call = rerank({ model: hangingReranker, query: 'fee', documents: ['a'] }).catch(
      (caught: unknown) => caught,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await call;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(60_000);
  });

  test('embedMany: one deadline over all batches', async () => {
    const model: EmbeddingModelV1 = {
      specificationVersion: 'v1',
      provider: 'hang',
      modelId: 'forever',
      dimensions: 2,
      maxEmbeddingsPerCall: 1,
      supportsParallelCalls: true,
      doEmbed: () => new Promise(() => {}),
    };
    const error = await embedMany({ model, values: ['a', 'b', 'c'], timeoutMs: 50 }).catch(
      (caught: unknown) => caught,
    );
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).operation).toBe('embedMany');
  });

  test("the caller's abort stays an AbortedError, not a TimeoutError", async () => {
    const controller = new AbortController();
    const call = rerank({
      model: hangingReranker,
      query: 'fee',
      documents: ['a'],
      timeoutMs: 10_000,
      abortSignal: controller.signal,
    }).catch((caught: unknown) => caught);
    controller.abort();
    const error = await call;
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(TimeoutError.isInstance(error)).toBe(false);
  });
});

describe('twoStage deadlines', () => {
  test('rerankTimeoutMs with fallback: a hanging reranker yields stage-1 order, degraded, in time', async () => {
    const result = await twoStage({
      query: 'loan fee',
      retriever: corpus,
      reranker: hangingReranker,
      rerankTimeoutMs: 50,
      onRerankError: 'fallback',
    });
    expect(result.degraded).toBe(true);
    expect(result.results.map((item) => item.id)).toEqual(['fee']);
    expect(result.results[0]?.rerankScore).toBeNull();
    expect(
      result.warnings.map((warning) => ('message' in warning ? warning.message : '')).join('\n'),
    ).toMatch(/hang:forever failed.*deadline of 50 ms/);
  });

  test("the search's own deadline rejects, whatever onRerankError says", async () => {
    const error = await twoStage({
      query: 'loan fee',
      retriever: corpus,
      reranker: hangingReranker,
      timeoutMs: 50,
      onRerankError: 'fallback',
    }).catch((caught: unknown) => caught);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).operation).toBe('twoStage');
  });
});

describe('timeoutMs is checked', () => {
  test.each([0, -1, Number.NaN, '500', 2 ** 31])(
    'timeoutMs %s is refused, naming it',
    async (value) => {
      const error = await rerank({
        model: hangingReranker,
        query: 'fee',
        documents: ['a'],
        timeoutMs: value as number,
      }).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('timeoutMs');
    },
  );

  test('Infinity means no deadline', async () => {
    const { candidates } = await retrieve({
      retriever: corpus,
      query: 'loan fee',
      timeoutMs: Number.POSITIVE_INFINITY,
    });
    expect(candidates[0]?.id).toBe('fee');
  });
});
