import { Pinecone } from '@pinecone-database/pinecone';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { hashedEmbedding, relevanceScore } from './emulator-text.js';
import { type PineconeEmulator, startPineconeEmulator } from './pinecone-emulator.js';

/** The emulator itself, driven by the real client: what a test double must get right. */
let emulator: PineconeEmulator;
let client: Pinecone;
beforeAll(async () => {
  emulator = await startPineconeEmulator();
  client = new Pinecone({
    apiKey: emulator.apiKey,
    controllerHostUrl: emulator.controllerHostUrl,
    maxRetries: 0,
  });
});
afterAll(() => emulator.close());
afterEach(() => {
  expect(emulator.violations.splice(0)).toEqual([]);
});

const records = [
  { id: 'a', values: [1, 0, 0], metadata: { genre: 'drama', year: 2020 } },
  { id: 'b', values: [0.6, 0.8, 0], metadata: { genre: 'comedy', year: 2021 } },
  { id: 'c', values: [0, 0, 2], metadata: { genre: 'drama', year: 2022 } },
];

describe('pinecone emulator', () => {
  test('describe_index answers with the loopback data-plane host the client then uses', async () => {
    const created = await emulator.createIndex({
      name: 'described',
      dimension: 3,
      metric: 'dotproduct',
    });
    const description = await client.describeIndex('described');
    expect(description).toMatchObject({
      name: 'described',
      dimension: 3,
      metric: 'dotproduct',
      host: created.host,
    });
    expect(created.host).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test.each([
    ['cosine', ['a', 'c', 'b'], [0.8, 0.6, 0.48]],
    ['dotproduct', ['c', 'a', 'b'], [1.5, 1, 0.6]],
    // Squared distances, nearest (smallest) first, as the service returns them.
    ['euclidean', ['a', 'b', 'c'], [0.5625, 1.3625, 2.5625]],
  ] as const)('%s: scores and order of the metric', async (metric, ids, scores) => {
    const name = `metric-${metric}`;
    await emulator.createIndex({ name, dimension: 3, metric });
    const index = client.index({ name });
    await index.upsert({ records });
    const response = await index.query({ topK: 3, vector: [1, 0, 0.75], includeMetadata: true });
    expect(response.matches.map((match) => match.id)).toEqual(ids);
    for (const [position, match] of response.matches.entries())
      expect(match.score).toBeCloseTo(scores[position] as number, 9);
    expect(response.matches[0]?.metadata).toEqual(
      records.find((record) => record.id === ids[0])?.metadata,
    );
  });

  test('fetch, delete by id / filter / all, and describe_index_stats keep per-namespace state', async () => {
    await emulator.createIndex({ name: 'crud', dimension: 3 });
    const index = client.index({ name: 'crud' });
    await index.upsert({ records });
    await index.namespace('other').upsert({ records: records.slice(0, 1) });

    const fetched = await index.fetch({ ids: ['a', 'c', 'missing'] });
    expect(Object.keys(fetched.records).sort()).toEqual(['a', 'c']);
    expect(fetched.records.c).toMatchObject({
      id: 'c',
      values: [0, 0, 2],
      metadata: { genre: 'drama', year: 2022 },
    });

    expect((await index.describeIndexStats()).namespaces).toEqual({
      __default__: { recordCount: 3 },
      other: { recordCount: 1 },
    });
    await index.deleteOne({ id: 'a' });
    await index.deleteMany({ filter: { genre: { $eq: 'comedy' } } });
    expect([...emulator.index('crud').records().keys()]).toEqual(['c']);
    await index.namespace('other').deleteAll();
    const stats = await index.describeIndexStats();
    expect([stats.namespaces, stats.totalRecordCount, stats.dimension]).toEqual([
      { __default__: { recordCount: 1 } },
      1,
      3,
    ]);
  });

  test('rejects what the service rejects: a wrong dimension, an invalid filter, a wrong key', async () => {
    await emulator.createIndex({ name: 'strict', dimension: 3 });
    const index = client.index({ name: 'strict' });
    await expect(index.upsert({ records: [{ id: 'x', values: [1, 2] }] })).rejects.toThrow(
      /Vector dimension 2 does not match/,
    );
    await expect(
      index.query({ topK: 1, vector: [1, 0, 0], filter: { year: { $between: 1 } } }),
    ).rejects.toThrow(/Invalid filter/);
    const stranger = new Pinecone({
      apiKey: 'not-the-key',
      controllerHostUrl: emulator.controllerHostUrl,
      maxRetries: 0,
    });
    await expect(
      stranger
        .index({ name: 'strict', host: emulator.index('strict').host })
        .query({ topK: 1, vector: [1, 0, 0] }),
    ).rejects.toThrow(/API key you provided was rejected/);
  });

  test('the stand-in models: similar texts are near, relevance favours the answering text', () => {
    const dot = (left: number[], right: number[]) =>
      left.reduce((sum, value, index) => sum + value * (right[index] ?? 0), 0);
    const query = hashedEmbedding('annual card fee', 256);
    expect(dot(query, hashedEmbedding('The annual card fee is waived', 256))).toBeGreaterThan(
      dot(query, hashedEmbedding('Branch opening hours', 256)),
    );
    expect(hashedEmbedding('Lãi suất', 64)).toEqual(
      hashedEmbedding('Lãi suất'.normalize('NFD'), 64),
    );
    expect(relevanceScore('card fee', 'card fee')).toBe(1);
    expect(relevanceScore('card fee', 'branch hours')).toBe(0);
    expect(relevanceScore('card fee', 'the card fee is waived')).toBeGreaterThan(
      relevanceScore('card fee', 'the card is blue'),
    );
  });
});
