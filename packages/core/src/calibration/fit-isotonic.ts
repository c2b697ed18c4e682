/**
 * Fits a non-decreasing step function by pool-adjacent-violators over the pairs sorted by
 * score (ties pooled first), returning one point per block: its mean score and its rate of
 * relevant pairs.
 */
export function fitIsotonic(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
): { scores: number[]; probabilities: number[] } {
  const order = scores
    .map((_, index) => index)
    .sort((x, y) => (scores[x] as number) - (scores[y] as number));
  const blocks: { scoreSum: number; labelSum: number; count: number }[] = [];
  for (const index of order) {
    const score = scores[index] as number;
    const last = blocks[blocks.length - 1];
    // Equal scores must share one probability: pool them before any violation is looked at.
    if (last !== undefined && last.scoreSum / last.count === score) {
      last.scoreSum += score;
      last.labelSum += labels[index] as number;
      last.count += 1;
    } else {
      blocks.push({ scoreSum: score, labelSum: labels[index] as number, count: 1 });
    }
    while (blocks.length >= 2) {
      const top = blocks[blocks.length - 1] as (typeof blocks)[number];
      const below = blocks[blocks.length - 2] as (typeof blocks)[number];
      if (below.labelSum / below.count <= top.labelSum / top.count) break;
      below.scoreSum += top.scoreSum;
      below.labelSum += top.labelSum;
      below.count += top.count;
      blocks.pop();
    }
  }
  return {
    scores: blocks.map((block) => block.scoreSum / block.count),
    probabilities: blocks.map((block) => block.labelSum / block.count),
  };
}
