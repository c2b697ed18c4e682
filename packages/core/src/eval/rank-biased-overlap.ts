import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { rankingPositions } from './ranking-positions.js';

/** Options of {@link rankBiasedOverlap}. */
export type RankBiasedOverlapOptions = {
  /**
   * Persistence: how much weight deeper ranks get. The top d ranks carry 1 − p^d of the weight
   * (with 0.9, the top 10 carry about 65%).
   * @default 0.9
   */
  persistence?: number;
};

/**
 * Rank-biased overlap (Webber, Moffat and Zobel, 2010), extrapolated (their RBO_EXT, eq. 32):
 * agreement of two rankings that weighs the top most, in [0, 1] — 1 for identical rankings, 0
 * for disjoint ones. With X_d the number of ids shared by the first d of each ranking, s and l
 * the lengths of the shorter and longer ranking:
 *
 * RBO_ext = (1−p)/p · [ Σ_{d=1..l} (X_d/d)·p^d + Σ_{d=s+1..l} X_s·(d−s)/(s·d)·p^d ]
 *           + [ (X_l − X_s)/l + X_s/s ] · p^l
 *
 * For two rankings of the same length k this is (1−p)/p · Σ_{d=1..k} (X_d/d)·p^d + (X_k/k)·p^k:
 * the agreement seen to depth k is assumed to continue below it. Returns `undefined` when either
 * ranking is empty.
 *
 * @example rankBiasedOverlap(['a', 'b', 'c'], ['b', 'a', 'd']) // 0.63 with p = 0.9
 * @throws InvalidArgumentError when `persistence` is not in (0, 1) or a ranking repeats an id
 */
export function rankBiasedOverlap(
  rankingA: readonly string[],
  rankingB: readonly string[],
  options: RankBiasedOverlapOptions = {},
): number | undefined {
  const p = options.persistence ?? 0.9;
  if (typeof p !== 'number' || !(p > 0 && p < 1)) {
    throw new InvalidArgumentError({
      argument: 'persistence',
      message: `must be a number in (0, 1), got ${String(p)}`,
    });
  }
  rankingPositions(rankingA, 'rankingA');
  rankingPositions(rankingB, 'rankingB');
  const [shorter, longer] =
    rankingA.length <= rankingB.length ? [rankingA, rankingB] : [rankingB, rankingA];
  const s = shorter.length;
  const l = longer.length;
  if (s === 0) return undefined;

  // X_d for d = 1..l; below depth s the shorter ranking contributes all of its ids.
  const seenShorter = new Set<string>();
  const seenLonger = new Set<string>();
  const overlapAt: number[] = [0];
  let overlap = 0;
  for (let depth = 1; depth <= l; depth++) {
    const fromLonger = longer[depth - 1] as string;
    const fromShorter = depth <= s ? (shorter[depth - 1] as string) : undefined;
    if (fromShorter !== undefined) {
      if (seenLonger.has(fromShorter)) overlap += 1;
      seenShorter.add(fromShorter);
    }
    if (seenShorter.has(fromLonger)) overlap += 1;
    seenLonger.add(fromLonger);
    overlapAt.push(overlap);
  }
  const overlapAtS = overlapAt[s] as number;
  const overlapAtL = overlapAt[l] as number;
  let sum = 0;
  for (let depth = 1; depth <= l; depth++) {
    sum += ((overlapAt[depth] as number) / depth) * p ** depth;
    if (depth > s) sum += ((overlapAtS * (depth - s)) / (s * depth)) * p ** depth;
  }
  return ((1 - p) / p) * sum + ((overlapAtL - overlapAtS) / l + overlapAtS / s) * p ** l;
}
