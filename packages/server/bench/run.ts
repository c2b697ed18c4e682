// Server throughput and latency against in-process peak, on the same machine and model.
// Run: pnpm --filter @twostage/server bench [-- --model <cross-encoder dir>] [-- --requests <n>]
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalOnnx } from '@twostage/provider-local-onnx';
import { writeSyntheticModel } from '@twostage/provider-local-onnx/testing';
import { pino } from 'pino';
import { createRerankServer } from '../src/index.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((argument) => argument !== '--'),
  options: { model: { type: 'string' }, requests: { type: 'string', default: '96' } },
});
const requestsPerLevel = Number(values.requests);
const documentsPerRequest = 50;
const token = 'bench-token';
const words = [
  'bank',
  'loan',
  'rate',
  'card',
  'fee',
  'branch',
  'account',
  'transfer',
  'savings',
  'interest',
];

function documentsFor(seed: number): string[] {
  return Array.from({ length: documentsPerRequest }, (_, index) =>
    Array.from(
      { length: 8 + ((seed + index) % 24) },
      (_, word) => words[(seed * 7 + index + word) % words.length],
    ).join(' '),
  );
}
const queryFor = (seed: number) =>
  `${words[seed % words.length]} ${words[(seed + 3) % words.length]} question ${seed}`;

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

/** Runs `total` jobs with `clients` workers; returns pairs/s and latency percentiles in ms. */
async function drive(clients: number, total: number, job: (seed: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const seed = next++;
        const begin = performance.now();
        await job(seed);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  latencies.sort((left, right) => left - right);
  return {
    pairsPerSecond: (total * documentsPerRequest) / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
  };
}

let directory = values.model;
let temporary: string | undefined;
if (directory === undefined) {
  temporary = await mkdtemp(join(tmpdir(), 'twostage-server-bench-'));
  directory = temporary;
  // MiniLM-L6-sized synthetic BERT cross-encoder (random weights: speed only).
  await writeSyntheticModel(directory, {
    architecture: 'bert',
    task: 'sequence-classification',
    numLabels: 1,
    vocabSize: 30522,
    hiddenSize: 384,
    numLayers: 6,
    numHeads: 12,
    intermediateSize: 1536,
    maxPositionEmbeddings: 512,
    modelMaxLength: 512,
    seed: 7,
    quantized: false,
  });
}
const stage = createLocalOnnx().reranker(directory);
await stage.load();
await stage.doRerank({ query: 'warm up', documents: { type: 'text', values: documentsFor(0) } });

const rows: string[] = [];
const direct = (seed: number) =>
  stage
    .doRerank({ query: queryFor(seed), documents: { type: 'text', values: documentsFor(seed) } })
    .then(() => undefined);
// One call at a time (nothing to share a batch with), then 32 at once (their rows share batches).
const sequential = await drive(1, requestsPerLevel, direct);
const inProcess = await drive(32, requestsPerLevel, direct);
const format = (value: number) => value.toFixed(1);
const percentOf = (value: number) => `${((100 * value) / inProcess.pairsPerSecond).toFixed(0)}%`;
for (const [clients, result] of [
  [1, sequential],
  [32, inProcess],
] as const) {
  rows.push(
    `| in-process doRerank | ${clients} | ${format(result.pairsPerSecond)} | ${format(result.p50)} | ${format(result.p95)} | ${format(result.p99)} | ${percentOf(result.pairsPerSecond)} |`,
  );
}

let best32 = 0;
for (const microBatching of [true, false]) {
  const server = createRerankServer({
    reranker: stage,
    tokens: [token],
    batching: { microBatching },
    limits: { maxConcurrentRequests: 256 },
    logger: pino({ level: 'silent' }),
  });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  const post = async (seed: number) => {
    const response = await fetch(`${url}/v2/rerank`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'bench',
        query: queryFor(seed),
        documents: documentsFor(seed),
      }),
    });
    if (response.status !== 200)
      throw new Error(`status ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  // Unmeasured: the first requests of a server pay for compiling its routes and parsers, which
  // made whichever server row came first look slow.
  await drive(8, 16, post);
  for (const clients of [1, 8, 32]) {
    const result = await drive(clients, requestsPerLevel, post);
    if (clients === 32 && microBatching) best32 = result.pairsPerSecond;
    const ratio = percentOf(result.pairsPerSecond);
    rows.push(
      `| server, micro-batching ${microBatching ? 'on' : 'off'} | ${clients} | ${format(result.pairsPerSecond)} | ${format(result.p50)} | ${format(result.p95)} | ${format(result.p99)} | ${ratio} |`,
    );
  }
  await server.close();
}
await stage.close();
if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; model: ${values.model ?? 'synthetic MiniLM-L6-sized BERT, fp32'}; ${requestsPerLevel} requests × ${documentsPerRequest} documents per row\n`,
);
console.log('| setup | clients | pairs/s | p50 ms | p95 ms | p99 ms | of in-process |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
console.log(
  `\n32 clients with micro-batching reach ${percentOf(best32)} of in-process peak (target ≥ 90%), ${(best32 / sequential.pairsPerSecond).toFixed(2)}× the throughput of sequential in-process calls.`,
);
