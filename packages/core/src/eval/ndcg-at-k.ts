import { type RelevanceJudgments, toGainMap, validateCutoff } from './relevance-judgments.js';

/**
 * Normalised discounted cumulative gain at `k`, with linear gains and a log2(rank + 1) discount:
 * DCG@k = Σ gain(i) / log2(i + 1) over ranks i = 1..k, divided by the DCG of the ideal order.
 * A duplicated id earns its gain once. Returns `undefined` when no document is relevant.
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
