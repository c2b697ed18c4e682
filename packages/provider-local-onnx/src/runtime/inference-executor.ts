import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Pooling } from '../model/model-config.js';
import { type EncodedRows, rowBuffers } from './encoded-rows.js';
import { ModelRunner, RunnerError, type RunnerInfo, type RunnerOptions } from './model-runner.js';
import { workerExecArgv } from './worker-exec-argv.js';
import type { SerializedRunnerError, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/**
 * One loaded session, in a worker or on the calling thread: it encodes texts and runs one batch
 * at a time. The pool ({@link InferencePool}) spreads calls over several of them.
 */
export type InferenceExecutor = {
  readonly info: RunnerInfo;
  /** False once closed, or once its worker has died. */
  readonly alive: boolean;
  encodePairs(query: string, documents: string[]): Promise<EncodedRows>;
  encodeTexts(texts: string[]): Promise<EncodedRows>;
  /** Raw logits, `rows × numLabels`. */
  score(rows: EncodedRows): Promise<Float32Array>;
  /** Pooled embeddings, `rows × dimensions`. */
  embed(rows: EncodedRows, pooling: Pooling, normalize: boolean): Promise<Float32Array>;
  close(): Promise<void>;
};

const toRunnerError = (error: SerializedRunnerError) =>
  new RunnerError(error.code, error.message, error.file);

/** Runs the session on the calling thread: simplest, but each batch blocks the event loop. */
export async function startInProcessExecutor(options: RunnerOptions): Promise<InferenceExecutor> {
  const runner = await ModelRunner.load(options);
  let alive = true;
  return {
    info: runner.info,
    get alive() {
      return alive;
    },
    encodePairs: async (query, documents) => runner.encodePairs(query, documents),
    encodeTexts: async (texts) => runner.encodeTexts(texts),
    score: (rows) => runner.scoreRows(rows),
    embed: (rows, pooling, normalize) => runner.embedRows(rows, pooling, normalize),
    close: async () => {
      if (!alive) return;
      alive = false;
      await runner.release();
    },
  };
}

/**
 * Starts a worker: the compiled `inference-worker.js` beside this file or, when running from
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
  resolve: (value: EncodedRows | Float32Array) => void;
  reject: (error: Error) => void;
};

/**
 * Starts an inference worker and waits until it has loaded the model. The worker is unref'd
 * while idle, so it never keeps a process alive on its own.
 */
export async function startWorkerExecutor(options: RunnerOptions): Promise<InferenceExecutor> {
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
    else request.resolve(message.type === 'encoded' ? message.rows : message.values);
  });
  const failAll = (error: Error) => {
    exitError ??= error;
    for (const request of pending.values()) request.reject(error);
    pending.clear();
  };
  worker.on('error', (error) =>
    failAll(new RunnerError('runtime', `the inference worker failed: ${error.message}`)),
  );
  worker.on('exit', (code) =>
    failAll(new RunnerError('runtime', `the inference worker exited (code ${code})`)),
  );

  const call = <T extends EncodedRows | Float32Array>(
    request: WorkerRequest,
    transfer: ArrayBuffer[] = [],
  ): Promise<T> => {
    if (exitError !== undefined) return Promise.reject(exitError);
    return new Promise<T>((resolve, reject) => {
      pending.set(request.id, { resolve: (value) => resolve(value as T), reject });
      worker.ref();
      worker.postMessage(request, transfer);
    });
  };

  return {
    info,
    get alive() {
      return exitError === undefined;
    },
    encodePairs: (query, documents) =>
      call({ type: 'encode-pairs', id: nextId++, query, documents }),
    encodeTexts: (texts) => call({ type: 'encode-texts', id: nextId++, texts }),
    score: (rows) => call({ type: 'score', id: nextId++, rows }, rowBuffers(rows)),
    embed: (rows, pooling, normalize) =>
      call({ type: 'embed', id: nextId++, rows, pooling, normalize }, rowBuffers(rows)),
    close: async () => {
      await worker.terminate();
    },
  };
}
