/**
 * Why the package runs two one-thread sessions: plain onnxruntime-node throughput of one session
 * with every core as intra-op threads against one single-threaded session per core, on the same
 * all-real-token batches, interleaved round by round.
 * `tsx bench/session-layouts.ts [model dir] [q8|fp32] [rounds]`; prints a Markdown table.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RawSessions, startRawSessions } from './raw-sessions.js';

const [
  modelDirectory = fileURLToPath(new URL('./.models/minilm-l6-cross-encoder', import.meta.url)),
  dtype = 'q8',
  roundsText = '3',
] = process.argv.slice(2);
const modelFile = join(
  modelDirectory,
  'onnx',
  dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx',
);
const cores = availableParallelism();
const rounds = Number(roundsText);
const cases: [length: number, batch: number][] = [
  [32, 16],
  [64, 8],
  [128, 1],
  [128, 4],
  [256, 1],
  [400, 1],
];

console.log(`${dtype}, ${cores} cores, ${modelFile}`);
console.log(
  `| tokens × rows per run | 1 session × ${cores} threads, pairs/s | ${cores} sessions × 1 thread, pairs/s | ratio |`,
);
console.log('|---|---|---|---|');
for (const [length, batch] of cases) {
  const layouts: RawSessions[] = [
    await startRawSessions({ modelFile, sessions: 1, threads: cores, batch, length }),
    await startRawSessions({ modelFile, sessions: cores, threads: 1, batch, length }),
  ];
  const pairs = Math.max(64, Math.round(16_000 / length));
  const seconds = layouts.map(() => 0);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, layout] of layouts.entries()) {
      const started = performance.now();
      await layout.score(pairs);
      seconds[index] = (seconds[index] ?? 0) + (performance.now() - started) / 1000;
    }
  }
  const rates = seconds.map((value) => (pairs * rounds) / value);
  console.log(
    `| ${length} × ${batch} | ${rates[0]?.toFixed(1)} | ${rates[1]?.toFixed(1)} | ${((rates[1] ?? 0) / (rates[0] ?? 1)).toFixed(2)}× |`,
  );
  await Promise.all(layouts.map((layout) => layout.close()));
}
