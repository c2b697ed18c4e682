import { describe, expect, test } from 'vitest';
import { truncatePairLengths } from '../src/tokenizer/truncate-pair.js';

/** A BERT-style pair (3 special tokens) cut to `maxLength`. */
const longestFirst = (first: number, second: number, maxLength: number) =>
  truncatePairLengths(first, second, { maxLength, specialTokens: 3, strategy: 'longest_first' });

describe('truncatePairLengths longest_first (Rust tokenizers semantics)', () => {
  test('keeps both sequences whole when they fit', () => {
    expect(longestFirst(3, 6, 12)).toEqual([3, 6]);
  });

  test('cuts only the longer sequence when the shorter fits in half the budget', () => {
    expect(longestFirst(3, 100, 12)).toEqual([3, 6]);
    expect(longestFirst(100, 3, 12)).toEqual([6, 3]);
  });

  test('cuts both to half the budget, the originally longer one keeping the odd token', () => {
    expect(longestFirst(6, 7, 12)).toEqual([4, 5]);
    expect(longestFirst(7, 6, 12)).toEqual([5, 4]);
    expect(longestFirst(50, 50, 13)).toEqual([5, 5]);
    expect(longestFirst(200, 300, 512)).toEqual([200, 300]);
    expect(longestFirst(300, 400, 512)).toEqual([254, 255]);
    // Only one side reaches the limit: the longer one still gets the odd token.
    expect(longestFirst(17, 30, 18)).toEqual([7, 8]);
    expect(longestFirst(30, 17, 18)).toEqual([8, 7]);
  });

  test('equal lengths tie, and the second keeps the odd token', () => {
    // What two texts that both pass the limit enter with (see earlyCutLength): a tie.
    expect(longestFirst(18, 18, 18)).toEqual([7, 8]);
    expect(longestFirst(512, 512, 512)).toEqual([254, 255]);
    // An even budget splits evenly either way.
    expect(longestFirst(17, 17, 17)).toEqual([7, 7]);
  });
});

describe('truncatePairLengths only_second (FlagEmbedding semantics)', () => {
  const onlySecond = (first: number, second: number, maxLength: number, queryMaxTokens: number) =>
    truncatePairLengths(first, second, {
      maxLength,
      specialTokens: 3,
      strategy: 'only_second',
      queryMaxTokens,
    });

  test('caps the query, then cuts only the document', () => {
    expect(onlySecond(9, 6, 10, 2)).toEqual([2, 5]);
    expect(onlySecond(3, 100, 12, 6)).toEqual([3, 6]);
  });

  test('leaves at least one document token even when the query cap exceeds the budget', () => {
    expect(onlySecond(50, 10, 11, 384)).toEqual([7, 1]);
  });
});
