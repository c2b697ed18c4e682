import { throwIfAborted } from '@twostage/core';

/**
 * Work written as a generator that `yield`s wherever it may pause (between documents, between
 * k-means points). {@link runInSlices} runs it in time-boxed slices on the event loop;
 * {@link runToEnd} runs it in one go where nothing else needs the thread.
 */
export type SlicedWork<Result> = Generator<void, Result, void>;

/**
 * Milliseconds of work per slice before the event loop gets a turn. Well under the 50 ms a
 * server may be held, with room for a garbage-collection pause on top of a slice.
 */
export const sliceBudgetMs = 12;

/** Options of {@link runInSlices}. */
export type SliceOptions = {
  /** Checked before every slice: an abort stops the work between two slices. */
  abortSignal?: AbortSignal | undefined;
  /** Milliseconds per slice. @default {@link sliceBudgetMs} */
  budgetMs?: number;
};

/** Resolves on the next turn of the event loop, after pending I/O and timers. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `work` in slices of about `budgetMs`, giving the event loop a turn (`setImmediate`)
 * between slices, so queries, timers and I/O keep being served while an index is written.
 *
 * Slices rather than a worker thread, by measurement: handing 100k chunk texts to a worker
 * (`postMessage`, a structured clone) blocked the sending thread for 525–747 ms on the 2-core
 * development machine — ten times the budget before any indexing — and the built index would
 * have to travel back (or every query go through the worker). Slicing the same work on the
 * thread that owns the index costs one clock read per yield point.
 *
 * @throws the abort reason (an `AbortedError`) when `abortSignal` fires between slices; the
 *   generator is then left unfinished, and the caller undoes what it had prepared
 */
export async function runInSlices<Result>(
  work: SlicedWork<Result>,
  options: SliceOptions = {},
): Promise<Result> {
  const budget = options.budgetMs ?? sliceBudgetMs;
  for (;;) {
    throwIfAborted(options.abortSignal);
    const deadline = performance.now() + budget;
    let step = work.next();
    while (step.done !== true && performance.now() < deadline) step = work.next();
    if (step.done === true) return step.value;
    await nextTurn();
  }
}

/** Runs `work` to its end without pausing (for synchronous callers). */
export function runToEnd<Result>(work: SlicedWork<Result>): Result {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
  }
}

/**
 * Runs tasks one after the other, each started when the previous one settled (whether it
 * succeeded or failed). A retriever's writes, deletes and saves go through one queue, so a
 * write that spans many event-loop turns is never interleaved with another change.
 */
export class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects with its result. */
  run<Result>(task: () => Promise<Result>): Promise<Result> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
