import { describe, expect, test } from 'vitest';
import {
  ApiCallError,
  createPipeline,
  type StageEndEvent,
  type StageStartEvent,
  twoStage,
  withCache,
} from '../src/index.js';
import { MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';

// Telemetry events: onStageStart / onStageEnd say what each stage did, for logs and metrics.

const retriever = new MockRetrieveStage({
  documents: [
    { id: 'card', text: 'report a lost card in the app' },
    { id: 'hours', text: 'fee schedule and branch hours' },
    { id: 'fee', text: 'early repayment fee of a home loan' },
  ],
  // Stage 1 prefers the card passage; the reranker will move the fee passage up.
  score: (text) => (text.includes('card') ? 3 : text.includes('hours') ? 2 : 1),
});

function recorder(): {
  starts: StageStartEvent[];
  ends: StageEndEvent[];
  onStageStart: (event: StageStartEvent) => void;
  onStageEnd: (event: StageEndEvent) => void;
} {
  const starts: StageStartEvent[] = [];
  const ends: StageEndEvent[] = [];
  return {
    starts,
    ends,
    onStageStart: (event) => starts.push(event),
    onStageEnd: (event) => ends.push(event),
  };
}

describe('onStageStart / onStageEnd', () => {
  test('both stages report counts, calls, servedBy and how far re-ranking moved the results', async () => {
    const events = recorder();
    const reranker = new MockRerankStage({
      score: (text) => (text.includes('repayment') ? 0.9 : text.includes('fee') ? 0.5 : 0.1),
    });
    const { results } = await twoStage({
      query: 'repayment fee',
      retriever,
      reranker,
      rerankTopN: 3,
      onStageStart: events.onStageStart,
      onStageEnd: events.onStageEnd,
    });
    expect(results.map((item) => [item.id, item.retrieveRank])).toEqual([
      ['fee', 3],
      ['hours', 2],
      ['card', 1],
    ]);
    expect(events.starts).toEqual([
      { stage: 'retrieve', model: 'mock:mock-index', query: 'repayment fee' },
      { stage: 'rerank', model: 'mock:mock-reranker', query: 'repayment fee', candidates: 3 },
    ]);
    const [retrieveEnd, rerankEnd] = events.ends;
    expect(retrieveEnd).toMatchObject({ stage: 'retrieve', servedBy: 'mock:mock-index', count: 3 });
    expect(rerankEnd).toMatchObject({
      stage: 'rerank',
      servedBy: 'mock:mock-reranker',
      count: 3,
      calls: 1,
      degraded: false,
      // |3 − 1| + |2 − 2| + |1 − 3| = 4 over 3 results; the largest move is 2.
      displacement: { mean: 4 / 3, max: 2 },
    });
    expect(retrieveEnd?.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('cache hits and a degraded fallback are reported', async () => {
    const events = recorder();
    const cached = withCache(new MockRerankStage());
    const pipeline = createPipeline({
      retriever,
      reranker: cached,
      onStageEnd: events.onStageEnd,
    });
    await pipeline.run('repayment fee');
    await pipeline.run('repayment fee');
    expect(
      events.ends.filter((event) => event.stage === 'rerank').map((event) => event.cacheHits),
    ).toEqual([0, 3]);

    const failing = new MockRerankStage({
      faults: [
        { call: 1, error: new ApiCallError({ message: 'down', url: 'mock://', statusCode: 400 }) },
      ],
    });
    const degradedEvents = recorder();
    const result = await twoStage({
      query: 'repayment fee',
      retriever,
      reranker: failing,
      onRerankError: 'fallback',
      onStageEnd: degradedEvents.onStageEnd,
    });
    expect(result.degraded).toBe(true);
    expect(degradedEvents.ends[1]).toMatchObject({
      stage: 'rerank',
      servedBy: null,
      degraded: true,
    });
    expect(ApiCallError.isInstance(degradedEvents.ends[1]?.error)).toBe(true);
  });

  test('a throwing listener does not fail the search: it becomes a warning', async () => {
    const result = await twoStage({
      query: 'repayment fee',
      retriever,
      reranker: new MockRerankStage(),
      onStageStart: () => {
        throw new Error('metrics backend down');
      },
    });
    expect(result.results.length).toBeGreaterThan(0);
    expect(result.warnings).toContainEqual({
      type: 'other',
      message: 'A stage listener threw (the search went on): metrics backend down',
    });
  });

  test('a listener that is not a function is refused by name', async () => {
    const error = await twoStage({
      query: 'q',
      retriever,
      reranker: new MockRerankStage(),
      onStageEnd: 'log' as never,
    }).catch((caught: unknown) => caught);
    expect((error as { argument?: string }).argument).toBe('onStageEnd');
  });
});
