import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingModelV1 } from '@twostage/core';
import { InvalidArgumentError, InvalidResponseError } from '@twostage/core';
import { MockEmbeddingModel } from '@twostage/core/mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createBm25Retriever,
  createHybridRetriever,
  createVectorRetriever,
  loadVectorRetriever,
} from '../src/index.js';
import { twoPassExactFrom } from '../src/vector-segment.js';
import { clusteredVectors } from './clustered-vectors.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'twostage-edge-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A model that answers every text with the same fixed vector. */
function constantModel(vector: readonly number[]): EmbeddingModelV1 {
  return {
    specificationVersion: 'v1',
    provider: 'test',
    modelId: 'constant',
    dimensions: vector.length,
    maxEmbeddingsPerCall: undefined,
    supportsParallelCalls: true,
    doEmbed: async ({ values }) => ({ embeddings: values.map(() => Float32Array.from(vector)) }),
  };
}

describe('non-finite vectors', () => {
  test('a precomputed embedding holding NaN or Infinity is rejected and nothing is written', async () => {
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 3 }),
      metric: 'dot',
    });
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      await expect(
        retriever.add([
          { id: 'ok', text: 'ok', embedding: [1, 0, 0] },
          { id: 'bad', text: 'bad', embedding: [0, bad, 0] },
        ]),
      ).rejects.toMatchObject({ argument: 'documents[1].embedding[1]' });
    }
    expect(retriever.size()).toBe(0);
  });

  test('a model that returns NaN fails with InvalidResponseError, for documents and queries', async () => {
    const retriever = createVectorRetriever({ embeddingModel: constantModel([1, Number.NaN]) });
    await expect(retriever.add([{ id: 'a', text: 'a' }])).rejects.toSatisfy((error) =>
      InvalidResponseError.isInstance(error),
    );
    expect(retriever.size()).toBe(0);
    const healthy = createVectorRetriever({ embeddingModel: constantModel([1, 0]) });
    await healthy.add([{ id: 'a', text: 'a' }]);
    const poisoned = createVectorRetriever({ embeddingModel: constantModel([0, Number.NaN]) });
    await poisoned.add([{ id: 'a', text: 'a', embedding: [1, 0] }]);
    await expect(poisoned.doRetrieve({ query: 'q', topK: 1 })).rejects.toSatisfy((error) =>
      InvalidResponseError.isInstance(error),
    );
  });

  test('a model returning vectors of other dimensions than it declares writes nothing', async () => {
    const liar = { ...constantModel([1, 0, 0]), dimensions: 4 };
    const retriever = createVectorRetriever({ embeddingModel: liar });
    await expect(retriever.add([{ id: 'a', text: 'a' }])).rejects.toSatisfy((error) =>
      InvalidResponseError.isInstance(error),
    );
    expect(retriever.size()).toBe(0);
    await retriever.add([{ id: 'b', text: 'b', embedding: [1, 0, 0, 0] }]);
    await expect(retriever.doRetrieve({ query: 'q', topK: 1 })).rejects.toSatisfy((error) =>
      InvalidResponseError.isInstance(error),
    );
  });

  test('a query vector holding NaN is rejected instead of returning NaN scores', async () => {
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 2 }),
    });
    await retriever.add([{ id: 'a', text: 'a', embedding: [1, 0] }]);
    expect(() => retriever.searchByVector([Number.NaN, 1], { topK: 1 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('topK far beyond the corpus', () => {
  test('returns the whole corpus without sizing anything by topK', async () => {
    const huge = Number.MAX_SAFE_INTEGER;
    const bm25 = createBm25Retriever();
    await bm25.add([
      { id: 'a', text: 'fee' },
      { id: 'b', text: 'fee fee' },
    ]);
    const lexical = await bm25.doRetrieve({ query: 'fee', topK: huge });
    expect(lexical.candidates.map(({ id }) => id)).toEqual(['b', 'a']);
    const vector = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 2 }),
    });
    await vector.add([
      { id: 'a', text: 'a', embedding: [1, 0] },
      { id: 'b', text: 'b', embedding: [0, 1] },
    ]);
    expect(vector.searchByVector([1, 0.5], { topK: huge }).map(({ id }) => id)).toEqual(['a', 'b']);
  });
});

describe('two-pass exact search', () => {
  test('rows too small for a float32 int8 scale are still ranked exactly (dot metric)', async () => {
    // Subnormal rows: their int8 scale (max / 127) rounds coarsely in float32, so the int8
    // error bound does not hold. `c` scores 443 units, `d` 411 units (1 unit = 2⁻¹⁴⁹); the int8
    // pass alone would bound `c` below `d` and drop it.
    const unit = 2 ** -149;
    const dimensions = 16;
    const row = (values: number[]) =>
      Float32Array.from({ length: dimensions }, (_, index) => values[index] ?? 0);
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions }),
      metric: 'dot',
      index: 'exact',
    });
    const documents = [
      { id: 'd', text: 'd', embedding: row([381 * unit, 30 * unit]) },
      { id: 'c', text: 'c', embedding: row([443 * unit]) },
    ];
    for (let index = 0; documents.length < twoPassExactFrom + 8; index++) {
      documents.push({ id: `filler${index}`, text: 'filler', embedding: row([-1, -1]) });
    }
    await retriever.add(documents);
    const best = retriever.searchByVector(row([1, 1]), { topK: 1 });
    expect(best.map(({ id, score }) => [id, score])).toEqual([['c', 443 * unit]]);
    const found = retriever.searchByVector(row([1, 1]), { topK: 2 });
    expect(found.map(({ id, score }) => [id, score])).toEqual([
      ['c', 443 * unit],
      ['d', 411 * unit],
    ]);
  });
});

