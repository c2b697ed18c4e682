import type { Pooling } from '../model/model-config.js';
import type { EncodedRows } from './encoded-rows.js';
import type { RunnerError, RunnerInfo } from './model-runner.js';

/** Messages from the main thread to an inference worker. */
export type WorkerRequest =
  | { type: 'encode-pairs'; id: number; query: string; documents: string[] }
  | { type: 'encode-texts'; id: number; texts: string[] }
  | { type: 'score'; id: number; rows: EncodedRows }
  | { type: 'embed'; id: number; rows: EncodedRows; pooling: Pooling; normalize: boolean };

/** A runner error, as plain data. */
export type SerializedRunnerError = {
  code: RunnerError['code'];
  message: string;
  file?: string | undefined;
};

/** Messages from an inference worker to the main thread. */
export type WorkerResponse =
  | { type: 'ready'; info: RunnerInfo }
  | { type: 'load-error'; error: SerializedRunnerError }
  | { type: 'encoded'; id: number; rows: EncodedRows }
  | { type: 'values'; id: number; values: Float32Array }
  | { type: 'error'; id: number; error: SerializedRunnerError };
