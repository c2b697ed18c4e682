import type { Pooling } from '../model/model-config.js';
import { concatRows, type EncodedRows, rowCount, rowLength, selectRows } from './encoded-rows.js';
import type { InferenceExecutor } from './inference-executor.js';
import { RunnerError, type RunnerInfo } from './model-runner.js';
import { type BatchLimits, planBatches } from './plan-batches.js';

/** Scores of one rerank call, in input order. */
export type ScoreResult = {
  /** `documents × numLabels` raw logits. */
  logits: Float32Array;
  numLabels: number;
  inputTokens: number;
  truncated: number;
};

/** Embeddings of one call, in input order. */
export type EmbedResult = {
  /** `values × dimensions`, pooled (and normalized when asked). */
  embeddings: Float32Array;
  dimensions: number;
  inputTokens: number;
  truncated: number;
};

/** A loaded model that scores pairs or embeds texts. */
export type InferenceBackend = {
  readonly info: RunnerInfo;
  /** Sessions that run batches in parallel (1 on the calling thread). */
  readonly workers: number;
  /** False once closed, or once a worker has died (a crash): the model must load again. */
  readonly alive: boolean;
  score(query: string, documents: string[], abortSignal?: AbortSignal): Promise<ScoreResult>;
  embed(
    texts: string[],
    pooling: Pooling,
    normalize: boolean,
    abortSignal?: AbortSignal,
  ): Promise<EmbedResult>;
  /** Frees the sessions (and ends the workers). */
  close(): Promise<void>;
};

type Job = {
  owner: object;
  run: (executor: InferenceExecutor) => Promise<void>;
};

/** Fewest texts worth a separate encode request to another executor. */
const minimumTextsPerEncodePart = 8;

/**
 * Spreads calls over one or more executors (sessions, each in its own worker by default). A call
 * is tokenized in parallel slices, planned into length-sorted, token-budgeted batches (longest
 * first), and the batches go to whichever executor is free next — so two single-threaded
 * sessions work on one call at once, and calls made together share the executors in arrival
 * order. An abort, or a failed batch, drops the call's batches that have not started; the call
 * settles once its running batches are done, so nothing of it runs after it rejects.
 */
export class InferencePool implements InferenceBackend {
  readonly #executors: readonly InferenceExecutor[];
  readonly #limits: BatchLimits;
  readonly #idle: InferenceExecutor[];
  #queue: Job[] = [];
  #closed = false;

  /**
   * @param executors - loaded sessions of the same model (at least one)
   * @param limits - batch limits (rows × longest row, rows)
   */
  constructor(executors: readonly InferenceExecutor[], limits: BatchLimits) {
    if (executors.length === 0) throw new Error('InferencePool needs at least one executor');
    this.#executors = executors;
    this.#limits = limits;
    this.#idle = [...executors];
  }

