/** Limits of one `session.run` batch. */
export type BatchLimits = {
  /** Most padded tokens (rows × longest row) in one batch; a single longer row still runs alone. */
  maxBatchTokens: number;
  /** Most rows in one batch. */
  maxBatchSize: number;
};

/** A call's tokenized rows, as the {@link RowScheduler} sees them. */
export type SchedulableRows = {
  /**
   * What the rows are run as (`score`, or `embed` with its pooling): only rows of the same kind
   * share a batch.
   */
  readonly kind: string;
  /** Tokens in each row, by input index. */
  readonly lengths: readonly number[];
  /** Rows not yet handed out: longest first, ties in input order. Owned by the scheduler. */
  pending: number[];
};

/** The rows of one call in a batch, longest first. */
export type BatchPart<Call extends SchedulableRows> = { call: Call; rows: number[] };

/**
 * Rows of `call`'s `lengths` in the order the scheduler hands them out: longest first, ties in
 * input order (as {@link planBatches} plans one call alone).
 */
export function pendingOrder(lengths: readonly number[]): number[] {
  return lengths
    .map((_, index) => index)
    .sort((left, right) => (lengths[right] as number) - (lengths[left] as number) || left - right);
}

/**
 * Forms batches from the rows of every call waiting, so calls made at the same time — requests of
 * different queries on a server — share length-sorted, token-budgeted batches instead of each
 * padding out its own.
 *
 * A batch starts from the oldest waiting call's longest row (its length sets the padding) and is
 * filled with the longest rows no longer than that from every waiting call of the same kind,
 * while rows × longest stays within `maxBatchTokens` and rows within the row cap. Every batch
 * takes at least one row of the oldest call, so a call is never starved by later ones, however
 * many arrive. A call alone is cut exactly as {@link planBatches} cuts it.
 */
export class RowScheduler<Call extends SchedulableRows> {
  readonly #limits: BatchLimits;
  /** Calls with pending rows, in arrival order. */
  #calls: Call[] = [];

  /** @param limits - the most padded tokens and rows in one batch */
  constructor(limits: BatchLimits) {
    this.#limits = limits;
  }

  /** Rows waiting, over every call. */
  get pendingRows(): number {
    let total = 0;
    for (const call of this.#calls) total += call.pending.length;
    return total;
  }

  /** Queues a call whose `pending` rows are in {@link pendingOrder}. */
  add(call: Call): void {
    if (call.pending.length > 0) this.#calls.push(call);
  }

  /** Takes back a call's rows that are not in a batch yet (an abort, or a failed batch). */
  drop(call: Call): void {
    call.pending = [];
    this.#calls = this.#calls.filter((waiting) => waiting !== call);
  }

  /**
   * The next batch, or undefined when nothing waits.
   *
   * @param spread - sessions that run batches in parallel: while the waiting calls hold few rows,
   *   batches are cut smaller so that every session gets some (their rows ÷ spread, rounded up)
   */
  take(spread: number): BatchPart<Call>[] | undefined {
    const oldest = this.#calls[0];
    if (oldest === undefined) return undefined;
    const sameKind = this.#calls.filter((call) => call.kind === oldest.kind);
    // Sized by the calls' whole row counts, not what is left of them, so the tail of a call is
    // not cut into ever smaller batches.
    let size = 0;
    for (const call of sameKind) size += call.lengths.length;
    const cap = Math.min(
      this.#limits.maxBatchSize,
      Math.max(1, Math.ceil(size / Math.max(1, spread))),
    );
    const longest = oldest.lengths[oldest.pending[0] as number] as number;
    // One cursor per call at its first pending row no longer than `longest`; the batch takes the
    // longest row under any cursor (the oldest call first on ties), so the seed row comes first.
    const cursors = sameKind.map((call) => {
      const start = firstAtMost(call, longest);
      return { call, start, next: start };
    });
    let rows = 0;
    while (rows === 0 || (rows < cap && (rows + 1) * longest <= this.#limits.maxBatchTokens)) {
      let best: (typeof cursors)[number] | undefined;
      let bestLength = -1;
      for (const cursor of cursors) {
        if (cursor.next >= cursor.call.pending.length) continue;
        const length = cursor.call.lengths[cursor.call.pending[cursor.next] as number] as number;
        if (length > bestLength) {
          best = cursor;
          bestLength = length;
        }
      }
      if (best === undefined) break;
      best.next += 1;
      rows += 1;
    }
    const parts: BatchPart<Call>[] = [];
    for (const { call, start, next } of cursors) {
      if (next > start) parts.push({ call, rows: call.pending.splice(start, next - start) });
    }
    this.#calls = this.#calls.filter((call) => call.pending.length > 0);
    return parts;
  }
}

/** Index in `call.pending` of the first row no longer than `length` (pending is longest first). */
function firstAtMost(call: SchedulableRows, length: number): number {
  let low = 0;
  let high = call.pending.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((call.lengths[call.pending[middle] as number] as number) > length) low = middle + 1;
    else high = middle;
  }
  return low;
}
