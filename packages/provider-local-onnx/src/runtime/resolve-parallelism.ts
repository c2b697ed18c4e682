import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ExecutionProvider } from './model-runner.js';

/** Above this model size, the automatic setting loads one session only (each holds the weights). */
export const twoSessionModelBytesLimit = 1.5 * 1024 ** 3;

/**
 * Physical cores this process may use: distinct (package, core) pairs in Linux's CPU topology,
 * never more than `os.availableParallelism()`; elsewhere `availableParallelism()` itself.
 */
export function physicalCoreCount(): number {
  const logical = availableParallelism();
  try {
    const base = '/sys/devices/system/cpu';
    const cores = new Set<string>();
    for (const entry of readdirSync(base)) {
      if (!/^cpu\d+$/.test(entry)) continue;
      const read = (file: string) =>
        readFileSync(`${base}/${entry}/topology/${file}`, 'utf8').trim();
      cores.add(`${read('physical_package_id')}:${read('core_id')}`);
    }
    return cores.size > 0 ? Math.max(1, Math.min(cores.size, logical)) : logical;
  } catch {
    return logical;
  }
}

/** What the caller asked for and what the machine and model are. */
export type ParallelismInput = {
  executionProvider: ExecutionProvider;
  /** One session on the calling thread (`worker: false`). */
  inProcess: boolean;
  /** Sessions asked for; undefined = automatic. */
  workers: number | undefined;
  /** Intra-op threads per session asked for; undefined or 0 = automatic. */
  threads: number | undefined;
  cores: number;
  /** Size of the ONNX file (and its external data). */
  modelBytes: number;
};

/**
 * How many sessions run in parallel and how many intra-op threads each gets. On a CPU, two
 * single-purpose sessions beat one session with twice the threads for the small matrices of a
 * cross-encoder batch (MiniLM-L6 shape on 2 cores, plain onnxruntime: 1.0–1.4× for int8, 0.96–1.09×
 * for fp32; 50-pair int8 calls p50 288 ms against 392 ms for one two-thread session; see
 * BENCHMARKS.md), so the automatic setting is two sessions (one for a model over 1.5 GiB, since
 * each holds its own weights), with the cores split between them. A GPU provider, or `worker:
 * false`, gets one session. Sessions × threads never exceed the cores unless asked to.
 */
export function resolveParallelism(input: ParallelismInput): { workers: number; threads: number } {
  const threadsAsked =
    input.threads === undefined || input.threads === 0 ? undefined : input.threads;
  if (input.inProcess || input.executionProvider !== 'cpu') {
    return { workers: 1, threads: threadsAsked ?? 0 };
  }
  const cores = Math.max(1, input.cores);
  const workers =
    input.workers ??
    (threadsAsked !== undefined
      ? Math.min(2, Math.max(1, Math.floor(cores / threadsAsked)))
      : input.modelBytes > twoSessionModelBytesLimit
        ? 1
        : Math.min(2, cores));
  return { workers, threads: threadsAsked ?? Math.max(1, Math.floor(cores / workers)) };
}
