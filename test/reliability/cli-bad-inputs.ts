import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '@twostage/cli';
import type { BadInputRow } from './bad-input-row.js';

/** Runs the CLI in process in a scratch directory; resolves to its exit code and stderr. */
async function cli(
  args: string[],
  files: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'twostage-cli-bad-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let errors = '';
  stderr.on('data', (chunk) => {
    errors += String(chunk);
  });
  stdout.resume();
  const code = await runCli(args, {
    cwd,
    env: { TWOSTAGE_CACHE_DIR: join(cwd, 'cache'), TWOSTAGE_OFFLINE: '1' },
    stdout,
    stderr,
    signal: new AbortController().signal,
  });
  return { code, stderr: errors };
}

const corpus = '{"id":"d1","text":"early repayment fee"}\n{"id":"d2","text":"card fee"}\n';
const row = (
  input: string,
  args: string[],
  exitCode: number,
  stderr: RegExp,
  files?: Record<string, string>,
): BadInputRow => ({
  area: 'cli',
  input,
  expect: { exitCode, stderr },
  run: () => cli(args, files),
});

/** Bad command lines. */
export const cliBadInputs: BadInputRow[] = [
  row('twostage frobnicate', ['frobnicate'], 2, /unknown command/),
  row('twostage query (no question)', ['query'], 2, /missing required argument/),
  row(
    'twostage query "q" --topk 5',
    ['query', 'q', '--topk', '5', '--retriever', 'memory:./c.jsonl'],
    2,
    /unknown option '--topk'/,
  ),
  row(
    'twostage query "q" --top-k abc',
    ['query', 'q', '--top-k', 'abc', '--retriever', 'memory:./c.jsonl'],
    2,
    /top-k/,
  ),
  row(
    'twostage query "q" --top-k 0',
    ['query', 'q', '--top-k', '0', '--retriever', 'memory:./c.jsonl'],
    2,
    /top-k/,
  ),
  row(
    'twostage query "q" --top-n -3',
    ['query', 'q', '--top-n', '-3', '--retriever', 'memory:./c.jsonl'],
    2,
    /top-n/,
  ),
  row(
    'twostage query "" --retriever …',
    ['query', '', '--retriever', 'memory:./c.jsonl', '--reranker', 'mock'],
    1,
    /query/,
    { 'c.jsonl': corpus },
  ),
  row(
    'twostage query "q" (neither --index nor --retriever)',
    ['query', 'q'],
    2,
    /--index|--retriever/,
  ),
  row(
    'twostage query "q" --index missing-dir',
    ['query', 'q', '--index', 'missing-dir'],
    1,
    /missing-dir/,
  ),
  row(
    'twostage query "q" --filter \'{bad json\'',
    [
      'query',
      'q',
      '--retriever',
      'memory:./c.jsonl',
      '--reranker',
      'mock',
      '--filter',
      '{bad json',
    ],
    2,
    /filter/,
    { 'c.jsonl': corpus },
  ),
  row(
    'twostage query "q" --filter \'{"a":{"$foo":1}}\'',
    [
      'query',
      'q',
      '--retriever',
      'memory:./c.jsonl',
      '--reranker',
      'mock',
      '--filter',
      '{"a":{"$foo":1}}',
    ],
    2,
    /\$foo/,
    { 'c.jsonl': corpus },
  ),
  row(
    'twostage query "q" --reranker nope:model',
    ['query', 'q', '--retriever', 'memory:./c.jsonl', '--reranker', 'nope:model'],
    1,
    /nope/,
    { 'c.jsonl': corpus },
  ),
  row(
    'twostage query "q" --retriever bm25:./missing',
    ['query', 'q', '--retriever', 'bm25:./missing'],
    1,
    /missing/,
  ),
  row('twostage index (no paths)', ['index', '--out', 'idx'], 2, /missing required argument/),
  row('twostage index c.jsonl (no --out)', ['index', 'c.jsonl'], 2, /--out/, { 'c.jsonl': corpus }),
  row(
    'twostage index missing.md --out idx',
    ['index', 'missing.md', '--out', 'idx', '--embedding-model', 'none'],
    1,
    /missing\.md/,
  ),
  row(
    'twostage index c.jsonl --chunk-size -1',
    ['index', 'c.jsonl', '--out', 'idx', '--chunk-size', '-1'],
    2,
    /chunk-size/,
    { 'c.jsonl': corpus },
  ),
  row(
    'twostage index c.jsonl --chunk-unit words',
    ['index', 'c.jsonl', '--out', 'idx', '--chunk-unit', 'words'],
    2,
    /chunk-unit/,
    { 'c.jsonl': corpus },
  ),
  row(
    'twostage index bad.jsonl (a malformed line)',
    ['index', 'bad.jsonl', '--out', 'idx', '--embedding-model', 'none'],
    1,
    /bad\.jsonl.*2|line 2/,
    { 'bad.jsonl': '{"_id":"a","text":"x"}\n{not json\n' },
  ),
  row(
    'twostage eval (no --queries)',
    ['eval', '--retriever', 'memory:./c.jsonl', '--qrels', 'q.tsv'],
    2,
    /--queries/,
  ),
  row(
    'twostage eval --queries missing.jsonl',
    [
      'eval',
      '--retriever',
      'memory:./c.jsonl',
      '--queries',
      'missing.jsonl',
      '--qrels',
      'q.tsv',
      '--reranker',
      'mock',
    ],
    1,
    /missing\.jsonl/,
    { 'c.jsonl': corpus, 'q.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\n' },
  ),
  row(
    'twostage eval --k 0',
    [
      'eval',
      '--retriever',
      'memory:./c.jsonl',
      '--queries',
      'q.jsonl',
      '--qrels',
      'q.tsv',
      '--k',
      '0',
    ],
    2,
    /--k/,
  ),
  row(
    'twostage compare (no --b)',
    ['compare', '--a', 'mock', '--retriever', 'memory:./c.jsonl', '--queries', 'q.jsonl'],
    2,
    /--b/,
  ),
  row('twostage models pull not-an-id', ['models', 'pull', 'not-an-id'], 2, /owner\/name/),
  row(
    'twostage models pull a/b --revision ../x',
    ['models', 'pull', 'a/b', '--revision', '../x'],
    2,
    /revision/,
  ),
  row(
    'twostage models rm a/not-cached',
    ['models', 'rm', 'a/not-cached'],
    1,
    /a\/not-cached is not in the/,
  ),
  row(
    'twostage pairs export (no --out)',
    ['pairs', 'export', '--index', 'idx', '--queries', 'q.jsonl', '--qrels', 'q.tsv'],
    2,
    /--out/,
  ),
];
