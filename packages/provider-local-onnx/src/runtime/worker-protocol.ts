import type { Pooling } from '../model/model-config.js';
import type { EmbedResult, RunnerError, RunnerInfo, ScoreResult } from './model-runner.js';

/** Messages from the main thread to the inference worker. */
export type WorkerRequest =
  | { type: 'score'; id: number; query: string; documents: string[] }
  | { type: 'embed'; id: number; texts: string[]; pooling: Pooling; normalize: boolean }
  | { type: 'cancel'; id: number };

/** A runner error, as plain data. */
export type SerializedRunnerError = {
  code: RunnerError['code'];
  message: string;
  file?: string | undefined;
};

/** Messages from the inference worker to the main thread. */
export type WorkerResponse =
  | { type: 'ready'; info: RunnerInfo }
  | { type: 'load-error'; error: SerializedRunnerError }
  | { type: 'score-result'; id: number; result: ScoreResult }
  | { type: 'embed-result'; id: number; result: EmbedResult }
  | { type: 'error'; id: number; error: SerializedRunnerError };
