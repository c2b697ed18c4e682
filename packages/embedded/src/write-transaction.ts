import { runInSlices, type SlicedWork } from './run-in-slices.js';
import { ShardedMap } from './sharded-map.js';

/**
 * One side's share of a write, in three steps: `prepare` does the work in slices while queries
 * keep seeing the index as it was; `commit` publishes it in one synchronous step; `rollback`
 * drops it (after a failure or an abort) so that nothing visible changed. `tidy` then does
 * work after the commit that changes no result (compaction).
 */
export type WriteTransaction = {
  prepare(): SlicedWork<void>;
  commit(): void;
  rollback(): void;
  tidy(): SlicedWork<void>;
};

/**
 * Runs the transactions of one write: every `prepare` in slices (the abort signal checked
 * between slices), then every `commit` in the same turn of the event loop — so a hybrid write's
 * two sides appear together — then the `tidy` work, which an abort no longer stops (the
 * documents are in by then).
 *
 * @throws whatever a `prepare` threw, or the abort reason; every transaction is rolled back
 */
export async function runWriteTransactions(
  transactions: readonly WriteTransaction[],
  abortSignal: AbortSignal | undefined,
): Promise<void> {
  try {
    for (const transaction of transactions) {
      await runInSlices(transaction.prepare(), { abortSignal });
    }
  } catch (error) {
    for (const transaction of transactions) transaction.rollback();
    throw error;
  }
  for (const transaction of transactions) transaction.commit();
  for (const transaction of transactions) await runInSlices(transaction.tidy());
}

/**
 * The positions of a batch to write, in order, keeping only the last occurrence of an id that
 * appears more than once (an upsert's "last one wins"). Yields between documents.
 */
export function* lastOccurrences(
  documents: readonly { id: string }[],
  unique: boolean,
): SlicedWork<number[]> {
  const positions: number[] = [];
  if (unique) {
    for (let index = 0; index < documents.length; index++) positions.push(index);
    return positions;
  }
  const last = new ShardedMap<number>();
  for (let index = 0; index < documents.length; index++) {
    last.set((documents[index] as { id: string }).id, index);
    if ((index & 255) === 0) yield;
  }
  for (let index = 0; index < documents.length; index++) {
    if (last.get((documents[index] as { id: string }).id) === index) positions.push(index);
    if ((index & 255) === 0) yield;
  }
  return positions;
}