  /** What the model is; the same for every executor. */
  get info(): RunnerInfo {
    return (this.#executors[0] as InferenceExecutor).info;
  }

  /** How many sessions run batches in parallel. */
  get workers(): number {
    return this.#executors.length;
  }

  /** False once closed or once any executor has died. */
  get alive(): boolean {
    return !this.#closed && this.#executors.every((executor) => executor.alive);
  }

  async score(query: string, documents: string[], abortSignal?: AbortSignal): Promise<ScoreResult> {
    throwIfCancelled(abortSignal);
    const numLabels = this.info.numLabels;
    const encoded = await this.#encode(documents, (executor, slice) =>
      executor.encodePairs(query, slice),
    );
    throwIfCancelled(abortSignal);
    const logits = new Float32Array(documents.length * numLabels);
    await this.#runBatches(
      encoded,
      (executor, rows) => executor.score(rows),
      (indices, values) => {
        indices.forEach((inputIndex, row) => {
          logits.set(
            values.subarray(row * numLabels, (row + 1) * numLabels),
            inputIndex * numLabels,
          );
        });
      },
      abortSignal,
    );
    return { logits, numLabels, ...tokenCounts(encoded) };
  }

  async embed(
    texts: string[],
    pooling: Pooling,
    normalize: boolean,
    abortSignal?: AbortSignal,
  ): Promise<EmbedResult> {
    throwIfCancelled(abortSignal);
    const encoded = await this.#encode(texts, (executor, slice) => executor.encodeTexts(slice));
    throwIfCancelled(abortSignal);
    let dimensions = 0;
    let embeddings = new Float32Array(0);
    await this.#runBatches(
      encoded,
      (executor, rows) => executor.embed(rows, pooling, normalize),
      (indices, values) => {
        const width = values.length / indices.length;
        if (dimensions === 0) {
          dimensions = width;
          embeddings = new Float32Array(texts.length * width);
        }
        indices.forEach((inputIndex, row) => {
          embeddings.set(values.subarray(row * width, (row + 1) * width), inputIndex * width);
        });
      },
      abortSignal,
    );
    return { embeddings, dimensions, ...tokenCounts(encoded) };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#executors.map((executor) => executor.close()));
  }

  /** Tokenizes in contiguous slices, one per executor (small calls stay in one slice). */
  async #encode(
    texts: string[],
    encodeSlice: (executor: InferenceExecutor, slice: string[]) => Promise<EncodedRows>,
  ): Promise<EncodedRows> {
    const parts = Math.max(
      1,
      Math.min(this.#executors.length, Math.floor(texts.length / minimumTextsPerEncodePart)),
    );
    const size = Math.ceil(texts.length / parts);
    const slices = Array.from({ length: parts }, (_, part) =>
      encodeSlice(
        this.#executors[part] as InferenceExecutor,
        texts.slice(part * size, (part + 1) * size),
      ),
    );
    return concatRows(await Promise.all(slices));
  }

  /** Plans the batches of one call, queues them, and resolves when every one has answered. */
  #runBatches(
    encoded: EncodedRows,
    run: (executor: InferenceExecutor, rows: EncodedRows) => Promise<Float32Array>,
    accept: (indices: number[], values: Float32Array) => void,
    abortSignal: AbortSignal | undefined,
  ): Promise<void> {
    const count = rowCount(encoded);
    if (count === 0) return Promise.resolve();
    const lengths = Array.from({ length: count }, (_, index) => rowLength(encoded, index));
    // Enough batches for every executor to take part, when there are enough rows.
    const batches = planBatches(lengths, {
      maxBatchTokens: this.#limits.maxBatchTokens,
      maxBatchSize: Math.min(
        this.#limits.maxBatchSize,
        Math.max(1, Math.ceil(count / this.#executors.length)),
      ),
    });
    return new Promise<void>((resolve, reject) => {
      const owner = {};
      let failure: Error | undefined;
      let inFlight = 0;
      let done = 0;
      const settle = () => {
        if (failure !== undefined && inFlight === 0) {
          abortSignal?.removeEventListener('abort', onAbort);
          reject(failure);
        } else if (failure === undefined && done === batches.length) {
          abortSignal?.removeEventListener('abort', onAbort);
          resolve();
        }
      };
      const fail = (error: Error) => {
        if (failure !== undefined) return;
        failure = error;
        this.#queue = this.#queue.filter((job) => job.owner !== owner);
        settle();
      };
      const onAbort = () => fail(new RunnerError('cancelled', 'cancelled'));
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      for (const indices of batches) {
        this.#queue.push({
          owner,
          run: async (executor) => {
            inFlight += 1;
            try {
              const values = await run(executor, selectRows(encoded, indices));
              if (failure === undefined) {
                accept(indices, values);
                done += 1;
              }
            } catch (error) {
              fail(error as Error);
            } finally {
              inFlight -= 1;
              settle();
            }
          },
        });
      }
      this.#pump();
    });
  }

  /** Hands queued batches to idle executors. */
  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const executor = this.#idle.shift() as InferenceExecutor;
      const job = this.#queue.shift() as Job;
      void job.run(executor).finally(() => {
        this.#idle.push(executor);
        this.#pump();
      });
    }
  }
}

function throwIfCancelled(abortSignal: AbortSignal | undefined): void {
  if (abortSignal?.aborted) throw new RunnerError('cancelled', 'cancelled');
}

function tokenCounts(encoded: EncodedRows): { inputTokens: number; truncated: number } {
  let truncated = 0;
  for (const flag of encoded.truncated) truncated += flag;
  return { inputTokens: encoded.ids.length, truncated };
}
