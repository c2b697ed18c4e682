import { ServerError } from './server-error.js';

/**
 * Bounds what the server holds at once (waiting for the model or being scored): requests, and
 * documents over all of them — the work queued is the documents, so a few requests of a thousand
 * documents fill the box as surely as many small ones. Past either bound a request is refused at
 * once with 429 and `Retry-After`, so the box never builds an unbounded backlog. The document
 * bound is TEI's `max_concurrent_requests` rule (one permit per text, 429 past them), which is
 * why `GET /info` reports it under that name.
 */
export class AdmissionLimit {
  readonly #maxRequests: number;
  readonly #maxDocuments: number;
  readonly #retryAfterSeconds: number;
  #held = 0;
  #heldDocuments = 0;
  #idleWaiters: (() => void)[] = [];

  /**
   * @param maxRequests - requests held at once
   * @param maxDocuments - documents (or texts to embed) held at once, over every request
   * @param retryAfterSeconds - the `Retry-After` of a refusal
   */
  constructor(maxRequests: number, maxDocuments: number, retryAfterSeconds: number) {
    this.#maxRequests = maxRequests;
    this.#maxDocuments = maxDocuments;
    this.#retryAfterSeconds = retryAfterSeconds;
  }

  /** Requests held now. */
  get held(): number {
    return this.#held;
  }

  /** Documents held now, over every request. */
  get heldDocuments(): number {
    return this.#heldDocuments;
  }

  /**
   * Takes a request slot and `documents` document permits; returns the function that gives them
   * back (calling it twice gives back once).
   * @throws ServerError `overloaded` when every request slot, or too many permits, are taken
   */
  admit(documents: number): () => void {
    if (this.#held >= this.#maxRequests) {
      throw new ServerError(
        'overloaded',
        `Please wait and try again later: the server holds ${this.#maxRequests} requests already.`,
        this.#retryAfterSeconds,
      );
    }
    if (this.#heldDocuments + documents > this.#maxDocuments) {
      throw new ServerError(
        'overloaded',
        `Please wait and try again later: the server holds ${this.#heldDocuments} of its ${this.#maxDocuments} documents already, and this request has ${documents}.`,
        this.#retryAfterSeconds,
      );
    }
    this.#held += 1;
    this.#heldDocuments += documents;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held -= 1;
      this.#heldDocuments -= documents;
      if (this.#held === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    };
  }

  /** Resolves once no request is held (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.#held === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}
