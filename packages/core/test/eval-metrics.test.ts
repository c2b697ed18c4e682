import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../src/errors/invalid-argument-error.js';
import { ndcgAtK } from '../src/eval/ndcg-at-k.js';
import { precisionAtK } from '../src/eval/precision-at-k.js';
import { recallAtK } from '../src/eval/recall-at-k.js';
import { reciprocalRank } from '../src/eval/reciprocal-rank.js';

describe('recallAtK', () => {
  test('counts relevant ids found within the cutoff, each once', () => {
    expect(recallAtK(['x', 'a', 'a', 'y', 'b'], ['a', 'b', 'c', 'd'], 4)).toBe(0.25);
    expect(recallAtK(['x', 'a', 'y', 'b'], ['a', 'b', 'c', 'd'], 4)).toBe(0.5);
    expect(recallAtK(['a', 'b'], ['a', 'b'], 10)).toBe(1);
  });

  test('is undefined when nothing is relevant, and rejects a bad cutoff', () => {
    expect(recallAtK(['a'], [], 5)).toBeUndefined();
    expect(() => recallAtK(['a'], ['a'], 0)).toThrow(InvalidArgumentError);
    expect(() => recallAtK(['a'], ['a'], 1.5)).toThrow(/'k'/);
  });
});

describe('precisionAtK', () => {
  test('divides by k even when fewer results came back', () => {
    expect(precisionAtK(['a', 'x', 'b', 'y', 'z'], ['a', 'b'], 5)).toBe(0.4);
    expect(precisionAtK(['a'], ['a', 'b'], 5)).toBe(0.2);
    expect(precisionAtK(['a', 'a'], ['a'], 2)).toBe(0.5);
  });
});

describe('ndcgAtK', () => {
  test('matches a hand-computed graded example', () => {
    // DCG = 3/log2(2) + 0 + 2/log2(4) = 4; IDCG = 3 + 2/log2(3) + 1/log2(4) = 4.761859...
    const value = ndcgAtK(['a', 'x', 'b'], { a: 3, b: 2, c: 1 }, 3);
    expect(value).toBeCloseTo(4 / (3 + 2 / Math.log2(3) + 0.5), 12);
    expect(value).toBeCloseTo(0.84001, 5);
  });

  test('is 1 for the ideal order and 0 when nothing relevant is ranked', () => {
    expect(ndcgAtK(['a', 'b'], ['a', 'b'], 2)).toBe(1);
    expect(ndcgAtK(['x', 'y'], ['a'], 2)).toBe(0);
    expect(ndcgAtK(['a'], {}, 2)).toBeUndefined();
  });

  test('rejects negative gains, naming the id', () => {
    expect(() => ndcgAtK(['a'], { a: -1 }, 1)).toThrow(/relevant\.a/);
  });
});

describe('reciprocalRank', () => {
  test('is one over the rank of the first relevant id', () => {
    expect(reciprocalRank(['x', 'y', 'b', 'a'], ['a', 'b'])).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRank(['x'], ['a'])).toBe(0);
    expect(reciprocalRank(['x'], [])).toBeUndefined();
  });
});
