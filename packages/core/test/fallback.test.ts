import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  ApiCallError,
  InvalidArgumentError,
  rerank,
  retrieve,
  twoStage,
  withCircuitBreaker,
  withFallback,
} from '../src/index.js';
import { MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';

// Fallback chains: the first stage that answers serves the whole call, each skipped stage is
// named in a warning, and results say which stage answered.

const documents = [
  'early repayment fee',
  'lost card',
  'home loan rate',
  'branch hours',
  'card fee',
];

function unavailable(): ApiCallError {
  return new ApiCallError({ message: 'unavailable', url: 'https://a/rerank', statusCode: 503 });
}

function failingReranker(modelId: string, calls = 20, settings = {}): MockRerankStage {
  return new MockRerankStage({
    modelId,
    faults: Array.from({ length: calls }, (_, index) => ({
      call: index + 1,
      error: unavailable(),
    })),
    ...settings,
  });
}

describe('withFallback for rerank stages', () => {
  test('a failing first stage: the second serves the call, and the warning names the first', async () => {
    const primary = failingReranker('primary');
    const secondary = new MockRerankStage({
      modelId: 'secondary',
      score: (text) => text.length / 100,
    });
    const result = await rerank({
      model: withFallback([primary, secondary]),
      query: 'fee',
      documents,
      maxRetries: 0,
    });
    const direct = await rerank({
      model: new MockRerankStage({ modelId: 'secondary', score: (text) => text.length / 100 }),
      query: 'fee',
      documents,
    });
    expect(result.ranking).toEqual(direct.ranking);
    expect(result.servedBy).toBe('mock:secondary');
    expect(result.warnings).toContainEqual({
      type: 'other',
      message:
        'mock:primary failed, so the next stage of the fallback chain was tried: unavailable',
    });
  });

  test('a healthy first stage serves alone; the others are never called', async () => {
    const primary = new MockRerankStage({ modelId: 'primary' });
    const secondary = new MockRerankStage({ modelId: 'secondary' });
    const result = await rerank({
      model: withFallback([primary, secondary]),
      query: 'fee',
      documents,
    });
    expect(result.servedBy).toBe('mock:primary');
    expect(secondary.calls).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test('one call is never served by two models: a failure in a later window moves the whole call', async () => {
    // The primary windows by 2 and fails on its second window.
    const primary = new MockRerankStage({
      modelId: 'primary',
      maxDocumentsPerCall: 2,
      score: () => 0.99,
      faults: [{ call: 2, error: unavailable() }],
    });
    const secondary = new MockRerankStage({ modelId: 'secondary', score: () => 0.5 });
    const result = await rerank({
      model: withFallback([primary, secondary]),
      query: 'fee',
      documents,
      maxRetries: 0,
      maxConcurrency: 1,
    });
    expect(result.servedBy).toBe('mock:secondary');
    expect(result.ranking.map((item) => item.score)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(secondary.calls).toHaveLength(1);
  });

  test('every stage failing: the last error, after both were tried', async () => {
    const primary = failingReranker('primary');
    const secondary = failingReranker('secondary');
    const error = await rerank({
      model: withFallback([primary, secondary]),
      query: 'fee',
      documents,
      maxRetries: 0,
    }).catch((caught: unknown) => caught);
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(primary.calls).toHaveLength(1);
    expect(secondary.calls).toHaveLength(1);
  });

  test("the caller's abort stops the chain: the next stage is not tried", async () => {
    const primary = new MockRerankStage({ modelId: 'primary', latencyMs: 5_000 });
    const secondary = new MockRerankStage({ modelId: 'secondary' });
    const controller = new AbortController();
    const call = rerank({
      model: withFallback([primary, secondary]),
      query: 'fee',
      documents,
      abortSignal: controller.signal,
    }).catch((caught: unknown) => caught);
    controller.abort();
    expect(AbortedError.isInstance(await call)).toBe(true);
    expect(secondary.calls).toEqual([]);
  });

  test('an open breaker on the first stage skips it at once', async () => {
    const primary = failingReranker('primary');
    const guarded = withCircuitBreaker(primary, { failureThreshold: 1, cooldownMs: 60_000 });
    const chain = withFallback([guarded, new MockRerankStage({ modelId: 'secondary' })]);
    await rerank({ model: chain, query: 'fee', documents, maxRetries: 0 });
    const second = await rerank({ model: chain, query: 'fee', documents, maxRetries: 0 });
    expect(primary.calls).toHaveLength(1);
    expect(second.servedBy).toBe('mock:secondary');
    expect(second.warnings.map((warning) => ('message' in warning ? warning.message : ''))).toEqual(
      [expect.stringContaining('circuit of mock:primary is open')],
    );
  });

  test('members of different score kinds make a chain of logits; stages of different kinds are refused', () => {
    const chain = withFallback([
      new MockRerankStage({ scoreKind: 'probability' }),
      new MockRerankStage({ scoreKind: 'logit' }),
    ]);
    expect(chain.scoreKind).toBe('logit');
    expect(() => withFallback([])).toThrow(InvalidArgumentError);
    expect(() =>
      withFallback([new MockRerankStage(), new MockRetrieveStage({ documents: [] })] as never),
    ).toThrow(/Invalid argument 'stages\[1\]'/);
  });
});

describe('withFallback for retrieve stages', () => {
  const corpus = [
    { id: 'fee', text: 'early repayment fee of a home loan' },
    { id: 'card', text: 'report a lost card' },
  ];

  test('Pinecone down, the embedded replica answers: servedBy says so in retrieve and twoStage', async () => {
    const remote = new MockRetrieveStage({
      modelId: 'remote',
      documents: corpus,
      faults: Array.from({ length: 5 }, (_, index) => ({ call: index + 1, error: unavailable() })),
    });
    const replica = new MockRetrieveStage({ modelId: 'replica', documents: corpus });
    const chain = withFallback([remote, replica]);
    const retrieved = await retrieve({ retriever: chain, query: 'repayment fee', maxRetries: 0 });
    expect(retrieved.servedBy).toBe('mock:replica');
    expect(retrieved.candidates[0]?.id).toBe('fee');
    const result = await twoStage({
      query: 'repayment fee',
      retriever: chain,
      reranker: new MockRerankStage(),
      maxRetries: 0,
    });
    expect(result.servedBy).toEqual({ retriever: 'mock:replica', reranker: 'mock:mock-reranker' });
    expect(
      result.warnings.some(
        (warning) => 'message' in warning && warning.message.startsWith('mock:remote failed'),
      ),
    ).toBe(true);
  });

  test('maxTopK is the smallest of the members', () => {
    const chain = withFallback([
      new MockRetrieveStage({ documents: corpus, maxTopK: 100 }),
      new MockRetrieveStage({ documents: corpus, maxTopK: 20 }),
    ]);
    expect(chain.maxTopK).toBe(20);
  });
});
