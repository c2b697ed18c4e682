import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.InvalidResponseError';
const symbol = Symbol.for(marker);

/**
 * A stage returned something that breaks its contract: an index out of range or repeated, a
 * score that is not a finite number, a vector of the wrong length, candidates out of order.
 * It points at a bug in the adapter or the provider, so it is never retried.
 */
export class InvalidResponseError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** The provider of the stage that misbehaved. */
  readonly provider: string;
  /** The model (or index) of the stage that misbehaved. */
  readonly modelId: string;

  constructor({
    provider,
    modelId,
    message,
  }: { provider: string; modelId: string; message: string }) {
    super({
      name: 'InvalidResponseError',
      message: `Invalid response from ${provider}:${modelId}: ${message}`,
    });
    this.provider = provider;
    this.modelId = modelId;
  }

  /** Whether `error` is an `InvalidResponseError`, from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidResponseError {
    return TwostageError.hasMarker(error, marker);
  }
}
