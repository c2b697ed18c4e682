import { rerank, twoStage } from '@twostage/core';
import { embeddingModelTests, rerankStageTests } from '@twostage/core/testing';
import { describe, expect, test } from 'vitest';
import { createPinecone } from '../src/index.js';

/**
 * Live checks against Pinecone. They run only with `PINECONE_API_KEY` set; the index checks also
 * need `PINECONE_TEST_INDEX`, a serverless index of dimension 1024 (cosine) they may write to
 * (they use the namespace `twostage-int-test`).
 */
const apiKey = process.env.PINECONE_API_KEY;
const testIndex = process.env.PINECONE_TEST_INDEX;

describe.skipIf(!apiKey)('Pinecone live: hosted models', () => {
  const pinecone = createPinecone();

  describe('bge-reranker-v2-m3', () => {
    rerankStageTests(test, () => pinecone.reranker('bge-reranker-v2-m3'), {
      scoreKind: 'probability',
      semanticRelevance: true,
      maxTestedDocuments: 30,
      timeoutMs: 60_000,
    });
  });

  describe('multilingual-e5-large', () => {
    embeddingModelTests(test, () => pinecone.embeddingModel('multilingual-e5-large'), {
      normalized: true,
      semanticSimilarity: true,
      vectorTolerance: 1e-3,
      maxTestedEmbeddings: 20,
      timeoutMs: 60_000,
    });
  });

  test('rerank() ranks the answering document first', async () => {
    const result = await rerank({
      model: pinecone.reranker('bge-reranker-v2-m3'),
      query: 'How much is the early repayment fee?',
      documents: ['Branches open at 8 am.', 'Repaying a loan early costs a 2% fee.'],
    });
    expect(result.ranking[0]?.index).toBe(1);
  }, 60_000);
});

describe.skipIf(!apiKey || !testIndex)('Pinecone live: ingestion and retrieval', () => {
  test('ingests, then finds the answer with twoStage', async () => {
    const pinecone = createPinecone();
    const embeddingModel = pinecone.embeddingModel('multilingual-e5-large');
    const index = testIndex as string;
    const namespace = 'twostage-int-test';
    const ingested = await pinecone.upsertDocuments({
      index,
      namespace,
      embeddingModel,
      documents: [
        { id: 'int-fee', text: 'Repaying a home loan early costs an early repayment fee of 2%.' },
        { id: 'int-hours', text: 'Branches are open from 8 am to 5 pm on weekdays.' },
      ],
    });
    expect(ingested.failed).toEqual([]);
    // Pinecone is eventually consistent: give the upsert a moment to become visible.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const result = await twoStage({
      query: 'early repayment fee',
      retriever: pinecone.retriever({ index, namespace, embeddingModel }),
      reranker: pinecone.reranker('bge-reranker-v2-m3'),
      rerankTopN: 1,
    });
    expect(result.results[0]?.id).toBe('int-fee');
  }, 120_000);
});
