import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDirectory, writeCorpusIndex, writeJsonLines } from './eval-test-fixtures.js';
import { runTwostage } from './helpers/run-twostage.js';

// A corpus small enough to compute every figure by hand. Stage 1 is BM25; the reranker is core's
// term-overlap stand-in (`mock`: the share of the query's words a document contains, ties kept
// in stage-1 order), so both orders can be worked out on paper.
const corpus = [
  { _id: 'd1', text: 'kiwi kiwi kiwi' },
  { _id: 'd2', text: 'apple banana' },
  { _id: 'd3', text: 'banana cherry apple' },
  { _id: 'd4', text: 'cherry' },
  { _id: 'd5', text: 'durian durian' },
  { _id: 'd6', text: 'banana' },
  { _id: 'd7', text: 'mango' },
];
const queries = [
  { _id: 'q1', text: 'kiwi apple banana' },
  { _id: 'q2', text: 'durian cherry' },
  { _id: 'q3', text: 'banana' },
];
// q3 is judged, but only as not relevant (grade 0): skipped. q9 is not in the queries file.
const qrels = [
  'query-id\tcorpus-id\tscore',
  'q1\td1\t2',
  'q1\td3\t1',
  'q1\td6\t0',
  'q2\td4\t1',
  'q2\td3\t2',
  'q2\td7\t1',
  'q3\td6\t0',
  'q9\td1\t1',
].join('\n');

const log2of3 = Math.log2(3); // 1.5849625

let directory: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  directory = await makeTempDirectory();
  await writeCorpusIndex(join(directory.path, 'index'), corpus);
  await writeJsonLines(join(directory.path, 'queries.jsonl'), queries);
  await writeFile(join(directory.path, 'qrels.tsv'), `${qrels}\n`);
});

afterAll(async () => {
  await directory.remove();
});

const evalArgs = [
  'eval',
  '--index',
  'index',
  '--queries',
  'queries.jsonl',
  '--qrels',
  'qrels.tsv',
  '--reranker',
  'mock',
  '--k',
  '2',
  '--top-k',
  '4',
];

