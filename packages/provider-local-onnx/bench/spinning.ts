/**
 * Spinning intra-op threads on or off (`allowSpinning`), interleaved call by call, in workers as
 * deployed. `tsx --conditions=@twostage/source bench/spinning.ts <model dir> <dtype> [rounds]`
 */
import { createLocalOnnx } from '../src/index.js';
import { makeCalls } from './workload.js';

const [modelDirectory = '', dtype = 'fp32', roundsText = '4'] = process.argv.slice(2);
const settings = [false, true];
const stages = settings.map((allowSpinning) =>
  createLocalOnnx().reranker(modelDirectory, { dtype: dtype as 'fp32' | 'q8', allowSpinning }),
);
await Promise.all(stages.map((stage) => stage.load()));
const calls = makeCalls(modelDirectory, Number(roundsText), 50, 5);
const totals = settings.map(() => 0);
for (const [round, call] of calls.entries()) {
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  for (const index of order) {
    const started = performance.now();
    await stages[index]?.doRerank({
      query: call.query,
      documents: { type: 'text', values: call.documents },
    });
    totals[index] = (totals[index] ?? 0) + performance.now() - started;
  }
}
for (const [index, allowSpinning] of settings.entries()) {
  console.log(
    `allowSpinning ${allowSpinning}: ${((50 * calls.length) / ((totals[index] ?? 0) / 1000)).toFixed(1)} pairs/s`,
  );
}
process.exit(0);
