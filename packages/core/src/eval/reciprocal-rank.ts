import { type RelevanceJudgments, toGainMap } from './relevance-judgments.js';

/**
 * 1 / (rank of the first relevant id), or 0 when none is ranked; averaged over queries it is
 * MRR. Returns `undefined` when no document is relevant.
 */
export function reciprocalRank(
  rankedIds: readonly string[],
  relevant: RelevanceJudgments,
): number | undefined {
  const gains = toGainMap(relevant);
  if (gains.size === 0) return undefined;
  const position = rankedIds.findIndex((id) => gains.has(id));
  return position === -1 ? 0 : 1 / (position + 1);
}
