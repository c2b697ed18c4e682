import {
  AbortedError,
  ApiCallError,
  InvalidArgumentError,
  rerank as twostageRerank,
} from '@twostage/core';
import { MockRerankStage } from '@twostage/core/mock';
import { rerank } from 'ai';
import { describe, expect, test } from 'vitest';
import { toAiSdkRerankingModel } from '../src/index.js';

const documents = [
  'Savings accounts earn interest monthly.',
  'The overdraft fee is 35 dollars per overdraft.',
  'Branches open at nine.',
  'Overdraft protection links a savings account.',
];
const query = 'overdraft fee';

/** Scores a document by the number written in it, so the order of any input is known exactly. */
function numberScore(text: string): number {
  return Number(/\d+/.exec(text)?.[0] ?? '0') / 100;
}

describe("the AI SDK's rerank() over a twostage stage", () => {
  test('returns the ranking core computes, with the documents, sorted and cut to topN', async () => {
    const stage = new MockRerankStage();
    const expected = await twostageRerank({
      model: new MockRerankStage(),
      query,
      documents,
      topN: 2,
    });
    const result = await rerank({ model: toAiSdkRerankingModel(stage), query, documents, topN: 2 });
    expect(result.ranking).toEqual(
      expected.ranking.map(({ index, score }) => ({
        originalIndex: index,
        score,
        document: documents[index],
      })),
    );
    expect(result.ranking.map(({ originalIndex }) => originalIndex)).toEqual([1, 3]);
    expect(result.rerankedDocuments).toEqual([documents[1], documents[3]]);
    expect(stage.calls.map((call) => call.topN)).toEqual([2]);
  });

  test("windows through core so the stage's maxDocumentsPerCall holds, with exact indices", async () => {
    const stage = new MockRerankStage({ maxDocumentsPerCall: 3, score: numberScore });
    const texts = ['doc 10', 'doc 70', 'doc 20', 'doc 90', 'doc 30', 'doc 80', 'doc 40', 'doc 60'];
    const result = await rerank({
      model: toAiSdkRerankingModel(stage),
      query: 'doc',
      documents: texts,
      topN: 4,
    });
    expect(result.ranking.map(({ originalIndex, score }) => [originalIndex, score])).toEqual([
      [3, 0.9],
      [5, 0.8],
      [1, 0.7],
      [7, 0.6],
    ]);
    expect(stage.calls.map((call) => call.documents.values)).toEqual([
      ['doc 10', 'doc 70', 'doc 20'],
      ['doc 90', 'doc 30', 'doc 80'],
      ['doc 40', 'doc 60'],
    ]);
    expect(result.providerMetadata?.twostage).toMatchObject({
      servedBy: 'mock:mock-reranker',
      calls: 3,
    });
  });

  test('ten documents on a stage of four per call: all ten ranked, no call above four', async () => {
    const stage = new MockRerankStage({ maxDocumentsPerCall: 4, score: numberScore });
    const scores = [42, 7, 93, 15, 68, 3, 81, 56, 29, 74];
    const texts = scores.map((score) => `doc ${score}`);
    const result = await rerank({
      model: toAiSdkRerankingModel(stage),
      query: 'doc',
      documents: texts,
      topN: 10,
    });
    expect(
      result.ranking.map(({ originalIndex, score, document }) => [originalIndex, score, document]),
    ).toEqual([
      [2, 0.93, 'doc 93'],
      [6, 0.81, 'doc 81'],
      [9, 0.74, 'doc 74'],
      [4, 0.68, 'doc 68'],
      [7, 0.56, 'doc 56'],
      [0, 0.42, 'doc 42'],
      [8, 0.29, 'doc 29'],
      [3, 0.15, 'doc 15'],
      [1, 0.07, 'doc 7'],
      [5, 0.03, 'doc 3'],
    ]);
    expect(stage.calls.map((call) => call.documents.values.length)).toEqual([4, 4, 2]);
  });

  test("the bridge's own providerOptions.twostage key does not reach the stage", async () => {
    const stage = new MockRerankStage();
    await rerank({
      model: toAiSdkRerankingModel(stage),
      query,
      documents,
      providerOptions: { twostage: { note: 'bridge' }, mock: { flavour: 'x' } },
    });
    expect(stage.calls.map((call) => call.providerOptions)).toEqual([{ mock: { flavour: 'x' } }]);
  });

  test('passes object documents to the stage as they are, window by window', async () => {
    const stage = new MockRerankStage({ maxDocumentsPerCall: 2 });
    const objects = [
      { title: 'Savings', body: 'Savings accounts earn interest monthly.', tags: ['a'] },
      { title: 'Fees', body: 'The overdraft fee is 35 dollars.', nested: { level: 1 } },
      { title: 'Hours', body: 'Branches open at nine.' },
    ];
    const result = await rerank({ model: toAiSdkRerankingModel(stage), query, documents: objects });
    expect(stage.calls.map((call) => call.documents)).toEqual([
      { type: 'object', values: [objects[0], objects[1]] },
      { type: 'object', values: [objects[2]] },
    ]);
    expect(result.ranking[0]?.originalIndex).toBe(1);
    expect(result.ranking[0]?.document).toBe(objects[1]);
    expect(result.ranking.map(({ originalIndex }) => originalIndex).sort()).toEqual([0, 1, 2]);
  });

  test('passes headers and provider options through to the stage', async () => {
    const stage = new MockRerankStage();
    await rerank({
      model: toAiSdkRerankingModel(stage),
      query,
      documents,
      headers: { 'x-request-id': 'r-1' },
      providerOptions: { mock: { flavour: 'plain' } },
    });
    expect(stage.calls[0]?.headers).toEqual({ 'x-request-id': 'r-1' });
    expect(stage.calls[0]?.providerOptions).toEqual({ mock: { flavour: 'plain' } });
  });

  test('maps the stage warnings into AI SDK warnings', async () => {
    const stage = new MockRerankStage({
      extra: () => ({
        warnings: [
          { type: 'unsupported-setting', setting: 'maxTokensPerDoc', details: 'ignored' },
          { type: 'lossy-input', details: 'objects flattened to text' },
          { type: 'other', message: 'slow today' },
        ],
      }),
    });
    const model = toAiSdkRerankingModel(stage);
    const reply = await model.doRerank({ documents: { type: 'text', values: documents }, query });
    expect(reply.warnings).toEqual([
      { type: 'unsupported', feature: 'maxTokensPerDoc', details: 'ignored' },
      { type: 'compatibility', feature: 'documents', details: 'objects flattened to text' },
      { type: 'other', message: 'slow today' },
    ]);
  });

  test('a 429 from the stage is retried by core, and the AI SDK sees only the answer', async () => {
    const stage = new MockRerankStage({
      faults: [
        {
          call: 1,
          error: new ApiCallError({
            message: 'rate limited',
            url: 'mock://rerank',
            statusCode: 429,
            retryAfterMs: 1,
          }),
        },
      ],
    });
    const result = await rerank({ model: toAiSdkRerankingModel(stage), query, documents, topN: 1 });
    expect(result.ranking.map(({ originalIndex }) => originalIndex)).toEqual([1]);
    expect(stage.calls).toHaveLength(2);
  });

  test('a 400 surfaces as the twostage ApiCallError, tried once (the AI SDK does not retry it)', async () => {
    const failure = new ApiCallError({
      message: 'bad request',
      url: 'mock://rerank',
      statusCode: 400,
    });
    const stage = new MockRerankStage({ faults: [{ call: 1, error: failure }] });
    const rejection = rerank({
      model: toAiSdkRerankingModel(stage),
      query,
      documents,
      maxRetries: 2,
    });
    await expect(rejection).rejects.toBe(failure);
    expect(stage.calls).toHaveLength(1);
  });

  test('core retries retryable failures at most maxRetries times', async () => {
    const failure = () =>
      new ApiCallError({ message: 'busy', url: 'mock://rerank', statusCode: 503, retryAfterMs: 1 });
    const stage = new MockRerankStage({
      faults: [1, 2, 3].map((call) => ({ call, error: failure() })),
    });
    const model = toAiSdkRerankingModel(stage, { maxRetries: 1 });
    await expect(rerank({ model, query, documents })).rejects.toMatchObject({ name: 'RetryError' });
    expect(stage.calls).toHaveLength(2);
  });

  test("the caller's abort rejects with an AbortedError while the stage is working", async () => {
    const stage = new MockRerankStage({ latencyMs: 5_000 });
    const controller = new AbortController();
    const call = rerank({
      model: toAiSdkRerankingModel(stage),
      query,
      documents,
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('user left')), 10);
    const error = await call.catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(stage.calls).toHaveLength(1);
  });

  test('reports the provider and model id of the stage, or the ones given', () => {
    const stage = new MockRerankStage({ modelId: 'm-1' });
    const plain = toAiSdkRerankingModel(stage);
    expect([plain.specificationVersion, plain.provider, plain.modelId]).toEqual([
      'v3',
      'mock',
      'm-1',
    ]);
    const named = toAiSdkRerankingModel(stage, { provider: 'twostage', modelId: 'house-reranker' });
    expect([named.provider, named.modelId]).toEqual(['twostage', 'house-reranker']);
  });
});

