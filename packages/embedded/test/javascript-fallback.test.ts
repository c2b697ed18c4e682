import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockEmbeddingModel } from '@twostage/core/mock';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { clusteredVectors, queryNear } from './clustered-vectors.js';

// The embedded modules are imported after `WebAssembly` is hidden, so the kernels take their
// JavaScript fallback (plain ArrayBuffer memory, scalar loops) as on a runtime without wasm.
type EmbeddedModule = typeof import('../src/index.js');
type SegmentModule = typeof import('../src/vector-segment.js');
type KernelModule = typeof import('../src/vector-kernel.js');
let embedded: EmbeddedModule;
let segmentModule: SegmentModule;
let kernelModule: KernelModule;
let root: string;

beforeAll(async () => {
  vi.stubGlobal('WebAssembly', undefined);
  vi.resetModules();
  kernelModule = await import('../src/vector-kernel.js');
  segmentModule = await import('../src/vector-segment.js');
  embedded = await import('../src/index.js');
  vi.unstubAllGlobals();
  root = await mkdtemp(join(tmpdir(), 'twostage-js-fallback-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Cosine nearest neighbours in double precision. */
function bruteForce(vectors: Float32Array[], query: Float32Array, topK: number): number[] {
  const norm = (vector: Float32Array) =>
    Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vectors
    .map((vector, index) => {
      let dot = 0;
      for (let dimension = 0; dimension < vector.length; dimension++)
        dot += (vector[dimension] as number) * (query[dimension] as number);
      return { index, score: dot / (norm(vector) * norm(query)) };
    })
    .sort((left, right) => right.score - left.score || left.index - right.index)
    .slice(0, topK)
    .map(({ index }) => index);
}

describe('vector search without WebAssembly (JavaScript fallback)', () => {
  test('the kernel reports the fallback', () => {
    expect(kernelModule.isSimdKernelAvailable()).toBe(false);
    expect(new kernelModule.VectorKernel(8).usesSimd).toBe(false);
  });

  test('one-pass and two-pass exact search equal brute force, deletions and filters included', async () => {
    for (const count of [500, segmentModule.twoPassExactFrom + 300]) {
      const { vectors, centres, random } = clusteredVectors({
        count,
        dimensions: 24,
        clusters: 12,
        seed: count,
      });
      const retriever = embedded.createVectorRetriever({
        embeddingModel: new MockEmbeddingModel({ dimensions: 24 }),
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
      await retriever.delete(['v0', 'v2']);
      const live = vectors
        .map((vector, index) => ({ vector, index }))
        .filter(({ index }) => index !== 0 && index !== 2);
      const even = live.filter(({ index }) => index % 2 === 0);
      for (let query = 0; query < 5; query++) {
        const vector = queryNear(centres, random);
        expect(
          retriever.searchByVector(vector, { topK: 20 }).map(({ id }) => id),
          `${count} rows`,
        ).toEqual(
          bruteForce(
            live.map(({ vector }) => vector),
            vector,
            20,
          ).map((index) => `v${live[index]?.index}`),
        );
        expect(
          retriever.searchByVector(vector, { topK: 5, filter: { even: true } }).map(({ id }) => id),
        ).toEqual(
          bruteForce(
            even.map(({ vector }) => vector),
            vector,
            5,
          ).map((index) => `v${even[index]?.index}`),
        );
      }
    }
  });

  test('the approximate index works and a save → load round trip returns identical results', async () => {
    const { vectors, centres, random } = clusteredVectors({
      count: 3000,
      dimensions: 24,
      clusters: 20,
      seed: 3,
    });
    const model = new MockEmbeddingModel({ dimensions: 24 });
    const retriever = embedded.createVectorRetriever({
      embeddingModel: model,
      index: 'approximate',
    });
    await retriever.add(
      vectors.map((embedding, index) => ({ id: `v${index}`, text: 'x', embedding })),
    );
    expect(retriever.usesApproximateIndex()).toBe(true);
    let hits = 0;
    const queries = Array.from({ length: 20 }, () => queryNear(centres, random));
    for (const query of queries) {
      const exact = new Set(
        retriever.searchByVector(query, { topK: 10, exact: true }).map(({ id }) => id),
      );
      for (const { id } of retriever.searchByVector(query, { topK: 10 })) if (exact.has(id)) hits++;
    }
    expect(hits / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
    const directory = join(root, 'ivf');
    await retriever.save(directory);
    const loaded = await embedded.loadVectorRetriever(directory, { embeddingModel: model });
    for (const query of queries) {
      expect(loaded.searchByVector(query, { topK: 10 })).toEqual(
        retriever.searchByVector(query, { topK: 10 }),
      );
    }
  });
});
