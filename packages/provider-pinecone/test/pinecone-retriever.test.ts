import { InvalidArgumentError, InvalidFilterError, retrieve } from '@twostage/core';
import { retrieveStageTests } from '@twostage/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { PineconeRetrieverOptions } from '../src/index.js';
import {
  byNamespace,
  type PineconeTestBed,
  startTestBed,
  toPineconeDocuments,
} from './helpers/pinecone-test-bed.js';

let bed: PineconeTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
afterEach(() => {
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

/** A vector index holding `documents` (embedded with the emulated e5 model), and its retriever. */
async function vectorRetriever(
  documents: {
    id: string;
    text: string;
    metadata?: Record<string, string | number | boolean | string[]>;
    namespace?: string;
  }[],
  options: Partial<PineconeRetrieverOptions> & {
    metric?: 'cosine' | 'dotproduct' | 'euclidean';
  } = {},
) {
  const index = await bed.createIndex({ metric: options.metric ?? 'cosine' });
  const embeddingModel = bed.provider.embeddingModel('multilingual-e5-large');
  for (const [namespace, group] of byNamespace(documents)) {
    const result = await bed.provider.upsertDocuments({
      index,
      ...(namespace === undefined ? {} : { namespace }),
      documents: toPineconeDocuments(group),
      embeddingModel,
    });
    expect(result.failed).toEqual([]);
  }
  return { index, retriever: bed.provider.retriever({ index, embeddingModel, ...options }) };
}

describe('pinecone retriever conformance, vector mode', () => {
  retrieveStageTests(test, async (corpus) => (await vectorRetriever(corpus)).retriever, {
    namespaces: true,
    timeoutMs: 20_000,
  });
});

describe('pinecone retriever conformance, records mode (integrated inference)', () => {
  retrieveStageTests(
    test,
    async (corpus) => {
      const index = await bed.createIndex({
        integrated: { model: 'llama-text-embed-v2', textField: 'chunk_text' },
      });
      for (const [namespace, group] of byNamespace(corpus)) {
        const result = await bed.provider.upsertDocuments({
          index,
          ...(namespace === undefined ? {} : { namespace }),
          documents: toPineconeDocuments(group),
          textField: 'chunk_text',
        });
        expect(result.failed).toEqual([]);
      }
      return bed.provider.retriever({ index });
    },
    { namespaces: true, timeoutMs: 20_000 },
  );
});

const corpus = [
  {
    id: 'fee',
    text: 'Repaying a home loan early costs an early repayment fee.',
    metadata: { year: 2021, kind: 'loan' },
  },
  {
    id: 'card',
    text: 'The credit card annual fee is waived in the first year.',
    metadata: { year: 2023, kind: 'card' },
  },
  {
    id: 'hours',
    text: 'Branches are open from 8 am to 5 pm on weekdays.',
    metadata: { year: 2020, kind: 'service' },
  },
];

describe('pinecone retriever, vector mode', () => {
  test('embeds the query as a query, then queries with topK, filter and includeMetadata', async () => {
    const { index, retriever } = await vectorRetriever(corpus);
    const embedsBefore = bed.emulator.requestsOf('embed').length;
    const result = await retrieve({
      retriever,
      query: 'early repayment fee',
      topK: 2,
      filter: { year: { $gte: 2021 } },
    });

    expect(result.candidates.map((candidate) => candidate.id)).toEqual(['fee', 'card']);
    expect(result.candidates[0]).toMatchObject({
      id: 'fee',
      text: corpus[0]?.text,
      metadata: { year: 2021, kind: 'loan' },
    });
    const embedRequest = bed.emulator.requestsOf('embed')[embedsBefore];
    expect(embedRequest?.body).toMatchObject({
      model: 'multilingual-e5-large',
      inputs: [{ text: 'early repayment fee' }],
      parameters: { input_type: 'query' },
    });
    const query = bed.emulator.requestsOf('query').at(-1);
    expect(query?.index).toBe(index);
    expect(query?.body).toMatchObject({
      topK: 2,
      filter: { year: { $gte: 2021 } },
      includeMetadata: true,
      includeValues: false,
      namespace: '__default__',
    });
    expect((query?.body as { vector: number[] } | undefined)?.vector.length).toBe(1024);
    expect(query?.headers['api-key']).toBe(bed.emulator.apiKey);
    expect(query?.headers['x-pinecone-api-version']).toBe('2026-04');
  });

  test('per-call headers reach both the query embedding and the query', async () => {
    const { retriever } = await vectorRetriever(corpus);
    await retrieve({ retriever, query: 'card fee', topK: 1, headers: { 'x-trace-id': 'trace-7' } });
    expect(bed.emulator.requestsOf('embed').at(-1)?.headers['x-trace-id']).toBe('trace-7');
    expect(bed.emulator.requestsOf('query').at(-1)?.headers['x-trace-id']).toBe('trace-7');
  });

  test('looks the index up once (host and metric), then talks to its loopback host', async () => {
    const { index, retriever } = await vectorRetriever(corpus);
    const describesBefore = bed.emulator
      .requestsOf('describeIndex')
      .filter((request) => request.path === `/indexes/${index}`).length;
    await retriever.doRetrieve({ query: 'card fee', topK: 3 });
    await retriever.doRetrieve({ query: 'branch hours', topK: 3 });
    const describes = bed.emulator
      .requestsOf('describeIndex')
      .filter((request) => request.path === `/indexes/${index}`);
    // upsertDocuments resolved the host already; the retriever reads the metric once.
    expect(describes.length - describesBefore).toBe(1);
  });

  test('a malformed filter fails with InvalidFilterError before any request leaves', async () => {
    const { retriever } = await vectorRetriever(corpus);
    const before = bed.emulator.requests.length;
    const error = await retriever
      .doRetrieve({ query: 'fee', topK: 3, filter: { year: { $between: [1, 2] } } })
      .catch((caught: unknown) => caught);
    expect(InvalidFilterError.isInstance(error)).toBe(true);
    expect((error as InvalidFilterError).path).toBe('filter.year.$between');
    expect(bed.emulator.requests.length).toBe(before);
  });

  test('the call namespace beats the retriever namespace, and namespaces stay apart', async () => {
    const { retriever } = await vectorRetriever(
      [
        { id: 'a', text: 'savings account interest', namespace: 'tenant-a' },
        { id: 'b', text: 'savings account interest', namespace: 'tenant b' },
      ],
      { namespace: 'tenant-a' },
    );
    const own = await retriever.doRetrieve({ query: 'savings interest', topK: 5 });
    const other = await retriever.doRetrieve({
      query: 'savings interest',
      topK: 5,
      namespace: 'tenant b',
    });
    expect(own.candidates.map((candidate) => candidate.id)).toEqual(['a']);
    expect(other.candidates.map((candidate) => candidate.id)).toEqual(['b']);
    expect(bed.emulator.requestsOf('query').at(-1)?.body).toMatchObject({ namespace: 'tenant b' });
  });

  test('euclidean distances are negated so that higher is better, nearest first', async () => {
    const { retriever } = await vectorRetriever(corpus, { metric: 'euclidean' });
    const result = await retriever.doRetrieve({ query: 'credit card annual fee waived', topK: 3 });
    expect(result.candidates[0]?.id).toBe('card');
    const scores = result.candidates.map((candidate) => candidate.score);
    expect(scores.every((score) => score <= 0)).toBe(true);
    expect([...scores].sort((left, right) => right - left)).toEqual(scores);
  });

  test('a match without text fails by default with an error naming the record and its fields', async () => {
    const index = await bed.createIndex({ dimension: 1024 });
    const embeddingModel = bed.provider.embeddingModel('multilingual-e5-large');
    await bed.provider.upsertDocuments({
      index,
      documents: [{ id: 'x1', text: 'loan fees explained' }],
      embeddingModel,
      textField: 'chunk',
    });
    const retriever = bed.provider.retriever({ index, embeddingModel });
    const error = await retriever
      .doRetrieve({ query: 'loan fees', topK: 3 })
      .catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('textField');
    expect((error as Error).message).toContain("record 'x1'");
    expect((error as Error).message).toContain("field 'text'");
    expect((error as Error).message).toContain('its fields: chunk');

    const fixed = bed.provider.retriever({ index, embeddingModel, textField: 'chunk' });
    const result = await fixed.doRetrieve({ query: 'loan fees', topK: 3 });
    expect(result.candidates).toEqual([
      { id: 'x1', text: 'loan fees explained', score: expect.any(Number) },
    ]);
  });

  test("missingText: 'skip' drops records without text and names them in a warning", async () => {
    const index = await bed.createIndex({ dimension: 1024 });
    const embeddingModel = bed.provider.embeddingModel('multilingual-e5-large');
    await bed.provider.upsertDocuments({
      index,
      documents: [{ id: 'with', text: 'loan fees explained' }],
      embeddingModel,
    });
    await bed.provider.upsertDocuments({
      index,
      documents: [{ id: 'without', text: 'loan fees again' }],
      embeddingModel,
      textField: 'body',
    });
    const retriever = bed.provider.retriever({ index, embeddingModel, missingText: 'skip' });
    const result = await retriever.doRetrieve({ query: 'loan fees', topK: 5 });
    expect(result.candidates.map((candidate) => candidate.id)).toEqual(['with']);
    expect(result.warnings).toEqual([
      {
        type: 'other',
        message: "Dropped 1 Pinecone record(s) without text in field 'text': without.",
      },
    ]);
  });

  test('an embedding model of the wrong dimension fails with a clear error before querying', async () => {
    const index = await bed.createIndex({ dimension: 384 });
    const retriever = bed.provider.retriever({
      index,
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
    });
    const queriesBefore = bed.emulator.requestsOf('query').length;
    const error = await retriever
      .doRetrieve({ query: 'fees', topK: 3 })
      .catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('1024-dimensional vectors');
    expect((error as Error).message).toContain('384-dimensional');
    expect(bed.emulator.requestsOf('query').length).toBe(queriesBefore);
  });

  test('declares its limits and identity', () => {
    const retriever = bed.provider.retriever({
      index: 'docs',
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
    });
    expect(retriever).toMatchObject({
      specificationVersion: 'v1',
      provider: 'pinecone',
      modelId: 'docs',
      maxTopK: 10_000,
      mode: 'vector',
    });
  });

  test('rejects a vector retriever without an embedding model', () => {
    expect(() => bed.provider.retriever({ index: 'docs', mode: 'vector' })).toThrow(
      /embeddingModel/,
    );
  });
});

describe('pinecone retriever, records mode', () => {
  test('searches by text without server-side rerank, reading the text field from the field map', async () => {
    const index = await bed.createIndex({
      integrated: { model: 'multilingual-e5-large', textField: 'chunk_text' },
    });
    await bed.provider.upsertDocuments({ index, documents: corpus, textField: 'chunk_text' });
    const retriever = bed.provider.retriever({ index });
    expect(retriever.mode).toBe('records');
    const result = await retriever.doRetrieve({
      query: 'credit card annual fee',
      topK: 2,
      filter: { kind: { $in: ['card', 'loan'] } },
    });

    expect(result.candidates.map((candidate) => candidate.id)).toEqual(['card', 'fee']);
    expect(result.candidates[0]).toMatchObject({
      text: corpus[1]?.text,
      metadata: { year: 2023, kind: 'card' },
    });
    const search = bed.emulator.requestsOf('searchRecords').at(-1);
    expect(search?.path).toBe('/records/namespaces/__default__/search');
    expect(search?.body).toEqual({
      query: {
        top_k: 2,
        inputs: { text: 'credit card annual fee' },
        filter: { kind: { $in: ['card', 'loan'] } },
      },
    });
  });

  test('an index without integrated embedding cannot be searched by text', async () => {
    const index = await bed.createIndex({ dimension: 8 });
    const error = await bed.provider
      .retriever({ index })
      .doRetrieve({ query: 'fees', topK: 3 })
      .catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('mode');
  });
});
