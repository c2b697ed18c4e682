import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MockEmbeddingModel } from '@twostage/core/mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  bm25Provider,
  createBm25Retriever,
  createHybridRetriever,
  createVectorRetriever,
  embeddedProvider,
  hybridProvider,
  IndexFormatError,
  loadBm25Retriever,
  loadEmbeddedRetriever,
  loadHybridRetriever,
  loadVectorRetriever,
  vectorProvider,
} from '../src/index.js';
import { clusteredVectors } from './clustered-vectors.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'twostage-embedded-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const corpus = [
  {
    id: 'fee',
    text: 'Repaying a home loan early costs a fee of 2%.',
    metadata: { category: 'loan', year: 2021 },
  },
  {
    id: 'card',
    text: 'The credit card annual fee is waived in the first year.',
    metadata: { category: 'card', tags: ['fees'] },
  },
  {
    id: 'vi',
    text: 'Lãi suất tiết kiệm kỳ hạn 12 tháng là 5,2% một năm.',
    metadata: { category: 'savings' },
  },
  { id: 'hours', text: 'Branches open from 8 am to 5 pm on weekdays.' },
];
const queries = [
  { query: 'annual fee', topK: 3 },
  { query: 'early loan fee', topK: 2, filter: { category: { $in: ['loan', 'card'] } } },
  { query: 'lãi suất tiết kiệm', topK: 4 },
  { query: 'fee', topK: 4, namespace: 'other' },
];

type Retriever = { doRetrieve(options: (typeof queries)[number]): PromiseLike<unknown> };

async function expectSameResults(left: Retriever, right: Retriever) {
  for (const options of queries) {
    const expected = await left.doRetrieve(options);
    expect(await right.doRetrieve(options), JSON.stringify(options)).toEqual(expected);
  }
}

async function savedBm25(name: string) {
  const retriever = createBm25Retriever({ k1: 1.5, b: 0.6, analyzer: { foldDiacritics: true } });
  await retriever.add(corpus);
  await retriever.add(corpus.slice(0, 2), { namespace: 'other' });
  const directory = join(root, name);
  await retriever.save(directory);
  return { retriever, directory };
}

function expectFormatError(reason: IndexFormatError['reason']) {
  return (error: unknown) => {
    expect(IndexFormatError.isInstance(error), String(error)).toBe(true);
    expect((error as IndexFormatError).reason).toBe(reason);
    return true;
  };
}

async function dataFile(directory: string): Promise<string> {
  const files = (await readdir(directory)).filter(
    (file) => file.startsWith('data-') && file.endsWith('.bin'),
  );
  expect(files).toHaveLength(1);
  return join(directory, files[0] as string);
}

