import type { RerankStageV1, RerankStageV1CallOptions, RerankStageV1Result } from '@twostage/core';

/** One `doRerank` call a {@link RecordingStage} saw. */
export type RecordedCall = { query: string; documents: number };

/**
 * Wraps a stage, records every `doRerank` call, and can hold calls until the test opens the
 * gate, so tests control how many requests are in flight without timers.
 */
export class RecordingStage implements RerankStageV1 {
  readonly specificationVersion = 'v1';
  readonly calls: RecordedCall[] = [];
  readonly #inner: RerankStageV1;
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => {};
  #waiting = 0;
  #onWaiting: (() => void)[] = [];

  constructor(inner: RerankStageV1) {
    this.#inner = inner;
  }

  get provider() {
    return this.#inner.provider;
  }
  get modelId() {
    return this.#inner.modelId;
  }
  get maxDocumentsPerCall() {
    return this.#inner.maxDocumentsPerCall;
  }
  get scoreKind() {
    return this.#inner.scoreKind;
  }

  /** Holds every later call until {@link open}. */
  close(): void {
    this.#gate = new Promise((resolve) => {
      this.#open = resolve;
    });
  }

  /** Lets held calls (and later ones) run. */
  open(): void {
    this.#open();
    this.#gate = Promise.resolve();
  }

  /** Resolves once `count` calls are held at the gate. */
  held(count: number): Promise<void> {
    if (this.#waiting >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.#waiting >= count) resolve();
        else this.#onWaiting.push(check);
      };
      this.#onWaiting.push(check);
    });
  }

  async doRerank(options: RerankStageV1CallOptions): Promise<RerankStageV1Result> {
    this.calls.push({ query: options.query, documents: options.documents.values.length });
    this.#waiting += 1;
    for (const notify of this.#onWaiting.splice(0)) notify();
    await this.#gate;
    this.#waiting -= 1;
    return this.#inner.doRerank(options);
  }
}
