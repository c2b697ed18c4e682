import { describe, expect, test } from 'vitest';
import { truncatePairLengths } from '../src/tokenizer/truncate-pair.js';

describe('truncatePairLengths longest_first (Rust tokenizers semantics)', () => {
  test('keeps both sequences whole when they fit', () => {
    expect(truncatePairLengths(3, 6, 9, 'longest_first')).toEqual([3, 6]);
  });

  test('cuts only the longer sequence when the shorter fits in half the budget', () => {
    expect(truncatePairLengths(3, 100, 9, 'longest_first')).toEqual([3, 6]);
    expect(truncatePairLengths(100, 3, 9, 'longest_first')).toEqual([6, 3]);
  });

  test('cuts both to half the budget, the originally longer one keeping the odd token', () => {
    expect(truncatePairLengths(6, 7, 9, 'longest_first')).toEqual([4, 5]);
    expect(truncatePairLengths(7, 6, 9, 'longest_first')).toEqual([5, 4]);
    expect(truncatePairLengths(50, 50, 10, 'longest_first')).toEqual([5, 5]);
    expect(truncatePairLengths(200, 300, 509, 'longest_first')).toEqual([200, 300]);
    expect(truncatePairLengths(300, 400, 509, 'longest_first')).toEqual([254, 255]);
  });
});

describe('truncatePairLengths only_second (FlagEmbedding semantics)', () => {
  test('caps the query, then cuts only the document', () => {
    expect(truncatePairLengths(9, 6, 7, 'only_second', 2)).toEqual([2, 5]);
    expect(truncatePairLengths(3, 100, 9, 'only_second', 6)).toEqual([3, 6]);
  });

  test('leaves at least one document token even when the query cap exceeds the budget', () => {
    expect(truncatePairLengths(50, 10, 8, 'only_second', 384)).toEqual([7, 1]);
  });
});
