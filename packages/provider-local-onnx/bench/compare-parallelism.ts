/**
 * Compares session layouts on one model, interleaved so machine load hits each alike:
 * `tsx --conditions=@twostage/source bench/compare-parallelism.ts <model dir> <fp32|q8> <candidates> <min words> <max words> [rounds]`.
 * Layouts: `LAYOUTS="2x1,1x2"` (sessions × intra-op threads).
 */
import { createLocalOnnx } from '../src/index.js';
import { makeCalls } from './workload.js';

const [
  modelDirectory = '',
  dtype = 'q8',
  candidatesText = '50',
  low = '115',
  high = '115',
  roundsText = '10',
] = process.argv.slice(2);
const layouts = (process.env.LAYOUTS ?? '2x1,1x2').split(',');
const budgets = (process.env.BUDGETS ?? '512').split(',').map(Number);
const variants = layouts.flatMap((layout) => budgets.map((budget) => ({ layout, budget })));
const stages = variants.map(({ layout, budget }) => {
  const [workers, threads] = layout.split('x').map(Number);
  return createLocalOnnx().reranker(modelDirectory, {
    dtype: dtype as 'fp32' | 'q8',
    workers: workers as number,
    threads: threads as number,
    maxBatchTokens: budget,
  });
});
for (const stage of stages) await stage.load();
// WATCH_MS=1 adds a timer on the main thread while scoring, like a busy event loop.
const watchMs = Number(process.env.WATCH_MS ?? 0);
const watcher = watchMs > 0 ? setInterval(() => undefined, watchMs) : undefined;
const candidates = Number(candidatesText);
const calls = makeCalls(
  modelDirectory,
  Number(roundsText) + 1,
  candidates,
  9,
  [Number(low), Number(high)],
  [10, 10],
);
const latencies = variants.map(() => [] as number[]);
for (const [round, call] of calls.entries()) {
  for (const [index, stage] of stages.entries()) {
    const started = performance.now();
    await stage.doRerank({
      query: call.query,
      documents: { type: 'text', values: call.documents },
    });
    if (round > 0) latencies[index]?.push(performance.now() - started);
  }
}
const percentile = (values: number[], fraction: number) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
};
for (const [index, { layout, budget }] of variants.entries()) {
  const values = latencies[index] ?? [];
  const total = values.reduce((sum, value) => sum + value, 0);
  console.log(
    `${layout} budget ${budget}: ${((candidates * values.length) / (total / 1000)).toFixed(1)} pairs/s, p50 ${percentile(values, 0.5).toFixed(0)} ms, p95 ${percentile(values, 0.95).toFixed(0)} ms`,
  );
}
if (watcher !== undefined) clearInterval(watcher);
for (const stage of stages) await stage.close();
