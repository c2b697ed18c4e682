import { rankingPositions } from './ranking-positions.js';
import { validateCutoff } from './relevance-judgments.js';

/**
 * Kendall's tau-b between two rankings, over the union of their first `k` ids (all ids when `k`
 * is omitted). An id missing from one ranking is placed after every id that ranking holds, all
 * such ids tied there — so the measure also covers truncated top-k lists, and tau-b's
 * correction for ties keeps it in [-1, 1]:
 *
 * τ_b = (C − D) / √((P − T_A) · (P − T_B)), over the P = n(n−1)/2 pairs of the n ids in the union,
 * with C concordant and D discordant pairs, T_A and T_B the pairs tied in A and in B. A pair tied
 * in either ranking is neither concordant nor discordant.
 *
 * When the rankings are complete orders of the same ids (two rerankers scoring the same
 * candidates) there are no ties and it equals tau-a: 1 same order, −1 reversed. Returns
 * `undefined` when it is not defined (fewer than 2 ids, or every pair tied in one ranking).
 *
 * @example kendallTau(['a', 'b', 'c'], ['a', 'c', 'b']) // 1/3: 2 concordant, 1 discordant pair
 * @throws InvalidArgumentError when `k` is not an integer ≥ 1 or a ranking repeats an id
 */
export function kendallTau(
  rankingA: readonly string[],
  rankingB: readonly string[],
  k?: number,
): number | undefined {
  if (k !== undefined) validateCutoff(k);
  const positionsA = rankingPositions(rankingA, 'rankingA');
  const positionsB = rankingPositions(rankingB, 'rankingB');
  const depth = k ?? Number.POSITIVE_INFINITY;
  const union = [...new Set([...rankingA.slice(0, depth), ...rankingB.slice(0, depth)])];
  // Positions beyond the cutoff count as "not in the top k": tied at the bottom.
  const rankIn = (positions: Map<string, number>, id: string): number => {
    const position = positions.get(id);
    return position === undefined || position >= depth ? Number.POSITIVE_INFINITY : position;
  };
  let concordant = 0;
  let discordant = 0;
  let tiedA = 0;
  let tiedB = 0;
  for (let left = 0; left < union.length; left++) {
    for (let right = left + 1; right < union.length; right++) {
      const idLeft = union[left] as string;
      const idRight = union[right] as string;
      const orderA = Math.sign(rankIn(positionsA, idLeft) - rankIn(positionsA, idRight) || 0);
      const orderB = Math.sign(rankIn(positionsB, idLeft) - rankIn(positionsB, idRight) || 0);
      if (orderA === 0) tiedA += 1;
      if (orderB === 0) tiedB += 1;
      if (orderA === 0 || orderB === 0) continue;
      if (orderA === orderB) concordant += 1;
      else discordant += 1;
    }
  }
  const pairs = (union.length * (union.length - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiedA) * (pairs - tiedB));
  return denominator === 0 ? undefined : (concordant - discordant) / denominator;
}
