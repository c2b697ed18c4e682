import { ApiCallError, InvalidArgumentError, rerank } from '@twostage/core';
import { startLoopbackServer } from '@twostage/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createPinecone, twostageProvider } from '../src/index.js';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

/** Longer than any test runs: the emulator "never answers" (it stops waiting once the client leaves). */
const never = 10 * 60_000;

let bed: PineconeTestBed;
let index: string;
beforeAll(async () => {
  bed = await startTestBed();
  index = await bed.createIndex({ dimension: 1024 });
  await bed.provider.upsertDocuments({
    index,
    documents: [{ id: 'fee', text: 'The annual card fee is waived.' }],
    embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
  });
});
afterAll(() => bed.close());
afterEach(() => {
  vi.useRealTimers();
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

const documents = { type: 'text' as const, values: ['The annual card fee is waived.', 'Hours.'] };
const impatient = (timeoutMs = 300) =>
  createPinecone({
    apiKey: bed.emulator.apiKey,
    controllerHostUrl: bed.emulator.controllerHostUrl,
    timeoutMs,
  });

async function failure(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('every Pinecone request has a timeout', () => {
  test('an inference call to a server that never answers fails with a retryable ApiCallError', async () => {
    bed.emulator.fault({ operation: 'rerank', delayMs: never });
    const before = bed.emulator.requestsOf('rerank').length;
    const error = await failure(
      impatient().reranker('bge-reranker-v2-m3').doRerank({ query: 'fee', documents }),
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message: `Pinecone request to ${bed.emulator.controllerHostUrl}/rerank timed out after 300 ms.`,
      url: `${bed.emulator.controllerHostUrl}/rerank`,
      statusCode: undefined,
      isRetryable: true,
    });
    expect(bed.emulator.requestsOf('rerank').length - before).toBe(1);
  });

  test('so does the host lookup, which is forgotten and tried again by the next call', async () => {
    const provider = impatient();
    const retriever = provider.retriever({
      index,
      embeddingModel: provider.embeddingModel('multilingual-e5-large'),
    });
    bed.emulator.fault({ operation: 'describeIndex', delayMs: never });
    const error = await failure(retriever.doRetrieve({ query: 'fee', topK: 1 }));
    expect(error).toMatchObject({
      message: `Pinecone request to ${bed.emulator.controllerHostUrl}/indexes/${index} timed out after 300 ms.`,
      isRetryable: true,
    });
    const result = await retriever.doRetrieve({ query: 'card fee', topK: 1 });
    expect(result.candidates.map((candidate) => candidate.id)).toEqual(['fee']);
  });

  test('and a data-plane query', async () => {
    bed.emulator.fault({ operation: 'query', delayMs: never });
    const provider = impatient();
    const error = await failure(
      provider
        .retriever({
          index,
          embeddingModel: provider.embeddingModel('multilingual-e5-large'),
          metric: 'cosine',
        })
        .doRetrieve({ query: 'fee', topK: 1 }),
    );
    expect(error).toMatchObject({ name: 'ApiCallError', statusCode: undefined, isRetryable: true });
    expect(error.message).toMatch(/\/query timed out after 300 ms\.$/);
  });

  test('and an upsert batch, which is reported failed with the timeout', async () => {
    bed.emulator.fault({ operation: 'upsert', delayMs: never });
    const provider = impatient();
    const result = await provider.upsertDocuments({
      index,
      documents: [{ id: 'slow', text: 'A document whose upsert hangs.' }],
      embeddingModel: provider.embeddingModel('multilingual-e5-large'),
      maxRetries: 0,
    });
    expect(result.upserted).toEqual([]);
    expect(result.failed.map((failed) => failed.id)).toEqual(['slow']);
    expect(result.failed[0]?.error).toMatchObject({ name: 'ApiCallError', isRetryable: true });
    expect(result.failed[0]?.error.message).toMatch(/\/vectors\/upsert timed out after 300 ms\.$/);
  });

  test('a bare server that accepts the connection and never answers times out too', async () => {
    const silent = await startLoopbackServer(() => {});
    try {
      const error = await failure(
        createPinecone({
          apiKey: 'pcsk_silent_secret',
          controllerHostUrl: silent.url,
          timeoutMs: 200,
        })
          .embeddingModel('multilingual-e5-large')
          .doEmbed({ values: ['x'], inputType: 'query' }),
      );
      expect(error).toMatchObject({
        name: 'ApiCallError',
        message: `Pinecone request to ${silent.url}/embed timed out after 200 ms.`,
        isRetryable: true,
      });
    } finally {
      await silent.close();
    }
  });

  test("the timeout is per attempt: core's retry loop tries again and succeeds", async () => {
    bed.emulator.fault({ operation: 'rerank', delayMs: never, times: 1 });
    const before = bed.emulator.requestsOf('rerank').length;
    const result = await rerank({
      model: impatient().reranker('bge-reranker-v2-m3'),
      query: 'card fee',
      documents: documents.values,
    });
    expect(result.ranking[0]?.index).toBe(0);
    expect(bed.emulator.requestsOf('rerank').length - before).toBe(2);
  });

  test('defaults to 30 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let aborted = false;
    const provider = createPinecone({
      apiKey: 'pcsk_default_timeout',
      controllerHostUrl: 'http://pinecone.invalid',
      // Never answers; gives up only when the request's signal fires.
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(init.signal?.reason);
          });
        }),
    });
    const pending = failure(
      provider.reranker('bge-reranker-v2-m3').doRerank({ query: 'fee', documents }),
    );
    await vi.advanceTimersByTimeAsync(29_999);
    expect(aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({
      message: 'Pinecone request to http://pinecone.invalid/rerank timed out after 30000 ms.',
      isRetryable: true,
    });
  });
});

describe('the timeoutMs setting', () => {
  test('a value that is not a positive number is refused when the provider is created', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let error: unknown;
      try {
        createPinecone({ timeoutMs });
      } catch (caught) {
        error = caught;
      }
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ argument: 'timeoutMs' });
    }
  });

  test("core's registry passes it through settings, as a number or its text", async () => {
    bed.emulator.fault({ operation: 'rerank', delayMs: never });
    const stage = twostageProvider.reranker('bge-reranker-v2-m3', {
      settings: {
        apiKey: bed.emulator.apiKey,
        controllerHostUrl: bed.emulator.controllerHostUrl,
        timeoutMs: '250',
      },
    });
    const error = await failure(stage.doRerank({ query: 'fee', documents }));
    expect(error.message).toMatch(/timed out after 250 ms\.$/);
    expect(() =>
      twostageProvider.reranker('bge-reranker-v2-m3', { settings: { timeoutMs: 'soon' } }),
    ).toThrow(/'settings\.timeoutMs'/);
    expect(() =>
      twostageProvider.reranker('bge-reranker-v2-m3', { settings: { timeoutMs: true } }),
    ).toThrow(/'settings\.timeoutMs'/);
  });
});
