import { type RelevanceJudgments, toGainMap, validateCutoff } from './relevance-judgments.js';

/**
 * Reciprocal rank at cutoff `k`: 1 / (rank of the first relevant id) when that rank is ≤ `k`,
 * else 0. Averaged over queries it is MRR@k. Any positive grade counts as relevant (trec_eval's
 * default relevance level 1 for integer grades). Returns `undefined` when no document is
 * relevant, so such a query can be left out of the mean instead of counting as 0.
 *
 * @example reciprocalRankAtK(['x', 'a', 'b'], ['a', 'b'], 5) // 0.5: the first hit is at rank 2
 * @throws InvalidArgumentError when `k` is not an integer ≥ 1 or a gain is negative
 */
export function reciprocalRankAtK(
  rankedIds: readonly string[],
  relevant: RelevanceJudgments,
  k: number,
): number | undefined {
  validateCutoff(k);
  const gains = toGainMap(relevant);
  if (gains.size === 0) return undefined;
  const position = rankedIds.slice(0, k).findIndex((id) => gains.has(id));
  return position === -1 ? 0 : 1 / (position + 1);
}
