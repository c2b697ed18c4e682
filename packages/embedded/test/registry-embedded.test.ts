import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, resolveRetriever } from '@twostage/core';
import { MockEmbeddingModel } from '@twostage/core/mock';
import { runInTemporaryApp } from '@twostage/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBm25Retriever, createVectorRetriever } from '../src/index.js';

// The built-in `bm25` and `vector` providers load indexes saved by the embedded retrievers.

const documents = [
  {
    id: 'fee',
    text: 'Repaying a home loan early costs an early repayment fee.',
    metadata: { category: 'loan' },
  },
  {
    id: 'hours',
    text: 'Branches are open from 8 am to 5 pm on weekdays.',
    metadata: { category: 'service' },
  },
  {
    id: 'card',
    text: 'The credit card annual fee is waived in the first year.',
    metadata: { category: 'card' },
  },
];
let directory = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'twostage-registry-embedded-'));
  const bm25 = createBm25Retriever();
  await bm25.add(documents);
  await bm25.save(join(directory, 'bm25'));
  const vector = createVectorRetriever({ embeddingModel: new MockEmbeddingModel() });
  await vector.add(documents);
  await vector.save(join(directory, 'vector'));
});

afterAll(async () => {
  if (directory !== '') await rm(directory, { recursive: true, force: true });
});

describe('built-in embedded providers', () => {
  test('a bare bm25 reference asks for the index directory', async () => {
    const error = await resolveRetriever('bm25').catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/'bm25:\.\/path\/to\/index'/);
  });

  test('bm25:<directory> loads the saved BM25 index', async () => {
    const retriever = await resolveRetriever(`bm25:${join(directory, 'bm25')}`);
    const result = await retriever.doRetrieve({ query: 'early repayment fee', topK: 2 });
    expect(result.candidates[0]?.id).toBe('fee');
  });

  test('vector:<directory> loads the saved vector index with the given embedding model', async () => {
    const retriever = await resolveRetriever(`vector:${join(directory, 'vector')}`, {
      embeddingModel: new MockEmbeddingModel(),
    });
    const result = await retriever.doRetrieve({ query: 'credit card annual fee', topK: 1 });
    expect(result.candidates.map((candidate) => candidate.id)).toEqual(['card']);
  });
});

describe('built-in memory provider', () => {
  test('memory alone is an empty in-process BM25 index to fill', async () => {
    const retriever = await resolveRetriever('memory');
    expect((await retriever.doRetrieve({ query: 'fee', topK: 3 })).candidates).toEqual([]);
    await (retriever as ReturnType<typeof createBm25Retriever>).add(documents);
    const result = await retriever.doRetrieve({ query: 'early repayment fee', topK: 2 });
    expect(result.candidates[0]?.id).toBe('fee');
  });

  test('memory:<corpus.jsonl> loads the corpus relative to cwd, metadata and filters included', async () => {
    const file = join(directory, 'corpus.jsonl');
    await writeFile(
      file,
      `${documents.map((document) => JSON.stringify(document)).join('\n')}\n\n`,
    );
    const retriever = await resolveRetriever('memory:corpus.jsonl', { cwd: directory });
    const result = await retriever.doRetrieve({
      query: 'fee',
      topK: 3,
      filter: { category: 'card' },
    });
    expect(result.candidates.map((candidate) => [candidate.id, candidate.metadata])).toEqual([
      ['card', { category: 'card' }],
    ]);
  });

  test('with an embedding model it is a hybrid index', async () => {
    const file = join(directory, 'corpus-hybrid.jsonl');
    await writeFile(file, documents.map((document) => JSON.stringify(document)).join('\n'));
    const retriever = await resolveRetriever(`memory:${file}`, {
      embeddingModel: new MockEmbeddingModel(),
    });
    expect(retriever.constructor.name).toBe('HybridRetriever');
    const result = await retriever.doRetrieve({ query: 'credit card annual fee', topK: 1 });
    expect(result.candidates.map((candidate) => candidate.id)).toEqual(['card']);
  });

  test('a bad corpus line or a missing file is an InvalidArgumentError naming it', async () => {
    const file = join(directory, 'bad.jsonl');
    await writeFile(file, `${JSON.stringify(documents[0])}\n{"id": 7, "text": "x"}\n`);
    await expect(resolveRetriever(`memory:${file}`)).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      message: expect.stringContaining(`line 2 of '${file}' needs a string "id"`),
    });
    await writeFile(file, '{"id": "a", "text": "x"}\n{not json\n');
    await expect(resolveRetriever(`memory:${file}`)).rejects.toThrow(/line 2 .* is not JSON/);
    await expect(resolveRetriever(`memory:${join(directory, 'absent.jsonl')}`)).rejects.toThrow(
      /cannot read the corpus file/,
    );
  });

  test('a bare bm25 reference points at memory', async () => {
    await expect(resolveRetriever('bm25')).rejects.toThrow(/memory:\.\/corpus\.jsonl/);
  });
});