describe('save → load round trips', () => {
  test('BM25: settings, documents, namespaces and results come back identical', async () => {
    const { retriever, directory } = await savedBm25('bm25');
    const loaded = await loadBm25Retriever(directory);
    expect(loaded.settings).toEqual(retriever.settings);
    expect(loaded.size()).toBe(6);
    expect(loaded.get('card', { namespace: 'other' })).toEqual(corpus[1]);
    await expectSameResults(retriever, loaded);
    // Folding was saved with the index: an unaccented query still matches.
    expect((await loaded.doRetrieve({ query: 'lai suat', topK: 1 })).candidates[0]?.id).toBe('vi');
    // The loaded index stays writable, and matches a fresh index after the write.
    await loaded.upsert([{ id: 'fee', text: 'No fee for early repayment any more.' }]);
    await loaded.add([{ id: 'new', text: 'A new annual fee table.' }]);
    await retriever.upsert([{ id: 'fee', text: 'No fee for early repayment any more.' }]);
    await retriever.add([{ id: 'new', text: 'A new annual fee table.' }]);
    await expectSameResults(retriever, loaded);
  });

  test('BM25 with deletions: a saved index holds only the live documents', async () => {
    const { retriever, directory } = await savedBm25('bm25-deleted');
    await retriever.delete(['card']);
    await retriever.save(directory);
    const loaded = await loadBm25Retriever(directory);
    expect(loaded.get('card')).toBeUndefined();
    expect(loaded.size()).toBe(5);
    await expectSameResults(retriever, loaded);
  });

  test('vector with an IVF index: vectors, lists and results come back identical', async () => {
    const model = new MockEmbeddingModel({ dimensions: 24 });
    const retriever = createVectorRetriever({ embeddingModel: model, index: 'approximate' });
    const { vectors } = clusteredVectors({ count: 1500, dimensions: 24, clusters: 12, seed: 9 });
    await retriever.add(
      vectors.map((embedding, index) => ({
        id: `v${index}`,
        text: `vector ${index}`,
        embedding,
        metadata: { odd: index % 2 === 1 },
      })),
    );
    await retriever.add(corpus);
    await retriever.add(corpus.slice(0, 2), { namespace: 'other' });
    await retriever.delete(['v3', 'v4']);
    expect(retriever.usesApproximateIndex()).toBe(true);
    const directory = join(root, 'vector');
    await retriever.save(directory);
    const loaded = await loadVectorRetriever(directory, { embeddingModel: model });
    expect(loaded.usesApproximateIndex()).toBe(true);
    expect(loaded.size()).toBe(retriever.size());
    await expectSameResults(retriever, loaded);
    for (const vector of vectors.slice(0, 20)) {
      expect(loaded.searchByVector(vector, { topK: 10, filter: { odd: true } })).toEqual(
        retriever.searchByVector(vector, { topK: 10, filter: { odd: true } }),
      );
    }
  });

  test('hybrid: both sides and the fusion settings come back identical', async () => {
    const model = new MockEmbeddingModel({ dimensions: 32 });
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: model }),
      k: 30,
      weights: { lexical: 2, vector: 1 },
    });
    await retriever.add(corpus);
    await retriever.add(corpus.slice(0, 2), { namespace: 'other' });
    const directory = join(root, 'hybrid');
    await retriever.save(directory);
    const loaded = await loadHybridRetriever(directory, { embeddingModel: model });
    expect(loaded.settings).toEqual(retriever.settings);
    await expectSameResults(retriever, loaded);
  });

  test('hybrid: documents held by both sides are saved once; differing sides keep their own', async () => {
    const model = new MockEmbeddingModel({ dimensions: 16 });
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: model }),
    });
    await retriever.add(corpus);
    await retriever.vector.add([{ id: 'vector-only', text: 'only on the vector side' }], {
      namespace: 'other',
    });
    await retriever.lexical.add([{ id: 'lexical-only', text: 'only on the lexical side' }], {
      namespace: 'other',
    });
    const directory = join(root, 'hybrid-shared');
    await retriever.save(directory);
    const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8'));
    const sections = Object.keys(manifest.sections);
    expect(sections).toContain('lexical.ns0.texts');
    expect(sections).not.toContain('vector.ns0.texts');
    expect(sections).toContain('vector.ns1.texts');
    const loaded = await loadHybridRetriever(directory, { embeddingModel: model });
    await expectSameResults(retriever, loaded);
    expect(loaded.vector.get('vector-only', { namespace: 'other' })?.text).toBe(
      'only on the vector side',
    );
    expect(loaded.lexical.get('vector-only', { namespace: 'other' })).toBeUndefined();
    expect(loaded.vector.get('fee')).toEqual(retriever.vector.get('fee'));
  });

  test('the saved embedding model reference is handed to resolveEmbeddingModel when no model is given', async () => {
    const model = new MockEmbeddingModel({ dimensions: 8, modelId: 'tiny' });
    const retriever = createVectorRetriever({ embeddingModel: model });
    await retriever.add(corpus);
    const directory = join(root, 'vector-ref');
    await retriever.save(directory);
    const refs: string[] = [];
    const loaded = await loadVectorRetriever(directory, {
      resolveEmbeddingModel: (ref) => {
        refs.push(ref);
        return model;
      },
    });
    expect(refs).toEqual(['mock:tiny']);
    await expectSameResults(retriever, loaded);
    await expect(loadVectorRetriever(directory)).rejects.toThrow(/mock:tiny/);
    await expect(
      loadVectorRetriever(directory, { embeddingModel: new MockEmbeddingModel({ dimensions: 9 }) }),
    ).rejects.toThrow(/has 9 dimensions, but the index was built with 8/);
  });

  test('the registry resolves bm25:, vector: and hybrid: refs to saved indexes, models included', async () => {
    const { resolveRetriever } = await import('@twostage/core');
    const { directory: bm25Directory, retriever: bm25 } = await savedBm25('registry-bm25');
    await expectSameResults(bm25, await resolveRetriever(`bm25:${bm25Directory}`));
    // 'mock:registry-model' is recorded in the index and resolved by the registry's mock provider.
    const model = new MockEmbeddingModel({ dimensions: 64, modelId: 'registry-model' });
    const hybrid = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: model }),
    });
    await hybrid.add(corpus);
    const hybridDirectory = join(root, 'registry-hybrid');
    await hybrid.save(hybridDirectory);
    const resolved = await resolveRetriever(`hybrid:${hybridDirectory}`);
    expect(resolved.provider).toBe('hybrid');
    await expectSameResults(hybrid, resolved);
    await hybrid.vector.save(join(root, 'registry-vector'));
    await expectSameResults(
      hybrid.vector,
      await resolveRetriever(`vector:${join(root, 'registry-vector')}`),
    );
    await expect(resolveRetriever(`vector:${bm25Directory}`)).rejects.toSatisfy(
      expectFormatError('wrong-kind'),
    );
  });

  test('provider modules load by kind; the generic one detects the kind', async () => {
    const { directory } = await savedBm25('bm25-provider');
    expect((await bm25Provider.retriever(directory)).provider).toBe('bm25');
    expect((await embeddedProvider.retriever(directory)).provider).toBe('bm25');
    expect((await loadEmbeddedRetriever(directory)).provider).toBe('bm25');
    await expect(vectorProvider.retriever(directory)).rejects.toSatisfy(
      expectFormatError('wrong-kind'),
    );
    await expect(hybridProvider.retriever(directory)).rejects.toSatisfy(
      expectFormatError('wrong-kind'),
    );
  });
});

