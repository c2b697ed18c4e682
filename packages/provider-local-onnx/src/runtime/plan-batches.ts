/** Limits of one `session.run` batch. */
export type BatchLimits = {
  /** Most padded tokens (rows × longest row) in one batch; a single longer row still runs alone. */
  maxBatchTokens: number;
  /** Most rows in one batch. */
  maxBatchSize: number;
};

/**
 * Groups inputs into batches: sorted by length (longest first, ties in input order), then filled
 * greedily while rows × longest row stays within the token budget. Sorting makes rows of a batch
 * nearly equal in length, so padding wastes almost nothing; the budget keeps the attention
 * tensors (rows × heads × length²) small enough to stay in cache.
 *
 * @returns batches of input indices
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const order = lengths
    .map((length, index) => ({ length, index }))
    .sort((left, right) => right.length - left.length || left.index - right.index);
  const batches: number[][] = [];
  let current: number[] = [];
  let currentLongest = 0;
  for (const { length, index } of order) {
    if (
      current.length > 0 &&
      (current.length >= limits.maxBatchSize ||
        (current.length + 1) * currentLongest > limits.maxBatchTokens)
    ) {
      batches.push(current);
      current = [];
    }
    if (current.length === 0) currentLongest = length;
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
