import { AbortedError, type RerankStageV1 } from '@twostage/core';

/** How the batcher groups requests into model calls. */
export type RerankBatcherOptions = {
  /** Merge requests that arrive together; off, each request is its own model call. */
  microBatching: boolean;
  /** How long the first request of a batch waits for others while a model slot is free, in ms. */
  windowMs: number;
  /** Estimated (query + document) tokens of one batch; a single larger request runs alone. */
  maxBatchTokens: number;
  /** Batches scored at once. */
  modelConcurrency: number;
};

/** What one batch was, for metrics and tests. */
export type RerankBatchEvent = {
  /** Requests in the batch. */
  requests: number;
  /** (query, document) pairs in the batch. */
  documents: number;
  /** `doRerank` calls the batch made: one per distinct query. */
  modelCalls: number;
};

/** Scores of one request, in its documents' order, and how long it waited for the model. */
export type BatchedScores = { scores: number[]; queueWaitMs: number };

type Job = {
  query: string;
  texts: string[];
  tokens: number;
  signal: AbortSignal;
  enqueuedAt: number;
  settled: boolean;
  resolve: (value: BatchedScores) => void;
  reject: (error: unknown) => void;
  onAbort: () => void;
};

/**
 * Dynamic micro-batching for a rerank stage. Requests wait in one FIFO queue; a batch takes them in
 * order up to a token budget as soon as a model slot is free (after a short window when the server
 * is idle, so that requests arriving together share it). Requests of the same query in a batch
 * become one `doRerank` call with their documents concatenated; distinct queries become calls
 * issued together. The local ONNX stage cuts the rows of calls made together into shared
 * length-sorted, token-budgeted `session.run` batches (its `RowScheduler`), so pairs of different
 * queries are scored in one batch there; a remote stage sends them as concurrent requests.
 * Scores are split back per request by position.
 */
export class RerankBatcher {
  readonly #stage: RerankStageV1;
  readonly #options: RerankBatcherOptions;
  readonly #onBatch: (event: RerankBatchEvent) => void;
  readonly #pending: Job[] = [];
  #running = 0;
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param stage - the stage every batch calls
   * @param options - grouping rules
   * @param onBatch - called as each batch starts
   */
  constructor(
    stage: RerankStageV1,
    options: RerankBatcherOptions,
    onBatch: (event: RerankBatchEvent) => void = () => {},
  ) {
    this.#stage = stage;
    this.#options = options;
    this.#onBatch = onBatch;
  }

  /** Requests waiting for a model slot. */
  get depth(): number {
    return this.#pending.length;
  }

  /** Batches being scored now. */
  get running(): number {
    return this.#running;
  }

  /**
   * Scores every text against the query, in the texts' order. Rejects with an `AbortedError` as
   * soon as the signal fires (a request still waiting leaves the queue; one in a running batch
   * lets the others finish and drops its share).
   *
   * @param tokens - the request's estimated tokens, counted against the batch budget
   */
  score(
    query: string,
    texts: string[],
    tokens: number,
    signal: AbortSignal,
  ): Promise<BatchedScores> {
    if (signal.aborted) return Promise.reject(new AbortedError({ reason: signal.reason }));
    return new Promise<BatchedScores>((resolve, reject) => {
      const job: Job = {
        query,
        texts,
        tokens,
        signal,
        enqueuedAt: performance.now(),
        settled: false,
        resolve: (value) => {
          if (job.settled) return;
          job.settled = true;
          signal.removeEventListener('abort', job.onAbort);
          resolve(value);
        },
        reject: (error) => {
          if (job.settled) return;
          job.settled = true;
          signal.removeEventListener('abort', job.onAbort);
          reject(error);
        },
        onAbort: () => {
          const waiting = this.#pending.indexOf(job);
          if (waiting >= 0) this.#pending.splice(waiting, 1);
          job.reject(new AbortedError({ reason: signal.reason }));
        },
      };
      signal.addEventListener('abort', job.onAbort, { once: true });
      this.#pending.push(job);
      this.#schedule();
    });
  }

  #pendingTokens(): number {
    let total = 0;
    for (const job of this.#pending) total += job.tokens;
    return total;
  }

  #schedule(): void {
    if (this.#pending.length === 0 || this.#running >= this.#options.modelConcurrency) return;
    const full = this.#pendingTokens() >= this.#options.maxBatchTokens;
    if (!this.#options.microBatching || full || this.#options.windowMs === 0) {
      this.#dispatch();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#dispatch();
    }, this.#options.windowMs);
  }

  #dispatch(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#pending.length > 0 && this.#running < this.#options.modelConcurrency) {
      const batch = this.#take();
      this.#running += 1;
      void this.#run(batch).finally(() => {
        this.#running -= 1;
        // Requests that arrived while every slot was busy have waited long enough: no window.
        if (this.#pending.length > 0) this.#dispatch();
      });
    }
  }

  /** The next batch: FIFO, within the token budget (the first request always fits). */
  #take(): Job[] {
    const first = this.#pending.shift() as Job;
    const batch = [first];
    if (!this.#options.microBatching) return batch;
    let tokens = first.tokens;
    while (this.#pending.length > 0) {
      const next = this.#pending[0] as Job;
      if (tokens + next.tokens > this.#options.maxBatchTokens) break;
      tokens += next.tokens;
      batch.push(this.#pending.shift() as Job);
    }
    return batch;
  }

  async #run(batch: Job[]): Promise<void> {
    const startedAt = performance.now();
    const groups = new Map<string, Job[]>();
    for (const job of batch) {
      const group = groups.get(job.query);
      if (group === undefined) groups.set(job.query, [job]);
      else group.push(job);
    }
    this.#onBatch({
      requests: batch.length,
      documents: batch.reduce((sum, job) => sum + job.texts.length, 0),
      modelCalls: groups.size,
    });
    await Promise.all([...groups].map(([query, jobs]) => this.#runGroup(query, jobs, startedAt)));
  }

  async #runGroup(query: string, jobs: Job[], startedAt: number): Promise<void> {
    const values = jobs.flatMap((job) => job.texts);
    // The call is cancelled only when every request sharing it has gone.
    const controller = new AbortController();
    const onAbort = () => {
      if (jobs.every((job) => job.signal.aborted)) controller.abort();
    };
    for (const job of jobs) job.signal.addEventListener('abort', onAbort, { once: true });
    onAbort();
    try {
      const result = await this.#stage.doRerank({
        query,
        documents: { type: 'text', values },
        abortSignal: controller.signal,
      });
      const scores = new Array<number>(values.length).fill(Number.NaN);
      for (const { index, score } of result.ranking) scores[index] = score;
      let offset = 0;
      for (const job of jobs) {
        const own = scores.slice(offset, offset + job.texts.length);
        offset += job.texts.length;
        job.resolve({ scores: own, queueWaitMs: startedAt - job.enqueuedAt });
      }
    } catch (error) {
      for (const job of jobs) job.reject(error);
    } finally {
      for (const job of jobs) job.signal.removeEventListener('abort', onAbort);
    }
  }
}
