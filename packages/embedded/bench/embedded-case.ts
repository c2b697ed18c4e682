/**
 * One measured case of the embedded-retrieval bench, run in a fresh process (so memory figures
 * are not polluted by earlier cases): `tsx embedded-case.ts <dataDirectory> <engine>`. Prints one
 * JSON line with the figures.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EmbeddingModelV1 } from '@twostage/core';
import {
  createBm25Retriever,
  createHybridRetriever,
  createVectorRetriever,
  loadBm25Retriever,
  loadHybridRetriever,
  loadVectorRetriever,
} from '../src/index.js';
import { benchDimensions, readBenchData } from './embedded-data.js';

/** What one case reports; absent figures print as a dash. */
export type CaseResult = {
  engine: string;
  size: number;
  buildMs?: number;
  p50Ms?: number;
  p95Ms?: number;
  /** p50 of the process CPU time per query. */
  cpuP50Ms?: number;
  recallAt10?: number;
  loadMs?: number;
  diskBytes?: number;
  memoryMb?: number;
  note?: string;
  /** Event-loop delay while the index was built (`monitorEventLoopDelay`), p99 and max. */
  addLoopDelayP99Ms?: number;
  addLoopDelayMaxMs?: number;
  /** Turns a 5 ms interval timer got while the index was built (0: the build held the loop). */
  addTimerTicks?: number;
  /** Peak resident memory of the case's process. */
  peakRssMb?: number;
  /** One-minute load average when the case started (the machine is shared). */
  loadAverage?: number;
  /** For hybrid: p50 of each side measured in the same process. */
  lexicalP50Ms?: number;
  vectorP50Ms?: number;
};

const topK = 50;
const warmup = 20;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function rssMb(): number {
  gc();
  gc();
  return process.memoryUsage().rss / 1_048_576;
}

function percentiles(times: number[]): { p50Ms: number; p95Ms: number } {
  const sorted = [...times].sort((left, right) => left - right);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
  return { p50Ms: at(0.5), p95Ms: at(0.95) };
}

/**
 * Wall-clock p50/p95 of `queries` calls after a warm-up, and the p50 of the process CPU time per
 * call: on a machine shared with other jobs the wall clock includes time spent descheduled, the
 * CPU time does not (it counts every thread of the process, so a 2-thread engine shows its total).
 */
async function time(
  queries: number,
  run: (query: number) => unknown,
): Promise<{ p50Ms: number; p95Ms: number; cpuP50Ms: number }> {
  for (let query = 0; query < Math.min(warmup, queries); query++) await run(query);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let query = 0; query < queries; query++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await run(query);
    times.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  return { ...percentiles(times), cpuP50Ms: percentiles(cpuTimes).p50Ms };
}

type LoopFigures = Pick<CaseResult, 'addLoopDelayP99Ms' | 'addLoopDelayMaxMs' | 'addTimerTicks'>;

/**
 * Watches the event loop while an index is built: a `monitorEventLoopDelay` histogram (for the
 * p99) and a 5 ms interval timer whose turns are counted and whose longest wait between two
 * turns gives the max — the histogram drops a single stall of minutes (MiniSearch's build).
 * Resolves once the histogram's timer has run (it measures from its first turn, so a build
 * started at once would go unseen); `stop` waits one more period so that a build that held
 * the loop to its end is recorded too.
 */
async function watchEventLoop(): Promise<{ stop(): Promise<LoopFigures> }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 30));
  histogram.reset();
  const interval = 5;
  let ticks = 0;
  let last = performance.now();
  let longestStall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestStall = Math.max(longestStall, now - last - interval);
    last = now;
    ticks++;
  }, interval);
  return {
    async stop() {
      const counted = ticks;
      longestStall = Math.max(longestStall, performance.now() - last - interval);
      await new Promise((resolve) => setTimeout(resolve, 30));
      histogram.disable();
      clearInterval(timer);
      return {
        addLoopDelayP99Ms: histogram.percentile(99) / 1e6,
        addLoopDelayMaxMs: Math.max(histogram.max / 1e6, longestStall),
        addTimerTicks: counted,
      };
    },
  };
}

async function directorySize(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory)) total += (await stat(join(directory, entry))).size;
  return total;
}

/** An embedding model that returns the bench's precomputed query vectors (a text ending in `vq<i>`). */
function lookupModel(queryVectors: Float32Array): EmbeddingModelV1 {
  return {
    specificationVersion: 'v1',
    provider: 'bench',
    modelId: 'lookup',
    dimensions: benchDimensions,
    maxEmbeddingsPerCall: undefined,
    supportsParallelCalls: true,
    async doEmbed({ values }) {
      return {
        embeddings: values.map((value) => {
          const index = Number(/vq(\d+)$/.exec(value)?.[1] ?? Number.NaN);
          if (!Number.isInteger(index))
            throw new Error(`The bench model only embeds its queries, not '${value}'.`);
          return queryVectors.slice(index * benchDimensions, (index + 1) * benchDimensions);
        }),
      };
    },
  };
}