describe('twostage eval on a hand-computed 3-query corpus', () => {
  test('the --json figures equal the hand computation', async () => {
    const run = await runTwostage([...evalArgs, '--json'], { cwd: directory.path });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);

    // The orders the figures below are computed from.
    // q1 "kiwi apple banana": BM25 puts the rare, repeated "kiwi" first: d1, d2, d3, d6.
    //   mock: d2 2/3, d3 2/3, d1 1/3, d6 1/3 → d2, d3, d1, d6.
    // q2 "durian cherry": BM25 d5, d4, d3 (only three documents match); mock scores all 1/2,
    //   so stage-1 order stays.
    const [q1, q2] = report.perQuery;
    expect(q1).toMatchObject({ id: 'q1', stageOneTop: ['d1', 'd2'], rerankedTop: ['d2', 'd3'] });
    expect(q2).toMatchObject({ id: 'q2', stageOneTop: ['d5', 'd4'], rerankedTop: ['d5', 'd4'] });

    // q1 (relevant d1 grade 2, d3 grade 1; IDCG@2 = 2/1 + 1/log2(3) = 2.6309298)
    //   stage 1 d1 d2:  P 1/2, R 1/2, DCG 2 → nDCG 2/2.6309298 = 0.7601876, RR 1, hit 1
    //   re-ranked d2 d3: P 1/2, R 1/2, DCG 1/log2(3) = 0.6309298 → nDCG 0.2398124, RR 1/2, hit 1
    // q2 (relevant d3 grade 2, d4 grade 1, d7 grade 1; IDCG@2 = 2 + 1/log2(3) = 2.6309298)
    //   both d5 d4: P 1/2, R 1/3, DCG 1/log2(3) → nDCG 0.2398124, RR 1/2, hit 1
    const idcg = 2 + 1 / log2of3;
    const q1StageOneNdcg = 2 / idcg;
    const lowNdcg = 1 / log2of3 / idcg;
    expect(q1.stageOne.ndcg).toBeCloseTo(0.7601876, 6);
    expect(q1.reranked.ndcg).toBeCloseTo(0.2398124, 6);

    // Means over the 2 evaluated queries.
    // stage 1:   P (1/2 + 1/2)/2 = 0.5, R (1/2 + 1/3)/2 = 5/12, nDCG (0.7601876 + 0.2398124)/2 = 0.5,
    //            MRR (1 + 1/2)/2 = 0.75, hit 1
    // re-ranked: P 0.5, R 5/12, nDCG 0.2398124, MRR (1/2 + 1/2)/2 = 0.5, hit 1
    const { stageOne, reranked, delta } = report.metrics;
    expect(stageOne.precision).toBeCloseTo(0.5, 12);
    expect(stageOne.recall).toBeCloseTo(5 / 12, 12);
    expect(stageOne.ndcg).toBeCloseTo((q1StageOneNdcg + lowNdcg) / 2, 12);
    expect(stageOne.ndcg).toBeCloseTo(0.5, 12);
    expect(stageOne.mrr).toBeCloseTo(0.75, 12);
    expect(stageOne.hitRate).toBe(1);
    expect(reranked.precision).toBeCloseTo(0.5, 12);
    expect(reranked.recall).toBeCloseTo(5 / 12, 12);
    expect(reranked.ndcg).toBeCloseTo(lowNdcg, 12);
    expect(reranked.mrr).toBeCloseTo(0.5, 12);
    expect(reranked.hitRate).toBe(1);
    // delta = re-ranked − stage 1: nDCG 0.2398124 − 0.5 = −0.2601876, MRR −0.25, the rest 0.
    expect(delta.ndcg).toBeCloseTo(lowNdcg - 0.5, 12);
    expect(delta.mrr).toBeCloseTo(-0.25, 12);
    expect(delta.precision).toBeCloseTo(0, 12);

    // Stage-1 recall@4 of the candidate set: q1 finds d1 and d3 (1), q2 finds d4 and d3 but not
    // d7 (2/3) → mean 5/6.
    expect(report.stageOneRecallAtTopK).toBeCloseTo(5 / 6, 12);

    // Only q1 got worse: nDCG 0.7601876 → 0.2398124, delta −0.5203752.
    expect(report.hurtMost.map((row: { id: string }) => row.id)).toEqual(['q1']);
    expect(report.hurtMost[0]).toMatchObject({ id: 'q1', text: 'kiwi apple banana' });
    expect(report.hurtMost[0].delta).toBeCloseTo(lowNdcg - q1StageOneNdcg, 12);

    expect(report.queries).toEqual({
      total: 3,
      evaluated: 2,
      skippedWithoutJudgments: 1,
      qrelsUnknownQueryIds: 1,
    });
    expect(report.k).toBe(2);
    expect(report.topK).toBe(4);
    expect(report.reranker).toMatchObject({ available: true, standIn: true });
    expect(run.stderr).toContain(
      'judges 1 query id(s) that queries.jsonl does not hold, ignored: q9',
    );
  });

  test('the readable report shows the same figures side by side', async () => {
    const run = await runTwostage(evalArgs, { cwd: directory.path });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'Evaluated 2 of 3 queries (1 skipped: no relevant judgment in the qrels) · k = 2 · candidates: top 4',
    );
    expect(run.stdout).toContain('stand-in');
    const row = (label: string) => lines.find((line) => line.startsWith(label))?.split(/\s+/);
    expect(row('precision@2')).toEqual(['precision@2', '0.500', '0.500', '±0.000']);
    expect(row('recall@2')).toEqual(['recall@2', '0.417', '0.417', '±0.000']);
    expect(row('nDCG@2')).toEqual(['nDCG@2', '0.500', '0.240', '−0.260']);
    expect(row('MRR@2')).toEqual(['MRR@2', '0.750', '0.500', '−0.250']);
    expect(row('hit-rate@2')).toEqual(['hit-rate@2', '1.000', '1.000', '±0.000']);
    expect(run.stdout).toContain(
      'Stage-1 recall@4 (the candidate set: the most any reranker can reach): 0.833',
    );
    expect(row('q1')?.slice(0, 4)).toEqual(['q1', '0.760', '0.240', '−0.520']);
    expect(run.stdout).toMatch(/^retrieve\s+\S+ ms\s+\S+ ms$/m);
    expect(run.stdout).toMatch(/^rerank\s+\S+ ms\s+\S+ ms$/m);
  });
});
