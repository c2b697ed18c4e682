import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDirectory, writeCorpusIndex, writeJsonLines } from './eval-test-fixtures.js';
import { runTwostage } from './helpers/run-twostage.js';

// Bad BEIR inputs: each one line naming the file and the line, exit 1, no stack trace. The same
// readers serve eval, compare and pairs export.

let directory: { path: string; remove: () => Promise<void> };

const goodQrels = 'query-id\tcorpus-id\tscore\nq1\td1\t1\n';

beforeAll(async () => {
  directory = await makeTempDirectory();
  await writeCorpusIndex(join(directory.path, 'index'), [
    { _id: 'd1', text: 'early repayment fee' },
    { _id: 'd2', text: 'card annual fee' },
  ]);
  await writeJsonLines(join(directory.path, 'queries.jsonl'), [
    { _id: 'q1', text: 'repayment fee' },
  ]);
  await writeFile(join(directory.path, 'qrels.tsv'), goodQrels);
  await mkdir(join(directory.path, 'a-directory'));
});

afterAll(async () => {
  await directory.remove();
});

async function write(name: string, text: string): Promise<string> {
  await writeFile(join(directory.path, name), text);
  return name;
}

function evaluate(queries: string, qrels: string, extra: readonly string[] = []) {
  return runTwostage(
    [
      'eval',
      '--index',
      'index',
      '--queries',
      queries,
      '--qrels',
      qrels,
      '--reranker',
      'mock',
      ...extra,
    ],
    { cwd: directory.path },
  );
}

function expectOneLineFailure(run: { code: number; stderr: string; stdout: string }, code = 1) {
  expect(run.code).toBe(code);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(lines[1] ?? '  → ').toMatch(/^ {2}→ /);
  expect(run.stderr).not.toContain('    at ');
  expect(run.stdout).toBe('');
  return lines[0];
}

describe('queries.jsonl problems', () => {
  test('a malformed line is reported with the file and line number', async () => {
    const file = await write(
      'bad-json.jsonl',
      '{"_id": "q1", "text": "fine"}\n\n{"_id": "q2", "text": "broken"\n',
    );
    const first = expectOneLineFailure(await evaluate(file, 'qrels.tsv'));
    expect(first).toMatch(/^twostage: bad-json\.jsonl:3: not valid JSON \(/);
  });

  test('a line that is not an object, lacks "_id" or "text", or repeats an id', async () => {
    const cases: [string, string, RegExp][] = [
      [
        'array.jsonl',
        '["q1", "text"]\n',
        /^twostage: array\.jsonl:1: expected a JSON object, got an array\.$/,
      ],
      ['no-id.jsonl', '{"text": "no id"}\n', /^twostage: no-id\.jsonl:1: the query has no "_id"/],
      ['no-text.jsonl', '{"_id": "q1"}\n', /^twostage: no-text\.jsonl:1: query 'q1' has no "text"/],
      [
        'twice.jsonl',
        '{"_id": "q1", "text": "a"}\n{"_id": "q1", "text": "b"}\n',
        /^twostage: twice\.jsonl:2: the query id 'q1' appears twice\.$/,
      ],
      ['empty.jsonl', '\n\n', /^twostage: empty\.jsonl: holds no queries\.$/],
    ];
    for (const [name, text, expected] of cases) {
      const first = expectOneLineFailure(await evaluate(await write(name, text), 'qrels.tsv'));
      expect(first).toMatch(expected);
    }
  });

  test('a missing file or a directory names the flag and the path', async () => {
    const missing = expectOneLineFailure(await evaluate('nowhere.jsonl', 'qrels.tsv'));
    expect(missing).toBe("twostage: --queries 'nowhere.jsonl': no such file.");
    const folder = expectOneLineFailure(await evaluate('queries.jsonl', 'a-directory'));
    expect(folder).toBe("twostage: --qrels 'a-directory': is a directory, not a file.");
  });
});

describe('qrels problems', () => {
  test('a missing header line', async () => {
    const file = await write('no-header.tsv', 'q1\td1\t1\n');
    const first = expectOneLineFailure(await evaluate('queries.jsonl', file));
    expect(first).toBe(
      'twostage: no-header.tsv:1: the header line "query-id<TAB>corpus-id<TAB>score" is missing (found "q1\td1\t1").',
    );
  });

  test('TREC-style qrels (4 columns, no header) are recognised in the hint', async () => {
    const run = await evaluate('queries.jsonl', await write('trec.tsv', 'q1 0 d1 1\n'));
    expect(expectOneLineFailure(run)).toMatch(/^twostage: trec\.tsv:1: the header line/);
    expect(run.stderr).toContain('This looks like TREC qrels');
  });

  test('a wrong column count and a non-numeric score name their line', async () => {
    const columns = await write('columns.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\n');
    expect(expectOneLineFailure(await evaluate('queries.jsonl', columns))).toBe(
      'twostage: columns.tsv:3: expected 3 columns (query-id, corpus-id, score), found 2.',
    );
    const score = await write('score.tsv', 'query-id\tcorpus-id\tscore\n\nq1\td1\thigh\n');
    expect(expectOneLineFailure(await evaluate('queries.jsonl', score))).toBe(
      'twostage: score.tsv:3: the score "high" is not a number.',
    );
  });

  test('no query with a relevant judgment is a failure that says what to check', async () => {
    const none = await write('none.tsv', 'query-id\tcorpus-id\tscore\nq7\td1\t1\nq1\td2\t0\n');
    const run = await evaluate('queries.jsonl', none);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'twostage: No query of queries.jsonl has a relevant judgment in none.tsv.',
    );
    expect(run.stderr).toContain(
      'judges 1 query id(s) that queries.jsonl does not hold, ignored: q7',
    );
  });

  test('qrels for unknown query ids are a warning, counted in the report', async () => {
    const extra = await write(
      'extra.tsv',
      'query-id\tcorpus-id\tscore\nq1\td1\t1\nq8\td1\t1\nq9\td2\t2\nq9\td1\t1\n',
    );
    const run = await evaluate('queries.jsonl', extra, ['--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'twostage: warning: extra.tsv judges 2 query id(s) that queries.jsonl does not hold, ignored: q8, q9.\n',
    );
    const report = JSON.parse(run.stdout);
    expect(report.queries.qrelsUnknownQueryIds).toBe(2);
    expect(report.warnings).toEqual([
      'extra.tsv judges 2 query id(s) that queries.jsonl does not hold, ignored: q8, q9.',
    ]);
  });
});

describe('flags', () => {
  test('--k larger than --top-k, a missing --qrels and an unknown flag are usage errors', async () => {
    const tooDeep = await evaluate('queries.jsonl', 'qrels.tsv', ['--k', '20', '--top-k', '10']);
    expect(tooDeep.code).toBe(2);
    expect(tooDeep.stderr).toContain('--k 20 is larger than --top-k 10');
    const missing = await runTwostage(['eval', '--index', 'index', '--queries', 'queries.jsonl'], {
      cwd: directory.path,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--qrels <file>' not specified");
    const unknown = await evaluate('queries.jsonl', 'qrels.tsv', ['--precision']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--precision'");
  });

  test('--help explains the inputs and shows examples', async () => {
    const run = await runTwostage(['eval', '--help'], { cwd: directory.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('trec_eval');
  });
});
