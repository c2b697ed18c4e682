import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex } from '../src/open-index.js';
import { runCli } from '../src/run-cli.js';
import {
  readManifest,
  searchIds,
  temporaryDirectory,
  testContext,
} from './fixtures/indexing/index-test-helpers.js';
import { textPdf } from './fixtures/indexing/write-text-pdf.js';
import { runTwostage } from './helpers/run-twostage.js';

const bankCorpus = fileURLToPath(
  new URL('../../../examples/bank-policies/corpus.jsonl', import.meta.url),
);
const bankQrels = fileURLToPath(
  new URL('../../../examples/bank-policies/qrels.tsv', import.meta.url),
);

const markdown = `# Early termination

Borrowers may repay the loan before the end of its term. The prepayment penalty is 2% of the
amount repaid early. No penalty applies after five years.
`;
const text = 'Margin calls require a collateral top-up within two business days.';
const html = `<!doctype html><html><head><title>Card fees &amp; limits</title>
<style>body { color: red; }</style><script>var tracking = 1;</script></head>
<body><h1>Card fees</h1><p>An annual fee of <b>15 EUR</b> applies to the gold card.</p>
<p>See <a href="https://example.invalid/fees">the tariff</a>.</p></body></html>`;

let directory: { path: string; remove: () => Promise<void> };
let cwd: string;
beforeEach(async () => {
  directory = await temporaryDirectory();
  cwd = directory.path;
  await mkdir(join(cwd, 'docs', 'cards'), { recursive: true });
  await writeFile(join(cwd, 'docs', 'early-termination.md'), markdown);
  await writeFile(join(cwd, 'docs', 'margin.txt'), text);
  await writeFile(join(cwd, 'docs', 'cards', 'fees.html'), html);
  await writeFile(
    join(cwd, 'docs', 'kyc.pdf'),
    textPdf([
      ['Know your customer (KYC) checks need an identity card.'],
      ['Page two: proof of address.'],
    ]),
  );
  await writeFile(join(cwd, 'docs', 'notes.json'), '{}');
  await writeFile(join(cwd, 'docs', 'logo.png'), 'not an image');
  await mkdir(join(cwd, 'docs', '.cache'));
  await writeFile(join(cwd, 'docs', '.cache', 'hidden.txt'), 'never indexed');
});
afterEach(() => directory.remove());

