import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.ModelNotFoundError';
const symbol = Symbol.for(marker);

/** The provider does not know the model (or the local files for it are missing). */
export class ModelNotFoundError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  readonly provider: string;
  readonly modelId: string;

  constructor({
    provider,
    modelId,
    message,
    cause,
  }: { provider: string; modelId: string; message?: string; cause?: unknown }) {
    super({
      name: 'ModelNotFoundError',
      message: message ?? `Model '${modelId}' was not found by provider '${provider}'.`,
      cause,
    });
    this.provider = provider;
    this.modelId = modelId;
  }

  /** Whether `error` is a `ModelNotFoundError`, from any copy of this package. */
  static override isInstance(error: unknown): error is ModelNotFoundError {
    return TwostageError.hasMarker(error, marker);
  }
}
