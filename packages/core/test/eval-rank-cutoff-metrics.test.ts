import { describe, expect, test } from 'vitest';
import { hitRateAtK, ndcgAtK, reciprocalRankAtK } from '../src/index.js';

describe('reciprocalRankAtK', () => {
  test('is one over the first relevant rank, and 0 when that rank is past the cutoff', () => {
    // First relevant id 'a' is at rank 3: 1/3 at k = 3, but nothing relevant in the top 2 → 0.
    expect(reciprocalRankAtK(['x', 'y', 'a'], ['a'], 3)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRankAtK(['x', 'y', 'a'], ['a'], 2)).toBe(0);
    expect(reciprocalRankAtK(['a'], ['a'], 1)).toBe(1);
  });

  test('treats grade 0 as judged non-relevant and is undefined without relevant documents', () => {
    // 'a' is judged but grade 0, so the first relevant id is 'b' at rank 2 → 1/2.
    expect(reciprocalRankAtK(['a', 'b'], { a: 0, b: 1 }, 5)).toBe(0.5);
    expect(reciprocalRankAtK(['a'], { a: 0 }, 5)).toBeUndefined();
    expect(() => reciprocalRankAtK(['a'], ['a'], 0)).toThrow(/'k'/);
  });
});

describe('hitRateAtK', () => {
  test('is 1 when any relevant id is in the top k, else 0', () => {
    expect(hitRateAtK(['x', 'y', 'a'], ['a', 'b'], 2)).toBe(0);
    expect(hitRateAtK(['x', 'y', 'a'], ['a', 'b'], 3)).toBe(1);
    expect(hitRateAtK([], ['a'], 3)).toBe(0);
    expect(hitRateAtK(['a'], [], 3)).toBeUndefined();
  });
});

describe('ndcgAtK as trec_eval ndcg_cut computes it', () => {
  test('the ideal order comes from every judged relevant document, retrieved or not', () => {
    // ranked x, b, a; grades a 1, b 2, c 2; k = 2.
    // DCG@2  = 0/log2(2) + 2/log2(3)             = 1.2618595
    // IDCG@2 = 2/log2(2) + 2/log2(3) (b and c)   = 3.2618595
    // nDCG@2 = 1.2618595 / 3.2618595             = 0.3868528
    const value = ndcgAtK(['x', 'b', 'a'], { a: 1, b: 2, c: 2 }, 2);
    expect(value).toBeCloseTo(2 / Math.log2(3) / (2 + 2 / Math.log2(3)), 12);
    expect(value).toBeCloseTo(0.386853, 6);
  });

  test('gains are linear in the grade (not 2^grade − 1)', () => {
    // ranked b, a; grades a 3, b 1; k = 2.
    // DCG  = 1/1 + 3/log2(3) = 1 + 1.8927893 = 2.8927893
    // IDCG = 3/1 + 1/log2(3) = 3 + 0.6309298 = 3.6309298 → 0.7967100
    // (exponential gains would give (1 + 7/1.585) / (7 + 1/1.585) = 0.7100, a different figure)
    expect(ndcgAtK(['b', 'a'], { a: 3, b: 1 }, 2)).toBeCloseTo(0.79671, 5);
  });
});
