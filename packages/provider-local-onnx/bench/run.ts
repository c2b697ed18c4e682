/**
 * `pnpm --filter @twostage/provider-local-onnx bench [--models minilm,bge] [--candidates 50,100] [--calls 5] [--threads N] [--workers N]`
 *
 * Reranks realistic calls (queries of 8–20 tokens, 50 or 100 documents of 30–400 tokens) with
 * this package and with transformers.js called the usual way (one padded call), on the same
 * synthetic model files (MiniLM-L6 and bge-reranker-base shapes, random weights), fp32 and int8,
 * the same thread count. Each contestant runs in its own process (for its peak RSS), and their
 * calls alternate, so a machine whose load changes during the run penalises both alike.
 */
import { type ChildProcess, execFile, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { benchSpecs } from '../scripts/fixture-specs.js';
import { writeSyntheticModel } from '../src/testing/index.js';
import type { CallMeasurement, MeasureRequest, MeasureSummary } from './measure.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const models = (argument('models') ?? 'minilm,bge').split(',');
/** transformers.js's intra-op threads: every core, in its one session. */
const threads = availableParallelism();
/** This package's layout: automatic unless given. */
const twostageThreads = argument('threads') === undefined ? undefined : Number(argument('threads'));
const twostageWorkers = argument('workers') === undefined ? undefined : Number(argument('workers'));
const callsOverride = argument('calls');
const candidateCounts = (argument('candidates') ?? '50,100').split(',').map(Number);

const tsx = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;
const execArgv = ['--conditions=@twostage/source', '--import', tsx];
const runScript = async (script: string, argumentValue: string): Promise<string> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...execArgv, join(packageRoot, 'bench', script), argumentValue],
    {
      cwd: packageRoot,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout.trim().split('\n').at(-1) ?? '';
};

/** A forked contestant and a way to ask it for the next message. */
type Contestant = { child: ChildProcess; next: () => Promise<unknown> };

function startContestant(request: MeasureRequest): Contestant {
  const child = fork(join(packageRoot, 'bench', 'measure.ts'), [JSON.stringify(request)], {
    execArgv,
    cwd: packageRoot,
  });
  const queue: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  child.on('message', (message) => {
    const resolve = waiting.shift();
    if (resolve === undefined) queue.push(message);
    else resolve(message);
  });
  child.on('exit', (code) => {
    if (code !== 0) for (const resolve of waiting.splice(0)) resolve({ type: 'error', code });
  });
  const next = () =>
    queue.length > 0
      ? Promise.resolve(queue.shift())
      : new Promise<unknown>((resolve) => waiting.push(resolve));
  return { child, next };
}

type Outcome = { calls: CallMeasurement[]; summary: MeasureSummary; layout: string };

/** Runs the contestants' calls alternately (the first to go alternates too). */
async function race(requests: MeasureRequest[]): Promise<Outcome[]> {
  const contestants = requests.map(startContestant);
  const layouts: string[] = [];
  for (const contestant of contestants) {
    const ready = (await contestant.next()) as { type: string; layout?: string };
    if (ready.type !== 'ready')
      throw new Error(`a contestant failed to start: ${JSON.stringify(ready)}`);
    layouts.push(ready.layout ?? '');
  }
  const calls: CallMeasurement[][] = contestants.map(() => []);
  const count = requests[0]?.calls ?? 0;
  for (let index = 0; index < count; index += 1) {
    const order =
      index % 2 === 0
        ? contestants.map((_, position) => position)
        : contestants.map((_, position) => contestants.length - 1 - position);
    for (const position of order) {
      const contestant = contestants[position] as Contestant;
      contestant.child.send({ type: 'run', index });
      const done = (await contestant.next()) as CallMeasurement;
      if (done.type !== 'done') throw new Error(`call failed: ${JSON.stringify(done)}`);
      calls[position]?.push(done);
    }
  }
  const outcomes: Outcome[] = [];
  for (const [position, contestant] of contestants.entries()) {
    contestant.child.send({ type: 'finish' });
    outcomes.push({
      calls: calls[position] ?? [],
      summary: (await contestant.next()) as MeasureSummary,
      layout: layouts[position] ?? '',
    });
  }
  return outcomes;
}

