import * as assert from 'node:assert/strict';
import type { RankedIndexV1 } from '../../spec/v1/index.js';

/**
 * Asserts the shape every ranking must have: an array of `{ index, score }` with integer indices
 * in range and unique, finite scores, sorted by score descending; and, when `expectedIndices` is
 * given, exactly those indices (so nothing is dropped or duplicated).
 */
export function assertValidRanking(
  ranking: readonly RankedIndexV1[],
  {
    documentCount,
    expectedLength,
    what,
  }: { documentCount: number; expectedLength?: number; what: string },
): void {
  assert.ok(Array.isArray(ranking), `${what}: the ranking must be an array.`);
  const seen = new Set<number>();
  for (const [position, entry] of ranking.entries()) {
    assert.ok(
      Number.isInteger(entry.index) && entry.index >= 0 && entry.index < documentCount,
      `${what}: ranking[${position}].index is ${entry.index}, outside 0..${documentCount - 1}.`,
    );
    assert.ok(!seen.has(entry.index), `${what}: index ${entry.index} appears more than once.`);
    seen.add(entry.index);
    assert.ok(
      typeof entry.score === 'number' && Number.isFinite(entry.score),
      `${what}: ranking[${position}].score is ${entry.score}, not a finite number.`,
    );
    const previous = ranking[position - 1];
    if (previous !== undefined) {
      assert.ok(
        previous.score >= entry.score,
        `${what}: scores are not sorted descending (ranking[${position - 1}].score ${previous.score} < ranking[${position}].score ${entry.score}).`,
      );
    }
  }
  if (expectedLength !== undefined) {
    assert.equal(
      ranking.length,
      expectedLength,
      `${what}: expected ${expectedLength} ranked documents.`,
    );
  }
}

/** Asserts that the ranking holds every index `0..documentCount - 1` exactly once. */
export function assertRanksAll(
  ranking: readonly RankedIndexV1[],
  documentCount: number,
  what: string,
): void {
  assertValidRanking(ranking, { documentCount, expectedLength: documentCount, what });
}

/** The scores of a ranking keyed by document index. */
export function scoresByIndex(ranking: readonly RankedIndexV1[]): Map<number, number> {
  return new Map(ranking.map((entry) => [entry.index, entry.score]));
}

/** Asserts two scores are equal within `tolerance` (relative for large magnitudes). */
export function assertScoresClose(
  actual: number,
  expected: number,
  tolerance: number,
  what: string,
): void {
  const allowed = tolerance * Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= allowed,
    `${what}: ${actual} differs from ${expected} by more than ${allowed}.`,
  );
}