describe('twostage index', () => {
  it('indexes Markdown, text, HTML and PDF files of a folder, with source, chunk, offsets and title', async () => {
    const run = await runTwostage(['index', 'docs', '--out', 'idx'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "Indexed into 'idx' (bm25): files 4 added, 0 updated, 0 removed, 0 unchanged; chunks 4 written, 0 dropped, 4 in the index.\n",
    );
    // Not a terminal: no progress, only the note about skipped files.
    expect(run.stderr).toBe(
      'skipped 2 files of unsupported types (.png 1, .json 1); indexed types: .md .markdown .txt .html .htm .pdf .jsonl\n',
    );

    const manifest = await readManifest(cwd, 'idx');
    expect(manifest).toMatchObject({
      format: 'twostage-cli-index',
      version: 1,
      state: 'complete',
      root: '..',
      engine: { kind: 'bm25' },
      chunking: { unit: 'tokens', size: 200, overlap: 40 },
      counts: { sources: 4, documents: 4 },
    });
    expect(manifest.sources.map(({ path, kind, chunkIds }) => ({ path, kind, chunkIds }))).toEqual([
      { path: 'docs/cards/fees.html', kind: 'html', chunkIds: ['docs/cards/fees.html#0'] },
      {
        path: 'docs/early-termination.md',
        kind: 'markdown',
        chunkIds: ['docs/early-termination.md#0'],
      },
      { path: 'docs/kyc.pdf', kind: 'pdf', chunkIds: ['docs/kyc.pdf#0'] },
      { path: 'docs/margin.txt', kind: 'text', chunkIds: ['docs/margin.txt#0'] },
    ]);
    const markdownSource = manifest.sources.find((source) => source.kind === 'markdown');
    expect(markdownSource?.sha256).toBe(createHash('sha256').update(markdown).digest('hex'));
    expect(markdownSource?.bytes).toBe(Buffer.byteLength(markdown));

    const retriever = await openIndex('idx', testContext(cwd));
    const markdownChunk = retriever.get('docs/early-termination.md#0');
    expect(markdownChunk?.metadata).toEqual({
      source: 'docs/early-termination.md',
      chunk: 0,
      start: 0,
      end: markdown.trimEnd().length,
      title: 'Early termination',
    });
    expect(markdownChunk?.text).toBe(markdown.slice(0, markdown.trimEnd().length));
    expect(retriever.get('docs/margin.txt#0')).toEqual({
      id: 'docs/margin.txt#0',
      text,
      metadata: {
        source: 'docs/margin.txt',
        chunk: 0,
        start: 0,
        end: text.length,
        title: 'margin',
      },
    });
    // HTML: the readable text only (no style, script or link target), the <title> as title.
    const htmlChunk = retriever.get('docs/cards/fees.html#0');
    expect(htmlChunk?.text).toBe(
      'Card fees\n\nAn annual fee of 15 EUR applies to the gold card.\n\nSee the tariff.',
    );
    expect(htmlChunk?.metadata?.title).toBe('Card fees & limits');
    // PDF: the real text layer of both pages, a blank line between them.
    expect(retriever.get('docs/kyc.pdf#0')?.text).toBe(
      'Know your customer (KYC) checks need an identity card.\n\nPage two: proof of address.',
    );
    expect(await searchIds(cwd, 'idx', 'collateral top-up', 1)).toEqual(['docs/margin.txt#0']);
    expect(await searchIds(cwd, 'idx', 'proof of address identity', 1)).toEqual(['docs/kyc.pdf#0']);
    expect(await searchIds(cwd, 'idx', 'never indexed')).toEqual([]);
  });

  it('re-indexes only what changed, drops the chunks of removed files, and says what it did', async () => {
    expect(
      (await runTwostage(['index', 'docs', '--out', 'idx', '--progress', 'none'], { cwd })).code,
    ).toBe(0);
    const before = await readManifest(cwd, 'idx');

    const unchanged = await runTwostage(['index', 'docs', '--out', 'idx'], { cwd });
    expect(unchanged.stdout).toBe("'idx' is up to date (bm25): 4 files unchanged, 4 chunks.\n");

    await writeFile(
      join(cwd, 'docs', 'margin.txt'),
      'Margin calls now allow three days for a top-up.',
    );
    await rm(join(cwd, 'docs', 'kyc.pdf'));
    await writeFile(join(cwd, 'docs', 'cards', 'limits.md'), 'Daily card limits are 500 EUR.');
    const run = await runTwostage(['index', 'docs', '--out', 'idx'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "Indexed into 'idx' (bm25): files 1 added, 1 updated, 1 removed, 2 unchanged; chunks 2 written, 2 dropped, 4 in the index.\n",
    );
    const after = await readManifest(cwd, 'idx');
    expect(after.sources.map((source) => source.path)).toEqual([
      'docs/cards/fees.html',
      'docs/cards/limits.md',
      'docs/early-termination.md',
      'docs/margin.txt',
    ]);
    // Unchanged files keep their records as they were.
    expect(after.sources.find((source) => source.path === 'docs/early-termination.md')).toEqual(
      before.sources.find((source) => source.path === 'docs/early-termination.md'),
    );
    const retriever = await openIndex('idx', testContext(cwd));
    expect(retriever.get('docs/kyc.pdf#0')).toBeUndefined();
    expect(retriever.get('docs/margin.txt#0')?.text).toBe(
      'Margin calls now allow three days for a top-up.',
    );
    expect(retriever.get('docs/cards/limits.md#0')?.text).toBe('Daily card limits are 500 EUR.');
    expect(await searchIds(cwd, 'idx', 'business')).toEqual([]);
  });

  it('checks the files it already holds even when another path is given, and keeps ids relative to where it was first run', async () => {
    await runTwostage(['index', 'docs/margin.txt', '--out', 'idx'], { cwd });
    await mkdir(join(cwd, 'more'));
    await writeFile(join(cwd, 'more', 'cards.txt'), 'Lost cards are blocked at once.');
    await writeFile(join(cwd, 'docs', 'margin.txt'), 'Margin calls: top-up within one day.');
    // Run from inside another folder: paths stay relative to the first run's directory.
    const run = await runTwostage(['index', 'cards.txt', '--out', '../idx'], {
      cwd: join(cwd, 'more'),
    });
    expect(run.stdout).toBe(
      "Indexed into '../idx' (bm25): files 1 added, 1 updated, 0 removed, 0 unchanged; chunks 2 written, 1 dropped, 2 in the index.\n",
    );
    expect((await readManifest(cwd, 'idx')).sources.map((source) => source.path)).toEqual([
      'docs/margin.txt',
      'more/cards.txt',
    ]);
  });

  it('indexes a BEIR corpus.jsonl record by record, keeping its ids so the qrels refer to them', async () => {
    const run = await runTwostage(['index', bankCorpus, '--out', 'bank'], { cwd });
    expect(run.code).toBe(0);
    const records = (await readFile(bankCorpus, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(
        (line) =>
          JSON.parse(line) as { _id: string; title?: string; text: string; metadata?: object },
      );
    const manifest = await readManifest(cwd, 'bank');
    expect(manifest.counts.documents).toBe(records.length);
    expect(manifest.sources[0]?.chunkIds).toEqual(records.map((record) => record._id));
    const retriever = await openIndex('bank', testContext(cwd));
    const [first] = records;
    if (first === undefined) throw new Error('the bank corpus is empty');
    const stored = retriever.get(first._id);
    const expectedText = first.title ? `${first.title}\n\n${first.text}` : first.text;
    expect(stored?.text).toBe(expectedText);
    expect(stored?.metadata).toMatchObject({
      ...first.metadata,
      line: 1,
      chunk: 0,
      start: 0,
      end: expectedText.length,
    });
    // Every judged document of the qrels is in the index under its BEIR id.
    const judged = (await readFile(bankQrels, 'utf8'))
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => line.split('\t')[1] as string);
    expect(judged.length).toBeGreaterThan(30);
    expect(judged.filter((id) => retriever.get(id) === undefined)).toEqual([]);
  });

  it('indexes the title of a JSONL record with its text, and keeps long records whole', async () => {
    const long = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    await writeFile(
      join(cwd, 'corpus.jsonl'),
      [
        JSON.stringify({ _id: 'd1', title: 'Overdraft', text: 'Interest is charged daily.' }),
        '',
        JSON.stringify({ id: 7, text: long, metadata: { lang: 'en', tags: ['a', 'b'] } }),
      ].join('\n'),
    );
    expect((await runTwostage(['index', 'corpus.jsonl', '--out', 'idx'], { cwd })).code).toBe(0);
    expect(await searchIds(cwd, 'idx', 'overdraft')).toEqual(['d1']);
    const retriever = await openIndex('idx', testContext(cwd));
    expect(retriever.get('7')).toEqual({
      id: '7',
      text: long,
      metadata: {
        lang: 'en',
        tags: ['a', 'b'],
        source: 'corpus.jsonl',
        line: 3,
        chunk: 0,
        start: 0,
        end: long.length,
      },
    });
  });

  it('builds a hybrid index with an embedding model, keeps it on later runs, and drops it with none', async () => {
    const hybrid = await runTwostage(
      ['index', 'docs', '--out', 'idx', '--embedding-model', 'mock'],
      { cwd },
    );
    expect(hybrid.stdout).toBe(
      "Indexed into 'idx' (hybrid: bm25 + mock): files 4 added, 0 updated, 0 removed, 0 unchanged; chunks 4 written, 0 dropped, 4 in the index.\n",
    );
    expect((await readManifest(cwd, 'idx')).engine).toEqual({
      kind: 'hybrid',
      embeddingModel: 'mock',
    });
    expect((await openIndex('idx', testContext(cwd))).provider).toBe('hybrid');

    await writeFile(join(cwd, 'docs', 'margin.txt'), 'Margin calls: top-up within one day.');
    const kept = await runTwostage(['index', 'docs', '--out', 'idx'], { cwd });
    expect(kept.stdout).toContain(
      '(hybrid: bm25 + mock): files 0 added, 1 updated, 0 removed, 3 unchanged',
    );
    expect(await searchIds(cwd, 'idx', 'top-up within one day', 1)).toEqual(['docs/margin.txt#0']);

    const lexical = await runTwostage(
      ['index', 'docs', '--out', 'idx', '--embedding-model', 'none'],
      { cwd },
    );
    expect(lexical.stdout).toContain('(bm25): files 0 added, 4 updated, 0 removed, 0 unchanged');
    expect(lexical.stderr).toContain(
      'indexed every file again: the embedding model changed (mock → none)',
    );
    expect((await openIndex('idx', testContext(cwd))).provider).toBe('bm25');
  });

  it('reads the embedding model from TWOSTAGE_EMBEDDING_MODEL', async () => {
    const run = await runTwostage(['index', 'docs', '--out', 'idx'], {
      cwd,
      env: { TWOSTAGE_EMBEDDING_MODEL: 'mock:mock-embedding' },
    });
    expect(run.code).toBe(0);
    expect((await readManifest(cwd, 'idx')).engine).toEqual({
      kind: 'hybrid',
      embeddingModel: 'mock:mock-embedding',
    });
  });

  it('chunks by the given settings, records them, and re-chunks text files but not JSONL records when they change', async () => {
    const sentences = Array.from({ length: 30 }, (_, index) => `Clause ${index} sets a fee.`).join(
      ' ',
    );
    await writeFile(join(cwd, 'docs', 'margin.txt'), sentences);
    await writeFile(
      join(cwd, 'docs', 'corpus.jsonl'),
      `${JSON.stringify({ _id: 'r1', text: sentences })}\n`,
    );
    await runTwostage(
      ['index', 'docs', '--out', 'idx', '--chunk-size', '20', '--chunk-overlap', '6'],
      { cwd },
    );
    const manifest = await readManifest(cwd, 'idx');
    expect(manifest.chunking).toEqual({ unit: 'tokens', size: 20, overlap: 6 });
    // "Clause N sets a fee." is 6 tokens: three sentences a chunk, the last one repeated.
    const retriever = await openIndex('idx', testContext(cwd));
    expect(retriever.get('docs/margin.txt#0')?.text).toBe(
      'Clause 0 sets a fee. Clause 1 sets a fee. Clause 2 sets a fee.',
    );
    expect(retriever.get('docs/margin.txt#1')?.text).toBe(
      'Clause 2 sets a fee. Clause 3 sets a fee. Clause 4 sets a fee.',
    );
    expect(retriever.get('r1')?.text).toBe(sentences);

    // Later runs keep the recorded settings; a new unit brings its own defaults.
    expect((await runTwostage(['index', 'docs', '--out', 'idx'], { cwd })).stdout).toContain(
      'is up to date',
    );
    const chars = await runTwostage(['index', 'docs', '--out', 'idx', '--chunk-unit', 'chars'], {
      cwd,
    });
    expect(chars.stdout).toContain('files 0 added, 4 updated, 0 removed, 1 unchanged');
    expect((await readManifest(cwd, 'idx')).chunking).toEqual({
      unit: 'chars',
      size: 1000,
      overlap: 200,
    });
  });

  it('shows plain progress lines on stderr when asked', async () => {
    const run = await runTwostage(['index', 'docs', '--out', 'idx', '--progress', 'plain'], {
      cwd,
    });
    expect(run.stderr.split('\n')).toEqual(
      expect.arrayContaining([
        'reading: 0/4 files',
        'reading: 4/4 files',
        'indexing: 0/4 chunks',
        'indexing: 4/4 chunks',
      ]),
    );
  });

  it('rebuilds from the sources when the last run died while saving, or the engine files are gone', async () => {
    expect((await runTwostage(['index', 'docs', '--out', 'idx'], { cwd })).code).toBe(0);
    // A run killed between marking the manifest `writing` and marking it `complete`.
    const manifest = await readManifest(cwd, 'idx');
    await writeFile(
      join(cwd, 'idx', 'twostage-index.json'),
      JSON.stringify({ ...manifest, state: 'writing' }),
    );
    const afterCrash = await runTwostage(['index', 'docs', '--out', 'idx'], { cwd });
    expect(afterCrash.stderr).toContain(
      'indexed every file again: the previous run was stopped while saving',
    );
    expect(afterCrash.stdout).toContain(
      'files 0 added, 4 updated, 0 removed, 0 unchanged; chunks 4 written',
    );
    expect((await readManifest(cwd, 'idx')).state).toBe('complete');

    await rm(join(cwd, 'idx', 'engine'), { recursive: true });
    const afterLoss = await runTwostage(['index', 'docs', '--out', 'idx'], { cwd });
    expect(afterLoss.stderr).toContain(
      'indexed every file again: its engine files could not be loaded (not-an-index)',
    );
    expect(await searchIds(cwd, 'idx', 'collateral', 1)).toEqual(['docs/margin.txt#0']);
  });

  it('draws a progress bar on stderr when it is a terminal', async () => {
    const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    let written = '';
    stderr.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const context = { ...testContext(cwd), stderr };
    expect(await runCli(['index', 'docs', '--out', 'idx'], context)).toBe(0);
    expect(written).toMatch(/reading \[[█░]+\] \d\/4 files/);
    expect(written).toMatch(/indexing \[[█░]+\] \d\/4 chunks/);
  });

  it('prints help with examples', async () => {
    const run = await runTwostage(['index', '--help'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: twostage index [options] <path...>');
    expect(run.stdout).toContain(
      '$ twostage index examples/bank-policies/corpus.jsonl --out bank-index',
    );
    expect(run.stdout).toContain('--chunk-unit <unit>');
  });
});
