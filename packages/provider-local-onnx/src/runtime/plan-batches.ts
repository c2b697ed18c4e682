import { type BatchLimits, pendingOrder, RowScheduler } from './row-scheduler.js';

export type { BatchLimits } from './row-scheduler.js';

/**
 * Groups the inputs of one call into batches, as the {@link RowScheduler} cuts a call that waits
 * alone: sorted by length (longest first, ties in input order), then filled greedily while
 * rows × longest row stays within the token budget. Sorting makes rows of a batch nearly equal in
 * length, so padding wastes almost nothing; the budget keeps the attention tensors
 * (rows × heads × length²) small enough to stay in cache.
 *
 * @returns batches of input indices
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const scheduler = new RowScheduler(limits);
  scheduler.add({ kind: 'rows', lengths, pending: pendingOrder(lengths) });
  const batches: number[][] = [];
  for (let parts = scheduler.take(1); parts !== undefined; parts = scheduler.take(1)) {
    batches.push(parts.flatMap((part) => part.rows));
  }
  return batches;
}
