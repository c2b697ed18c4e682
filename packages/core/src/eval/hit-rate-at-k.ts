import { type RelevanceJudgments, toGainMap, validateCutoff } from './relevance-judgments.js';

/**
 * Whether any relevant id is among the first `k`: 1 or 0. Averaged over queries it is the hit
 * rate@k (also called success@k). Returns `undefined` when no document is relevant.
 *
 * @example hitRateAtK(['x', 'y', 'a'], ['a'], 2) // 0: the only relevant id is at rank 3
 * @throws InvalidArgumentError when `k` is not an integer ≥ 1 or a gain is negative
 */
export function hitRateAtK(
  rankedIds: readonly string[],
  relevant: RelevanceJudgments,
  k: number,
): 0 | 1 | undefined {
  validateCutoff(k);
  const gains = toGainMap(relevant);
  if (gains.size === 0) return undefined;
  return rankedIds.slice(0, k).some((id) => gains.has(id)) ? 1 : 0;
}