describe('concurrent writes', () => {
  test('two adds of one id racing through a slow model: the second is refused', async () => {
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 8, latencyMs: 30 }),
    });
    const results = await Promise.allSettled([
      retriever.add([{ id: 'a', text: 'first' }]),
      retriever.add([{ id: 'a', text: 'second' }]),
    ]);
    expect(results.map(({ status }) => status)).toEqual(['fulfilled', 'rejected']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/upsert/);
    expect(retriever.get('a')?.text).toBe('first');
  });

  test('the hybrid retriever refuses the racing add too, on both sides', async () => {
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({
        embeddingModel: new MockEmbeddingModel({ dimensions: 8, latencyMs: 30 }),
      }),
    });
    const results = await Promise.allSettled([
      retriever.add([{ id: 'a', text: 'first' }]),
      retriever.add([{ id: 'a', text: 'second' }]),
    ]);
    expect(results.map(({ status }) => status)).toEqual(['fulfilled', 'rejected']);
    expect(retriever.lexical.get('a')?.text).toBe('first');
    expect(retriever.vector.get('a')?.text).toBe('first');
  });

  test('a save snapshots the index even while an add grows the vector memory', async () => {
    const dimensions = 64;
    const { vectors } = clusteredVectors({ count: 3000, dimensions, clusters: 8, seed: 11 });
    const documents = vectors.map((embedding, index) => ({
      id: `v${index}`,
      text: `${index}`,
      embedding,
    }));
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions }),
      index: 'exact',
    });
    await retriever.add(documents.slice(0, 1000));
    const expected = retriever.searchByVector(vectors[5] as Float32Array, { topK: 10 });
    const directory = join(root, 'save-during-add');
    // The add's write runs while the save awaits the file system, and grows memory past the
    // 1,024 rows reserved so far.
    await Promise.all([retriever.save(directory), retriever.add(documents.slice(1000))]);
    expect(retriever.size()).toBe(3000);
    const loaded = await loadVectorRetriever(directory, {
      embeddingModel: new MockEmbeddingModel({ dimensions }),
    });
    expect(loaded.size()).toBe(1000);
    expect(loaded.searchByVector(vectors[5] as Float32Array, { topK: 10 })).toEqual(expected);
  });
});

describe('metadata keys that name Object.prototype members', () => {
  test('a `__proto__` metadata field is stored and filterable like any other', async () => {
    const retriever = createBm25Retriever();
    const metadata = JSON.parse('{"__proto__": "x", "lang": "en"}');
    await retriever.add([
      { id: 'a', text: 'fee', metadata },
      { id: 'b', text: 'fee', metadata: { lang: 'en' } },
    ]);
    expect(Object.keys(retriever.get('a')?.metadata ?? {})).toEqual(['__proto__', 'lang']);
    const { candidates } = await retriever.doRetrieve({
      query: 'fee',
      topK: 5,
      filter: JSON.parse('{"__proto__": "x"}'),
    });
    expect(candidates.map(({ id }) => id)).toEqual(['a']);
  });

  test('`constructor` or `toString` is a missing field unless the metadata has it', async () => {
    const retriever = createBm25Retriever();
    await retriever.add([
      { id: 'a', text: 'fee', metadata: { lang: 'en' } },
      { id: 'b', text: 'fee', metadata: { constructor: 'yes' } },
      { id: 'c', text: 'fee' },
    ]);
    const ids = async (filter: Record<string, unknown>) =>
      (await retriever.doRetrieve({ query: 'fee', topK: 5, filter })).candidates
        .map(({ id }) => id)
        .sort();
    expect(await ids({ constructor: { $exists: true } })).toEqual(['b']);
    expect(await ids({ toString: { $exists: false } })).toEqual(['a', 'b', 'c']);
  });
});