// Core finds the engine by package name (an alias table, not an import): proven from applications
// whose node_modules hold exactly what they installed.
describe('configuration alone finds @twostage/embedded', () => {
  const corePackage = fileURLToPath(new URL('../../core', import.meta.url));
  const embeddedPackage = fileURLToPath(new URL('..', import.meta.url));
  const main = [
    "import { retrieve, resolveRetriever } from '@twostage/core';",
    'try {',
    '  const retriever = await resolveRetriever();',
    "  const { candidates } = await retrieve({ retriever, query: 'early repayment fee', topK: 1 });",
    '  console.log(JSON.stringify({ ids: candidates.map((candidate) => candidate.id) }));',
    '} catch (error) {',
    '  console.log(JSON.stringify({ name: error.name, packageName: error.packageName, message: error.message }));',
    '}',
  ].join('\n');

  test('TWOSTAGE_RETRIEVER=bm25:<dir> in an app that installed core and the engine', async () => {
    const stdout = await runInTemporaryApp({
      packages: { '@twostage/core': corePackage, '@twostage/embedded': embeddedPackage },
      files: { 'main.ts': main },
      entry: 'main.ts',
      env: { TWOSTAGE_RETRIEVER: `bm25:${join(directory, 'bm25')}` },
    });
    expect(JSON.parse(stdout)).toEqual({ ids: ['fee'] });
  }, 60_000);

  test('without the engine installed, memory gets the install error naming @twostage/embedded', async () => {
    // The workspace root declares the engine (it is the demo's application), and a plain import()
    // from core's real path would walk up to it. A copy of core outside the workspace, beside its
    // own dependencies, is what an application with only core installed has.
    const isolatedCore = join(directory, 'isolated-core');
    await cp(join(corePackage, 'src'), join(isolatedCore, 'src'), { recursive: true });
    await cp(join(corePackage, 'package.json'), join(isolatedCore, 'package.json'));
    await mkdir(join(isolatedCore, 'node_modules'));
    const { dependencies = {} } = JSON.parse(
      await readFile(join(corePackage, 'package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(dependencies)) {
      await symlink(
        await realpath(join(corePackage, 'node_modules', name)),
        join(isolatedCore, 'node_modules', name),
        'dir',
      );
    }
    const stdout = await runInTemporaryApp({
      packages: { '@twostage/core': isolatedCore },
      files: { 'main.ts': main },
      entry: 'main.ts',
      env: { TWOSTAGE_RETRIEVER: 'memory' },
    });
    const error = JSON.parse(stdout) as { name: string; packageName: string; message: string };
    expect(error.name).toBe('ProviderNotFoundError');
    expect(error.packageName).toBe('@twostage/embedded');
    expect(error.message).toContain("package '@twostage/embedded' is not installed");
  }, 60_000);
});
