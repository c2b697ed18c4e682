import { InvalidArgumentError } from '@twostage/core';
import { MockEmbeddingModel } from '@twostage/core/mock';
import { filterCases, filterFixtureRecords } from '@twostage/core/testing';
import { describe, expect, test } from 'vitest';
import { createVectorRetriever } from '../src/index.js';
import { QuantizedRows } from '../src/quantized-rows.js';
import { isSimdKernelAvailable, simdModuleBytes, VectorKernel } from '../src/vector-kernel.js';
import { twoPassExactFrom } from '../src/vector-segment.js';
import { clusteredVectors, queryNear } from './clustered-vectors.js';

/** Exact nearest neighbours in double precision, independently of the kernel. */
function bruteForce(
  vectors: Float32Array[],
  query: Float32Array,
  topK: number,
  metric: 'cosine' | 'dot',
) {
  const norm = (vector: Float32Array) =>
    Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vectors
    .map((vector, index) => {
      let dot = 0;
      for (let dimension = 0; dimension < vector.length; dimension++)
        dot += (vector[dimension] as number) * (query[dimension] as number);
      return { index, score: metric === 'dot' ? dot : dot / (norm(vector) * norm(query)) };
    })
    .sort((left, right) => right.score - left.score || left.index - right.index)
    .slice(0, topK);
}

describe('vector kernel', () => {
  test('the emitted WebAssembly SIMD module validates and is used on this runtime', () => {
    const wasm = (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } })
      .WebAssembly;
    expect(wasm?.validate(simdModuleBytes())).toBe(true);
    expect(isSimdKernelAvailable()).toBe(true);
    expect(new VectorKernel(8).usesSimd).toBe(true);
  });

  test('SIMD and JavaScript paths compute the same dot products, padding included', () => {
    const { vectors } = clusteredVectors({ count: 300, dimensions: 37, clusters: 5, seed: 1 });
    const simd = new VectorKernel(37);
    const javaScript = new VectorKernel(37, { forceJavaScript: true });
    expect(javaScript.usesSimd).toBe(false);
    vectors.forEach((vector, row) => {
      simd.setRow(row, vector);
      javaScript.setRow(row, vector);
    });
    const query = vectors[7] as Float32Array;
    const fromSimd = Array.from(simd.dots(query, vectors.length));
    const fromJavaScript = Array.from(javaScript.dots(query, vectors.length));
    const reference = vectors.map((vector) =>
      vector.reduce((sum, value, index) => sum + value * (query[index] as number), 0),
    );
    fromSimd.forEach((value, row) => {
      expect(value).toBeCloseTo(reference[row] as number, 3);
      expect(value).toBeCloseTo(fromJavaScript[row] as number, 3);
    });
    const indices = Int32Array.from([299, 0, 150, 150]);
    expect(Array.from(simd.gatherDots(query, indices))).toEqual(
      [299, 0, 150, 150].map((row) => fromSimd[row]),
    );
    expect(Array.from(javaScript.gatherDots(query, indices))).toEqual(
      [299, 0, 150, 150].map((row) => fromJavaScript[row]),
    );
  });

  test('rows survive memory growth', () => {
    const kernel = new VectorKernel(16, { initialCapacity: 1 });
    kernel.setRow(
      0,
      Float32Array.from({ length: 16 }, (_, index) => index),
    );
    for (let row = 1; row < 20_000; row++) kernel.setRow(row, new Float32Array(16).fill(1));
    expect(Array.from(kernel.row(0).subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect(kernel.dots(new Float32Array(16).fill(1), 2)[0]).toBe(120);
  });
});

