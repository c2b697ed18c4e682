import { ServerError } from './server-error.js';

/**
 * Bounds the requests the server holds at once (waiting for the model or being scored). Past the
 * bound a request is refused at once with 429 and `Retry-After`, so the box never builds an
 * unbounded backlog (TEI's `max_concurrent_requests` permits work the same way).
 */
export class AdmissionLimit {
  readonly #maxRequests: number;
  readonly #retryAfterSeconds: number;
  #held = 0;
  #idleWaiters: (() => void)[] = [];

  /**
   * @param maxRequests - requests held at once
   * @param retryAfterSeconds - the `Retry-After` of a refusal
   */
  constructor(maxRequests: number, retryAfterSeconds: number) {
    this.#maxRequests = maxRequests;
    this.#retryAfterSeconds = retryAfterSeconds;
  }

  /** Requests held now. */
  get held(): number {
    return this.#held;
  }

  /**
   * Takes a slot; returns the function that gives it back (calling it twice gives back once).
   * @throws ServerError `overloaded` when every slot is taken
   */
  admit(): () => void {
    if (this.#held >= this.#maxRequests) {
      throw new ServerError(
        'overloaded',
        `Please wait and try again later: the server holds ${this.#maxRequests} requests already.`,
        this.#retryAfterSeconds,
      );
    }
    this.#held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held -= 1;
      if (this.#held === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    };
  }

  /** Resolves once no request is held (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.#held === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}
