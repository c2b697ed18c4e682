import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Pooling } from '../model/model-config.js';
import {
  type EmbedResult,
  ModelRunner,
  RunnerError,
  type RunnerInfo,
  type RunnerOptions,
  type ScoreResult,
} from './model-runner.js';
import { workerExecArgv } from './worker-exec-argv.js';
import type { SerializedRunnerError, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/** A loaded model that scores pairs or embeds texts, in a worker or on the calling thread. */
export type InferenceBackend = {
  readonly info: RunnerInfo;
  /** False once closed, or once the worker has died (a crash): the model must load again. */
  readonly alive: boolean;
  score(query: string, documents: string[], abortSignal?: AbortSignal): Promise<ScoreResult>;
  embed(
    texts: string[],
    pooling: Pooling,
    normalize: boolean,
    abortSignal?: AbortSignal,
  ): Promise<EmbedResult>;
  /** Frees the session (and ends the worker). */
  close(): Promise<void>;
};

const toRunnerError = (error: SerializedRunnerError) =>
  new RunnerError(error.code, error.message, error.file);

/** Runs the model on the calling thread: simplest, but each batch blocks the event loop. */
export async function startInProcessBackend(options: RunnerOptions): Promise<InferenceBackend> {
  const runner = await ModelRunner.load(options);
  let alive = true;
  return {
    info: runner.info,
    get alive() {
      return alive;
    },
    score: (query, documents, abortSignal) =>
      runner.score(query, documents, () => abortSignal?.aborted === true),
    embed: (texts, pooling, normalize, abortSignal) =>
      runner.embed(texts, pooling, normalize, () => abortSignal?.aborted === true),
    close: async () => {
      if (!alive) return;
      alive = false;
      await runner.release();
    },
  };
}

/**
 * Starts the worker: the compiled `inference-worker.js` beside this file or, when running from
 * the TypeScript sources (tests, `tsx`), the `.ts` entry behind tsx's loader registered inside the
 * worker (a worker's `execArgv` cannot carry `--import` hooks on Node 20).
 */
function spawnWorker(options: RunnerOptions): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(
    fromSource ? './inference-worker.ts' : './inference-worker.js',
    import.meta.url,
  );
  if (!fromSource)
    return new Worker(url, { workerData: options, execArgv: workerExecArgv(process.execArgv) });
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: options,
    execArgv: workerExecArgv(process.execArgv),
  });
}

type Pending = {
  resolve: (value: ScoreResult | EmbedResult) => void;
  reject: (error: Error) => void;
};

/**
 * Starts the inference worker and waits until it has loaded the model. The worker is unref'd
 * while idle, so it never keeps a process alive on its own.
 */
export async function startWorkerBackend(options: RunnerOptions): Promise<InferenceBackend> {
  const worker = spawnWorker(options);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exitError: Error | undefined;

  const info = await new Promise<RunnerInfo>((resolve, reject) => {
    const onMessage = (message: WorkerResponse) => {
      if (message.type === 'ready') {
        worker.off('error', reject);
        resolve(message.info);
      } else if (message.type === 'load-error') {
        reject(toRunnerError(message.error));
        void worker.terminate();
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(
        new RunnerError('runtime', `the inference worker exited (code ${code}) while loading`),
      ),
    );
  });
  worker.unref();

  worker.on('message', (message: WorkerResponse) => {
    if (message.type === 'ready' || message.type === 'load-error') return;
    const request = pending.get(message.id);
    if (request === undefined) return;
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    if (message.type === 'error') request.reject(toRunnerError(message.error));
    else request.resolve(message.result);
  });
  const failAll = (error: Error) => {
    exitError = error;
    for (const request of pending.values()) request.reject(error);
    pending.clear();
  };
  worker.on('error', (error) =>
    failAll(new RunnerError('runtime', `the inference worker failed: ${error.message}`)),
  );
  worker.on('exit', (code) =>
    failAll(new RunnerError('runtime', `the inference worker exited (code ${code})`)),
  );

  const call = <T extends ScoreResult | EmbedResult>(
    request: WorkerRequest,
    abortSignal: AbortSignal | undefined,
  ): Promise<T> => {
    if (exitError !== undefined) return Promise.reject(exitError);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () =>
        worker.postMessage({ type: 'cancel', id: request.id } satisfies WorkerRequest);
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      // The promise settles only when the worker answers, so after a rejection nothing is left
      // running: an abort takes effect at the next batch boundary.
      pending.set(request.id, {
        resolve: (value) => {
          abortSignal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        reject: (error) => {
          abortSignal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      worker.ref();
      worker.postMessage(request);
      if (abortSignal?.aborted) onAbort();
    });
  };

  return {
    info,
    get alive() {
      return exitError === undefined;
    },
    score: (query, documents, abortSignal) =>
      call<ScoreResult>({ type: 'score', id: nextId++, query, documents }, abortSignal),
    embed: (texts, pooling, normalize, abortSignal) =>
      call<EmbedResult>({ type: 'embed', id: nextId++, texts, pooling, normalize }, abortSignal),
    close: async () => {
      await worker.terminate();
    },
  };
}