describe('exact vector search', () => {
  for (const metric of ['cosine', 'dot'] as const) {
    test(`${metric}: the top-K equals a double-precision brute force`, async () => {
      const { vectors, centres, random } = clusteredVectors({
        count: 400,
        dimensions: 37,
        clusters: 8,
        seed: 2,
      });
      const model = new MockEmbeddingModel({ dimensions: 37 });
      const retriever = createVectorRetriever({ embeddingModel: model, metric, index: 'exact' });
      await retriever.add(
        vectors.map((embedding, index) => ({ id: `v${index}`, text: `doc ${index}`, embedding })),
      );
      expect(model.calls).toEqual([]);
      for (let query = 0; query < 5; query++) {
        const vector = queryNear(centres, random);
        const expected = bruteForce(vectors, vector, 20, metric);
        const found = retriever.searchByVector(vector, { topK: 20 });
        expect(found.map((candidate) => candidate.id)).toEqual(
          expected.map(({ index }) => `v${index}`),
        );
        found.forEach((candidate, rank) => {
          expect(candidate.score).toBeCloseTo(expected[rank]?.score as number, 4);
        });
      }
    });
  }

  test('the two-pass scan of large namespaces (int8, then float rescoring) equals brute force', async () => {
    const count = twoPassExactFrom + 800;
    const { vectors, centres, random } = clusteredVectors({
      count,
      dimensions: 40,
      clusters: 30,
      seed: 6,
    });
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 40 }),
      index: 'exact',
    });
    await retriever.add(
      vectors.map((embedding, index) => ({
        id: `v${index}`,
        text: `${index}`,
        embedding,
        metadata: { even: index % 2 === 0 },
      })),
    );
    await retriever.delete(['v1', 'v2', 'v3']);
    const live = vectors
      .map((vector, index) => ({ vector, index }))
      .filter(({ index }) => index < 1 || index > 3);
    for (let query = 0; query < 10; query++) {
      const vector = queryNear(centres, random);
      const expected = bruteForce(
        live.map(({ vector }) => vector),
        vector,
        50,
        'cosine',
      );
      const found = retriever.searchByVector(vector, { topK: 50 });
      expect(found.map(({ id }) => id)).toEqual(
        expected.map(({ index }) => `v${live[index]?.index}`),
      );
      found.forEach((candidate, rank) => {
        expect(candidate.score).toBeCloseTo(expected[rank]?.score as number, 4);
      });
      const evenOnly = live.filter(({ index }) => index % 2 === 0);
      const expectedEven = bruteForce(
        evenOnly.map(({ vector }) => vector),
        vector,
        10,
        'cosine',
      );
      expect(
        retriever.searchByVector(vector, { topK: 10, filter: { even: true } }).map(({ id }) => id),
      ).toEqual(expectedEven.map(({ index }) => `v${evenOnly[index]?.index}`));
    }
  });

  test('the int8 scan matches a JavaScript reference', () => {
    const { vectors } = clusteredVectors({ count: 50, dimensions: 40, clusters: 3, seed: 7 });
    const simd = new QuantizedRows(40, 48);
    const javaScript = new QuantizedRows(40, 48, true);
    expect(simd.usesSimd).toBe(true);
    vectors.forEach((vector, row) => {
      simd.setRow(row, vector);
      javaScript.setRow(row, vector);
    });
    const query = vectors[3] as Float32Array;
    const fromSimd = simd.scan(query, 50);
    const sums = Array.from(fromSimd.sums);
    expect(Array.from(javaScript.scan(query, 50).sums)).toEqual(sums);
    vectors.forEach((vector, row) => {
      const exact = vector.reduce((sum, value, index) => sum + value * (query[index] as number), 0);
      const scale = simd.scales[row] as number;
      const approximate = (sums[row] as number) * scale * fromSimd.queryScale;
      const bound =
        fromSimd.errorPerScale * scale + fromSimd.errorPerNorm * (simd.norms[row] as number);
      expect(Math.abs(exact - approximate)).toBeLessThanOrEqual(bound);
    });
  });

  test('documents and queries go through the embedding model with their input types', async () => {
    const model = new MockEmbeddingModel({ dimensions: 32, maxEmbeddingsPerCall: 2 });
    const retriever = createVectorRetriever({ embeddingModel: model });
    await retriever.add([
      { id: 'a', text: 'early repayment fee' },
      { id: 'b', text: 'annual card fee' },
      { id: 'c', text: 'branch opening hours' },
    ]);
    expect(model.calls.map((call) => [call.inputType, call.values])).toEqual([
      ['document', ['early repayment fee', 'annual card fee']],
      ['document', ['branch opening hours']],
    ]);
    const { candidates } = await retriever.doRetrieve({ query: 'branch hours', topK: 2 });
    expect(model.calls.at(-1)?.inputType).toBe('query');
    expect(candidates[0]?.id).toBe('c');
    expect(candidates[0]?.score).toBeGreaterThan(candidates[1]?.score as number);
  });

  test('a precomputed embedding of the wrong length is rejected', async () => {
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 4 }),
    });
    await expect(
      retriever.add([{ id: 'a', text: 'x', embedding: [1, 2, 3] }]),
    ).rejects.toMatchObject({
      argument: 'documents[0].embedding',
    });
    expect(() => retriever.searchByVector([1, 2], { topK: 1 })).toThrow(InvalidArgumentError);
  });

  test('add, upsert and delete by id', async () => {
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 3 }),
    });
    await retriever.add([
      { id: 'x', text: 'x', embedding: [1, 0, 0] },
      { id: 'y', text: 'y', embedding: [0, 1, 0] },
    ]);
    await expect(retriever.add([{ id: 'x', text: 'again', embedding: [1, 0, 0] }])).rejects.toThrow(
      /upsert/,
    );
    await retriever.upsert([
      { id: 'x', text: 'x moved', embedding: [0, 0, 1], metadata: { moved: true } },
    ]);
    expect(retriever.get('x')).toEqual({ id: 'x', text: 'x moved', metadata: { moved: true } });
    expect(
      retriever.searchByVector([0, 0, 1], { topK: 1 }).map(({ id, score }) => [id, score]),
    ).toEqual([['x', 1]]);
    expect(retriever.size()).toBe(2);
    expect(await retriever.delete(['y'])).toBe(1);
    expect(retriever.searchByVector([0, 1, 0], { topK: 5 }).map(({ id }) => id)).toEqual(['x']);
  });

  test('each case of the shared filter table selects exactly its ids', async () => {
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 16 }),
    });
    await retriever.add(filterFixtureRecords.map((record) => ({ ...record })));
    for (const { name, filter, expectedIds } of filterCases) {
      const { candidates } = await retriever.doRetrieve({
        query: 'savings rate',
        topK: 10,
        filter,
      });
      expect(candidates.map((candidate) => candidate.id).sort(), name).toEqual(
        [...expectedIds].sort(),
      );
    }
  });
});

