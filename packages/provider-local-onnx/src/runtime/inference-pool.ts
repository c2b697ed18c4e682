import type { Pooling } from '../model/model-config.js';
import { concatRows, type EncodedRows, rowCount, rowLength, selectRows } from './encoded-rows.js';
import type { InferenceExecutor } from './inference-executor.js';
import { RunnerError, type RunnerInfo } from './model-runner.js';
import {
  type BatchLimits,
  type BatchPart,
  pendingOrder,
  RowScheduler,
  type SchedulableRows,
} from './row-scheduler.js';

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

/** One call's rows in the pool: what they are run as, and where its answers go. */
type PoolCall = SchedulableRows & {
  readonly encoded: EncodedRows;
  readonly run: (executor: InferenceExecutor, rows: EncodedRows) => Promise<Float32Array>;
  readonly accept: (indices: number[], values: Float32Array) => void;
  /** Rows not answered yet. */
  unanswered: number;
  /** Batches holding rows of this call that are running now. */
  inFlight: number;
  failure: Error | undefined;
  /** Resolves or rejects the call once nothing of it runs any more. */
  settle: () => void;
};

/** Fewest texts worth a separate encode request to another executor. */
const minimumTextsPerEncodePart = 8;

/**
 * Spreads calls over one or more executors (sessions, each in its own worker by default). A call
 * is tokenized in parallel slices and its rows wait in a {@link RowScheduler}; whenever an
 * executor is free, it runs the next length-sorted, token-budgeted batch cut from the rows of
 * every waiting call — so two single-threaded sessions work on one call at once, and calls made
 * together (a server's requests for different queries) share batches instead of each padding out
 * its own, the oldest call always served first. Answers are split back to each call by row. An
 * abort, or a failed batch, drops the call's rows that have not started; the call settles once
 * its running batches are done, so nothing of it runs after it rejects. A failed batch fails
 * every call with rows in it.
 */
export class InferencePool implements InferenceBackend {
  readonly #executors: readonly InferenceExecutor[];
  readonly #idle: InferenceExecutor[];
  readonly #scheduler: RowScheduler<PoolCall>;
  #closed = false;

  /**
   * @param executors - loaded sessions of the same model (at least one)
   * @param limits - batch limits (rows × longest row, rows)
   */
  constructor(executors: readonly InferenceExecutor[], limits: BatchLimits) {
    if (executors.length === 0) throw new Error('InferencePool needs at least one executor');
    this.#executors = executors;
    this.#scheduler = new RowScheduler(limits);
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
      'score',
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
      `embed:${pooling}:${normalize}`,
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

  /** Queues the rows of one call and resolves when every one has been answered. */
  #runBatches(
    kind: string,
    encoded: EncodedRows,
    run: (executor: InferenceExecutor, rows: EncodedRows) => Promise<Float32Array>,
    accept: (indices: number[], values: Float32Array) => void,
    abortSignal: AbortSignal | undefined,
  ): Promise<void> {
    const count = rowCount(encoded);
    if (count === 0) return Promise.resolve();
    const lengths = Array.from({ length: count }, (_, index) => rowLength(encoded, index));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => this.#fail(call, new RunnerError('cancelled', 'cancelled'));
      const call: PoolCall = {
        kind,
        lengths,
        pending: pendingOrder(lengths),
        encoded,
        run,
        accept,
        unanswered: count,
        inFlight: 0,
        failure: undefined,
        settle: () => {
          if (call.failure !== undefined && call.inFlight === 0) {
            abortSignal?.removeEventListener('abort', onAbort);
            reject(call.failure);
          } else if (call.failure === undefined && call.unanswered === 0) {
            abortSignal?.removeEventListener('abort', onAbort);
            resolve();
          }
        },
      };
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      this.#scheduler.add(call);
      this.#pump();
    });
  }

  /** Fails a call once: its waiting rows leave the scheduler; it rejects when none of it runs. */
  #fail(call: PoolCall, error: Error): void {
    if (call.failure !== undefined) return;
    call.failure = error;
    this.#scheduler.drop(call);
    call.settle();
  }

  /** Hands the next batches to idle executors. */
  #pump(): void {
    while (this.#idle.length > 0) {
      const parts = this.#scheduler.take(this.#executors.length);
      if (parts === undefined) return;
      const executor = this.#idle.shift() as InferenceExecutor;
      void this.#runBatch(executor, parts).finally(() => {
        this.#idle.push(executor);
        this.#pump();
      });
    }
  }

  /** Runs one batch (rows of one or more calls) and hands each call its share of the answers. */
  async #runBatch(executor: InferenceExecutor, parts: BatchPart<PoolCall>[]): Promise<void> {
    const rows = concatRows(parts.map(({ call, rows }) => selectRows(call.encoded, rows)));
    // Counted now: a worker executor takes the rows' buffers (transferred, left empty here).
    const count = rowCount(rows);
    for (const { call } of parts) call.inFlight += 1;
    try {
      // Rows of one kind run the same way, so the first call's `run` serves them all.
      const values = await (parts[0] as BatchPart<PoolCall>).call.run(executor, rows);
      const width = values.length / count;
      let offset = 0;
      for (const { call, rows: indices } of parts) {
        const end = offset + indices.length;
        if (call.failure === undefined) {
          call.accept(indices, values.subarray(offset * width, end * width));
          call.unanswered -= indices.length;
        }
        offset = end;
      }
    } catch (error) {
      for (const { call } of parts) this.#fail(call, error as Error);
    } finally {
      for (const { call } of parts) {
        call.inFlight -= 1;
        call.settle();
      }
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
