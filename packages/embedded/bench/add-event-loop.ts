/**
 * `pnpm --filter @twostage/embedded exec tsx --conditions=@twostage/source bench/add-event-loop.ts
 * [size] [bm25|exact|approximate|hybrid]`: how long the event loop waits at most while one
 * `add` of `size` bench chunks (precomputed embeddings) runs, measured by a 5 ms interval timer
 * (turns counted, longest gap between turns) and `monitorEventLoopDelay`. For each gap it also
 * takes the process's CPU time: on a shared machine a long gap with little CPU time is the
 * process waiting for a CPU, not the engine holding the loop (`longestBusyGapMs` is the most
 * CPU time spent within one gap). Prints one JSON line.
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
let lastCpu = process.cpuUsage();
let longestBusyGap = 0;
const measureGap = () => {
  const now = performance.now();
  const cpu = process.cpuUsage(lastCpu);
  longestGap = Math.max(longestGap, now - last);
  longestBusyGap = Math.max(longestBusyGap, (cpu.user + cpu.system) / 1000);
  last = now;
  lastCpu = process.cpuUsage();
};
const timer = setInterval(() => {
  measureGap();
  turns++;
}, interval);
const start = performance.now();
await retriever.add(
  engine === 'bm25' ? documents.map(({ id, text }) => ({ id, text })) : documents,
);
const addMs = performance.now() - start;
measureGap();
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
    longestBusyGapMs: Math.round(longestBusyGap),
    delayP99Ms: Math.round(histogram.percentile(99) / 1e6),
    loadAverage: loadavg().map((value) => Number(value.toFixed(1))),
  }),
);
