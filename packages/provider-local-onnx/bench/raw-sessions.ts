/**
 * Plain onnxruntime-node sessions, one per worker thread, fed the same all-real-token batch over
 * and over: no tokenizer, no padding, no pool. The bench races them against the package on the
 * fixed-length case, so "how close to the bare runtime" is measured under the same machine load.
 */
import { Worker } from 'node:worker_threads';

/** What to load and run. */
export type RawSessionsOptions = {
  modelFile: string;
  sessions: number;
  threads: number;
  /** Rows per `run`. */
  batch: number;
  /** Tokens per row. */
  length: number;
};

/** Loaded sessions; `score(pairs)` runs ⌈pairs ÷ batch⌉ batches spread over the sessions. */
export type RawSessions = { score(pairs: number): Promise<void>; close(): Promise<void> };

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
(async () => {
  const { modelFile, threads, batch, length } = workerData;
  const session = await ort.InferenceSession.create(modelFile, { intraOpNumThreads: threads });
  const size = batch * length;
  const tensor = (value) => new ort.Tensor('int64', BigInt64Array.from({ length: size }, (_, index) => BigInt(value(index))), [batch, length]);
  const feeds = {};
  for (const name of session.inputNames)
    feeds[name] = name === 'input_ids' ? tensor((index) => 1000 + ((index * 7919) % 20000)) : name === 'attention_mask' ? tensor(() => 1) : tensor(() => 0);
  await session.run(feeds);
  parentPort.postMessage('ready');
  parentPort.on('message', async (runs) => {
    for (let run = 0; run < runs; run += 1) await session.run(feeds);
    parentPort.postMessage('done');
  });
})();
`;

/** Starts the sessions and waits until each has run once. */
export async function startRawSessions(options: RawSessionsOptions): Promise<RawSessions> {
  const ortPath = new URL(import.meta.resolve('onnxruntime-node')).pathname;
  const workers = Array.from(
    { length: options.sessions },
    () => new Worker(workerSource, { eval: true, workerData: { ...options, ortPath } }),
  );
  const next = (worker: Worker) => new Promise((resolve) => worker.once('message', resolve));
  await Promise.all(workers.map(next));
  return {
    score: async (pairs) => {
      const batches = Math.ceil(pairs / options.batch);
      await Promise.all(
        workers.map((worker, index) => {
          // Batch i goes to session i mod sessions, as a free-running pool would spread them.
          const runs =
            Math.floor(batches / workers.length) + (index < batches % workers.length ? 1 : 0);
          const done = next(worker);
          worker.postMessage(runs);
          return done;
        }),
      );
    },
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
