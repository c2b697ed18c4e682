import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchIds, temporaryDirectory } from './fixtures/indexing/index-test-helpers.js';
import { runTwostage } from './helpers/run-twostage.js';

let directory: { path: string; remove: () => Promise<void> };
let cwd: string;
beforeEach(async () => {
  directory = await temporaryDirectory();
  cwd = directory.path;
  await mkdir(join(cwd, 'docs'));
  await writeFile(join(cwd, 'docs', 'fees.txt'), 'An annual fee applies to the gold card.');
});
afterEach(() => directory.remove());

/** Runs `twostage index ...args` and returns its exit code and stderr; stdout must stay empty. */
async function failing(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const run = await runTwostage(['index', ...args], { cwd });
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  return { code: run.code, stderr: run.stderr };
}

describe('twostage index: bad input', () => {
  it('names a path that does not exist', async () => {
    expect(await failing(['docs', 'missing-folder', '--out', 'idx'])).toEqual({
      code: 1,
      stderr:
        "twostage: 'missing-folder' does not exist (or is a link to nothing).\n  → Check the path; relative paths are read from the current directory.\n",
    });
  });

  it('names an unreadable file in a folder: a link to nothing, a pipe', async () => {
    await symlink(join(cwd, 'nowhere.txt'), join(cwd, 'docs', 'broken.md'));
    expect(await failing(['docs', '--out', 'idx'])).toEqual({
      code: 1,
      stderr:
        "twostage: 'docs/broken.md' does not exist (or is a link to nothing).\n  → Check the path; relative paths are read from the current directory.\n",
    });
    await mkdir(join(cwd, 'piped'));
    execFileSync('mkfifo', [join(cwd, 'piped', 'stream.txt')]);
    const pipe = await failing(['piped', '--out', 'idx']);
    expect(pipe.code).toBe(1);
    expect(pipe.stderr).toBe(
      "twostage: cannot read 'piped/stream.txt': it is not a regular file (a pipe, a socket or a device).\n  → Index regular files only, or index without it.\n",
    );
  });

  it('reports the file and line of a malformed JSONL line', async () => {
    await writeFile(
      join(cwd, 'corpus.jsonl'),
      `${JSON.stringify({ _id: 'a', text: 'fine' })}\n\n{"_id": "b", "text": "cut off\n`,
    );
    const { code, stderr } = await failing(['corpus.jsonl', '--out', 'idx']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^twostage: corpus\.jsonl:3: not valid JSON \(.+\)\.\n {2}→ Each line must be one JSON object/,
    );
  });

  it('reports a JSONL record without text, without an id, with nested metadata, or whose id repeats', async () => {
    const cases: [string[], string][] = [
      [
        [JSON.stringify({ _id: 'a', text: 'x' }), JSON.stringify({ _id: 'b', title: 'T' })],
        `corpus.jsonl:2: the record 'b' has no "text".`,
      ],
      [[JSON.stringify({ text: 'x' })], 'corpus.jsonl:1: the record has no "_id" or "id".'],
      [
        [JSON.stringify({ _id: 'a', text: 'x', metadata: { nested: { deep: 1 } } })],
        `corpus.jsonl:1: bad "metadata" of 'a'`,
      ],
      [
        [
          JSON.stringify({ _id: 'a', text: 'x' }),
          JSON.stringify({ _id: 'c', text: 'y' }),
          JSON.stringify({ id: 'a', text: 'z' }),
        ],
        "corpus.jsonl:3: the id 'a' is used twice (first on line 1).",
      ],
      [['[1, 2]'], 'corpus.jsonl:1: expected a JSON object'],
    ];
    for (const [lines, message] of cases) {
      await writeFile(join(cwd, 'corpus.jsonl'), `${lines.join('\n')}\n`);
      const { code, stderr } = await failing(['corpus.jsonl', '--out', 'idx']);
      expect(code).toBe(1);
      expect(stderr.startsWith(`twostage: ${message}`)).toBe(true);
    }
  });

  it('refuses an id used by two files', async () => {
    await writeFile(
      join(cwd, 'docs', 'one.jsonl'),
      `${JSON.stringify({ _id: 'doc-1', text: 'x' })}\n`,
    );
    await writeFile(
      join(cwd, 'docs', 'two.jsonl'),
      `${JSON.stringify({ _id: 'doc-1', text: 'y' })}\n`,
    );
    const { code, stderr } = await failing(['docs', '--out', 'idx']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "twostage: the document id 'doc-1' appears in both 'docs/one.jsonl' and 'docs/two.jsonl'.\n  → Ids must be unique across the index: rename one of the records, or index the files into separate indexes.\n",
    );
  });

  it('refuses an unsupported file named explicitly (folders skip them)', async () => {
    await writeFile(join(cwd, 'report.docx'), 'binary');
    expect(await failing(['report.docx', '--out', 'idx'])).toEqual({
      code: 1,
      stderr:
        "twostage: cannot index 'report.docx': files of type '.docx' are not supported.\n  → Index files of these types: .md .markdown .txt .html .htm .pdf .jsonl (folders skip other files).\n",
    });
  });

  it('refuses text that is not UTF-8, and a damaged PDF', async () => {
    await writeFile(join(cwd, 'latin1.txt'), Buffer.from([0x66, 0xe9, 0x65, 0x73]));
    const latin1 = await failing(['latin1.txt', '--out', 'idx']);
    expect(latin1.stderr).toBe(
      "twostage: cannot read 'latin1.txt': it is not UTF-8 text.\n  → Convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8), then index it again.\n",
    );
    await writeFile(join(cwd, 'broken.pdf'), 'this is not a PDF at all');
    const pdf = await failing(['broken.pdf', '--out', 'idx']);
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toMatch(/^twostage: cannot read 'broken\.pdf' as a PDF: .+\n {2}→ /);
  });

  it('refuses an --out that is a file or a folder holding something else', async () => {
    expect(await failing(['docs', '--out', 'docs/fees.txt'])).toEqual({
      code: 1,
      stderr:
        "twostage: --out 'docs/fees.txt' is a file, not a directory.\n  → Give --out a new directory (it is created) or one that holds a twostage index.\n",
    });
    expect((await failing(['docs', '--out', 'docs'])).stderr).toBe(
      "twostage: --out 'docs' is a folder that holds no twostage index; it is left untouched.\n  → Give --out a new or empty directory, or one that twostage index wrote before.\n",
    );
  });

  it('exits 2 for usage errors: no --out, a bad chunk size, an overlap not below the size, an unknown unit', async () => {
    const noOut = await failing(['docs']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("required option '--out <dir>' not specified");
    const size = await failing(['docs', '--out', 'idx', '--chunk-size', 'ten']);
    expect(size).toEqual({
      code: 2,
      stderr:
        "error: option '--chunk-size <n>' argument 'ten' is invalid. expected an integer ≥ 1.\n(add --help for usage)\n",
    });
    expect(
      await failing(['docs', '--out', 'idx', '--chunk-size', '10', '--chunk-overlap', '10']),
    ).toEqual({
      code: 2,
      stderr:
        "twostage: --chunk-overlap (10) must be below --chunk-size (10).\n  → Run 'twostage index --help' for usage.\n",
    });
    expect((await failing(['docs', '--out', 'idx', '--chunk-unit', 'words'])).code).toBe(2);
  });

  it('names an unknown embedding provider', async () => {
    const { code, stderr } = await failing([
      'docs',
      '--out',
      'idx',
      '--embedding-model',
      'nosuch:model',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("Unknown provider 'nosuch'");
  });

  it('leaves the previous index as it was when a run fails', async () => {
    expect((await runTwostage(['index', 'docs', '--out', 'idx'], { cwd })).code).toBe(0);
    const manifest = await readFile(join(cwd, 'idx', 'twostage-index.json'), 'utf8');
    await writeFile(join(cwd, 'docs', 'fees.txt'), 'The fee was removed.');
    await writeFile(join(cwd, 'docs', 'bad.jsonl'), 'not json\n');
    expect((await failing(['docs', '--out', 'idx'])).stderr).toContain(
      'docs/bad.jsonl:1: not valid JSON',
    );
    expect(await readFile(join(cwd, 'idx', 'twostage-index.json'), 'utf8')).toBe(manifest);
    expect(await searchIds(cwd, 'idx', 'gold card')).toEqual(['docs/fees.txt#0']);
  });
});
