import { describe, expect, test } from 'vitest';
import { InvalidArgumentError, kendallTau, overlapAtK, rankBiasedOverlap } from '../src/index.js';

describe('overlapAtK', () => {
  test('counts the ids shared by both top-k, divided by the depth', () => {
    // top 3: {a, b, c} ∩ {c, a, d} = {a, c} → 2/3; top 1: a vs c → 0.
    expect(overlapAtK(['a', 'b', 'c'], ['c', 'a', 'd'], 3)).toBeCloseTo(2 / 3, 12);
    expect(overlapAtK(['a', 'b', 'c'], ['c', 'a', 'd'], 1)).toBe(0);
  });

  test('rankings shorter than k are compared at their own depth', () => {
    // depth = min(5, 2) = 2: {a, b} ∩ {b, a} = 2 → 1.
    expect(overlapAtK(['a', 'b'], ['b', 'a'], 5)).toBe(1);
    expect(overlapAtK([], [], 5)).toBeUndefined();
  });

  test('rejects a repeated id, naming its position', () => {
    expect(() => overlapAtK(['a', 'a'], ['a'], 2)).toThrow(InvalidArgumentError);
    expect(() => overlapAtK(['a'], ['b', 'b'], 2)).toThrow(/rankingB\[1\]/);
  });
});

describe('kendallTau', () => {
  test('complete orders of the same ids: (C − D) / pairs', () => {
    // (a,b) concordant, (a,c) concordant, (b,c) discordant → (2 − 1) / 3.
    expect(kendallTau(['a', 'b', 'c'], ['a', 'c', 'b'])).toBeCloseTo(1 / 3, 12);
    expect(kendallTau(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(1);
    expect(kendallTau(['a', 'b', 'c'], ['c', 'b', 'a'])).toBe(-1);
  });

  test('over the union of the top k, an id below the cutoff ranks after the top k', () => {
    // A = a b c | d, B = b a e | c, k = 3 → union {a, b, c, e}.
    // A ranks a0 b1 c2 e∞; B ranks b0 a1 e2 c∞ (c is 4th in B, past the cutoff).
    // (a,b) D, (a,c) C, (a,e) C, (b,c) C, (b,e) C, (c,e) D → C 4, D 2, no ties → 2/6.
    expect(kendallTau(['a', 'b', 'c', 'd'], ['b', 'a', 'e', 'c'], 3)).toBeCloseTo(1 / 3, 12);
  });

  test('ties from missing ids are corrected as tau-b', () => {
    // A = a b, B = c d → union {a, b, c, d}; A: a0 b1 c∞ d∞, B: c0 d1 a∞ b∞.
    // (a,b) tied in B; (c,d) tied in A; the other 4 pairs discordant.
    // τ_b = (0 − 4) / √((6 − 1)(6 − 1)) = −0.8
    expect(kendallTau(['a', 'b'], ['c', 'd'])).toBeCloseTo(-0.8, 12);
  });

  test('is undefined with fewer than two ids', () => {
    expect(kendallTau(['a'], ['a'])).toBeUndefined();
    expect(() => kendallTau(['a'], ['a'], 0)).toThrow(/'k'/);
  });
});

describe('rankBiasedOverlap (extrapolated, p = 0.9)', () => {
  test('identical rankings give 1 and disjoint ones 0', () => {
    expect(rankBiasedOverlap(['a', 'b', 'c'], ['a', 'b', 'c'])).toBeCloseTo(1, 12);
    expect(rankBiasedOverlap(['a', 'b'], ['c', 'd'])).toBe(0);
  });

  test('equal lengths: (1−p)/p · Σ X_d/d · p^d + X_k/k · p^k', () => {
    // A = a b c, B = b a d: X_1 = 0, X_2 = 2, X_3 = 2.
    // Σ = 0·0.9 + (2/2)·0.81 + (2/3)·0.729 = 0.81 + 0.486 = 1.296
    // (0.1/0.9)·1.296 = 0.144; + (2/3)·0.729 = 0.486 → 0.630
    expect(rankBiasedOverlap(['a', 'b', 'c'], ['b', 'a', 'd'])).toBeCloseTo(0.63, 12);
  });

  test('uneven lengths use eq. 32 of Webber et al.', () => {
    // S = a b (s = 2), L = b c a (l = 3): X_1 = 0, X_2 = 1, X_3 = 2; X_s = 1, X_l = 2.
    // Σ_{d≤3} X_d/d·p^d = 0 + 0.405 + 0.486 = 0.891
    // Σ_{d=3} X_s·(d−s)/(s·d)·p^d = 1·1/6·0.729 = 0.1215
    // (1/9)·(0.891 + 0.1215) = 0.1125
    // tail ((X_l − X_s)/l + X_s/s)·p^l = (1/3 + 1/2)·0.729 = 0.6075 → 0.72
    expect(rankBiasedOverlap(['a', 'b'], ['b', 'c', 'a'])).toBeCloseTo(0.72, 12);
    // Symmetric: the order of the arguments does not matter.
    expect(rankBiasedOverlap(['b', 'c', 'a'], ['a', 'b'])).toBeCloseTo(0.72, 12);
  });

  test('persistence is configurable and checked', () => {
    // p = 0.5, A = a b, B = b a: X_1 = 0, X_2 = 2 → 1·(0 + 1·0.25) + 1·0.25 = 0.5
    expect(rankBiasedOverlap(['a', 'b'], ['b', 'a'], { persistence: 0.5 })).toBeCloseTo(0.5, 12);
    expect(rankBiasedOverlap([], ['a'])).toBeUndefined();
    expect(() => rankBiasedOverlap(['a'], ['a'], { persistence: 1 })).toThrow(/persistence/);
  });
});