describe('toAiSdkRerankingModel() refuses bad input with typed errors', () => {
  const stage = new MockRerankStage();

  test.each([
    ['not a stage', null, 'stage'],
    ['an object without doRerank', { specificationVersion: 'v1' }, 'stage'],
    [
      'an AI SDK model (v3)',
      { specificationVersion: 'v3', provider: 'p', modelId: 'm', doRerank: () => undefined },
      'stage.specificationVersion',
    ],
    [
      'a stage without a provider',
      { specificationVersion: 'v1', provider: '', modelId: 'm', doRerank: () => undefined },
      'stage.provider',
    ],
  ])('%s', (_, value, argument) => {
    const attempt = () => toAiSdkRerankingModel(value as never);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ argument }));
  });

  test.each([
    ['an unknown option name', { maxRetry: 1 }, 'options.maxRetry'],
    ['a negative maxRetries', { maxRetries: -1 }, 'options.maxRetries'],
    ['a zero maxConcurrency', { maxConcurrency: 0 }, 'options.maxConcurrency'],
    ['a zero timeoutMs', { timeoutMs: 0 }, 'options.timeoutMs'],
    ['an empty modelId', { modelId: '' }, 'options.modelId'],
    ['options that are not an object', 'fast', 'options'],
  ])('%s', (_, options, argument) => {
    const attempt = () => toAiSdkRerankingModel(stage, options as never);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ argument }));
  });

  test('the unknown option is named with the closest valid one', () => {
    expect(() => toAiSdkRerankingModel(stage, { maxRetires: 1 } as never)).toThrow(
      /did you mean 'maxRetries'/,
    );
  });

  test('malformed documents and a blank query fail the call with InvalidArgumentError', async () => {
    const model = toAiSdkRerankingModel(stage);
    await expect(
      model.doRerank({ documents: { type: 'html', values: [] } as never, query }),
    ).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'documents' });
    await expect(
      model.doRerank({ documents: { type: 'object', values: [{ a: 1 }, 'text'] } as never, query }),
    ).rejects.toMatchObject({ argument: 'documents.values[1]' });
    await expect(
      model.doRerank({ documents: { type: 'text', values: ['a'] }, query: '  ' }),
    ).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'query' });
  });
});
