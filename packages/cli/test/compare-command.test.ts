import { join } from 'node:path';
import { overlapAtK } from '@twostage/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  bankExample,
  makeTempDirectory,
  readBankCorpus,
  writeCorpusIndex,
  writeTinyCrossEncoder,
} from './eval-test-fixtures.js';
import { runTwostage } from './helpers/run-twostage.js';

let directory: { path: string; remove: () => Promise<void> };
let model: string;
const queries = join(bankExample, 'queries.jsonl');
const qrels = join(bankExample, 'qrels.tsv');

beforeAll(async () => {
  directory = await makeTempDirectory();
  await writeCorpusIndex(join(directory.path, 'bank-index'), await readBankCorpus());
  model = join(directory.path, 'model');
  await writeTinyCrossEncoder(model);
});

afterAll(async () => {
  await directory.remove();
});

function compare(a: string, b: string, extra: readonly string[] = []) {
  return runTwostage(
    ['compare', '--a', a, '--b', b, '--index', 'bank-index', '--queries', queries, ...extra],
    { cwd: directory.path, timeoutMs: 120_000 },
  );
}

describe('twostage compare', () => {
  test('a reranker compared with itself agrees fully', async () => {
    const run = await compare('mock', 'mock', ['--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.agreement).toEqual({ overlapAtK: 1, kendallTau: 1, rbo: expect.any(Number) });
    expect(report.agreement.rbo).toBeCloseTo(1, 12);
    expect(report.disagreeMost).toEqual([]);
    expect(report.metrics).toBeNull();
    const text = await compare('mock', 'mock');
    expect(text.stdout).toContain('A and B order the candidates identically on every query.');
  });

  test('a stand-in against a cross-encoder: agreement, disagreements, latency and metric deltas', async () => {
    const run = await compare('mock', `local-onnx:${model}`, [
      '--qrels',
      qrels,
      '--top-k',
      '20',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.a).toEqual({
      label: 'mock:mock-reranker (stand-in: term overlap, not a model)',
      standIn: true,
    });
    expect(report.b).toEqual({ label: `local-onnx:${model}`, standIn: false });
    expect(report.k).toBe(5);
    expect(report.topK).toBe(20);
    expect(report.queries.total).toBe(report.perQuery.length);
    for (const value of [report.agreement.overlapAtK, report.agreement.rbo]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    // The least-agreeing queries, least first, each consistent with its own top-5 lists.
    const rbos = report.disagreeMost.map((row: { rbo: number }) => row.rbo);
    expect(rbos).toEqual([...rbos].sort((left, right) => left - right));
    for (const row of report.disagreeMost) {
      expect(row.overlapAtK).toBeCloseTo(overlapAtK(row.topA, row.topB, 5) as number, 12);
    }
    // B − A, metric by metric.
    const { a, b, delta } = report.metrics;
    for (const name of ['precision', 'recall', 'ndcg', 'mrr', 'hitRate']) {
      expect(delta[name]).toBeCloseTo(b[name] - a[name], 12);
    }
    expect(report.latencyMs.a.p95).toBeGreaterThanOrEqual(report.latencyMs.a.p50);
    expect(report.latencyMs.b.p95).toBeGreaterThanOrEqual(report.latencyMs.b.p50);
  });

  test('the readable report names both rerankers and shows each section', async () => {
    const run = await compare('mock', `local-onnx:${model}`, ['--qrels', qrels, '--top-k', '10']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('A: mock:mock-reranker (stand-in: term overlap, not a model)');
    expect(run.stdout).toContain(`B: local-onnx:${model}`);
    expect(run.stdout).toMatch(/^overlap@5\s+\d\.\d{3}\s/m);
    expect(run.stdout).toMatch(/^Kendall's tau\s+-?\d\.\d{3}\s/m);
    expect(run.stdout).toMatch(/^RBO \(p = 0\.9\)\s+\d\.\d{3}\s/m);
    expect(run.stdout).toMatch(/^B rerank\s+\S+ ms\s+\S+ ms$/m);
    expect(run.stdout).toMatch(/^nDCG@5\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+\S+$/m);
    expect(run.stdout).toContain('Queries where A and B disagree most (lowest RBO):');
  });

  test('both references must resolve: errors are errors', async () => {
    const unknown = await compare('mock', 'nope:x');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^twostage: .*@twostage\/provider-nope/);
    const keyless = await compare('mock', 'cohere:rerank-v3.5');
    expect(keyless.code).toBe(1);
    expect(keyless.stderr.split('\n')[0]).toMatch(/COHERE_API_KEY/);
    expect(keyless.stderr).not.toContain('    at ');
    const missing = await runTwostage(
      ['compare', '--a', 'mock', '--index', 'bank-index', '--queries', queries],
      {
        cwd: directory.path,
      },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--b <ref>' not specified");
  });
});
