const marker = 'twostage.error';
const symbol = Symbol.for(marker);

/**
 * The base of every error twostage throws.
 *
 * `isInstance` checks a `Symbol.for` marker rather than the prototype chain, so it works when an
 * application ends up with two copies of `@twostage/core` (a provider built against another
 * version, a bundler duplicate). Each subclass carries its own marker the same way.
 */
export class TwostageError extends Error {
  /** The cross-copy marker that `isInstance` checks. */
  readonly [symbol] = true;

  /**
   * @param options.name - the error's name (its class name)
   * @param options.message - a message that names what was wrong; never a secret
   * @param options.cause - the underlying error, if any
   */
  constructor({ name, message, cause }: { name: string; message: string; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
  }

  /** Whether `error` is a twostage error, from any copy of this package. */
  static isInstance(error: unknown): error is TwostageError {
    return TwostageError.hasMarker(error, marker);
  }

  /** Checks the marker `Symbol.for(markerName)` on `error`. Used by subclasses' `isInstance`. */
  protected static hasMarker(error: unknown, markerName: string): boolean {
    const markerSymbol = Symbol.for(markerName);
    return (
      error != null &&
      typeof error === 'object' &&
      markerSymbol in error &&
      (error as Record<symbol, unknown>)[markerSymbol] === true
    );
  }
}
