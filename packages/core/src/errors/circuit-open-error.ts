import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.CircuitOpenError';
const symbol = Symbol.for(marker);

/**
 * A circuit breaker refused the call without calling the stage: the stage failed too many times
 * in a row, and the cool-down has not passed (or a trial call is already deciding). Not retried
 * by core: failing fast is the point; a fallback chain moves on to its next stage.
 */
export class CircuitOpenError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** `provider:modelId` of the stage whose circuit is open. */
  readonly stage: string;
  /** Failing fast is final for this call. */
  readonly isRetryable = false;

  constructor({ stage, message, cause }: { stage: string; message?: string; cause?: unknown }) {
    super({
      name: 'CircuitOpenError',
      message:
        message ??
        `The circuit of ${stage} is open after repeated failures; the stage was not called. It is tried again after the cool-down.`,
      cause,
    });
    this.stage = stage;
  }

  /** Whether `error` is a `CircuitOpenError`, from any copy of this package. */
  static override isInstance(error: unknown): error is CircuitOpenError {
    return TwostageError.hasMarker(error, marker);
  }
}
