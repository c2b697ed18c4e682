import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hitRateAtK, ndcgAtK, precisionAtK, recallAtK, reciprocalRankAtK } from '@twostage/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bankExample, makeTempDirectory, writeTinyCrossEncoder } from './eval-test-fixtures.js';
import { runTwostage } from './helpers/run-twostage.js';

// The main job on the bank example: index → query → eval → compare → pairs export, with a
// synthetic cross-encoder, every step through the built binary.

let directory: { path: string; remove: () => Promise<void> };
let reranker: string;
const queries = join(bankExample, 'queries.jsonl');
const qrels = join(bankExample, 'qrels.tsv');

beforeAll(async () => {
  directory = await makeTempDirectory();
  const indexed = await runTwostage(
    ['index', join(bankExample, 'corpus.jsonl'), '--out', 'bank-index'],
    { cwd: directory.path, timeoutMs: 180_000 },
  );
  if (indexed.code !== 0) throw new Error(`twostage index failed: ${indexed.stderr}`);
  await writeTinyCrossEncoder(join(directory.path, 'model'));
  reranker = `local-onnx:${join(directory.path, 'model')}`;
});

afterAll(async () => {
  await directory.remove();
});

function twostage(args: readonly string[], env: Record<string, string> = {}) {
  return runTwostage(args, { cwd: directory.path, env, timeoutMs: 180_000 });
}

async function readQrels(): Promise<Map<string, Record<string, number>>> {
  const judgments = new Map<string, Record<string, number>>();
  const lines = (await readFile(qrels, 'utf8')).trim().split('\n').slice(1);
  for (const line of lines) {
    const [queryId, corpusId, score] = line.split('\t') as [string, string, string];
    const forQuery = judgments.get(queryId) ?? {};
    forQuery[corpusId] = Number(score);
    judgments.set(queryId, forQuery);
  }
  return judgments;
}

type Metrics = Record<'precision' | 'recall' | 'ndcg' | 'mrr' | 'hitRate', number>;

function recompute(ids: string[], judgments: Record<string, number>, k: number): Metrics {
  return {
    precision: precisionAtK(ids, judgments, k),
    recall: recallAtK(ids, judgments, k) ?? Number.NaN,
    ndcg: ndcgAtK(ids, judgments, k) ?? Number.NaN,
    mrr: reciprocalRankAtK(ids, judgments, k) ?? Number.NaN,
    hitRate: hitRateAtK(ids, judgments, k) ?? Number.NaN,
  };
}

describe('the bank example through the CLI', () => {
  test('query answers with re-ranked results', async () => {
    const run = await twostage([
      'query',
      'Conditions for early loan termination without penalty',
      '--index',
      'bank-index',
      '--reranker',
      reranker,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.degraded).toBe(false);
    expect(output.results.length).toBe(5);
    expect(output.timings.rerankMs).toBeGreaterThan(0);
  });

  test('eval: every per-query figure and every mean equals core metrics recomputed from the ranked ids', async () => {
    const run = await twostage([
      'eval',
      '--index',
      'bank-index',
      '--queries',
      queries,
      '--qrels',
      qrels,
      '--reranker',
      reranker,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const judgments = await readQrels();
    const means = { stageOne: [] as Metrics[], reranked: [] as Metrics[] };
    for (const row of report.perQuery) {
      const judged = judgments.get(row.id) ?? {};
      const stageOne = recompute(row.stageOneTop, judged, 5);
      const reranked = recompute(row.rerankedTop, judged, 5);
      for (const name of Object.keys(stageOne) as (keyof Metrics)[]) {
        expect(row.stageOne[name]).toBeCloseTo(stageOne[name], 12);
        expect(row.reranked[name]).toBeCloseTo(reranked[name], 12);
      }
      means.stageOne.push(stageOne);
      means.reranked.push(reranked);
    }
    for (const order of ['stageOne', 'reranked'] as const) {
      for (const name of ['precision', 'recall', 'ndcg', 'mrr', 'hitRate'] as const) {
        const values = means[order].map((metrics) => metrics[name]);
        const average = values.reduce((sum, value) => sum + value, 0) / values.length;
        expect(report.metrics[order][name]).toBeCloseTo(average, 12);
        expect(report.metrics.delta[name]).toBeCloseTo(
          report.metrics.reranked[name] - report.metrics.stageOne[name],
          12,
        );
      }
    }
    expect(report.queries.evaluated).toBe(report.perQuery.length);
    expect(report.queries.evaluated + report.queries.skippedWithoutJudgments).toBe(
      report.queries.total,
    );
    // The hurt-most list: only queries whose nDCG fell, worst first, at most five.
    const deltas = report.hurtMost.map((row: { delta: number }) => row.delta);
    expect(deltas.every((delta: number) => delta < 0)).toBe(true);
    expect(deltas).toEqual([...deltas].sort((left, right) => left - right));
    expect(deltas.length).toBeLessThanOrEqual(5);
    expect(report.latencyMs.rerank.p95).toBeGreaterThanOrEqual(report.latencyMs.rerank.p50);
  });

  test('eval without its default model: stage-1 figures only, and the report says why', async () => {
    const run = await twostage(
      ['eval', '--index', 'bank-index', '--queries', queries, '--qrels', qrels],
      { TWOSTAGE_OFFLINE: '1', TWOSTAGE_CACHE_DIR: join(directory.path, 'empty-cache') },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^twostage: not re-ranked: /);
    expect(run.stdout).toMatch(/^Stage 2: NOT RUN: /m);
    expect(run.stdout).toContain('Stage-1 figures only.');
    expect(run.stdout).toMatch(/^metric\s+stage 1$/m);
    expect(run.stdout).not.toContain('re-ranked');
    expect(run.stdout).toMatch(/^rerank\s+–\s+–$/m);
  });

  test('compare and pairs export run on the same index', async () => {
    const compared = await twostage([
      'compare',
      '--a',
      'mock',
      '--b',
      reranker,
      '--index',
      'bank-index',
      '--queries',
      queries,
      '--qrels',
      qrels,
      '--top-k',
      '20',
    ]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toContain('Metrics over');
    const exported = await twostage([
      'pairs',
      'export',
      '--index',
      'bank-index',
      '--queries',
      queries,
      '--qrels',
      qrels,
      '--out',
      'pairs.jsonl',
    ]);
    expect(exported.code).toBe(0);
    const pairs = (await readFile(join(directory.path, 'pairs.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const judgments = await readQrels();
    const relevantPairs = [...judgments.values()].reduce(
      (sum, forQuery) => sum + Object.values(forQuery).filter((grade) => grade > 0).length,
      0,
    );
    expect(pairs.filter((pair) => pair.label === 1).length).toBe(relevantPairs);
    expect(new Set(pairs.map((pair) => pair.label))).toEqual(new Set([0, 1]));
    expect(exported.stdout).toMatch(/^Wrote \d+ pairs \(\d+ relevant, \d+ hard negatives\)/);
  });
});
