import { Document } from '@langchain/core/documents';
import { InvalidArgumentError, InvalidResponseError, twoStage } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { retrieveStageTests } from '@twostage/core/testing';
import { describe, expect, test } from 'vitest';
import { fromLangChainRetriever } from '../src/index.js';
import { buildMemoryStore } from './helpers/build-memory-store.js';
import { ListRetriever } from './helpers/list-retriever.js';

const loan = () =>
  new Document({
    id: 'loan',
    pageContent: 'Early repayment costs 2%.',
    metadata: { category: 'loan' },
  });
const card = () =>
  new Document({
    id: 'card',
    pageContent: 'Lost cards: call the hotline.',
    metadata: { category: 'card' },
  });
const hours = () =>
  new Document({
    id: 'hours',
    pageContent: 'Branches open at 8 am.',
    metadata: { category: 'service' },
  });

describe('fromLangChainRetriever over a MemoryVectorStore (store scores)', () => {
  retrieveStageTests(
    test,
    async (corpus) =>
      fromLangChainRetriever(await buildMemoryStore(corpus), { name: 'conformance' }),
    { filters: true, namespaces: false, lexicalRelevance: true },
  );
});

describe("fromLangChainRetriever over a MemoryVectorStore's retriever (rank scores)", () => {
  retrieveStageTests(
    test,
    async (corpus) =>
      fromLangChainRetriever((await buildMemoryStore(corpus)).asRetriever(corpus.length), {
        name: 'conformance',
      }),
    { filters: true, namespaces: false, lexicalRelevance: true },
  );
});

