import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBm25Retriever, createVectorRetriever } from '../src/embedded/index.js';
import { resolveRetriever } from '../src/index.js';
import { MockEmbeddingModel } from '../src/testing/index.js';

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
