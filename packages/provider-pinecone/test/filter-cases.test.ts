import { filterCases, filterFixtureRecords } from '@twostage/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { PineconeRetriever } from '../src/index.js';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

/**
 * The shared filter table, through the real client and the emulator's query path: the same
 * filter must select the same records here as on the embedded index.
 */
let bed: PineconeTestBed;
let retriever: PineconeRetriever;
beforeAll(async () => {
  bed = await startTestBed();
  const index = await bed.createIndex({ dimension: 384 });
  const embeddingModel = bed.provider.embeddingModel('llama-text-embed-v2', { dimensions: 384 });
  const result = await bed.provider.upsertDocuments({
    index,
    documents: filterFixtureRecords.map(({ id, text, metadata }) => ({
      id,
      text,
      ...(metadata === undefined ? {} : { metadata }),
    })),
    embeddingModel,
  });
  expect(result.failed).toEqual([]);
  retriever = bed.provider.retriever({ index, embeddingModel });
});
afterAll(() => bed.close());
afterEach(() => {
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

describe('the shared filter cases through Pinecone (emulated)', () => {
  for (const filterCase of filterCases) {
    test(filterCase.name, async () => {
      const result = await retriever.doRetrieve({
        query: 'account fee rate',
        topK: 100,
        filter: filterCase.filter,
      });
      expect(result.candidates.map((candidate) => candidate.id).sort()).toEqual([
        ...filterCase.expectedIds,
      ]);
      expect(bed.emulator.requestsOf('query').at(-1)?.body).toMatchObject({
        filter: filterCase.filter,
      });
    });
  }
});
