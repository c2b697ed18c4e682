import {
  registerProvider,
  resolveEmbeddingModel,
  resolveReranker,
  resolveRetriever,
  twoStage,
  unregisterProvider,
} from '@twostage/core';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  PineconeEmbeddingModel,
  PineconeRerankStage,
  PineconeRetriever,
  twostageProvider,
  VERSION,
} from '../src/index.js';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

let bed: PineconeTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
afterEach(() => {
  vi.unstubAllEnvs();
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

describe('twostageProvider (the registry entry)', () => {
  test('pinecone:<model> references build stages without reading the key yet', async () => {
    vi.stubEnv('PINECONE_API_KEY', '');
    vi.stubEnv('TWOSTAGE_EMBEDDING_MODEL', '');
    const reranker = twostageProvider.reranker('bge-reranker-v2-m3');
    const embeddingModel = twostageProvider.embeddingModel('multilingual-e5-large');
    const vectorRetriever = await twostageProvider.retriever('bank-policies', { embeddingModel });
    const recordsRetriever = await twostageProvider.retriever('bank-policies');
    expect(reranker).toBeInstanceOf(PineconeRerankStage);
    expect(reranker.maxDocumentsPerCall).toBe(100);
    expect(embeddingModel).toBeInstanceOf(PineconeEmbeddingModel);
    expect(embeddingModel.dimensions).toBe(1024);
    expect(vectorRetriever).toBeInstanceOf(PineconeRetriever);
    expect([vectorRetriever.mode, recordsRetriever.mode]).toEqual(['vector', 'records']);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('settings configure the connection and the retriever', async () => {
    const index = await bed.createIndex({
      integrated: { model: 'multilingual-e5-large', textField: 'body' },
    });
    await bed.provider.upsertDocuments({
      index,
      namespace: 'ns-1',
      documents: [{ id: 'a', text: 'card fee waived' }],
      textField: 'body',
    });
    vi.stubEnv('TWOSTAGE_EMBEDDING_MODEL', '');
    const retriever = await twostageProvider.retriever(index, {
      settings: {
        apiKey: bed.emulator.apiKey,
        controllerHostUrl: bed.emulator.controllerHostUrl,
        namespace: 'ns-1',
      },
    });
    const result = await retriever.doRetrieve({ query: 'card fee', topK: 3 });
    expect(result.candidates.map(({ id, text }) => ({ id, text }))).toEqual([
      { id: 'a', text: 'card fee waived' },
    ]);
  });

  test('a setting of the wrong type is a clear error', () => {
    expect(() =>
      twostageProvider.reranker('bge-reranker-v2-m3', { settings: { apiKey: 42 } }),
    ).toThrow(/settings\.apiKey/);
  });

  test('configuration alone: TWOSTAGE_* variables move stage 1 (and stage 2) to Pinecone', async () => {
    const index = await bed.createIndex({ dimension: 1024 });
    await bed.provider.upsertDocuments({
      index,
      documents: [
        { id: 'fee', text: 'Repaying a home loan early costs an early repayment fee of 2%.' },
        { id: 'hours', text: 'Branches are open from 8 am to 5 pm on weekdays.' },
      ],
      embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
    });
    // In an application the registry imports @twostage/provider-pinecone by name; inside this
    // workspace the package is not installed under its own name, so it is registered directly.
    registerProvider('pinecone', twostageProvider);
    try {
      vi.stubEnv('PINECONE_API_KEY', bed.emulator.apiKey);
      vi.stubEnv('PINECONE_CONTROLLER_HOST', bed.emulator.controllerHostUrl);
      vi.stubEnv('TWOSTAGE_EMBEDDING_MODEL', 'pinecone:multilingual-e5-large');
      vi.stubEnv('TWOSTAGE_RETRIEVER', `pinecone:${index}`);
      vi.stubEnv('TWOSTAGE_RERANKER', 'pinecone:bge-reranker-v2-m3');

      // The retriever resolves TWOSTAGE_EMBEDDING_MODEL itself: no code names a model.
      const result = await twoStage({
        query: 'early repayment fee',
        retriever: await resolveRetriever(),
        reranker: await resolveReranker(),
        rerankTopN: 1,
      });
      expect(result.results.map((item) => item.id)).toEqual(['fee']);
      expect(bed.emulator.requestsOf('query').at(-1)?.index).toBe(index);
      expect(bed.emulator.requestsOf('embed').at(-1)?.body).toMatchObject({
        model: 'multilingual-e5-large',
        parameters: { input_type: 'query' },
      });
      expect((await resolveEmbeddingModel()).modelId).toBe('multilingual-e5-large');
      expect(bed.emulator.requestsOf('rerank').at(-1)?.body).toMatchObject({
        model: 'bge-reranker-v2-m3',
      });
    } finally {
      unregisterProvider('pinecone');
    }
  });
});