describe('fromLangChainRetriever', () => {
  test('a vector store gives its own similarity scores, best first, cut to topK', async () => {
    const store = await buildMemoryStore([
      { id: 'loan', text: 'early repayment fee', metadata: { category: 'loan' } },
      { id: 'card', text: 'lost card hotline', metadata: { category: 'card' } },
      { id: 'half', text: 'early repayment', metadata: { category: 'loan' } },
    ]);
    const stage = fromLangChainRetriever(store);
    const { candidates } = await stage.doRetrieve({ query: 'early repayment fee', topK: 2 });
    expect(
      candidates.map(({ id, score, metadata }) => [id, Number(score.toFixed(6)), metadata]),
    ).toEqual([
      ['loan', 1, { category: 'loan' }],
      // cosine of a 2-word and a 3-word bag sharing 2 words: 2 / sqrt(2 * 3)
      ['half', Number((2 / Math.sqrt(6)).toFixed(6)), { category: 'loan' }],
    ]);
    expect([stage.provider, stage.modelId, stage.maxTopK]).toEqual([
      'langchain',
      'MemoryVectorStore',
      undefined,
    ]);
  });

  test("a retriever's order is the ranking, scored 1 / (1 + rank)", async () => {
    const retriever = new ListRetriever(() => [card(), loan(), hours()]);
    const stage = fromLangChainRetriever(retriever, { name: 'policies', maxTopK: 3 });
    const result = await stage.doRetrieve({ query: 'early repayment', topK: 2 });
    expect(result).toEqual({
      candidates: [
        {
          id: 'card',
          text: 'Lost cards: call the hotline.',
          score: 1,
          metadata: { category: 'card' },
        },
        {
          id: 'loan',
          text: 'Early repayment costs 2%.',
          score: 0.5,
          metadata: { category: 'loan' },
        },
      ],
    });
    expect(retriever.queries).toEqual(['early repayment']);
    expect([stage.modelId, stage.maxTopK]).toEqual(['policies', 3]);
  });

  test("scores: 'distance' negates a store's distances so the nearest ranks first", async () => {
    const store = {
      async similaritySearchWithScore(): Promise<[Document, number][]> {
        return [
          [card(), 0.9],
          [loan(), 0.1],
        ];
      },
    };
    const { candidates } = await fromLangChainRetriever(store, { scores: 'distance' }).doRetrieve({
      query: 'fee',
      topK: 5,
    });
    expect(candidates.map(({ id, score }) => [id, score])).toEqual([
      ['loan', -0.1],
      ['card', -0.9],
    ]);
  });

  test('ids come from metadata[idKey] when a document has none; a duplicate keeps its first place', async () => {
    const retriever = new ListRetriever(() => [
      new Document({ pageContent: 'a', metadata: { key: 'x' } }),
      new Document({ pageContent: 'b', metadata: { key: 'y' } }),
      new Document({ pageContent: 'a again', metadata: { key: 'x' } }),
    ]);
    const { candidates } = await fromLangChainRetriever(retriever, { idKey: 'key' }).doRetrieve({
      query: 'q',
      topK: 5,
    });
    expect(candidates.map(({ id, text }) => [id, text])).toEqual([
      ['x', 'a'],
      ['y', 'b'],
    ]);
  });

  test('metadata twostage cannot carry is left out with a warning naming it', async () => {
    const retriever = new ListRetriever(() => [
      new Document({ id: 'd', pageContent: 'text', metadata: { ok: 1, nested: { a: 1 } } }),
    ]);
    const { candidates, warnings } = await fromLangChainRetriever(retriever, {
      name: 'r',
    }).doRetrieve({
      query: 'q',
      topK: 1,
    });
    expect(candidates[0]?.metadata).toEqual({ ok: 1 });
    expect(warnings).toEqual([
      {
        type: 'other',
        message:
          'r: metadata fields that are not strings, finite numbers, booleans or string lists were left out: d (nested).',
      },
    ]);
  });

  test('a document without an id, or a malformed answer, is an InvalidResponseError', async () => {
    const noId = fromLangChainRetriever(
      new ListRetriever(() => [new Document({ pageContent: 'a' })]),
    );
    await expect(noId.doRetrieve({ query: 'q', topK: 1 })).rejects.toThrow(InvalidResponseError);
    const notArray = fromLangChainRetriever({ invoke: async () => 'nope' as never });
    await expect(notArray.doRetrieve({ query: 'q', topK: 1 })).rejects.toThrow(
      /must return an array/,
    );
    const badPair = fromLangChainRetriever({
      similaritySearchWithScore: async () => [[loan(), Number.NaN]] as [Document, number][],
    });
    await expect(badPair.doRetrieve({ query: 'q', topK: 1 })).rejects.toThrow(InvalidResponseError);
  });

  test('bad sources, options and namespaces are InvalidArgumentErrors', async () => {
    expect(() => fromLangChainRetriever({} as never)).toThrow(InvalidArgumentError);
    expect(() => fromLangChainRetriever(null as never)).toThrow(InvalidArgumentError);
    const retriever = new ListRetriever(() => [loan()]);
    expect(() => fromLangChainRetriever(retriever, { nmae: 'x' } as never)).toThrow(/name/);
    expect(() => fromLangChainRetriever(retriever, { name: ' ' })).toThrow(InvalidArgumentError);
    expect(() => fromLangChainRetriever(retriever, { maxTopK: 0 })).toThrow(InvalidArgumentError);
    expect(() => fromLangChainRetriever(retriever, { scores: 'distance' })).toThrow(
      /applies to a vector store only/,
    );
    const store = await buildMemoryStore([{ id: 'a', text: 'a' }]);
    expect(() => fromLangChainRetriever(store, { scores: 'cosine' as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() => fromLangChainRetriever(store, { filterFetchK: 1.5 })).toThrow(
      InvalidArgumentError,
    );
    await expect(
      fromLangChainRetriever(store).doRetrieve({ query: 'a', topK: 1, namespace: 'n' }),
    ).rejects.toThrow(InvalidArgumentError);
  });

  test('is stage 1 of twoStage() over a real store', async () => {
    const store = await buildMemoryStore([
      { id: 'loan', text: 'The early repayment fee is 2%.' },
      { id: 'card', text: 'Lost card fee: call the hotline.' },
      { id: 'hours', text: 'Branches open at 8 am.' },
    ]);
    const { results, servedBy } = await twoStage({
      retriever: fromLangChainRetriever(store, { name: 'policies' }),
      reranker: new MockRerankStage(),
      query: 'early repayment fee',
      retrieveTopK: 3,
      rerankTopN: 2,
    });
    expect(results.map(({ id, rerankScore }) => [id, rerankScore])).toEqual([
      ['loan', 1],
      ['card', 1 / 3],
    ]);
    expect(servedBy.retriever).toBe('langchain:policies');
  });
});
