import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, InvalidArgumentError } from '@twostage/core';
import { MockEmbeddingModel } from '@twostage/core/mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createBm25Retriever,
  createHybridRetriever,
  createVectorRetriever,
  loadBm25Retriever,
} from '../src/index.js';

const dimensions = 8;
const model = new MockEmbeddingModel({ dimensions });

/** `count` short chunks with precomputed embeddings; every text holds the word `alpha`. */
function chunks(count: number, prefix: string) {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    text: `alpha w${index % 97} v${index % 89} u${index % 13} chunk ${index}`,
    embedding: Float32Array.from({ length: dimensions }, (_, dimension) =>
      Math.sin((index + 1) * (dimension + 1) * 0.013 + dimension),
    ),
  }));
}

/**
 * Runs `look` on every turn a 1 ms timer gets while `write` is pending, and returns what it saw.
 * A write that held the event loop from start to end lets it run zero times.
 */
async function observeDuring<T>(
  write: Promise<unknown>,
  look: () => T | Promise<T>,
  onTurn: (turn: number) => void = () => {},
): Promise<{ seen: T[]; outcome: PromiseSettledResult<unknown> }> {
  let settled = false;
  const outcome = Promise.allSettled([write]).then(([result]) => {
    settled = true;
    return result as PromiseSettledResult<unknown>;
  });
  const seen: T[] = [];
  await new Promise<void>((resolve) => {
    const turn = async () => {
      if (settled) return resolve();
      seen.push(await look());
      onTurn(seen.length);
      setTimeout(turn, 1);
    };
    setTimeout(turn, 0);
  });
  return { seen, outcome: await outcome };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'twostage-sliced-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writes give the event loop turns and publish all at once', () => {
  test('BM25: queries during add see the index as it was; the batch appears at the end', async () => {
    const retriever = createBm25Retriever();
    await retriever.add([
      { id: 'old-1', text: 'alpha beta' },
      { id: 'old-2', text: 'alpha gamma delta' },
    ]);
    const before = await retriever.doRetrieve({ query: 'alpha chunk', topK: 5 });
    const batch = chunks(20_000, 'new').map(({ id, text }) => ({ id, text }));
    const { seen, outcome } = await observeDuring(retriever.add(batch), async () => ({
      results: (await retriever.doRetrieve({ query: 'alpha chunk', topK: 5 })).candidates,
      size: retriever.size(),
      added: retriever.get('new-0'),
    }));
    expect(outcome.status).toBe('fulfilled');
    // The synchronous engine ran this add without a single timer turn. Two turns are asked for, not
    // more: a fast machine finishes the add in few slices.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const view of seen) {
      expect(view).toEqual({ results: before.candidates, size: 2, added: undefined });
    }
    expect(retriever.size()).toBe(20_002);
    expect(retriever.get('new-7')).toEqual({ id: 'new-7', text: batch[7]?.text });
  });

  test('vector: the IVF build runs in slices; queries meanwhile search the old state', async () => {
    const retriever = createVectorRetriever({ embeddingModel: model, index: 'approximate' });
    const batch = chunks(6000, 'v');
    const probe = batch[5]?.embedding as Float32Array;
    const { seen, outcome } = await observeDuring(retriever.add(batch), () => ({
      found: retriever.searchByVector(probe, { topK: 3 }),
      index: retriever.describeIndex(),
    }));
    expect(outcome.status).toBe('fulfilled');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const view of seen) {
      expect(view).toEqual({ found: [], index: { documents: 0, search: 'exact' } });
    }
    expect(retriever.describeIndex()).toMatchObject({ documents: 6000, search: 'approximate' });
    expect(retriever.searchByVector(probe, { topK: 1 })[0]?.id).toBe('v-5');
  });

  test('hybrid: both sides stay as they were during add and change in the same turn', async () => {
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: model }),
    });
    await retriever.add(chunks(2, 'old'));
    const before = await retriever.doRetrieve({ query: 'alpha chunk', topK: 5 });
    const { seen, outcome } = await observeDuring(
      retriever.add(chunks(20_000, 'new')),
      async () => ({
        results: (await retriever.doRetrieve({ query: 'alpha chunk', topK: 5 })).candidates,
        lexical: retriever.lexical.size(),
        vector: retriever.vector.size(),
      }),
    );
    expect(outcome.status).toBe('fulfilled');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const view of seen) {
      expect(view).toEqual({ results: before.candidates, lexical: 2, vector: 2 });
    }
    expect([retriever.lexical.size(), retriever.vector.size()]).toEqual([20_002, 20_002]);
  });
});

