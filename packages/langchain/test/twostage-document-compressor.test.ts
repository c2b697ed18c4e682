import { ContextualCompressionRetriever } from '@langchain/classic/retrievers/contextual_compression';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { SyntheticEmbeddings } from '@langchain/core/utils/testing';
import { ApiCallError, InvalidArgumentError, type RerankResult } from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { describe, expect, test } from 'vitest';
import { TwostageDocumentCompressor } from '../src/index.js';
import { buildMemoryStore } from './helpers/build-memory-store.js';

/** Three retrieved documents in stage-1 order; the one about fees is last. */
function retrievedDocuments(): Document[] {
  return [
    new Document({
      id: 'hours',
      pageContent: 'Branches open at 8 am.',
      metadata: { topic: 'service' },
    }),
    new Document({
      id: 'card',
      pageContent: 'Lost card: call the hotline.',
      metadata: { topic: 'card' },
    }),
    new Document({
      id: 'fee',
      pageContent: 'The early repayment fee is 2%.',
      metadata: { topic: 'loan' },
    }),
  ];
}

const idsAndScores = (documents: DocumentInterface[]) =>
  documents.map((document) => [document.id, document.metadata.relevanceScore]);

describe('TwostageDocumentCompressor', () => {
  test('inside ContextualCompressionRetriever.invoke() over a MemoryVectorStore', async () => {
    const store = await buildMemoryStore(
      [
        { id: 'hours', text: 'Branches open at 8 am.', metadata: { topic: 'service' } },
        { id: 'card', text: 'Lost card fee: call the hotline.', metadata: { topic: 'card' } },
        { id: 'fee', text: 'The early repayment fee is 2%.', metadata: { topic: 'loan' } },
        { id: 'rate', text: 'Fixed loan rates for ten years.', metadata: { topic: 'loan' } },
      ],
      new SyntheticEmbeddings({ vectorSize: 16 }),
    );
    const reranker = new MockRerankStage();
    const retriever = new ContextualCompressionRetriever({
      baseCompressor: new TwostageDocumentCompressor({ reranker, topN: 2 }),
      baseRetriever: store.asRetriever(4),
    });
    const documents = await retriever.invoke('early repayment fee');
    // The mock scores the share of the query's words a text holds.
    expect(idsAndScores(documents)).toEqual([
      ['fee', 1],
      ['card', 1 / 3],
    ]);
    expect(documents[0]).toBeInstanceOf(Document);
    expect(documents[0]?.pageContent).toBe('The early repayment fee is 2%.');
    expect(documents[0]?.metadata).toEqual({ topic: 'loan', relevanceScore: 1 });
    // The reranker saw all four candidates the store returned, and the query.
    expect(reranker.calls.map((call) => [call.query, [...call.documents.values].sort()])).toEqual([
      [
        'early repayment fee',
        [
          'Branches open at 8 am.',
          'Fixed loan rates for ten years.',
          'Lost card fee: call the hotline.',
          'The early repayment fee is 2%.',
        ],
      ],
    ]);
  });

  test("scores copies and never changes the caller's documents", async () => {
    const documents = retrievedDocuments();
    const before = structuredClone(documents.map((document) => ({ ...document })));
    const compressed = await new TwostageDocumentCompressor({
      reranker: new MockRerankStage(),
    }).compressDocuments(documents, 'early repayment fee');
    expect(idsAndScores(compressed)).toEqual([
      ['fee', 1],
      ['hours', 0],
      ['card', 0],
    ]);
    expect(compressed[0]).not.toBe(documents[2]);
    expect(documents.map((document) => ({ ...document }))).toEqual(before);
    expect(documents[2]?.metadata).toEqual({ topic: 'loan' });
  });

  test('minScore drops low scores; topN cuts; onResult sees the core result', async () => {
    const results: RerankResult<string>[] = [];
    const compressor = new TwostageDocumentCompressor({
      reranker: new MockRerankStage(),
      topN: 2,
      minScore: 0.5,
      onResult: (result) => results.push(result),
    });
    const compressed = await compressor.compressDocuments(
      retrievedDocuments(),
      'early repayment fee',
    );
    expect(idsAndScores(compressed)).toEqual([['fee', 1]]);
    expect(
      results.map((result) => result.ranking.map(({ index, score }) => [index, score])),
    ).toEqual([
      [
        [2, 1],
        [0, 0],
      ],
    ]);
  });

  test("windows through core's rerank(): maxDocumentsPerCall holds", async () => {
    const reranker = new MockRerankStage({ maxDocumentsPerCall: 2 });
    const compressed = await new TwostageDocumentCompressor({ reranker }).compressDocuments(
      retrievedDocuments(),
      'early repayment fee',
    );
    expect(reranker.calls.map((call) => call.documents.values.length)).toEqual([2, 1]);
    expect(compressed.map((document) => document.id)).toEqual(['fee', 'hours', 'card']);
  });

  test('retries a retryable failure, and no documents make no call', async () => {
    const busy = () => new ApiCallError({ message: 'busy', url: 'mock://', statusCode: 503 });
    const reranker = new MockRerankStage({ faults: [{ call: 1, error: busy() }] });
    const compressor = new TwostageDocumentCompressor({ reranker, maxRetries: 1 });
    await expect(compressor.compressDocuments([], 'q')).resolves.toEqual([]);
    expect(reranker.calls).toHaveLength(0);
    const compressed = await compressor.compressDocuments(
      retrievedDocuments(),
      'early repayment fee',
    );
    expect(compressed[0]?.id).toBe('fee');
    expect(reranker.calls).toHaveLength(2);
    const failing = new TwostageDocumentCompressor({
      reranker: new MockRerankStage({ faults: [{ call: 1, error: busy() }] }),
      maxRetries: 0,
    });
    await expect(failing.compressDocuments(retrievedDocuments(), 'fee')).rejects.toThrow(
      ApiCallError,
    );
  });

  test('bad options and inputs are InvalidArgumentErrors', async () => {
    const reranker = new MockRerankStage();
    expect(() => new TwostageDocumentCompressor(undefined as never)).toThrow(InvalidArgumentError);
    expect(() => new TwostageDocumentCompressor({ reranker: {} as never })).toThrow(/doRerank/);
    expect(() => new TwostageDocumentCompressor({ reranker, topn: 2 } as never)).toThrow(/topN/);
    expect(() => new TwostageDocumentCompressor({ reranker, topN: 0 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new TwostageDocumentCompressor({ reranker, minScore: Number.NaN })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new TwostageDocumentCompressor({ reranker, timeoutMs: -1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new TwostageDocumentCompressor({ reranker, onResult: 1 as never })).toThrow(
      InvalidArgumentError,
    );
    const compressor = new TwostageDocumentCompressor({ reranker });
    await expect(compressor.compressDocuments(retrievedDocuments(), ' ')).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(compressor.compressDocuments('x' as never, 'q')).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(compressor.compressDocuments([{ pageContent: 3 } as never], 'q')).rejects.toThrow(
      /documents\[0\]/,
    );
    expect(reranker.calls).toHaveLength(0);
  });
});
