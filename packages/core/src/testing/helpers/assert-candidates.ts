import * as assert from 'node:assert/strict';
import type { RetrievedCandidateV1 } from '../../spec/v1/index.js';
import type { ConformanceDocument } from '../conformance-document.js';

/**
 * Asserts the shape every candidate list must have: at most `topK` candidates, ids unique and
 * from the corpus, each with its stored text, finite scores sorted descending.
 */
export function assertValidCandidates(
  candidates: readonly RetrievedCandidateV1[],
  { corpus, topK, what }: { corpus: readonly ConformanceDocument[]; topK: number; what: string },
): void {
  assert.ok(Array.isArray(candidates), `${what}: candidates must be an array.`);
  assert.ok(
    candidates.length <= topK,
    `${what}: ${candidates.length} candidates for topK ${topK}.`,
  );
  const texts = new Map(corpus.map((document) => [document.id, document.text]));
  const seen = new Set<string>();
  for (const [position, candidate] of candidates.entries()) {
    assert.ok(
      texts.has(candidate.id),
      `${what}: candidate id '${candidate.id}' is not in the corpus.`,
    );
    assert.ok(!seen.has(candidate.id), `${what}: id '${candidate.id}' appears more than once.`);
    seen.add(candidate.id);
    assert.equal(
      candidate.text,
      texts.get(candidate.id),
      `${what}: text of '${candidate.id}' differs from the stored one.`,
    );
    assert.ok(
      typeof candidate.score === 'number' && Number.isFinite(candidate.score),
      `${what}: score of '${candidate.id}' is ${candidate.score}, not a finite number.`,
    );
    const previous = candidates[position - 1];
    if (previous !== undefined) {
      assert.ok(
        previous.score >= candidate.score,
        `${what}: scores are not sorted descending ('${previous.id}' ${previous.score} < '${candidate.id}' ${candidate.score}).`,
      );
    }
  }
}

/** The ids of the candidates, sorted, for set comparisons. */
export function sortedIds(candidates: readonly { id: string }[]): string[] {
  return candidates.map((candidate) => candidate.id).sort();
}