async function main(): Promise<void> {
  const [dataDirectory, engine] = process.argv.slice(2) as [string, string];
  const data = await readBenchData(dataDirectory);
  const size = data.ids.length;
  const queryCount = data.queries.length;
  const row = (index: number) =>
    data.vectors.subarray(index * benchDimensions, (index + 1) * benchDimensions);
  const queryRow = (index: number) =>
    data.queryVectors.subarray(index * benchDimensions, (index + 1) * benchDimensions);
  const vectorQuery = (index: number) => `${data.queries[index]} vq${index}`;
  const documents = data.ids.map((id, index) => ({
    id,
    text: data.texts[index] as string,
    embedding: row(index),
  }));
  /**
   * Drops the generated corpus before an index is loaded from disk, so the loaded index is timed
   * in a process that holds what a server would hold (the index and the queries), not the bench's
   * own copy of 100k documents — whose garbage collection would otherwise be timed too.
   */
  const releaseCorpus = () => {
    documents.length = 0;
    data.ids.length = 0;
    data.texts.length = 0;
    data.vectors = new Float32Array(0);
  };
  const model = lookupModel(data.queryVectors);
  const saveDirectory = await mkdtemp(join(tmpdir(), `twostage-bench-${engine}-`));
  const baseline = rssMb();
  const result: CaseResult = { engine, size, loadAverage: loadavg()[0] as number };
  let start = performance.now();
  try {
    switch (engine) {
      case 'twostage bm25': {
        let retriever = createBm25Retriever();
        const lexicalDocuments = documents.map(({ id, text }) => ({ id, text }));
        const watch = await watchEventLoop();
        start = performance.now();
        await retriever.add(lexicalDocuments);
        result.buildMs = performance.now() - start;
        Object.assign(result, await watch.stop());
        result.memoryMb = rssMb() - baseline;
        await retriever.save(saveDirectory);
        result.diskBytes = await directorySize(saveDirectory);
        retriever = createBm25Retriever();
        releaseCorpus();
        gc();
        start = performance.now();
        retriever = await loadBm25Retriever(saveDirectory);
        result.loadMs = performance.now() - start;
        const loaded = retriever;
        Object.assign(
          result,
          await time(queryCount, (query) =>
            loaded.doRetrieve({ query: data.queries[query] as string, topK }),
          ),
        );
        break;
      }
      case 'twostage vector exact':
      case 'twostage vector approximate': {
        const approximate = engine.endsWith('approximate');
        let retriever = createVectorRetriever({
          embeddingModel: model,
          index: approximate ? 'approximate' : 'exact',
        });
        const watch = await watchEventLoop();
        start = performance.now();
        await retriever.add(documents);
        result.buildMs = performance.now() - start;
        Object.assign(result, await watch.stop());
        result.memoryMb = rssMb() - baseline;
        await retriever.save(saveDirectory);
        result.diskBytes = await directorySize(saveDirectory);
        retriever = createVectorRetriever({ embeddingModel: model });
        releaseCorpus();
        gc();
        start = performance.now();
        retriever = await loadVectorRetriever(saveDirectory, { embeddingModel: model });
        result.loadMs = performance.now() - start;
        const loaded = retriever;
        Object.assign(
          result,
          await time(queryCount, (query) => loaded.doRetrieve({ query: vectorQuery(query), topK })),
        );
        if (approximate) {
          let found = 0;
          for (let query = 0; query < queryCount; query++) {
            const exact = new Set(
              loaded.searchByVector(queryRow(query), { topK: 10, exact: true }).map(({ id }) => id),
            );
            for (const { id } of loaded.searchByVector(queryRow(query), { topK: 10 }))
              if (exact.has(id)) found++;
          }
          result.recallAt10 = found / (queryCount * 10);
          const description = loaded.describeIndex();
          result.note = `IVF: ${description.lists} lists, ${description.probes} probed`;
        } else {
          result.note = 'int8 pass + float rescoring (exact)';
        }
        break;
      }
      case 'twostage hybrid': {
        let retriever = createHybridRetriever({
          lexical: createBm25Retriever(),
          vector: createVectorRetriever({ embeddingModel: model }),
        });
        const watch = await watchEventLoop();
        start = performance.now();
        await retriever.add(documents);
        result.buildMs = performance.now() - start;
        Object.assign(result, await watch.stop());
        result.memoryMb = rssMb() - baseline;
        await retriever.save(saveDirectory);
        result.diskBytes = await directorySize(saveDirectory);
        retriever = createHybridRetriever({
          lexical: createBm25Retriever(),
          vector: createVectorRetriever({ embeddingModel: model }),
        });
        releaseCorpus();
        gc();
        start = performance.now();
        retriever = await loadHybridRetriever(saveDirectory, { embeddingModel: model });
        result.loadMs = performance.now() - start;
        const loaded = retriever;
        // Each side alone, alternating query by query (as inside the hybrid, so each sees the
        // other's cache footprint), at the hybrid's candidate depth (2 × topK).
        const lexicalTimes: number[] = [];
        const vectorTimes: number[] = [];
        for (let query = 0; query < queryCount + warmup; query++) {
          const options = { query: vectorQuery(query % queryCount), topK: 2 * topK };
          let sideStart = performance.now();
          await loaded.lexical.doRetrieve(options);
          const lexicalMs = performance.now() - sideStart;
          sideStart = performance.now();
          await loaded.vector.doRetrieve(options);
          const vectorMs = performance.now() - sideStart;
          if (query >= warmup) {
            lexicalTimes.push(lexicalMs);
            vectorTimes.push(vectorMs);
          }
        }
        result.lexicalP50Ms = percentiles(lexicalTimes).p50Ms;
        result.vectorP50Ms = percentiles(vectorTimes).p50Ms;
        Object.assign(
          result,
          await time(queryCount, (query) => loaded.doRetrieve({ query: vectorQuery(query), topK })),
        );
        result.note = loaded.vector.usesApproximateIndex()
          ? 'vector side approximate (auto)'
          : 'vector side exact (auto)';
        break;
      }
      case 'minisearch': {
        const { default: MiniSearch } = await import('minisearch');
        const index = new MiniSearch({ fields: ['text'], idField: 'id' });
        const watch = await watchEventLoop();
        start = performance.now();
        index.addAll(documents.map(({ id, text }) => ({ id, text })));
        result.buildMs = performance.now() - start;
        Object.assign(result, await watch.stop());
        result.memoryMb = rssMb() - baseline;
        // MiniSearch returns every match (most of the corpus for a common word); fewer queries keep the run short.
        Object.assign(
          result,
          await time(Math.min(queryCount, size > 20_000 ? 30 : 100), (query) =>
            index.search(data.queries[query] as string).slice(0, topK),
          ),
        );
        result.note = `BM25+ variant; ${size > 20_000 ? 30 : 100} queries`;
        break;
      }
      case 'usearch exact (2 threads)':
      case 'usearch exact (1 thread)': {
        const usearch = createRequire(import.meta.url)('usearch') as typeof import('usearch');
        const threads = engine.includes('1 thread') ? 1 : 2;
        result.buildMs = 0;
        // A full-buffer copy: usearch ignores a view's byte offset (see the reference notes).
        const dataset = new Float32Array(data.vectors);
        result.memoryMb = rssMb() - baseline;
        Object.assign(
          result,
          await time(Math.min(queryCount, 100), (query) =>
            usearch.exactSearch(
              dataset,
              new Float32Array(queryRow(query)),
              benchDimensions,
              topK,
              usearch.MetricKind.Cos,
              threads,
            ),
          ),
        );
        break;
      }
      case 'usearch hnsw': {
        const usearch = createRequire(import.meta.url)('usearch') as typeof import('usearch');
        const index = new usearch.Index(
          benchDimensions,
          usearch.MetricKind.Cos,
          usearch.ScalarKind.F32,
          16,
        );
        const keys = BigUint64Array.from({ length: size }, (_, key) => BigInt(key));
        index.add(keys, new Float32Array(data.vectors), 2);
        result.buildMs = performance.now() - start;
        result.memoryMb = rssMb() - baseline;
        Object.assign(
          result,
          await time(queryCount, (query) =>
            index.search(new Float32Array(queryRow(query)), topK, 1),
          ),
        );
        const exact = createVectorRetriever({ embeddingModel: model, index: 'exact' });
        await exact.add(documents);
        let found = 0;
        for (let query = 0; query < queryCount; query++) {
          const truth = new Set(
            exact.searchByVector(queryRow(query), { topK: 10 }).map(({ id }) => id),
          );
          const matches = index.search(new Float32Array(queryRow(query)), 10, 1);
          for (const key of matches.keys) if (truth.has(`chunk-${key}`)) found++;
        }
        result.recallAt10 = found / (queryCount * 10);
        const file = join(saveDirectory, 'index.usearch');
        index.save(file);
        result.diskBytes = (await stat(file)).size;
        start = performance.now();
        const loaded = new usearch.Index(
          benchDimensions,
          usearch.MetricKind.Cos,
          usearch.ScalarKind.F32,
          16,
        );
        loaded.load(file);
        result.loadMs = performance.now() - start;
        result.note = 'HNSW M=16, 2 build threads, 1 search thread';
        break;
      }
      default:
        throw new Error(`Unknown engine '${engine}'.`);
    }
  } finally {
    await rm(saveDirectory, { recursive: true, force: true });
  }
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(result));
}

await main();
