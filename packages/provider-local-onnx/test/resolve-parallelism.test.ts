import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { createLocalOnnx } from '../src/index.js';
import {
  physicalCoreCount,
  resolveParallelism,
  twoSessionModelBytesLimit,
} from '../src/runtime/resolve-parallelism.js';
import { fixtureModel, sampleQuery } from './fixture-models.js';

const base = {
  executionProvider: 'cpu' as const,
  inProcess: false,
  workers: undefined,
  threads: undefined,
  modelBytes: 100 * 1024 ** 2,
};

describe('resolveParallelism', () => {
  test.each([
    // cores, workers asked, threads asked, model bytes → sessions × threads
    [2, undefined, undefined, base.modelBytes, { workers: 2, threads: 1 }],
    [16, undefined, undefined, base.modelBytes, { workers: 2, threads: 8 }],
    [1, undefined, undefined, base.modelBytes, { workers: 1, threads: 1 }],
    [2, undefined, 0, base.modelBytes, { workers: 2, threads: 1 }],
    [8, undefined, undefined, twoSessionModelBytesLimit + 1, { workers: 1, threads: 8 }],
    [2, undefined, 2, base.modelBytes, { workers: 1, threads: 2 }],
    [2, undefined, 1, base.modelBytes, { workers: 2, threads: 1 }],
    [16, undefined, 4, base.modelBytes, { workers: 2, threads: 4 }],
    [8, 4, undefined, base.modelBytes, { workers: 4, threads: 2 }],
    [2, 3, undefined, base.modelBytes, { workers: 3, threads: 1 }],
    [4, 1, undefined, twoSessionModelBytesLimit * 2, { workers: 1, threads: 4 }],
  ])(
    '%i cores, workers %s, threads %s, %i bytes',
    (cores, workers, threads, modelBytes, expected) => {
      expect(resolveParallelism({ ...base, cores, workers, threads, modelBytes })).toEqual(
        expected,
      );
    },
  );

  test('a GPU provider and an in-process stage get one session with the threads asked', () => {
    expect(
      resolveParallelism({ ...base, cores: 8, executionProvider: 'cuda', workers: 4 }),
    ).toEqual({
      workers: 1,
      threads: 0,
    });
    expect(resolveParallelism({ ...base, cores: 8, inProcess: true, threads: 3 })).toEqual({
      workers: 1,
      threads: 3,
    });
  });

  test('the physical core count is between 1 and the logical count', () => {
    const cores = physicalCoreCount();
    expect(cores).toBeGreaterThanOrEqual(1);
    expect(cores).toBeLessThanOrEqual(availableParallelism());
  });
});

describe('workers option', () => {
  test('workers > 1 with worker: false is refused before anything loads', async () => {
    const stage = createLocalOnnx().reranker(fixtureModel('bert-cross-encoder'), {
      workers: 2,
      worker: false,
    });
    await expect(
      stage.doRerank({ query: sampleQuery, documents: { type: 'text', values: ['a'] } }),
    ).rejects.toThrow(/workers: 2 needs worker threads/);
  });

  test.each([0, 1.5, -1, Number.POSITIVE_INFINITY])(
    'workers: %s is an invalid argument, refused when the stage is created',
    (workers) => {
      expect(() =>
        createLocalOnnx().reranker(fixtureModel('bert-cross-encoder'), { workers }),
      ).toThrow(
        expect.objectContaining({ name: 'InvalidArgumentError', argument: 'options.workers' }),
      );
    },
  );

  test('a provider-level workers setting is checked the same way', () => {
    expect(() => createLocalOnnx({ workers: 0 })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError', argument: 'settings.workers' }),
    );
  });

  test('three sessions load and report their layout', async () => {
    const stage = createLocalOnnx().reranker(fixtureModel('bert-cross-encoder'), {
      workers: 3,
      threads: 1,
    });
    try {
      const loaded = await stage.load();
      expect(loaded.backend.workers).toBe(3);
      expect(loaded.backend.info.threads).toBe(1);
    } finally {
      await stage.close();
    }
  });
});
