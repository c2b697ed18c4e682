import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  makeTempDirectory,
  readBankCorpus,
  writeCorpusIndex,
  writeTinyCrossEncoder,
} from './eval-test-fixtures.js';
import { runTwostage } from './helpers/run-twostage.js';

let directory: { path: string; remove: () => Promise<void> };
let model: string;

type QueryJson = {
  query: string;
  results: {
    id: string;
    text: string;
    metadata: Record<string, unknown>;
    rerankScore: number | null;
    retrieveScore: number;
    retrieveRank: number;
  }[];
  timings: { retrieveMs: number; rerankMs: number; totalMs: number };
  degraded: boolean;
  warnings: string[];
};

beforeAll(async () => {
  directory = await makeTempDirectory();
  await writeCorpusIndex(join(directory.path, 'bank-index'), await readBankCorpus());
  model = join(directory.path, 'model');
  await writeTinyCrossEncoder(model);
});

afterAll(async () => {
  await directory.remove();
});

function query(args: readonly string[], env: Record<string, string> = {}) {
  return runTwostage(['query', ...args], { cwd: directory.path, env });
}

describe('twostage query', () => {
  test('--json prints exactly { query, results, timings, degraded, warnings }, sorted on the rerank score', async () => {
    const run = await query([
      'Can I repay my loan early without a penalty?',
      '--index',
      'bank-index',
      '--reranker',
      `local-onnx:${model}`,
      '--top-k',
      '20',
      '--top-n',
      '4',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as QueryJson;
    expect(Object.keys(output)).toEqual(['query', 'results', 'timings', 'degraded', 'warnings']);
    expect(output.query).toBe('Can I repay my loan early without a penalty?');
    expect(output.degraded).toBe(false);
    expect(output.results.length).toBe(4);
    for (const result of output.results) {
      expect(Object.keys(result)).toEqual([
        'id',
        'text',
        'metadata',
        'rerankScore',
        'retrieveScore',
        'retrieveRank',
      ]);
      expect(result.metadata.source).toBe('corpus.jsonl');
      expect(result.retrieveRank).toBeGreaterThanOrEqual(1);
      expect(result.retrieveRank).toBeLessThanOrEqual(20);
    }
    const scores = output.results.map((result) => result.rerankScore as number);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
    expect(Object.keys(output.timings)).toEqual(['retrieveMs', 'rerankMs', 'totalMs']);
    expect(output.timings.totalMs).toBeGreaterThanOrEqual(output.timings.retrieveMs);
  });

  test('the table shows stage-1 rank → final rank, both scores, source and offsets, excerpt and timings', async () => {
    const run = await query([
      'margin call',
      '--index',
      'bank-index',
      '--reranker',
      `local-onnx:${model}`,
      '--top-n',
      '3',
    ]);
    expect(run.code).toBe(0);
    const json = JSON.parse(
      (
        await query([
          'margin call',
          '--index',
          'bank-index',
          '--reranker',
          `local-onnx:${model}`,
          '--top-n',
          '3',
          '--json',
        ])
      ).stdout,
    ) as QueryJson;
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Query: margin call');
    expect(lines[1]).toBe('Stage 1: bm25 index bank-index (top 50 candidates)');
    expect(lines[2]).toBe(`Stage 2: local-onnx:${model}`);
    expect(lines[4]).toMatch(/^stage 1 → final\s+rerank\s+stage-1\s+id\s+source\s+excerpt$/);
    json.results.forEach((result, index) => {
      const row = lines[6 + index] ?? '';
      const start = result.metadata.start as number;
      const end = result.metadata.end as number;
      expect(row).toMatch(new RegExp(`^\\s*${result.retrieveRank} → ${index + 1}\\s`));
      expect(row).toContain(` ${(result.rerankScore as number).toFixed(3)} `);
      expect(row).toContain(` ${result.retrieveScore.toFixed(3)} `);
      expect(row).toContain(` ${result.id} `);
      expect(row).toContain(`corpus.jsonl #0 [${start}–${end}]`);
      expect(row).toContain(String(result.metadata.title));
    });
    expect(run.stdout).toMatch(/^Timings: retrieve \S+ ms · rerank \S+ ms · total \S+ ms$/m);
  });

  test('--reranker mock is labelled a stand-in', async () => {
    const run = await query(['margin call', '--index', 'bank-index', '--reranker', 'mock']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Stage 2: mock:mock-reranker (stand-in: term overlap, not a model)',
    );
    expect(run.stdout).toContain('a stand-in that counts shared words, not a model');
  });

  test('--filter narrows stage 1 by metadata', async () => {
    const run = await query([
      'phí thẻ',
      '--index',
      'bank-index',
      '--reranker',
      'mock',
      '--filter',
      '{"lang": "vi"}',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as QueryJson;
    expect(output.results.map((result) => result.metadata.lang)).toEqual(
      output.results.map(() => 'vi'),
    );
    expect(output.results.length).toBe(5);
  });

  test('with the default model unavailable, the table is marked not re-ranked and keeps stage-1 order', async () => {
    const run = await query(['margin call', '--index', 'bank-index', '--top-n', '3'], {
      TWOSTAGE_OFFLINE: '1',
      TWOSTAGE_CACHE_DIR: join(directory.path, 'empty-cache'),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^twostage: not re-ranked: /);
    expect(run.stdout).toContain('Stage 2: NOT RE-RANKED: results are in stage-1 order');
    const rows = run.stdout.split('\n').filter((line) => /^\s+\d+ → \d+\s/.test(line));
    expect(rows.map((row) => row.trim().split(/\s+/).slice(0, 4))).toEqual([
      ['1', '→', '1', '–'],
      ['2', '→', '2', '–'],
      ['3', '→', '3', '–'],
    ]);
    expect(run.stdout).toContain('rerank – (not run)');
  });
});

describe('twostage query failures: one line, what to do, the right exit code', () => {
  test('bad --filter JSON is a usage error naming the position', async () => {
    const run = await query(['card', '--index', 'bank-index', '--filter', '{"lang": en}']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(
      "twostage: --filter is not valid JSON: expected a value (object, array, string, number, true, false or null) at position 9 ('e', after '{\"lang\": ')",
    );
    expect(run.stderr).toContain("Run 'twostage query --help' for usage.");
    expect(run.stderr).not.toContain('    at ');
  });

  test('a filter that ends too early says so', async () => {
    const run = await query(['card', '--index', 'bank-index', '--filter', '{"lang": "en"']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^twostage: --filter is not valid JSON: expected ',' or '\}' at the end /,
    );
  });

  test('a filter with an unknown operator is a usage error naming its path', async () => {
    const run = await query([
      'card',
      '--index',
      'bank-index',
      '--filter',
      '{"year": {"$bigger": 1}}',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^twostage: --filter: .*filter\.year\.\$bigger/);
  });

  test('an unknown provider names the package to install', async () => {
    const run = await query(['card', '--index', 'bank-index', '--reranker', 'nope:x']);
    expect(run.code).toBe(1);
    const [first, second, ...rest] = run.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^twostage: .*@twostage\/provider-nope/);
    expect(second).toMatch(/^ {2}→ /);
    expect(rest).toEqual([]);
  });

  test('a hosted reranker without its key names the variable, with no stack trace', async () => {
    const run = await query(['card', '--index', 'bank-index', '--reranker', 'cohere:rerank-v3.5']);
    expect(run.code).toBe(1);
    const [first, second, ...rest] = run.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^twostage: The Cohere API key is missing\..*'COHERE_API_KEY'/);
    expect(second).toMatch(/^ {2}→ /);
    expect(rest).toEqual([]);
    expect(run.stderr).not.toContain('    at ');
    expect(run.stdout).toBe('');
  });

  test('a directory without an index says how to build one', async () => {
    const run = await query(['card', '--index', 'no-such-index', '--reranker', 'mock']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("twostage: 'no-such-index' holds no twostage index.");
    expect(run.stderr).toContain('→ Build one first: twostage index');
  });

  test('--index and --retriever together, no stage 1 at all, and a bad count are usage errors', async () => {
    const both = await query(['card', '--index', 'bank-index', '--retriever', 'memory']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('pass either --index <dir> or --retriever <ref>, not both.');
    const none = await query(['card', '--reranker', 'mock']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no stage 1: pass --index <dir>');
    const badCount = await query(['card', '--index', 'bank-index', '--top-k', 'many']);
    expect(badCount.code).toBe(2);
    expect(badCount.stderr).toContain("'--top-k <n>' argument 'many' is invalid");
  });

  test('--help shows examples', async () => {
    const run = await query(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain(
      'twostage query "Can I repay my loan early without a penalty?" --index ./bank-index',
    );
  });
});