const percentile = (values: number[], fraction: number) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
};
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const maxAbsDiff = (left: number[], right: number[]) =>
  Math.max(...left.map((value, index) => Math.abs(value - (right[index] ?? Number.NaN))));

const shapes: Record<string, { spec: string; label: string; calls: number }> = {
  minilm: { spec: 'minilm-l6-cross-encoder', label: 'MiniLM-L6 shape', calls: 5 },
  bge: { spec: 'bge-base-cross-encoder', label: 'bge-reranker-base shape', calls: 2 },
};

console.log('# provider-local-onnx benchmark');
console.log(
  `load average before the run: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} logical cores; transformers.js: one session with ${threads} intra-op threads; this package: ${twostageWorkers === undefined && twostageThreads === undefined ? 'its automatic layout' : `workers ${twostageWorkers ?? 'auto'}, threads ${twostageThreads ?? 'auto'}`} (shown per row)`,
);
const matmul = JSON.parse(await runScript('matmul-gflops.ts', String(threads))) as {
  gflops: number;
};
console.log(
  `measured fp32 matmul (1024³, onnxruntime, best of 10): ${matmul.gflops.toFixed(1)} GFLOP/s\n`,
);

for (const key of models) {
  const shape = shapes[key];
  if (shape === undefined) throw new Error(`unknown model '${key}' (minilm, bge)`);
  const modelDirectory = join(packageRoot, 'bench', '.models', shape.spec);
  if (!existsSync(join(modelDirectory, 'onnx', 'model_quantized.onnx'))) {
    const spec = benchSpecs[shape.spec];
    if (spec === undefined) throw new Error(`no spec ${shape.spec}`);
    console.log(`generating ${shape.spec} into bench/.models ...`);
    await writeSyntheticModel(modelDirectory, spec);
  }
  const calls = Number(callsOverride ?? shape.calls);
  console.log(`## ${shape.label} (${calls} timed calls per row, after 1 warm-up call)\n`);
  const tokenizerSpeed = JSON.parse(
    await runScript('tokenizer-speed.ts', modelDirectory),
  ) as Record<string, number>;
  console.log(
    `tokenizer, pairs/s (30–400-word documents): this package ${tokenizerSpeed.oursPairsPerSecond?.toFixed(0)}, transformers.js ${tokenizerSpeed.transformersPairsPerSecond?.toFixed(0)}\n`,
  );
  console.log(
    '| dtype | docs | implementation | pairs/s | p50 ms | p95 ms | useful GFLOP/s | % of matmul | peak RSS MB | loop delay p99 ms | speed-up | max abs diff vs transformers.js |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  // All four contestants of a candidate count race together, call by call, so the fp32/int8
  // ratio is measured under the same machine load as the speed-ups.
  for (const candidates of candidateCounts) {
    const base = {
      modelDirectory,
      candidates,
      calls,
      threads,
      twostageWorkers,
      twostageThreads,
      seed: 7,
    };
    const outcomes = await race([
      { ...base, dtype: 'fp32', implementation: 'transformers.js' },
      { ...base, dtype: 'fp32', implementation: 'twostage' },
      { ...base, dtype: 'q8', implementation: 'transformers.js' },
      { ...base, dtype: 'q8', implementation: 'twostage' },
    ]);
    const [fp32Baseline, fp32Ours, q8Baseline, q8Ours] = outcomes;
    if (
      fp32Baseline === undefined ||
      fp32Ours === undefined ||
      q8Baseline === undefined ||
      q8Ours === undefined
    )
      throw new Error('missing outcome');
    const totalSeconds = (outcome: Outcome) =>
      sum(outcome.calls.map((call) => call.latencyMs)) / 1000;
    for (const [dtype, baseline, ours] of [
      ['fp32', fp32Baseline, fp32Ours],
      ['q8', q8Baseline, q8Ours],
    ] as const) {
      const diff = Math.max(
        ...ours.calls.map((call, index) =>
          maxAbsDiff(call.scores, baseline.calls[index]?.scores ?? []),
        ),
      );
      for (const [name, outcome] of [
        ['transformers.js', baseline],
        ['twostage', ours],
      ] as const) {
        const latencies = outcome.calls.map((call) => call.latencyMs);
        const seconds = totalSeconds(outcome);
        const gflops = sum(outcome.calls.map((call) => call.flops)) / seconds / 1e9;
        const speedUp =
          name === 'twostage' ? `${(totalSeconds(baseline) / seconds).toFixed(2)}×` : '';
        console.log(
          `| ${dtype} | ${candidates} | ${name} (${outcome.layout}) | ${((candidates * calls) / seconds).toFixed(1)} | ${percentile(latencies, 0.5).toFixed(0)} | ${percentile(latencies, 0.95).toFixed(0)} | ${gflops.toFixed(1)} | ${((100 * gflops) / matmul.gflops).toFixed(0)}% | ${outcome.summary.peakRssMb.toFixed(0)} | ${outcome.summary.eventLoopDelayP99Ms.toFixed(1)} | ${speedUp} | ${name === 'twostage' ? diff.toExponential(1) : ''} |`,
        );
      }
      const paddingFactor =
        sum(baseline.calls.map((call) => call.paddedFlops)) /
        sum(baseline.calls.map((call) => call.flops));
      console.log(
        `|  |  | (one padded batch computes ${paddingFactor.toFixed(2)}× the useful FLOPs of these calls: the speed-up at equal per-FLOP efficiency) |  |  |  |  |  |  |  |  |  |`,
      );
    }
    const q8VsFp32 = Math.max(
      ...q8Ours.calls.map((call, index) =>
        maxAbsDiff(call.scores, fp32Ours.calls[index]?.scores ?? []),
      ),
    );
    console.log(
      `|  |  | (twostage int8 vs twostage fp32: ${(totalSeconds(fp32Ours) / totalSeconds(q8Ours)).toFixed(2)}× the throughput, logits max abs diff ${q8VsFp32.toExponential(1)}) |  |  |  |  |  |  |  |  |  |`,
    );
  }
  console.log('');

  if (key === 'minilm') {
    // The fixed-length latency case, raced against plain onnxruntime sessions on the same file
    // (every token real, no tokenizer, no pool) so both see the same machine load.
    const fixedCalls = Math.max(calls, 10);
    const fixedBase = {
      modelDirectory,
      dtype: 'q8' as const,
      candidates: 50,
      calls: fixedCalls,
      threads,
      twostageWorkers,
      twostageThreads,
      seed: 9,
      queryWords: [10, 10] as [number, number],
      documentWords: [115, 115] as [number, number],
    };
    const cores = availableParallelism();
    const [fixed, bare, bareOneSession] = await race([
      { ...fixedBase, implementation: 'twostage' },
      {
        ...fixedBase,
        implementation: 'onnxruntime',
        raw: { sessions: cores, threads: 1, batch: 4, length: 128 },
      },
      {
        ...fixedBase,
        implementation: 'onnxruntime',
        raw: { sessions: 1, threads: cores, batch: 8, length: 128 },
      },
    ]);
    if (fixed === undefined || bare === undefined || bareOneSession === undefined)
      throw new Error('missing outcome');
    const tokens = (fixed.calls[0]?.tokens ?? 0) / 50;
    const summary = (outcome: Outcome) => {
      const latencies = outcome.calls.map((call) => call.latencyMs);
      return `p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms`;
    };
    console.log(
      `MiniLM-L6 int8, 50 candidates × ${tokens.toFixed(0)} tokens, ${fixedCalls} calls each, interleaved:`,
    );
    console.log(
      `- this package (${fixed.layout}): ${summary(fixed)} (target p95 ≤ 200 ms); event-loop delay while scoring p99 ${fixed.summary.eventLoopDelayP99Ms.toFixed(1)} ms, max ${fixed.summary.eventLoopDelayMaxMs.toFixed(1)} ms (target p99 ≤ 20 ms)`,
    );
    console.log(`- plain onnxruntime-node, ${bare.layout}: ${summary(bare)}`);
    console.log(`- plain onnxruntime-node, ${bareOneSession.layout}: ${summary(bareOneSession)}\n`);
  }
}
console.log(
  `load average after the run: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
