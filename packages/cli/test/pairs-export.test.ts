import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDirectory, writeCorpusIndex, writeJsonLines } from './eval-test-fixtures.js';
import { runTwostage } from './helpers/run-twostage.js';

// The corpus of eval-tiny-corpus.test.ts, d2 spelled with a comma and quotes (same words, so the
// same BM25 order) to exercise CSV quoting.
const corpus = [
  { _id: 'd1', text: 'kiwi kiwi kiwi' },
  { _id: 'd2', text: 'apple, "banana"' },
  { _id: 'd3', text: 'banana cherry apple' },
  { _id: 'd4', text: 'cherry' },
  { _id: 'd5', text: 'durian durian' },
  { _id: 'd6', text: 'banana' },
  { _id: 'd7', text: 'mango' },
];
const qrels = [
  'query-id\tcorpus-id\tscore',
  'q1\td1\t2',
  'q1\td3\t1',
  'q1\td6\t0',
  'q2\td4\t1',
  'q2\td3\t2',
  'q2\td7\t1',
  'q3\td6\t0',
].join('\n');

let directory: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  directory = await makeTempDirectory();
  await writeCorpusIndex(join(directory.path, 'index'), corpus);
  await writeJsonLines(join(directory.path, 'queries.jsonl'), [
    { _id: 'q1', text: 'kiwi apple banana' },
    { _id: 'q2', text: 'durian cherry' },
    { _id: 'q3', text: 'banana' },
  ]);
  await writeFile(join(directory.path, 'qrels.tsv'), `${qrels}\n`);
});

afterAll(async () => {
  await directory.remove();
});

function exportPairs(out: string, extra: readonly string[] = []) {
  return runTwostage(
    [
      'pairs',
      'export',
      '--index',
      'index',
      '--queries',
      'queries.jsonl',
      '--qrels',
      'qrels.tsv',
      '--out',
      out,
      '--negatives-per-query',
      '2',
      ...extra,
    ],
    { cwd: directory.path },
  );
}

// Expected pairs, worked out by hand:
// q1: relevant d1 (2) and d3 (1) → label 1, by id. Stage 1 ranks d1 d2 d3 d6; the first two not
//     judged relevant are d2 and d6 (d6 is judged 0, i.e. not relevant) → label 0.
// q2: relevant d3 (2), d4 (1), d7 (1) → label 1; d7 is not among the candidates, so its text
//     comes from the index. Stage 1 ranks d5 d4 d3: the only candidate not relevant is d5.
// q3: no relevant judgment → skipped.
const expected = [
  { query: 'kiwi apple banana', passage: 'kiwi kiwi kiwi', label: 1 },
  { query: 'kiwi apple banana', passage: 'banana cherry apple', label: 1 },
  { query: 'kiwi apple banana', passage: 'apple, "banana"', label: 0 },
  { query: 'kiwi apple banana', passage: 'banana', label: 0 },
  { query: 'durian cherry', passage: 'banana cherry apple', label: 1 },
  { query: 'durian cherry', passage: 'cherry', label: 1 },
  { query: 'durian cherry', passage: 'mango', label: 1 },
  { query: 'durian cherry', passage: 'durian durian', label: 0 },
];

describe('twostage pairs export', () => {
  test('JSON lines with exactly query, passage, label; hard negatives from stage 1', async () => {
    const run = await exportPairs('out/pairs.jsonl');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Wrote 8 pairs (5 relevant, 3 hard negatives) for 2 queries to out/pairs.jsonl (1 queries skipped: no relevant judgment).\n',
    );
    const lines = (await readFile(join(directory.path, 'out/pairs.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(expected);
    expect(
      lines.every((line) => Object.keys(JSON.parse(line)).join() === 'query,passage,label'),
    ).toBe(true);
  });

  test('CSV (RFC 4180 quoting) and TSV by the --out extension', async () => {
    expect((await exportPairs('pairs.csv')).code).toBe(0);
    const csv = (await readFile(join(directory.path, 'pairs.csv'), 'utf8')).split('\n');
    expect(csv[0]).toBe('query,passage,label');
    expect(csv[3]).toBe('kiwi apple banana,"apple, ""banana""",0');
    expect((await exportPairs('pairs.tsv')).code).toBe(0);
    const tsv = (await readFile(join(directory.path, 'pairs.tsv'), 'utf8')).split('\n');
    expect(tsv[0]).toBe('query\tpassage\tlabel');
    expect(tsv[1]).toBe('kiwi apple banana\tkiwi kiwi kiwi\t1');
  });

  test('an --out that cannot be written, and missing flags, fail in one line', async () => {
    await mkdir(join(directory.path, 'taken.jsonl.partial'), { recursive: true });
    const blocked = await exportPairs('taken.jsonl');
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/^twostage: --out 'taken\.jsonl' cannot be written: /);
    expect(blocked.stderr).not.toContain('    at ');
    const missing = await runTwostage(['pairs', 'export', '--index', 'index'], {
      cwd: directory.path,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--queries <file>' not specified");
    const unknown = await exportPairs('x.jsonl', ['--shuffle']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--shuffle'");
  });

  test('--help shows the loading line for sentence-transformers', async () => {
    const run = await runTwostage(['pairs', 'export', '--help'], { cwd: directory.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('load_dataset("json", data_files="pairs.jsonl", split="train")');
  });
});
