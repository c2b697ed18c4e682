/** A run of pairs that PAV pooled: their score range, summed scores and labels, and count. */
type Block = { low: number; high: number; scoreSum: number; labelSum: number; count: number };

/**
 * Fits a non-decreasing step function by pool-adjacent-violators over the pairs sorted by
 * score, returning one point per block: its mean score and its rate of relevant pairs. Pairs of
 * equal score are pooled before any violation is looked at (they must share one probability),
 * and each block's point is kept within its own score range, so the points strictly increase
 * even where a float mean rounds past a tie (`(0.1 + 0.1 + 0.1) / 3` is not `0.1`).
 */
export function fitIsotonic(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
): { scores: number[]; probabilities: number[] } {
  const order = scores
    .map((_, index) => index)
    .sort((x, y) => (scores[x] as number) - (scores[y] as number));
  const blocks: Block[] = [];
  for (const index of order) {
    const score = scores[index] as number;
    const label = labels[index] as number;
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.high === score) {
      last.scoreSum += score;
      last.labelSum += label;
      last.count += 1;
    } else {
      blocks.push({ low: score, high: score, scoreSum: score, labelSum: label, count: 1 });
    }
    while (blocks.length >= 2) {
      const top = blocks[blocks.length - 1] as Block;
      const below = blocks[blocks.length - 2] as Block;
      if (below.labelSum / below.count <= top.labelSum / top.count) break;
      below.high = top.high;
      below.scoreSum += top.scoreSum;
      below.labelSum += top.labelSum;
      below.count += top.count;
      blocks.pop();
    }
  }
  return {
    scores: blocks.map((block) =>
      Math.min(block.high, Math.max(block.low, block.scoreSum / block.count)),
    ),
    probabilities: blocks.map((block) => block.labelSum / block.count),
  };
}
