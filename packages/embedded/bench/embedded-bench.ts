/**
 * `pnpm --filter @twostage/embedded bench [--sizes 10000,100000,1000000] [--engines bm25,vector]`:
 * the embedded retrievers against the engines they were compared with, at 10k and 100k chunks
 * by default (1M on request: its data alone is 2 GB and its IVF build minutes long on two
 * cores). `--engines` keeps the engines whose name contains one of the words. Each (engine,
 * size) runs in a fresh Node process on data generated once (see embedded-data.ts), so build,
 * memory and latency figures do not leak into one another; the event loop is watched during
 * each build (delay p99 / longest stall, turns of a 5 ms timer). Prints one markdown table per
 * size, with the load average at the start of each case (the machine is shared).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './embedded-case.js';
import { generateBenchData, writeBenchData } from './embedded-data.js';

const engines = [
  'twostage bm25',
  'minisearch',
  'twostage vector exact',
  'twostage vector approximate',
  'twostage hybrid',
  'usearch exact (1 thread)',
  'usearch exact (2 threads)',
  'usearch hnsw',
];

/** HNSW builds take minutes at 100k on two cores; beyond this size the bench skips them. */
const hnswMaxSize = 20_000;

/**
 * Above this size the bench skips MiniSearch (its 100k build took 10–13 s and its queries
 * 130–160 ms, growing with the corpus) and the hybrid (its build is BM25's plus IVF's, both
 * measured on their own).
 */
const slowEnginesMaxSize = 100_000;

function format(value: number | undefined, digits: number): string {
  return value === undefined ? '–' : value.toFixed(digits);
}

function runCase(dataDirectory: string, engine: string): CaseResult {
  const script = fileURLToPath(new URL('./embedded-case.ts', import.meta.url));
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', script, dataDirectory, engine],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as CaseResult;
  } catch {
    const reason = (child.stderr || child.stdout).trim().split('\n').slice(-3).join(' ');
    return { engine, size: 0, note: `failed: ${reason.slice(0, 200)}` };
  }
}

/**
 * Runs the bench and prints the tables. `sizes` defaults to 10k and 100k chunks; `only` keeps
 * the engines whose name contains one of its words (all by default).
 */
export async function benchEmbeddedRetrieval(
  sizes: readonly number[] = [10_000, 100_000],
  only: readonly string[] = [],
): Promise<void> {
  const queryCount = 200;
  console.log(
    `Top-50 queries: ${queryCount} per engine after 20 warm-up (twostage: timed on the index as loaded from disk), 384-d clustered vectors, Zipf text of 40–120 words. Node ${process.version}.`,
  );
  for (const size of sizes) {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'twostage-bench-data-'));
    try {
      const generation = performance.now();
      await writeBenchData(dataDirectory, generateBenchData(size, queryCount));
      console.log(
        `\n### ${size.toLocaleString('en-US')} chunks (data generated in ${((performance.now() - generation) / 1000).toFixed(1)} s)\n`,
      );
      const load = loadavg()
        .map((value) => value.toFixed(1))
        .join(' ');
      console.log(`Load average before: ${load} on ${cpus().length} CPUs.\n`);
      console.log(
        '| engine | build (s) | add loop delay p99 / max (ms) | timer turns in add | p50 (ms) | p95 (ms) | p50 CPU (ms) | recall@10 | load (ms) | disk (MB) | RSS Δ (MB) | peak RSS (MB) | load avg | note |',
      );
      console.log(
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      );
      const skipped = (engine: string, why: string) =>
        console.log(
          `| ${engine} | – | – | – | – | – | – | – | – | – | – | – | – | skipped: ${why} |`,
        );
      for (const engine of engines) {
        if (only.length > 0 && !only.some((word) => engine.includes(word))) continue;
        if (engine === 'usearch hnsw' && size > hnswMaxSize) {
          skipped(
            engine,
            `building HNSW over ${size.toLocaleString('en-US')} × 384 takes minutes on 2 cores (100k: 60–110 s; reference anchors: 60 s, p50 0.86 ms)`,
          );
          continue;
        }
        if (
          (engine === 'minisearch' || engine === 'twostage hybrid') &&
          size > slowEnginesMaxSize
        ) {
          skipped(engine, `above ${slowEnginesMaxSize.toLocaleString('en-US')} chunks`);
          continue;
        }
        const result = runCase(dataDirectory, engine);
        let note = result.note ?? '';
        if (result.lexicalP50Ms !== undefined && result.vectorP50Ms !== undefined) {
          note += `; sides alone, alternating, top-100: lexical ${result.lexicalP50Ms.toFixed(2)} ms + vector ${result.vectorP50Ms.toFixed(2)} ms`;
        }
        const loopDelay =
          result.addLoopDelayMaxMs === undefined
            ? '–'
            : `${format(result.addLoopDelayP99Ms, 0)} / ${format(result.addLoopDelayMaxMs, 0)}`;
        console.log(
          `| ${engine} | ${format(result.buildMs === undefined ? undefined : result.buildMs / 1000, 2)} | ${loopDelay} | ${result.addTimerTicks ?? '–'} | ${format(result.p50Ms, 2)} | ${format(result.p95Ms, 2)} | ${format(result.cpuP50Ms, 2)} | ${format(result.recallAt10, 3)} | ${format(result.loadMs, 0)} | ${format(result.diskBytes === undefined ? undefined : result.diskBytes / 1_048_576, 1)} | ${format(result.memoryMb, 0)} | ${format(result.peakRssMb, 0)} | ${format(result.loadAverage, 1)} | ${note} |`,
        );
      }
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  }
}

/** The comma-separated values of `--name a,b` or `--name=a,b` in `argv`. */
function optionValues(argv: readonly string[], name: string): string[] {
  const values: string[] = [];
  argv.forEach((argument, index) => {
    if (argument === `--${name}`) values.push(argv[index + 1] ?? '');
    else if (argument.startsWith(`--${name}=`)) values.push(argument.slice(name.length + 3));
  });
  return values.flatMap((value) => value.split(',')).filter((value) => value !== '');
}

/**
 * Sizes from `--sizes 10000,100000` (or `--sizes=…`), or bare numbers; undefined for the
 * default.
 */
function sizesFromArguments(argv: readonly string[]): number[] | undefined {
  const values = optionValues(argv, 'sizes');
  argv.forEach((argument, index) => {
    if (/^[\d_]+$/.test(argument) && !(argv[index - 1] ?? '').startsWith('--')) {
      values.push(argument);
    }
  });
  const sizes = values
    .map((value) => Number(value.replaceAll('_', '')))
    .filter((size) => Number.isInteger(size) && size > 0);
  return sizes.length > 0 ? sizes : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  await benchEmbeddedRetrieval(sizesFromArguments(argv), optionValues(argv, 'engines'));
}