describe('approximate vector search (IVF)', () => {
  test('recall@10 against exact search is at least 0.95 on clustered vectors', async () => {
    const { vectors, centres, random } = clusteredVectors({
      count: 6000,
      dimensions: 48,
      clusters: 40,
      seed: 3,
    });
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 48 }),
      index: 'approximate',
    });
    await retriever.add(
      vectors.map((embedding, index) => ({ id: `v${index}`, text: `${index}`, embedding })),
    );
    expect(retriever.usesApproximateIndex()).toBe(true);
    let found = 0;
    const queries = 100;
    for (let query = 0; query < queries; query++) {
      const vector = queryNear(centres, random);
      const exact = new Set(
        retriever.searchByVector(vector, { topK: 10, exact: true }).map(({ id }) => id),
      );
      for (const { id } of retriever.searchByVector(vector, { topK: 10 }))
        if (exact.has(id)) found++;
    }
    expect(found / (queries * 10)).toBeGreaterThanOrEqual(0.95);
  });

  test('auto mode stays exact below its threshold and switches above it', async () => {
    const { vectors } = clusteredVectors({ count: 2500, dimensions: 16, clusters: 10, seed: 4 });
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 16 }),
      approximateThreshold: 2000,
    });
    const documents = vectors.map((embedding, index) => ({
      id: `v${index}`,
      text: `${index}`,
      embedding,
    }));
    await retriever.add(documents.slice(0, 1500));
    expect(retriever.usesApproximateIndex()).toBe(false);
    await retriever.add(documents.slice(1500));
    expect(retriever.usesApproximateIndex()).toBe(true);
  });

  test('a selective filter falls back to the exact scan rather than losing matches', async () => {
    const { vectors } = clusteredVectors({ count: 3000, dimensions: 16, clusters: 10, seed: 5 });
    const retriever = createVectorRetriever({
      embeddingModel: new MockEmbeddingModel({ dimensions: 16 }),
      index: 'approximate',
    });
    await retriever.add(
      vectors.map((embedding, index) => ({
        id: `v${index}`,
        text: `${index}`,
        embedding,
        metadata: { bucket: index % 500 },
      })),
    );
    const found = retriever.searchByVector(vectors[0] as Float32Array, {
      topK: 10,
      filter: { bucket: 7 },
    });
    expect(found.map(({ id }) => id).sort()).toEqual(
      ['v7', 'v507', 'v1007', 'v1507', 'v2007', 'v2507'].sort(),
    );
  });
});
