import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  ApiCallError,
  embedMany,
  InvalidArgumentError,
  rerank,
  retrieve,
} from '../src/index.js';
import { MockEmbeddingModel, MockRerankStage, MockRetrieveStage } from '../src/mock/index.js';
import { termTokens } from '../src/mock/term-tokens.js';

function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < left.length; index += 1)
    dot += (left[index] ?? 0) * (right[index] ?? 0);
  return dot;
}

describe("termTokens (the mocks' tokenizer)", () => {
  test('NFC and NFD spellings give the same tokens, diacritics kept, case folded', () => {
    const nfc = 'Lãi Suất tiết kiệm';
    expect(termTokens(nfc)).toEqual(['lãi', 'suất', 'tiết', 'kiệm']);
    expect(termTokens(nfc.normalize('NFD'))).toEqual(['lãi', 'suất', 'tiết', 'kiệm']);
    expect(termTokens('ma má mả')).toEqual(['ma', 'má', 'mả']);
  });

  test('CJK characters are one token each, emoji are tokens, punctuation is dropped', () => {
    expect(termTokens('信用卡 fee')).toEqual(['信', '用', '卡', 'fee']);
    expect(termTokens('card💳, ok!')).toEqual(['card', '💳', 'ok']);
    expect(termTokens('ｆｅｅ')).toEqual(['fee']);
  });
});

