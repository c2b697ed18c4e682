/**
 * One benchmark contestant, forked by `run.ts` with an IPC channel, so that it holds its own peak
 * RSS and the parent can interleave its calls with the other contestant's (machine load then
 * hits both alike).
 *
 * Messages in: `{ type: 'run', index }`, `{ type: 'finish' }`. Out: `{ type: 'ready' }`,
 * `{ type: 'done', ... }`, `{ type: 'summary', ... }`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { createLocalOnnx } from '../src/index.js';
import { startRawSessions } from './raw-sessions.js';
import { flopsPerSequence, makeCalls } from './workload.js';

/** What to measure. */
export type MeasureRequest = {
  /** `onnxruntime`: plain sessions on all-real-token batches (see raw-sessions.ts). */
  implementation: 'twostage' | 'transformers.js' | 'onnxruntime';
  /** For `onnxruntime`: sessions × threads, rows per run, tokens per row. */
  raw?: { sessions: number; threads: number; batch: number; length: number } | undefined;
  modelDirectory: string;
  dtype: 'fp32' | 'q8';
  candidates: number;
  calls: number;
  /** transformers.js's intra-op threads (one session). */
  threads: number;
  /** This package's layout; undefined = its automatic one. */
  twostageWorkers?: number | undefined;
  twostageThreads?: number | undefined;
  seed: number;
  documentWords?: [number, number];
  queryWords?: [number, number];
};

/** One timed call. */
export type CallMeasurement = {
  type: 'done';
  latencyMs: number;
  /** Real (unpadded) tokens of the call. */
  tokens: number;
  /** Useful forward FLOPs (real tokens only, no padding). */
  flops: number;
  /** FLOPs with every pair padded to the call's longest (what one padded batch computes). */
  paddedFlops: number;
  /** Logits in input order. */
  scores: number[];
};

/** After the last call. */
export type MeasureSummary = {
  type: 'summary';
  peakRssMb: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
};

const request = JSON.parse(process.argv[2] ?? '{}') as MeasureRequest;
const calls = makeCalls(
  request.modelDirectory,
  request.calls + 1,
  request.candidates,
  request.seed,
  request.documentWords,
  request.queryWords,
);
const send = (message: unknown) => process.send?.(message);

type Scorer = (query: string, documents: string[]) => Promise<number[]>;

let layout = '1 session';

async function twostageScorer(): Promise<Scorer> {
  const stage = createLocalOnnx().reranker(request.modelDirectory, {
    dtype: request.dtype,
    activation: 'identity',
    ...(request.twostageWorkers === undefined ? {} : { workers: request.twostageWorkers }),
    ...(request.twostageThreads === undefined ? {} : { threads: request.twostageThreads }),
  });
  const { backend } = await stage.load();
  layout = `${backend.workers} session${backend.workers === 1 ? '' : 's'} × ${backend.info.threads} thread${backend.info.threads === 1 ? '' : 's'}`;
  return async (query, documents) => {
    const result = await stage.doRerank({ query, documents: { type: 'text', values: documents } });
    const scores = new Array<number>(documents.length);
    for (const entry of result.ranking) scores[entry.index] = entry.score;
    return scores;
  };
}

async function transformersScorer(): Promise<Scorer> {
  const { AutoModelForSequenceClassification, AutoTokenizer, env } = await import(
    '@huggingface/transformers'
  );
  env.localModelPath = `${join(request.modelDirectory, '..')}/`;
  env.allowRemoteModels = false;
  const name = request.modelDirectory.split('/').filter(Boolean).at(-1) ?? '';
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  const model = await AutoModelForSequenceClassification.from_pretrained(name, {
    dtype: request.dtype,
    device: 'cpu',
    session_options: { intraOpNumThreads: request.threads },
  });
  // The usual way: every pair of the call in one padded batch.
  layout = `1 session × ${request.threads} threads`;
  return async (query, documents) => {
    const inputs = tokenizer(
      documents.map(() => query),
      { text_pair: documents, padding: true, truncation: true },
    );
    const { logits } = await model(inputs);
    return Array.from(logits.data as Float32Array);
  };
}

const readJson = (file: string) =>
  JSON.parse(readFileSync(join(request.modelDirectory, file), 'utf8'));
const config = readJson('config.json') as Record<string, number>;
const lengthTokenizer = new Tokenizer(
  readJson('tokenizer.json'),
  readJson('tokenizer_config.json'),
);
const pairLengths = (call: { query: string; documents: string[] }) =>
  call.documents.map(
    (document) => lengthTokenizer.encode(call.query, { text_pair: document }).ids.length,
  );

async function onnxruntimeScorer(): Promise<Scorer> {
  const raw = request.raw ?? { sessions: 1, threads: request.threads, batch: 1, length: 128 };
  const sessions = await startRawSessions({
    modelFile: join(
      request.modelDirectory,
      'onnx',
      request.dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx',
    ),
    ...raw,
  });
  layout = `${raw.sessions} session${raw.sessions === 1 ? '' : 's'} × ${raw.threads} thread${raw.threads === 1 ? '' : 's'}, batches of ${raw.batch} × ${raw.length} tokens`;
  return async (_, documents) => {
    await sessions.score(documents.length);
    return documents.map(() => 0);
  };
}

const score =
  request.implementation === 'twostage'
    ? await twostageScorer()
    : request.implementation === 'onnxruntime'
      ? await onnxruntimeScorer()
      : await transformersScorer();
const [warmup, ...timed] = calls;
if (warmup !== undefined) await score(warmup.query, warmup.documents);
/**
 * Event-loop delay while a call runs: a 1 ms interval records how late each tick comes. A call
 * that blocks the loop for its whole duration shows up as one tick late by that much.
 */
const delays: number[] = [];
function watchLoop(): () => Promise<void> {
  let last = performance.now();
  const interval = setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, now - last - 1));
    last = now;
  }, 1);
  return async () => {
    // Let a tick that was held back by a blocking call fire once before stopping.
    await new Promise((resolve) => setTimeout(resolve, 5));
    clearInterval(interval);
  };
}
const percentileOf = (values: number[], fraction: number) => {
  const sorted = [...values].sort((left, right) => left - right);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0
  );
};

process.on('message', async (message: { type: 'run'; index: number } | { type: 'finish' }) => {
  if (message.type === 'finish') {
    const summary: MeasureSummary = {
      type: 'summary',
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      eventLoopDelayP99Ms: percentileOf(delays, 0.99),
      eventLoopDelayMaxMs: Math.max(0, ...delays),
    };
    send(summary);
    // The inference worker is unref'd, but onnxruntime keeps native handles: leave promptly.
    setTimeout(() => process.exit(0), 50);
    return;
  }
  const call = timed[message.index];
  if (call === undefined) throw new Error(`no call ${message.index}`);
  const stopWatching = watchLoop();
  const started = performance.now();
  const scores = await score(call.query, call.documents);
  const latencyMs = performance.now() - started;
  await stopWatching();
  const lengths = pairLengths(call);
  const measurement: CallMeasurement = {
    type: 'done',
    latencyMs,
    tokens: lengths.reduce((sum, length) => sum + length, 0),
    flops: lengths.reduce((sum, length) => sum + flopsPerSequence(config, length), 0),
    paddedFlops: lengths.length * flopsPerSequence(config, Math.max(0, ...lengths)),
    scores,
  };
  send(measurement);
});
send({ type: 'ready', layout });
