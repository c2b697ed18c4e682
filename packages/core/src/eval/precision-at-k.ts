import { type RelevanceJudgments, toGainMap, validateCutoff } from './relevance-judgments.js';

/**
 * The share of the first `k` positions that hold a relevant document. The denominator is `k`
 * even when fewer ids were returned (missing results count as misses), as in trec_eval.
 */
export function precisionAtK(
  rankedIds: readonly string[],
  relevant: RelevanceJudgments,
  k: number,
): number {
  validateCutoff(k);
  const gains = toGainMap(relevant);
  const seen = new Set<string>();
  let hits = 0;
  for (const id of rankedIds.slice(0, k)) {
    if (gains.has(id) && !seen.has(id)) hits += 1;
    seen.add(id);
  }
  return hits / k;
}