describe('hybrid settings', () => {
  test('both weights at 0 are refused (every query would find nothing)', () => {
    expect(() =>
      createHybridRetriever({
        lexical: createBm25Retriever(),
        vector: createVectorRetriever({ embeddingModel: new MockEmbeddingModel() }),
        weights: { lexical: 0, vector: 0 },
      }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('BM25 after many writes', () => {
  test('random upserts and deletes leave scores exactly equal to a fresh index', async () => {
    let state = 7;
    const random = () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state / 4_294_967_296;
    };
    const words = ['fee', 'loan', 'card', 'rate', 'early', 'annual', 'branch', 'hours', 'lãi'];
    const text = () =>
      Array.from(
        { length: 1 + Math.floor(random() * 8) },
        () => words[Math.floor(random() * words.length)],
      ).join(' ');
    const live = new Map<string, string>();
    const retriever = createBm25Retriever();
    for (let round = 0; round < 300; round++) {
      const id = `d${Math.floor(random() * 60)}`;
      if (random() < 0.3) {
        await retriever.delete([id]);
        live.delete(id);
      } else {
        const value = text();
        await retriever.upsert([{ id, text: value, metadata: { round } }]);
        live.set(id, value);
      }
    }
    const fresh = createBm25Retriever();
    await fresh.add([...live].map(([id, value]) => ({ id, text: value })));
    expect(retriever.size()).toBe(live.size);
    for (const query of ['fee', 'early loan', 'card card rate', 'lãi hours']) {
      const scoresOf = async (target: typeof retriever) =>
        Object.fromEntries(
          (await target.doRetrieve({ query, topK: 100 })).candidates.map(({ id, score }) => [
            id,
            score,
          ]),
        );
      expect(await scoresOf(retriever), query).toEqual(await scoresOf(fresh));
    }
  });
});

describe('writes seen by filters and namespaces', () => {
  test('an upsert that changes metadata is what the next filtered query sees, exact and IVF', async () => {
    const { vectors } = clusteredVectors({ count: 1500, dimensions: 16, clusters: 6, seed: 4 });
    for (const index of ['exact', 'approximate'] as const) {
      const retriever = createVectorRetriever({
        embeddingModel: new MockEmbeddingModel({ dimensions: 16 }),
        index,
      });
      await retriever.add(
        vectors.map((embedding, position) => ({
          id: `v${position}`,
          text: 'x',
          embedding,
          metadata: { status: 'draft' },
        })),
      );
      expect(retriever.usesApproximateIndex()).toBe(index === 'approximate');
      await retriever.upsert([
        {
          id: 'v7',
          text: 'x',
          embedding: vectors[7] as Float32Array,
          metadata: { status: 'live' },
        },
      ]);
      const live = retriever.searchByVector(vectors[100] as Float32Array, {
        topK: 10,
        filter: { status: 'live' },
      });
      expect(
        live.map(({ id, metadata }) => [id, metadata]),
        index,
      ).toEqual([['v7', { status: 'live' }]]);
      const drafts = retriever.searchByVector(vectors[7] as Float32Array, {
        topK: 1500,
        filter: { status: 'draft' },
      });
      expect(drafts.map(({ id }) => id)).not.toContain('v7');
      expect(drafts).toHaveLength(1499);
    }
  });

  test('an id repeated in one upsert batch: the last copy wins and is stored once', async () => {
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: new MockEmbeddingModel({ dimensions: 8 }) }),
    });
    await retriever.upsert([
      { id: 'a', text: 'old fee', metadata: { version: 1 } },
      { id: 'a', text: 'new fee', metadata: { version: 2 } },
    ]);
    expect(retriever.size()).toBe(1);
    const { candidates } = await retriever.doRetrieve({ query: 'fee', topK: 5 });
    expect(candidates.map(({ id, text, metadata }) => [id, text, metadata])).toEqual([
      ['a', 'new fee', { version: 2 }],
    ]);
    await expect(
      retriever.add([
        { id: 'b', text: 'one' },
        { id: 'b', text: 'two' },
      ]),
    ).rejects.toThrow(/twice/);
  });

  test('vector namespaces are isolated: same ids, separate documents and results', async () => {
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 2 }),
    });
    await retriever.add([{ id: 'a', text: 'left', embedding: [1, 0] }], { namespace: 'one' });
    await retriever.add([{ id: 'a', text: 'right', embedding: [0, 1] }], { namespace: 'two' });
    expect(retriever.searchByVector([1, 0], { topK: 5, namespace: 'two' })).toEqual([
      { id: 'a', text: 'right', score: 0 },
    ]);
    expect(retriever.searchByVector([1, 0], { topK: 5 })).toEqual([]);
    expect(await retriever.delete(['a'], { namespace: 'one' })).toBe(1);
    expect(retriever.get('a', { namespace: 'two' })?.text).toBe('right');
    expect(retriever.namespaces()).toEqual(['two']);
  });
});

describe('delete arguments', () => {
  test('a bare string id is refused rather than deleting one document per character', async () => {
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: new MockEmbeddingModel({ dimensions: 8 }) }),
    });
    await retriever.add(['a', 'b', 'c', 'abc'].map((id) => ({ id, text: `text ${id}` })));
    await expect(retriever.delete('abc' as unknown as string[])).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(retriever.size()).toBe(4);
    expect(retriever.lexical.size()).toBe(4);
    expect(await retriever.delete(['abc'])).toBe(1);
  });
});

describe('metadata checks on writes', () => {
  test('the embedded index refuses what Pinecone would, and adds nothing', async () => {
    const retriever = createBm25Retriever();
    await expect(
      retriever.add([
        { id: 'a', text: 'fine' },
        { id: 'b', text: 'bad', metadata: { $or: 'x' } },
      ]),
    ).rejects.toThrow(/documents\[1\]\.metadata\.\$or/);
    expect(retriever.size()).toBe(0);
  });
});
