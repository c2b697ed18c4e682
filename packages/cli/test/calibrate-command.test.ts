import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyCalibration, parseCalibration } from '@twostage/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bankExample, makeTempDirectory } from './eval-test-fixtures.js';
import { runTwostage } from './helpers/run-twostage.js';

// twostage calibrate on the bank example with core's term-overlap stand-in reranker, then the
// calibration applied by query --calibration.

let directory: { path: string; remove: () => Promise<void> };
const queries = join(bankExample, 'queries.jsonl');
const qrels = join(bankExample, 'qrels.tsv');

beforeAll(async () => {
  directory = await makeTempDirectory();
  const indexed = await runTwostage(
    [
      'index',
      join(bankExample, 'corpus.jsonl'),
      '--out',
      'bank-index',
      '--embedding-model',
      'none',
    ],
    { cwd: directory.path, timeoutMs: 180_000 },
  );
  if (indexed.code !== 0) throw new Error(`twostage index failed: ${indexed.stderr}`);
});

afterAll(async () => {
  await directory.remove();
});

const twostage = (args: readonly string[]) =>
  runTwostage(args, { cwd: directory.path, timeoutMs: 180_000 });

describe('twostage calibrate', () => {
  test('fits the reranker on every candidate pair, writes the calibration, and reports ECE and Brier before and after', async () => {
    const run = await twostage([
      'calibrate',
      '--index',
      'bank-index',
      '--queries',
      queries,
      '--qrels',
      qrels,
      '--reranker',
      'mock',
      '--top-k',
      '20',
      '--out',
      'calibration.json',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      pairs: number;
      relevant: number;
      before: { ece: number; brier: number };
      after: { ece: number; brier: number };
    };
    const calibration = parseCalibration(
      await readFile(join(directory.path, 'calibration.json'), 'utf8'),
    );
    expect(calibration).toMatchObject({
      method: 'platt',
      provider: 'mock',
      modelId: 'mock-reranker',
    });
    expect(calibration.fittedOn).toEqual({ pairs: report.pairs, relevant: report.relevant });
    // Up to 20 candidates for each judged query, some of them judged relevant, most not.
    expect(report.relevant).toBeGreaterThan(0);
    expect(report.pairs).toBeGreaterThan(2 * report.relevant);
    // The term-overlap scores are not probabilities of relevance; fitted on these pairs they are closer.
    expect(report.after.brier).toBeLessThan(report.before.brier);
    expect(report.after.ece).toBeLessThan(report.before.ece);
  });

  test('query --calibration scores results with the calibration of the raw scores', async () => {
    const raw = await twostage([
      'query',
      'early repayment fee',
      '--index',
      'bank-index',
      '--reranker',
      'mock',
      '--json',
    ]);
    const calibrated = await twostage([
      'query',
      'early repayment fee',
      '--index',
      'bank-index',
      '--reranker',
      'mock',
      '--calibration',
      'calibration.json',
      '--json',
    ]);
    expect(calibrated.code, calibrated.stderr).toBe(0);
    const calibration = parseCalibration(
      await readFile(join(directory.path, 'calibration.json'), 'utf8'),
    );
    const rawResults = (
      JSON.parse(raw.stdout) as { results: { id: string; rerankScore: number }[] }
    ).results;
    const calibratedResults = (
      JSON.parse(calibrated.stdout) as { results: { id: string; rerankScore: number }[] }
    ).results;
    expect(calibratedResults.map(({ id }) => id)).toEqual(rawResults.map(({ id }) => id));
    calibratedResults.forEach((result, position) => {
      expect(result.rerankScore).toBeCloseTo(
        applyCalibration(calibration, rawResults[position]?.rerankScore as number),
        10,
      );
    });
  });

  test('a calibration of another model, a damaged file and a bad method are refused', async () => {
    const other = JSON.parse(await readFile(join(directory.path, 'calibration.json'), 'utf8'));
    await writeFile(
      join(directory.path, 'other.json'),
      JSON.stringify({ ...other, modelId: 'rerank-v3.5', provider: 'cohere' }),
    );
    const wrongModel = await twostage([
      'query',
      'fee',
      '--index',
      'bank-index',
      '--reranker',
      'mock',
      '--calibration',
      'other.json',
    ]);
    expect(wrongModel.code).toBe(1);
    expect(wrongModel.stderr).toContain("fitted on 'cohere:rerank-v3.5'");
    const serve = await twostage([
      'serve',
      '--reranker',
      'mock',
      '--insecure-no-auth',
      '--calibration',
      'other.json',
    ]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain("fitted on 'cohere:rerank-v3.5'");
    await writeFile(join(directory.path, 'damaged.json'), '{"formatVersion": 1, "method": "platt"');
    const damaged = await twostage([
      'query',
      'fee',
      '--index',
      'bank-index',
      '--reranker',
      'mock',
      '--calibration',
      'damaged.json',
    ]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain('not valid JSON');
    const method = await twostage([
      'calibrate',
      '--index',
      'bank-index',
      '--queries',
      queries,
      '--qrels',
      qrels,
      '--out',
      'x.json',
      '--method',
      'beta',
    ]);
    expect(method.code).toBe(2);
    expect(method.stderr).toContain("'platt' or 'isotonic'");
  });
});
