import {
  type InferenceExecutor,
  startInProcessExecutor,
  startWorkerExecutor,
} from './inference-executor.js';
import { type InferenceBackend, InferencePool } from './inference-pool.js';
import type { RunnerOptions } from './model-runner.js';
import type { BatchLimits } from './row-scheduler.js';

export type { EmbedResult, InferenceBackend, ScoreResult } from './inference-pool.js';

/** How a model runs: its session options, how many sessions, where, and its batch limits. */
export type BackendOptions = {
  runner: RunnerOptions;
  /** Sessions that run batches in parallel, each in its own worker. */
  workers: number;
  /** Run one session on the calling thread instead of in workers. */
  inProcess: boolean;
  limits: BatchLimits;
};

/**
 * Loads the model into `workers` worker threads (or once on the calling thread) and pools them.
 * When one fails to load, the others are closed and the first error is thrown.
 */
export async function startBackend(options: BackendOptions): Promise<InferenceBackend> {
  const starts: Promise<InferenceExecutor>[] = options.inProcess
    ? [startInProcessExecutor(options.runner)]
    : Array.from({ length: options.workers }, () => startWorkerExecutor(options.runner));
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(
      settled.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)),
    );
    throw failed.reason;
  }
  const executors = settled.map(
    (result) => (result as PromiseFulfilledResult<InferenceExecutor>).value,
  );
  return new InferencePool(executors, options.limits);
}
