import { type RelevanceJudgments, toGainMap, validateCutoff } from './relevance-judgments.js';

/**
 * The share of relevant documents found in the first `k` ranked ids. Use it on stage 1: a
 * reranker can only reorder what retrieval found, so low recall@K is a retrieval problem.
 * Returns `undefined` when there is no relevant document to find.
 */
export function recallAtK(
  rankedIds: readonly string[],
  relevant: RelevanceJudgments,
  k: number,
): number | undefined {
  validateCutoff(k);
  const gains = toGainMap(relevant);
  if (gains.size === 0) return undefined;
  let found = 0;
  const seen = new Set<string>();
  for (const id of rankedIds.slice(0, k)) {
    if (gains.has(id) && !seen.has(id)) found += 1;
    seen.add(id);
  }
  return found / gains.size;
}