describe('loading a damaged or foreign directory gives an IndexFormatError', () => {
  test('a truncated data file', async () => {
    const { directory } = await savedBm25('truncated');
    const file = await dataFile(directory);
    const { length } = await readFile(file);
    await truncate(file, length - 7);
    await expect(loadBm25Retriever(directory)).rejects.toSatisfy(expectFormatError('corrupt'));
  });

  test('a damaged byte in the data file', async () => {
    const { directory } = await savedBm25('flipped');
    const file = await dataFile(directory);
    const bytes = await readFile(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0xff;
    await writeFile(file, bytes);
    await expect(loadBm25Retriever(directory)).rejects.toSatisfy(expectFormatError('corrupt'));
  });

  test('a manifest pointing at a missing data file', async () => {
    const { directory } = await savedBm25('missing-data');
    await rm(await dataFile(directory));
    await expect(loadBm25Retriever(directory)).rejects.toSatisfy(expectFormatError('corrupt'));
    await expect(loadEmbeddedRetriever(directory)).rejects.toThrow(/missing or unreadable/);
  });

  test('a truncated manifest', async () => {
    const { directory } = await savedBm25('truncated-manifest');
    await truncate(join(directory, 'manifest.json'), 40);
    await expect(loadBm25Retriever(directory)).rejects.toSatisfy(expectFormatError('corrupt'));
  });

  test('a format version this code does not read', async () => {
    const { directory } = await savedBm25('future');
    const manifestPath = join(directory, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    await writeFile(manifestPath, JSON.stringify({ ...manifest, version: 99 }));
    await expect(loadBm25Retriever(directory)).rejects.toSatisfy(
      expectFormatError('unsupported-version'),
    );
    await expect(loadBm25Retriever(directory)).rejects.toThrow(/version 99/);
  });

  test('an index of the wrong kind', async () => {
    const { directory } = await savedBm25('wrong-kind');
    await expect(loadVectorRetriever(directory)).rejects.toSatisfy(expectFormatError('wrong-kind'));
    await expect(loadHybridRetriever(directory)).rejects.toThrow(
      /holds a 'bm25' index, not 'hybrid'/,
    );
    await expect(loadEmbeddedRetriever(directory, { kind: 'vector' })).rejects.toSatisfy(
      expectFormatError('wrong-kind'),
    );
  });

  test('a foreign directory, a foreign manifest and a missing directory', async () => {
    const foreign = await mkdtemp(join(root, 'foreign-'));
    await writeFile(join(foreign, 'package.json'), '{}');
    await expect(loadBm25Retriever(foreign)).rejects.toSatisfy(expectFormatError('not-an-index'));
    const other = await mkdtemp(join(root, 'other-'));
    await writeFile(join(other, 'manifest.json'), JSON.stringify({ name: 'some other tool' }));
    await expect(loadEmbeddedRetriever(other)).rejects.toSatisfy(expectFormatError('not-an-index'));
    await expect(loadBm25Retriever(join(root, 'does-not-exist'))).rejects.toSatisfy(
      expectFormatError('not-an-index'),
    );
  });
});

describe('atomic saves', () => {
  test('leftovers of a save that crashed never hide the previous index, and the next save removes them', async () => {
    const { retriever, directory } = await savedBm25('crashed');
    const before = await readdir(directory);
    // What a crash part-way through a save leaves: a partial data file and an unpublished manifest.
    await writeFile(join(directory, 'data-zzzz-crashed.bin.tmp'), 'partial');
    await writeFile(join(directory, 'data-zzzz-crashed.bin'), 'partial but renamed');
    await writeFile(join(directory, 'manifest.json.zzzz-crashed.tmp'), '{"format":');
    const loaded = await loadBm25Retriever(directory);
    await expectSameResults(retriever, loaded);
    await retriever.upsert([{ id: 'extra', text: 'extra annual fee' }]);
    await retriever.save(directory);
    const after = await readdir(directory);
    expect(after.filter((file) => file.includes('crashed'))).toEqual([]);
    expect(after).toHaveLength(before.length);
    expect(after.find((file) => file.startsWith('data-'))).not.toBe(
      before.find((file) => file.startsWith('data-')),
    );
    await expectSameResults(retriever, await loadBm25Retriever(directory));
  });

  test('concurrent saves to one directory leave one complete, loadable index', async () => {
    const retriever = createBm25Retriever();
    await retriever.add(
      Array.from({ length: 500 }, (_, index) => ({ id: `d${index}`, text: `fee loan ${index}` })),
    );
    for (let round = 0; round < 5; round++) {
      const directory = join(root, `concurrent-${round}`);
      await Promise.all([
        retriever.save(directory),
        retriever.save(directory),
        retriever.save(directory),
      ]);
      const loaded = await loadBm25Retriever(directory);
      expect(loaded.size()).toBe(500);
      await dataFile(directory); // exactly one data file remains
      await expectSameResults(retriever, loaded);
    }
  });

  test('a save writes a new data file and only then replaces the manifest', async () => {
    const { retriever, directory } = await savedBm25('generations');
    const firstManifest = await readFile(join(directory, 'manifest.json'), 'utf8');
    const firstData = JSON.parse(firstManifest).dataFile as string;
    await retriever.save(directory);
    const secondData = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8'))
      .dataFile as string;
    expect(secondData).not.toBe(firstData);
    expect(await readdir(directory)).toEqual(expect.arrayContaining(['manifest.json', secondData]));
    expect(await readdir(directory)).not.toContain(firstData);
  });
});
