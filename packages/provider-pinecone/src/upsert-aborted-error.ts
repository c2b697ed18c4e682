import { AbortedError, TwostageError } from '@twostage/core';

const marker = 'twostage.error.UpsertAbortedError';
const symbol = Symbol.for(marker);

/**
 * `upsertDocuments` was aborted through its `abortSignal`. An `AbortedError` (so
 * `AbortedError.isInstance` holds and core never retries it) that also says, id by id in input
 * order, where the ingestion stood when it stopped, so a caller knows what to re-run (re-running
 * everything is safe too: upserts are idempotent).
 */
export class UpsertAbortedError extends AbortedError {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read by isInstance via Symbol.for
  private readonly [symbol] = true;
  /** Ids whose upsert Pinecone confirmed before the abort. */
  readonly upserted: string[];
  /** Ids whose batch had already failed (after retries) before the abort, with its error. */
  readonly failed: { id: string; error: Error }[];
  /**
   * Ids whose upsert request was sent but not answered (or was waiting for a retry) when the
   * abort came: they may or may not have landed.
   */
  readonly inFlight: string[];
  /** Ids no upsert request carried: they have not landed. */
  readonly notAttempted: string[];

  constructor({
    reason,
    upserted,
    failed,
    inFlight,
    notAttempted,
  }: {
    reason: unknown;
    upserted: string[];
    failed: { id: string; error: Error }[];
    inFlight: string[];
    notAttempted: string[];
  }) {
    super({
      reason,
      message: `The ingestion was aborted: ${upserted.length} upserted, ${failed.length} failed, ${inFlight.length} in flight (may have landed), ${notAttempted.length} not attempted.`,
    });
    this.name = 'UpsertAbortedError';
    this.upserted = upserted;
    this.failed = failed;
    this.inFlight = inFlight;
    this.notAttempted = notAttempted;
  }

  /** Whether `error` is an `UpsertAbortedError`, from any copy of this package. */
  static override isInstance(error: unknown): error is UpsertAbortedError {
    return TwostageError.hasMarker(error, marker);
  }
}
