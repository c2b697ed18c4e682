import { describe, expect, test } from 'vitest';
import { planBatches } from '../src/runtime/plan-batches.js';

describe('planBatches', () => {
  test('sorts by length descending, ties in input order, and respects the token budget', () => {
    const lengths = [10, 50, 20, 50, 5, 20];
    expect(planBatches(lengths, { maxBatchTokens: 100, maxBatchSize: 8 })).toEqual([
      [1, 3],
      [2, 5, 0, 4],
    ]);
  });

  test('respects the row limit and puts every index in exactly one batch', () => {
    const lengths = Array.from({ length: 23 }, (_, index) => (index * 7) % 13);
    const batches = planBatches(lengths, { maxBatchTokens: 10_000, maxBatchSize: 5 });
    expect(batches.every((batch) => batch.length <= 5)).toBe(true);
    expect(batches.flat().sort((left, right) => left - right)).toEqual(
      lengths.map((_, index) => index),
    );
  });

  test('runs a row longer than the budget alone', () => {
    expect(planBatches([300, 10, 10], { maxBatchTokens: 100, maxBatchSize: 8 })).toEqual([
      [0],
      [1, 2],
    ]);
  });

  test('a budget of one gives one row per batch (the deterministic mode)', () => {
    expect(planBatches([3, 1, 2], { maxBatchTokens: 1, maxBatchSize: 1 })).toEqual([[0], [2], [1]]);
  });
});
