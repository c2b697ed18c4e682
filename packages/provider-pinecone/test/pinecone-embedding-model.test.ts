import { embed, embedMany, InvalidArgumentError } from '@twostage/core';
import { embeddingModelTests } from '@twostage/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

let bed: PineconeTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
afterEach(() => {
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

describe('pinecone embedding model conformance: multilingual-e5-large', () => {
  embeddingModelTests(test, () => bed.provider.embeddingModel('multilingual-e5-large'), {
    normalized: true,
    unicodeNormalization: true,
    vectorTolerance: 1e-6,
    timeoutMs: 20_000,
  });
});

describe('pinecone embedding model conformance: llama-text-embed-v2 at 384 dimensions', () => {
  embeddingModelTests(
    test,
    () => bed.provider.embeddingModel('llama-text-embed-v2', { dimensions: 384 }),
    {
      normalized: true,
      unicodeNormalization: true,
      timeoutMs: 20_000,
    },
  );
});

describe('pinecone embedding model', () => {
  test('declares the per-call limits of each hosted model', () => {
    const e5 = bed.provider.embeddingModel('multilingual-e5-large');
    const llama = bed.provider.embeddingModel('llama-text-embed-v2');
    expect([
      e5.dimensions,
      e5.maxEmbeddingsPerCall,
      e5.maxTokensPerInput,
      e5.supportsParallelCalls,
    ]).toEqual([1024, 96, 507, true]);
    expect([llama.dimensions, llama.maxEmbeddingsPerCall, llama.maxTokensPerInput]).toEqual([
      1024, 96, 2048,
    ]);
  });

  test('sends input_type query for queries and passage for documents, with truncate END', async () => {
    const model = bed.provider.embeddingModel('multilingual-e5-large');
    await embed({ model, value: 'what is the card fee?' });
    expect(bed.emulator.requestsOf('embed').at(-1)?.body).toEqual({
      model: 'multilingual-e5-large',
      inputs: [{ text: 'what is the card fee?' }],
      parameters: { input_type: 'query', truncate: 'END' },
    });
    await embedMany({ model, values: ['The annual card fee is waived.'] });
    expect(bed.emulator.requestsOf('embed').at(-1)?.body).toMatchObject({
      parameters: { input_type: 'passage', truncate: 'END' },
    });
  });

  test('asks llama-text-embed-v2 for the chosen dimension, as an integer', async () => {
    const model = bed.provider.embeddingModel('llama-text-embed-v2', { dimensions: 512 });
    const result = await embed({ model, value: 'fee' });
    expect(result.embedding.length).toBe(512);
    expect(bed.emulator.requestsOf('embed').at(-1)?.body).toMatchObject({
      parameters: { dimension: 512 },
    });
  });

  test('core batches by maxEmbeddingsPerCall: 200 values go out as 96 + 96 + 8', async () => {
    const model = bed.provider.embeddingModel('multilingual-e5-large');
    const before = bed.emulator.requestsOf('embed').length;
    const values = Array.from({ length: 200 }, (_, index) => `document ${index}`);
    const result = await embedMany({ model, values });
    const sizes = bed.emulator
      .requestsOf('embed')
      .slice(before)
      .map((request) => (request.body as { inputs: unknown[] }).inputs.length);
    expect(sizes.sort((left, right) => right - left)).toEqual([96, 96, 8]);
    const direct = await embed({ model, value: 'document 150', inputType: 'document' });
    expect(Array.from(result.embeddings[150] ?? [])).toEqual(Array.from(direct.embedding));
  });

  test('refuses dimensions the model does not offer, and an unknown model without dimensions', () => {
    expect(() => bed.provider.embeddingModel('multilingual-e5-large', { dimensions: 768 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => bed.provider.embeddingModel('my-custom-model')).toThrow(/dimensions/);
    expect(bed.provider.embeddingModel('my-custom-model', { dimensions: 64 }).dimensions).toBe(64);
  });
});
