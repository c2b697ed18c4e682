import { TwostageError } from './twostage-error.js';

const marker = 'twostage.error.ProviderNotFoundError';
const symbol = Symbol.for(marker);

/**
 * A `provider:model` reference named a provider that is unknown, or whose package is not
 * installed. The message names the package to install.
 */
export class ProviderNotFoundError extends TwostageError {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;
  /** The provider part of the reference. */
  readonly provider: string;
  /** The package that would provide it, e.g. `@twostage/provider-cohere`. */
  readonly packageName: string | undefined;

  constructor({
    provider,
    packageName,
    message,
    cause,
  }: { provider: string; packageName?: string; message: string; cause?: unknown }) {
    super({ name: 'ProviderNotFoundError', message, cause });
    this.provider = provider;
    this.packageName = packageName;
  }

  /** Whether `error` is a `ProviderNotFoundError`, from any copy of this package. */
  static override isInstance(error: unknown): error is ProviderNotFoundError {
    return TwostageError.hasMarker(error, marker);
  }
}
