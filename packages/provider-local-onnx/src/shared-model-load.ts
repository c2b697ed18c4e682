import { AbortedError, raceAbort } from '@twostage/core';
import type { LoadedLocalModel } from './load-local-model.js';

/**
 * The load of one model, shared by every call of a stage: started by the first call, reused by
 * the rest, retried after a failure, replaced when its worker has died, ended by `close()`.
 * The reranker and the embedding model both hold one.
 */
export class SharedModelLoad {
  #loading: Promise<LoadedLocalModel> | undefined;
  #loaded: LoadedLocalModel | undefined;
  readonly #start: (abortSignal: AbortSignal | undefined) => Promise<LoadedLocalModel>;
  readonly #onLoaded: (loaded: LoadedLocalModel) => void;

  /**
   * @param start - loads the model (download included), honouring the signal of the caller that
   *   started it
   * @param onLoaded - runs once per successful load, before any caller gets the model
   */
  constructor(
    start: (abortSignal: AbortSignal | undefined) => Promise<LoadedLocalModel>,
    onLoaded: (loaded: LoadedLocalModel) => void,
  ) {
    this.#start = start;
    this.#onLoaded = onLoaded;
  }

  /** The loaded model, loading it first if needed. A failed load is retried by the next call. */
  async get(abortSignal: AbortSignal | undefined): Promise<LoadedLocalModel> {
    // The load carries the signal of the caller that started it (so a lone caller can cancel a
    // download). When that caller aborts, a caller that did not abort starts over.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await raceAbort(this.#current(abortSignal), abortSignal);
      } catch (error) {
        if (!AbortedError.isInstance(error) || abortSignal?.aborted === true || attempt >= 3)
          throw error;
      }
    }
  }

  #current(abortSignal: AbortSignal | undefined): Promise<LoadedLocalModel> {
    // A worker that crashed (or was closed underneath) is replaced instead of failing forever.
    if (this.#loaded !== undefined && !this.#loaded.backend.alive) {
      this.#loaded = undefined;
      this.#loading = undefined;
    }
    if (this.#loading === undefined) {
      const loading = this.#start(abortSignal).then((loaded) => {
        if (this.#loading === loading) this.#loaded = loaded;
        this.#onLoaded(loaded);
        return loaded;
      });
      this.#loading = loading;
      loading.catch(() => {
        if (this.#loading === loading) this.#loading = undefined;
      });
    }
    return this.#loading;
  }

  /** Ends the worker and frees the model; the next `get` loads it again. */
  async close(): Promise<void> {
    const loading = this.#loading;
    this.#loading = undefined;
    this.#loaded = undefined;
    if (loading !== undefined) await (await loading.catch(() => undefined))?.backend.close();
  }
}
