import Keyv from 'keyv';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError, rerank, withCache } from '../src/index.js';
import { MockRerankStage } from '../src/mock/index.js';

// A pair-level score cache: the same (model, options, query, document) is scored once; partial
// hits send the stage only the misses, and the merged ranking equals an uncached call's.

const documents = [
  'early repayment fee of a home loan',
  'report a lost card in the app',
  'home loan interest rate',
  'branch opening hours',
  'fee for an early repayment of a car loan',
];

function documentsSent(stage: MockRerankStage): unknown[][] {
  return stage.calls.map((call) => call.documents.values);
}

describe('withCache', () => {
  test('a repeated call is answered from the cache; usage counts hits and misses', async () => {
    const stage = new MockRerankStage();
    const cached = withCache(stage);
    const first = await rerank({ model: cached, query: 'early repayment fee', documents });
    const second = await rerank({ model: cached, query: 'early repayment fee', documents });
    expect(stage.calls).toHaveLength(1);
    expect(second.ranking).toEqual(first.ranking);
    // No model call, no billed search unit.
    expect(first.usage).toEqual({ searchUnits: 1, cacheHits: 0, cacheMisses: 5 });
    expect(second.usage).toEqual({ cacheHits: 5, cacheMisses: 0 });
  });

  test('a partial hit scores only the misses, without topN, and merges to the uncached ranking', async () => {
    const stage = new MockRerankStage();
    const cached = withCache(stage);
    await rerank({ model: cached, query: 'early repayment fee', documents: documents.slice(0, 3) });
    const merged = await rerank({
      model: cached,
      query: 'early repayment fee',
      documents,
      topN: 2,
    });
    expect(documentsSent(stage)[1]).toEqual(documents.slice(3));
    expect(stage.calls[1]?.topN).toBeUndefined();
    const direct = await rerank({
      model: new MockRerankStage(),
      query: 'early repayment fee',
      documents,
      topN: 2,
    });
    expect(merged.ranking).toEqual(direct.ranking);
    expect(merged.usage).toEqual({ searchUnits: 1, cacheHits: 3, cacheMisses: 2 });
  });

  test('another query, other provider options or another modelVersion are misses', async () => {
    const stage = new MockRerankStage();
    const cached = withCache(stage, { modelVersion: 'files-sha-1' });
    await rerank({ model: cached, query: 'fee', documents });
    await rerank({ model: cached, query: 'card', documents });
    await rerank({ model: cached, query: 'fee', documents, providerOptions: { mock: { x: 1 } } });
    expect(stage.calls).toHaveLength(3);
    const retrained = withCache(stage, { modelVersion: 'files-sha-2' });
    await rerank({ model: retrained, query: 'fee', documents });
    expect(stage.calls).toHaveLength(4);
  });

  test('windows: each window is cached on its own and usage is summed over them', async () => {
    const stage = new MockRerankStage({ maxDocumentsPerCall: 2 });
    const cached = withCache(stage);
    await rerank({ model: cached, query: 'loan', documents });
    const again = await rerank({ model: cached, query: 'loan', documents });
    expect(stage.calls).toHaveLength(3);
    expect(again.usage).toEqual({ cacheHits: 5, cacheMisses: 0 });
  });

  test('any Keyv instance is a store', async () => {
    const keyv = new Keyv<number>();
    const stage = new MockRerankStage();
    const first = await rerank({
      model: withCache(stage, { store: keyv }),
      query: 'fee',
      documents,
    });
    // A second wrapper over the same store: the scores outlive one stage object.
    const second = await rerank({
      model: withCache(stage, { store: keyv }),
      query: 'fee',
      documents,
    });
    expect(stage.calls).toHaveLength(1);
    expect(second.ranking).toEqual(first.ranking);
  });

  test('scores expire after ttlMs', async () => {
    const stage = new MockRerankStage();
    const cached = withCache(stage, { ttlMs: 20 });
    await rerank({ model: cached, query: 'fee', documents });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await rerank({ model: cached, query: 'fee', documents });
    expect(stage.calls).toHaveLength(2);
  });

  test('maxEntries bounds the default store', async () => {
    const stage = new MockRerankStage();
    const cached = withCache(stage, { maxEntries: 2 });
    await rerank({ model: cached, query: 'fee', documents });
    const again = await rerank({ model: cached, query: 'fee', documents });
    expect(again.usage).toEqual({ searchUnits: 1, cacheHits: 2, cacheMisses: 3 });
  });

  test('bad options are refused by name', () => {
    const stage = new MockRerankStage();
    expect(() => withCache(stage, { ttl: 5 } as never)).toThrow(/did you mean 'ttlMs'/);
    expect(() => withCache(stage, { maxEntries: 0 })).toThrow(InvalidArgumentError);
    expect(() => withCache(stage, { store: new Map() as never })).not.toThrow();
    expect(() => withCache(stage, { store: {} as never })).toThrow(/Invalid argument 'store'/);
  });
});
