import { type RelevanceJudgments, toGainMap, validateCutoff } from './relevance-judgments.js';

/**
 * Normalised discounted cumulative gain at `k`, with linear gains and a log2(rank + 1) discount:
 * DCG@k = Σ gain(i) / log2(i + 1) over ranks i = 1..k, divided by the DCG of the ideal order.
 * The ideal order is every judged document with a positive grade, best first, cut at `k`. This
 * is trec_eval's `ndcg_cut.k` (version 9: gain = the grade, linear; rank i discounted by
 * log2(i + 1)), which BEIR reports through pytrec_eval. A duplicated id earns its gain once.
 * Returns `undefined` when no document is relevant.
 *
 * @example ndcgAtK(['a', 'x', 'b'], { a: 3, b: 2, c: 1 }, 3) // 4 / 4.7619 = 0.8400
 * @throws InvalidArgumentError when `k` is not an integer ≥ 1 or a gain is negative
 */
export function ndcgAtK(
  rankedIds: readonly string[],
  relevant: RelevanceJudgments,
  k: number,
): number | undefined {
  validateCutoff(k);
  const gains = toGainMap(relevant);
  if (gains.size === 0) return undefined;
  const seen = new Set<string>();
  let dcg = 0;
  rankedIds.slice(0, k).forEach((id, position) => {
    const gain = seen.has(id) ? 0 : (gains.get(id) ?? 0);
    seen.add(id);
    dcg += gain / Math.log2(position + 2);
  });
  const ideal = [...gains.values()].sort((left, right) => right - left).slice(0, k);
  const idealDcg = ideal.reduce((sum, gain, position) => sum + gain / Math.log2(position + 2), 0);
  return dcg / idealDcg;
}
