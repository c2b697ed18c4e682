/**
 * `pnpm --filter @twostage/embedded exec tsx --conditions=@twostage/source bench/add-event-loop.ts
 * [size] [bm25|exact|approximate|hybrid]`: how long the event loop waits at most while one
 * `add` of `size` bench chunks (precomputed embeddings) runs, measured by a 5 ms interval timer
 * (turns counted, longest gap between turns) and `monitorEventLoopDelay`. Prints one JSON line.
 * Run against an older checkout, it gives the figures the sliced writes are compared with.
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EmbeddingModelV1 } from '@twostage/core';
import { createBm25Retriever, createHybridRetriever, createVectorRetriever } from '../src/index.js';
import { benchDimensions, generateBenchData } from './embedded-data.js';

const size = Number(process.argv[2] ?? 100_000);
const engine = process.argv[3] ?? 'bm25';
const data = generateBenchData(size, 1);
const model: EmbeddingModelV1 = {
  specificationVersion: 'v1',
  provider: 'bench',
  modelId: 'precomputed',
  dimensions: benchDimensions,
  maxEmbeddingsPerCall: undefined,
  supportsParallelCalls: true,
  async doEmbed() {
    throw new Error('Every bench document carries its embedding.');
  },
};
const documents = data.ids.map((id, index) => ({
  id,
  text: data.texts[index] as string,
  embedding: data.vectors.subarray(index * benchDimensions, (index + 1) * benchDimensions),
}));
const retriever =
  engine === 'bm25'
    ? createBm25Retriever()
    : engine === 'hybrid'
      ? createHybridRetriever({
          lexical: createBm25Retriever(),
          vector: createVectorRetriever({ embeddingModel: model }),
        })
      : createVectorRetriever({
          embeddingModel: model,
          index: engine === 'approximate' ? 'approximate' : 'exact',
        });
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
await new Promise((resolve) => setTimeout(resolve, 30));
histogram.reset();
const interval = 5;
let turns = 0;
let last = performance.now();
let longestGap = 0;
const timer = setInterval(() => {
  const now = performance.now();
  longestGap = Math.max(longestGap, now - last);
  last = now;
  turns++;
}, interval);
const start = performance.now();
await retriever.add(
  engine === 'bm25' ? documents.map(({ id, text }) => ({ id, text })) : documents,
);
const addMs = performance.now() - start;
longestGap = Math.max(longestGap, performance.now() - last);
const counted = turns;
await new Promise((resolve) => setTimeout(resolve, 30));
histogram.disable();
clearInterval(timer);
console.log(
  JSON.stringify({
    engine,
    size,
    addMs: Math.round(addMs),
    timerTurns: counted,
    longestGapMs: Math.round(longestGap),
    delayP99Ms: Math.round(histogram.percentile(99) / 1e6),
    loadAverage: loadavg().map((value) => Number(value.toFixed(1))),
  }),
);
