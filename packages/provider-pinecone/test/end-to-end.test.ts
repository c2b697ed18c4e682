import { twoStage } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { PineconeDocument, PineconeRetriever } from '../src/index.js';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

const policies: PineconeDocument[] = [
  {
    id: 'early-repayment',
    text: 'Repaying a home loan early costs an early repayment fee of 2% of the outstanding principal.',
    metadata: { category: 'loan', language: 'en' },
  },
  {
    id: 'fixed-rate',
    text: 'Fixed-rate mortgages keep the same interest rate for the first five years.',
    metadata: { category: 'loan', language: 'en' },
  },
  {
    id: 'card-fee',
    text: 'The credit card annual fee is waived in the first year for new holders.',
    metadata: { category: 'card', language: 'en' },
  },
  {
    id: 'card-lost',
    text: 'Lost cards must be reported at once through the app or the hotline.',
    metadata: { category: 'card', language: 'en' },
  },
  {
    id: 'branch-hours',
    text: 'Branches are open from 8 am to 5 pm on weekdays and until noon on Saturdays.',
    metadata: { category: 'service', language: 'en' },
  },
  {
    id: 'wire-abroad',
    text: 'Wire transfers abroad take one to three business days and cost a flat fee.',
    metadata: { category: 'transfer', language: 'en' },
  },
  {
    id: 'vi-savings',
    text: 'Lãi suất tiết kiệm kỳ hạn 12 tháng là 5,5% mỗi năm.',
    metadata: { category: 'savings', language: 'vi' },
  },
  {
    id: 'vi-card-fee',
    text: 'Phí thường niên thẻ tín dụng được miễn trong năm đầu tiên.',
    metadata: { category: 'card', language: 'vi' },
  },
];

let bed: PineconeTestBed;
let retriever: PineconeRetriever;
beforeAll(async () => {
  bed = await startTestBed();
  const index = await bed.createIndex({ dimension: 1024 });
  const embeddingModel = bed.provider.embeddingModel('multilingual-e5-large');
  const ingested = await bed.provider.upsertDocuments({
    index,
    namespace: 'bank',
    documents: policies,
    embeddingModel,
    batchSize: 3,
  });
  expect(ingested).toEqual({ upserted: policies.map((policy) => policy.id), failed: [] });
  retriever = bed.provider.retriever({ index, namespace: 'bank', embeddingModel });
});
afterAll(() => bed.close());
afterEach(() => {
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

describe('end to end: ingest, then twoStage on Pinecone', () => {
  test("Pinecone's retriever and Pinecone's reranker find the answer", async () => {
    const result = await twoStage({
      query: 'How much is the early repayment fee on a home loan?',
      retriever,
      reranker: bed.provider.reranker('bge-reranker-v2-m3'),
      retrieveTopK: 6,
      rerankTopN: 2,
    });
    expect(result.degraded).toBe(false);
    expect(result.results.map((item) => item.id)[0]).toBe('early-repayment');
    expect(result.results[0]).toMatchObject({
      text: policies[0]?.text,
      metadata: { category: 'loan', language: 'en' },
      retrieveRank: 1,
    });
    const scores = result.results.map((item) => item.rerankScore ?? -1);
    expect([...scores].sort((left, right) => right - left)).toEqual(scores);
    const rerankRequest = bed.emulator.requestsOf('rerank').at(-1)?.body as {
      documents: { text: string }[];
      top_n: number;
    };
    expect(rerankRequest.top_n).toBe(2);
    expect(rerankRequest.documents.map((document) => document.text)).toContain(policies[0]?.text);
    expect(bed.emulator.requestsOf('query').at(-1)?.body).toMatchObject({
      topK: 6,
      namespace: 'bank',
    });
  });

  test('a metadata filter and the mock reranker: Vietnamese card fee question', async () => {
    const result = await twoStage({
      query: 'phí thường niên thẻ tín dụng',
      retriever,
      reranker: new MockRerankStage(),
      filter: { category: 'card' },
      retrieveTopK: 10,
      rerankTopN: 3,
    });
    expect(result.results.map((item) => item.id)[0]).toBe('vi-card-fee');
    expect(new Set(result.results.map((item) => item.metadata.category))).toEqual(
      new Set(['card']),
    );
  });

  test('a failing hosted reranker falls back to stage-1 order when asked to', async () => {
    bed.emulator.fault({ operation: 'rerank', status: 500 });
    const result = await twoStage({
      query: 'credit card annual fee',
      retriever,
      reranker: bed.provider.reranker('bge-reranker-v2-m3'),
      onRerankError: 'fallback',
      retrieveTopK: 5,
      rerankTopN: 2,
      maxRetries: 0,
    });
    expect(result.degraded).toBe(true);
    expect(result.results.map((item) => item.rerankScore)).toEqual([null, null]);
    expect(result.results[0]?.id).toBe('card-fee');
  });
});
