/**
 * Sweeps `maxBatchTokens` on one model (in-process, interleaved rounds so machine load hits every
 * setting alike). `tsx --conditions=@twostage/source bench/batch-budget.ts <model dir> <dtype> [rounds]`
 */
import { createLocalOnnx } from '../src/index.js';
import { makeCalls } from './workload.js';

const [modelDirectory = '', dtype = 'fp32', roundsText = '3'] = process.argv.slice(2);
const budgets = (process.env.BUDGETS ?? '1,128,256,512,2048').split(',').map(Number);
const stages = budgets.map((maxBatchTokens) =>
  createLocalOnnx().reranker(modelDirectory, {
    dtype: dtype as 'fp32' | 'q8',
    maxBatchTokens,
    worker: false,
  }),
);
await Promise.all(stages.map((stage) => stage.load()));
const documentWords = (process.env.DOC_WORDS ?? '30,400').split(',').map(Number) as [
  number,
  number,
];
const calls = makeCalls(modelDirectory, Number(roundsText), 50, 3, documentWords);
const totals = budgets.map(() => 0);
for (const call of calls) {
  for (const [index, stage] of stages.entries()) {
    const started = performance.now();
    await stage.doRerank({
      query: call.query,
      documents: { type: 'text', values: call.documents },
    });
    totals[index] = (totals[index] ?? 0) + performance.now() - started;
  }
}
for (const [index, budget] of budgets.entries()) {
  console.log(
    `maxBatchTokens ${budget}: ${((50 * calls.length) / ((totals[index] ?? 0) / 1000)).toFixed(1)} pairs/s`,
  );
}
process.exit(0);
