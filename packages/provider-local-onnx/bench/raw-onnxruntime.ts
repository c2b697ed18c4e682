/**
 * The ceiling for a fixed-length case: plain onnxruntime-node on one model file, every token real
 * (no tokenizer, no padding), in several session layouts and batch sizes. Prints one JSON line:
 * `[{ layout, milliseconds }]`, the best time of 5 rounds to score `pairs` pairs.
 * `tsx bench/raw-onnxruntime.ts '{"modelFile":"…","length":128,"pairs":50,"cores":2}'`
 */
import { Worker } from 'node:worker_threads';

type Request = { modelFile: string; length: number; pairs: number; cores: number };
const request = JSON.parse(process.argv[2] ?? '{}') as Request;

/** A worker holding one session; on each message it runs `batches` runs of `batch` rows. */
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

const ortPath = new URL(import.meta.resolve('onnxruntime-node')).pathname;

async function measure(sessions: number, threads: number, batch: number): Promise<number> {
  const workers = Array.from(
    { length: sessions },
    () =>
      new Worker(workerSource, {
        eval: true,
        workerData: {
          ortPath,
          modelFile: request.modelFile,
          threads,
          batch,
          length: request.length,
        },
      }),
  );
  const next = (worker: Worker) => new Promise((resolve) => worker.once('message', resolve));
  await Promise.all(workers.map(next));
  const runsEach = Math.ceil(request.pairs / batch / sessions);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round += 1) {
    const started = performance.now();
    await Promise.all(
      workers.map((worker) => {
        const done = next(worker);
        worker.postMessage(runsEach);
        return done;
      }),
    );
    // Scaled to exactly `pairs` pairs when the runs hold a few more.
    const pairsRun = runsEach * batch * sessions;
    best = Math.min(best, ((performance.now() - started) * request.pairs) / pairsRun);
  }
  await Promise.all(workers.map((worker) => worker.terminate()));
  return best;
}

const results: { layout: string; milliseconds: number }[] = [];
const layouts: [number, number, number][] = [
  [1, request.cores, 1],
  [1, request.cores, 8],
  [request.cores, 1, 1],
  [request.cores, 1, 4],
];
for (const [sessions, threads, batch] of layouts) {
  results.push({
    layout: `${sessions}×${threads} thread${threads === 1 ? '' : 's'} batch ${batch}`,
    milliseconds: await measure(sessions, threads, batch),
  });
}
console.log(JSON.stringify(results));
