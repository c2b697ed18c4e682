import { rankingPositions } from './ranking-positions.js';
import { validateCutoff } from './relevance-judgments.js';

/**
 * The share of ids two rankings have in common among their first `k`: |A₁..d ∩ B₁..d| / d with
 * depth d = min(k, length of the longer ranking), so two identical rankings shorter than `k`
 * agree fully (1) rather than being penalised for the candidates that were never there.
 * Order within the top `k` does not matter (see {@link kendallTau} and
 * {@link rankBiasedOverlap} for that). Returns `undefined` when both rankings are empty.
 *
 * @example overlapAtK(['a', 'b', 'c'], ['c', 'a', 'd'], 3) // 2/3: a and c are shared
 * @throws InvalidArgumentError when `k` is not an integer ≥ 1 or a ranking repeats an id
 */
export function overlapAtK(
  rankingA: readonly string[],
  rankingB: readonly string[],
  k: number,
): number | undefined {
  validateCutoff(k);
  rankingPositions(rankingA, 'rankingA');
  rankingPositions(rankingB, 'rankingB');
  const depth = Math.min(k, Math.max(rankingA.length, rankingB.length));
  if (depth === 0) return undefined;
  const topA = new Set(rankingA.slice(0, depth));
  let shared = 0;
  for (const id of rankingB.slice(0, depth)) if (topA.has(id)) shared += 1;
  return shared / depth;
}