describe('MockRerankStage', () => {
  test('scores by the share of query words a document holds and records its calls', async () => {
    const model = new MockRerankStage();
    const result = await model.doRerank({
      query: 'annual card fee',
      documents: {
        type: 'text',
        values: ['opening hours', 'the annual fee', 'annual card fee waived'],
      },
      topN: 2,
      headers: { 'x-trace': '1' },
    });
    expect(result.ranking).toEqual([
      { index: 2, score: 1 },
      { index: 1, score: 2 / 3 },
    ]);
    expect(model.calls).toEqual([
      {
        query: 'annual card fee',
        documents: {
          type: 'text',
          values: ['opening hours', 'the annual fee', 'annual card fee waived'],
        },
        topN: 2,
        headers: { 'x-trace': '1' },
        providerOptions: undefined,
        hadAbortSignal: false,
      },
    ]);
  });

  test('a scripted fault fails the given call, and rerank() retries past it', async () => {
    const model = new MockRerankStage({
      faults: [
        {
          call: 1,
          error: new ApiCallError({
            message: 'overloaded',
            url: 'mock://rerank',
            statusCode: 503,
            retryAfterMs: 1,
          }),
        },
      ],
    });
    const result = await rerank({ model, query: 'fee', documents: ['hours', 'fee'] });
    expect(result.ranking.map((entry) => entry.index)).toEqual([1, 0]);
    expect(model.calls).toHaveLength(2);
  });

  test('more documents than maxDocumentsPerCall in one call is an InvalidArgumentError; rerank() windows', async () => {
    const model = new MockRerankStage({ maxDocumentsPerCall: 2 });
    await expect(
      model.doRerank({ query: 'fee', documents: { type: 'text', values: ['a', 'b', 'c'] } }),
    ).rejects.toSatisfy(InvalidArgumentError.isInstance);
    const result = await rerank({
      model,
      query: 'fee',
      documents: ['a', 'fee', 'c', 'fee b', 'e'],
    });
    expect(result.ranking.map((entry) => entry.index)).toEqual([1, 3, 0, 2, 4]);
    expect(model.calls.slice(1).map((call) => call.documents.values.length)).toEqual([2, 2, 1]);
  });

  test('an abort during its latency rejects with AbortedError', async () => {
    const model = new MockRerankStage({ latencyMs: 60_000 });
    const controller = new AbortController();
    const call = model.doRerank({
      query: 'fee',
      documents: { type: 'text', values: ['fee'] },
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 5);
    await expect(call).rejects.toSatisfy(AbortedError.isInstance);
  });

  test('object documents are scored on all their fields', async () => {
    const model = new MockRerankStage();
    const result = await model.doRerank({
      query: 'mortgage',
      documents: {
        type: 'object',
        values: [{ text: 'fee schedule' }, { text: 'rates', title: 'Mortgage' }],
      },
    });
    expect(result.ranking[0]).toEqual({ index: 1, score: 1 });
  });
});

describe('MockRetrieveStage', () => {
  const documents = [
    { id: 'fee', text: 'early repayment fee', metadata: { category: 'loan', year: 2021 } },
    { id: 'card', text: 'annual card fee', metadata: { category: 'card', year: 2024 } },
    { id: 'hours', text: 'opening hours', metadata: { category: 'service', year: 2020 } },
    { id: 'fee', text: 'fee in another namespace', namespace: 'other' },
  ];

  test('returns matching documents by overlap, filtered, within the namespace', async () => {
    const retriever = new MockRetrieveStage({ documents });
    const all = await retrieve({ retriever, query: 'card fee', topK: 10 });
    expect(all.candidates.map((candidate) => [candidate.id, candidate.score])).toEqual([
      ['card', 1],
      ['fee', 0.5],
    ]);
    const filtered = await retriever.doRetrieve({
      query: 'card fee',
      topK: 10,
      filter: { year: { $lt: 2022 } },
    });
    expect(filtered.candidates.map((candidate) => candidate.id)).toEqual(['fee']);
    const other = await retriever.doRetrieve({ query: 'fee', topK: 10, namespace: 'other' });
    expect(other.candidates).toEqual([{ id: 'fee', text: 'fee in another namespace', score: 1 }]);
    expect(retriever.calls.map((call) => call.namespace)).toEqual([undefined, undefined, 'other']);
  });

  test('a malformed filter is rejected even when nothing would match', async () => {
    const retriever = new MockRetrieveStage({ documents: [] });
    await expect(
      retriever.doRetrieve({ query: 'fee', topK: 1, filter: { year: { $near: 1 } } }),
    ).rejects.toThrow(/\$near/);
  });

  test('keeps its own copy of the corpus', async () => {
    const corpus = [{ id: 'a', text: 'fee', metadata: { tags: ['x'] } }];
    const retriever = new MockRetrieveStage({ documents: corpus });
    corpus[0] = { id: 'b', text: 'changed', metadata: { tags: ['y'] } };
    const result = await retriever.doRetrieve({ query: 'fee', topK: 1 });
    expect(result.candidates).toEqual([
      { id: 'a', text: 'fee', score: 1, metadata: { tags: ['x'] } },
    ]);
  });
});

describe('MockEmbeddingModel', () => {
  test('texts sharing words are closer than unrelated ones; vectors have unit length', async () => {
    const model = new MockEmbeddingModel({ dimensions: 128 });
    const { embeddings } = await model.doEmbed({
      values: [
        'early repayment fee',
        'the early repayment fee on a loan',
        'opening hours on weekdays',
      ],
      inputType: 'document',
    });
    const [query, related, unrelated] = embeddings as [Float32Array, Float32Array, Float32Array];
    expect(cosine(query, query)).toBeCloseTo(1, 5);
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated));
  });

  test('a text without tokens embeds to the first unit vector', async () => {
    const model = new MockEmbeddingModel({ dimensions: 4 });
    const { embeddings } = await model.doEmbed({ values: ['  ...  '], inputType: 'query' });
    expect([...(embeddings[0] ?? [])]).toEqual([1, 0, 0, 0]);
  });

  test('embedMany batches by maxEmbeddingsPerCall and the calls are recorded', async () => {
    const model = new MockEmbeddingModel({ maxEmbeddingsPerCall: 2 });
    const { embeddings } = await embedMany({ model, values: ['a', 'b', 'c'], maxConcurrency: 1 });
    expect(embeddings).toHaveLength(3);
    expect(model.calls.map((call) => call.values)).toEqual([['a', 'b'], ['c']]);
    expect(model.calls.map((call) => call.inputType)).toEqual(['document', 'document']);
  });

  test('rejects a dimension count that is not a positive integer', () => {
    expect(() => new MockEmbeddingModel({ dimensions: 0 })).toThrow(/positive integer/);
  });
});
