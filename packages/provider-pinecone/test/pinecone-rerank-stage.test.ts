import { ApiCallError, rerank } from '@twostage/core';
import { rerankStageTests } from '@twostage/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { rerankModelLimits } from '../src/index.js';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

let bed: PineconeTestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
afterEach(() => {
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

for (const modelId of ['bge-reranker-v2-m3', 'cohere-rerank-3.5', 'pinecone-rerank-v0'] as const) {
  describe(`pinecone reranker conformance: ${modelId}`, () => {
    rerankStageTests(test, () => bed.provider.reranker(modelId), {
      scoreKind: 'probability',
      unicodeNormalization: true,
      timeoutMs: 20_000,
    });
  });
}

describe('pinecone reranker', () => {
  test('declares the per-call limits of each hosted model', () => {
    expect(
      Object.fromEntries(
        (['bge-reranker-v2-m3', 'cohere-rerank-3.5', 'pinecone-rerank-v0'] as const).map(
          (modelId) => {
            const stage = bed.provider.reranker(modelId);
            return [modelId, [stage.maxDocumentsPerCall, stage.maxTokensPerPair, stage.scoreKind]];
          },
        ),
      ),
    ).toEqual({
      'bge-reranker-v2-m3': [100, 1024, 'probability'],
      'cohere-rerank-3.5': [200, 40_000, 'probability'],
      'pinecone-rerank-v0': [100, 512, 'probability'],
    });
    expect(rerankModelLimits['bge-reranker-v2-m3'].maxDocumentsPerCall).toBe(100);
  });

  test('sends the query, the documents, top_n and truncate END, and asks for no documents back', async () => {
    const stage = bed.provider.reranker('bge-reranker-v2-m3');
    const result = await stage.doRerank({
      query: 'annual card fee',
      documents: {
        type: 'text',
        values: [
          'Branch hours on weekdays.',
          'The annual card fee is waived.',
          'Wire transfers abroad.',
        ],
      },
      topN: 2,
    });
    // Neither other document shares a word with the query: they tie, and the tie keeps input order.
    expect(result.ranking.map((entry) => entry.index)).toEqual([1, 0]);
    expect(result.usage).toEqual({ searchUnits: 1 });
    expect(bed.emulator.requestsOf('rerank').at(-1)?.body).toEqual({
      model: 'bge-reranker-v2-m3',
      query: 'annual card fee',
      documents: [
        { text: 'Branch hours on weekdays.' },
        { text: 'The annual card fee is waived.' },
        { text: 'Wire transfers abroad.' },
      ],
      top_n: 2,
      return_documents: false,
      rank_fields: ['text'],
      parameters: { truncate: 'END' },
    });
  });

  test('cohere-rerank-3.5 gets no truncate parameter (it takes none)', async () => {
    await bed.provider
      .reranker('cohere-rerank-3.5')
      .doRerank({ query: 'fee', documents: { type: 'text', values: ['fee', 'hours'] } });
    expect(bed.emulator.requestsOf('rerank').at(-1)?.body).toMatchObject({
      model: 'cohere-rerank-3.5',
      parameters: {},
    });
  });

  test("truncate 'NONE' lets the service reject a pair over the model's token limit (400, not retried)", async () => {
    const stage = bed.provider.reranker('pinecone-rerank-v0', { truncate: 'NONE' });
    const long = 'fee '.repeat(600);
    const error = await stage
      .doRerank({ query: 'fee', documents: { type: 'text', values: [long] } })
      .catch((caught: unknown) => caught);
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect((error as Error).message).toContain('more than the 512 of pinecone-rerank-v0');
  });

  test('object documents are rendered into text with a lossy-input warning', async () => {
    const stage = bed.provider.reranker('bge-reranker-v2-m3');
    const result = await stage.doRerank({
      query: 'card fee',
      documents: {
        type: 'object',
        values: [
          { title: 'Hours', text: 'Open weekdays' },
          { title: 'Cards', text: 'Annual card fee waived', year: 2024 },
        ],
      },
    });
    expect(result.ranking[0]?.index).toBe(1);
    expect(result.warnings).toEqual([
      {
        type: 'lossy-input',
        details:
          "bge-reranker-v2-m3 ranks one field; object documents were rendered as 'key: value' lines into 'text'.",
      },
    ]);
    expect(bed.emulator.requestsOf('rerank').at(-1)?.body).toMatchObject({
      documents: [
        { text: 'title: Hours\ntext: Open weekdays' },
        { text: 'title: Cards\ntext: Annual card fee waived\nyear: 2024' },
      ],
    });
  });

  test('cohere-rerank-3.5 ranks object documents on the chosen fields', async () => {
    const stage = bed.provider.reranker('cohere-rerank-3.5', { rankFields: ['title', 'body'] });
    const result = await stage.doRerank({
      query: 'card fee',
      documents: {
        type: 'object',
        values: [
          { title: 'Hours', body: 'Open weekdays' },
          { title: 'Card fee', body: 'Waived the first year' },
        ],
      },
    });
    expect(result.ranking[0]?.index).toBe(1);
    expect(bed.emulator.requestsOf('rerank').at(-1)?.body).toMatchObject({
      rank_fields: ['title', 'body'],
      documents: [
        { title: 'Hours', body: 'Open weekdays' },
        { title: 'Card fee', body: 'Waived the first year' },
      ],
    });
  });

  test('core windows a large input by maxDocumentsPerCall: no call holds more than 100 documents', async () => {
    const stage = bed.provider.reranker('bge-reranker-v2-m3');
    const documents = Array.from(
      { length: 230 },
      (_, index) => `policy number ${index} about fees`,
    );
    const before = bed.emulator.requestsOf('rerank').length;
    const result = await rerank({ model: stage, query: 'policy number 117', documents, topN: 3 });
    const calls = bed.emulator.requestsOf('rerank').slice(before);
    const sizes = calls.map((call) => (call.body as { documents: unknown[] }).documents.length);
    expect(sizes.sort((left, right) => right - left)).toEqual([100, 100, 30]);
    expect(result.ranking[0]?.document).toBe('policy number 117 about fees');
  });
});