describe('an abort between slices adds nothing', () => {
  // The first timer turn comes while the write waits between two slices, and the next slice
  // checks the signal first, so aborting there is certain to be seen. A later turn is not: on a
  // fast machine the write may finish in its next slice (CI once saw the hybrid add of 8,000
  // complete in the two slices before turn 2).
  const abortOnFirstTurn = (controller: AbortController) => (turn: number) => {
    if (turn === 1) controller.abort(new Error('stop'));
  };

  test('BM25: the index is unchanged and the ids stay free', async () => {
    const retriever = createBm25Retriever();
    await retriever.add([{ id: 'old-1', text: 'alpha beta' }]);
    const before = await retriever.doRetrieve({ query: 'alpha chunk', topK: 5 });
    const batch = chunks(20_000, 'new').map(({ id, text }) => ({ id, text }));
    const controller = new AbortController();
    const { outcome } = await observeDuring(
      retriever.add(batch, { abortSignal: controller.signal }),
      () => undefined,
      abortOnFirstTurn(controller),
    );
    expect(outcome.status).toBe('rejected');
    expect(AbortedError.isInstance((outcome as PromiseRejectedResult).reason)).toBe(true);
    expect(retriever.size()).toBe(1);
    expect(retriever.get('new-0')).toBeUndefined();
    expect(await retriever.doRetrieve({ query: 'alpha chunk', topK: 5 })).toEqual(before);
    await retriever.add(batch.slice(0, 10));
    expect(retriever.size()).toBe(11);
  });

  test('vector: an abort during the IVF retraining keeps documents and index as they were', async () => {
    const retriever = createVectorRetriever({ embeddingModel: model, index: 'approximate' });
    await retriever.add(chunks(2000, 'old'));
    const index = retriever.describeIndex();
    const probe = chunks(1, 'old')[0]?.embedding as Float32Array;
    const before = retriever.searchByVector(probe, { topK: 5 });
    const controller = new AbortController();
    const { outcome } = await observeDuring(
      // Doubling the namespace retrains the centroids.
      retriever.add(chunks(6000, 'new'), { abortSignal: controller.signal }),
      () => undefined,
      abortOnFirstTurn(controller),
    );
    expect(outcome.status).toBe('rejected');
    expect(retriever.describeIndex()).toEqual(index);
    expect(retriever.searchByVector(probe, { topK: 5 })).toEqual(before);
    expect(retriever.get('new-0')).toBeUndefined();
  });

  test('hybrid: neither side changed', async () => {
    const retriever = createHybridRetriever({
      lexical: createBm25Retriever(),
      vector: createVectorRetriever({ embeddingModel: model }),
    });
    await retriever.add(chunks(2, 'old'));
    const controller = new AbortController();
    const { outcome } = await observeDuring(
      retriever.add(chunks(20_000, 'new'), { abortSignal: controller.signal, namespace: 'fresh' }),
      () => undefined,
      abortOnFirstTurn(controller),
    );
    expect(outcome.status).toBe('rejected');
    expect([retriever.lexical.size(), retriever.vector.size()]).toEqual([2, 2]);
    expect(retriever.get('new-1', { namespace: 'fresh' })).toBeUndefined();
    // The namespace the aborted write would have created is not left behind on either side.
    expect([retriever.lexical.namespaces(), retriever.vector.namespaces()]).toEqual([[''], ['']]);
  });
});

describe('writes, deletes and saves of one retriever run one after the other', () => {
  test('two adds racing for an id: the first wins, the second adds nothing', async () => {
    const retriever = createBm25Retriever();
    const first = chunks(10_000, 'a').map(({ id, text }) => ({ id, text }));
    first.push({ id: 'shared', text: 'from the first' });
    const second = [
      { id: 'b-1', text: 'second batch' },
      { id: 'shared', text: 'from the second' },
    ];
    const [one, two] = await Promise.allSettled([retriever.add(first), retriever.add(second)]);
    expect(one.status).toBe('fulfilled');
    expect(two.status).toBe('rejected');
    expect(InvalidArgumentError.isInstance((two as PromiseRejectedResult).reason)).toBe(true);
    expect(retriever.get('shared')?.text).toBe('from the first');
    expect(retriever.get('b-1')).toBeUndefined();
    expect(retriever.size()).toBe(10_001);
  });

  test('an upsert replaces a document only when the whole batch is in', async () => {
    const retriever = createBm25Retriever();
    await retriever.add([{ id: 'x', text: 'old text' }]);
    const batch = chunks(20_000, 'u').map(({ id, text }) => ({ id, text }));
    batch.push({ id: 'x', text: 'new text' });
    const { seen } = await observeDuring(retriever.upsert(batch), () => retriever.get('x')?.text);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(new Set(seen)).toEqual(new Set(['old text']));
    expect(retriever.get('x')?.text).toBe('new text');
    expect(retriever.size()).toBe(20_001);
    const { candidates } = await retriever.doRetrieve({ query: 'old', topK: 5 });
    expect(candidates).toEqual([]);
  });

  test('a save issued during an add waits for it and stores the whole batch', async () => {
    const retriever = createBm25Retriever();
    const adding = retriever.add(chunks(10_000, 's').map(({ id, text }) => ({ id, text })));
    const directory = join(root, 'during-add');
    await Promise.all([adding, retriever.save(directory)]);
    const loaded = await loadBm25Retriever(directory);
    expect(loaded.size()).toBe(10_000);
    expect(await loaded.doRetrieve({ query: 'alpha w3', topK: 3 })).toEqual(
      await retriever.doRetrieve({ query: 'alpha w3', topK: 3 }),
    );
  });
});
