import { inspect } from 'node:util';
import { AbortedError, ApiCallError, MissingSettingError, rerank, retrieve } from '@twostage/core';
import { startLoopbackServer } from '@twostage/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createPinecone } from '../src/index.js';
import { type PineconeTestBed, startTestBed } from './helpers/pinecone-test-bed.js';

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
  vi.unstubAllEnvs();
  expect(bed.emulator.violations.splice(0)).toEqual([]);
});

const documents = {
  type: 'text' as const,
  values: ['The annual card fee is waived.', 'Branch hours.'],
};
const retriever = () =>
  bed.provider.retriever({
    index,
    embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
    metric: 'cosine',
  });

async function failure(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('error mapping', () => {
  test('429 from the rate-limit layer → retryable ApiCallError with status, url, body and retryAfterMs', async () => {
    bed.emulator.fault({
      operation: 'rerank',
      status: 429,
      body: 'Too Many Requests',
      headers: { 'retry-after': '2' },
    });
    const error = await failure(
      bed.provider.reranker('bge-reranker-v2-m3').doRerank({ query: 'fee', documents }),
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 429,
      isRetryable: true,
      retryAfterMs: 2000,
      responseBody: 'Too Many Requests',
      url: `${bed.emulator.controllerHostUrl}/rerank`,
    });
    expect(error.message).toBe(
      `Pinecone API call to ${bed.emulator.controllerHostUrl}/rerank failed with status 429: Too Many Requests`,
    );
  });

  test('5xx → retryable ApiCallError with the parsed body, after exactly one request (client retries off)', async () => {
    bed.emulator.fault({
      operation: 'query',
      status: 500,
      body: { code: 2, message: 'internal hiccup', details: [] },
    });
    const before = bed.emulator.requestsOf('query').length;
    const error = await failure(retriever().doRetrieve({ query: 'fee', topK: 3 }));
    expect(error).toMatchObject({
      statusCode: 500,
      isRetryable: true,
      responseBody: { code: 2, message: 'internal hiccup', details: [] },
    });
    expect(error.message).toContain('internal hiccup');
    expect(bed.emulator.requestsOf('query').length - before).toBe(1);
  });

  test('core retries a 429 once, honouring retry-after-ms, and the call succeeds', async () => {
    bed.emulator.fault({
      operation: 'rerank',
      status: 429,
      body: 'Too Many Requests',
      headers: { 'retry-after-ms': '30' },
    });
    const before = bed.emulator.requestsOf('rerank').length;
    const result = await rerank({
      model: bed.provider.reranker('bge-reranker-v2-m3'),
      query: 'card fee',
      documents: documents.values,
    });
    expect(result.ranking[0]?.index).toBe(0);
    expect(bed.emulator.requestsOf('rerank').length - before).toBe(2);
  });

  test('400 → non-retryable ApiCallError carrying the service message', async () => {
    const error = await failure(
      bed.provider.reranker('no-such-reranker').doRerank({ query: 'fee', documents }),
    );
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect(error.message).toContain("INVALID_ARGUMENT: Model 'no-such-reranker' is not supported.");
  });

  test('an unknown index → 404 ApiCallError from the host lookup', async () => {
    const error = await failure(
      bed.provider
        .retriever({
          index: 'missing-index',
          embeddingModel: bed.provider.embeddingModel('multilingual-e5-large'),
        })
        .doRetrieve({ query: 'x', topK: 1 }),
    );
    expect(error).toMatchObject({
      statusCode: 404,
      isRetryable: false,
      url: `${bed.emulator.controllerHostUrl}/indexes/missing-index`,
    });
    expect(error.message).toContain('Index missing-index not found.');
  });

  test('a malformed 200 body → non-retryable ApiCallError naming the call', async () => {
    bed.emulator.fault({ operation: 'query', malformed: true });
    const error = await failure(retriever().doRetrieve({ query: 'fee', topK: 3 }));
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 200, isRetryable: false });
    expect(error.message).toContain(
      'Pinecone answered POST /query with status 200 but a body the client could not read',
    );
  });

  test('a refused connection → retryable ApiCallError without a status', async () => {
    const closed = await startLoopbackServer(() => undefined);
    await closed.close();
    const provider = createPinecone({
      apiKey: 'pcsk_refused_secret',
      controllerHostUrl: closed.url,
    });
    const error = await failure(
      provider
        .embeddingModel('multilingual-e5-large')
        .doEmbed({ values: ['x'], inputType: 'query' }),
    );
    expect(error).toMatchObject({
      statusCode: undefined,
      isRetryable: true,
      url: `${closed.url}/embed`,
    });
    expect(error.message).toBe(
      `Pinecone request to ${closed.url}/embed failed before a response arrived: fetch failed: connect ECONNREFUSED 127.0.0.1:${new URL(closed.url).port}`,
    );
  });

  test('the API key never appears in an error, its fields or its causes', async () => {
    const wrongKey = 'pcsk_wrong_key_that_must_stay_secret';
    const stranger = createPinecone({
      apiKey: wrongKey,
      controllerHostUrl: bed.emulator.controllerHostUrl,
    });
    const unauthorized = await failure(
      stranger.reranker('bge-reranker-v2-m3').doRerank({ query: 'fee', documents }),
    );
    expect(unauthorized).toMatchObject({ statusCode: 401, isRetryable: false });
    expect(bed.emulator.requestsOf('rerank').at(-1)?.headers['api-key']).toBe(wrongKey);

    // A service that echoes the key back in its error body.
    bed.emulator.fault({
      operation: 'embed',
      status: 500,
      body: {
        status: 500,
        error: { code: 'UNKNOWN', message: `key ${bed.emulator.apiKey} is broken` },
      },
    });
    const echoed = await failure(
      bed.provider
        .embeddingModel('multilingual-e5-large')
        .doEmbed({ values: ['x'], inputType: 'query' }),
    );
    expect(echoed.message).toContain('key [REDACTED] is broken');

    const closed = await startLoopbackServer(() => undefined);
    await closed.close();
    const refused = await failure(
      createPinecone({ apiKey: wrongKey, controllerHostUrl: closed.url })
        .reranker('bge-reranker-v2-m3')
        .doRerank({ query: 'q', documents }),
    );
    for (const [error, secret] of [
      [unauthorized, wrongKey],
      [echoed, bed.emulator.apiKey],
      [refused, wrongKey],
    ] as const) {
      const everything = `${inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })} ${JSON.stringify(error)} ${String(error.stack)}`;
      expect(everything).not.toContain(secret);
    }
  });

  test('the API key never appears when a provider or its stages are logged (inspect, JSON)', async () => {
    const secret = 'pcsk_logged_key_that_must_stay_secret';
    const provider = createPinecone({
      apiKey: secret,
      controllerHostUrl: bed.emulator.controllerHostUrl,
      indexHost: bed.emulator.index(index).host,
    });
    const embeddingModel = provider.embeddingModel('multilingual-e5-large');
    const reranker = provider.reranker('bge-reranker-v2-m3');
    const retriever = provider.retriever({ index, embeddingModel, metric: 'cosine' });
    // After calls (rejected: the emulator does not know this key), so the client and an index
    // handle, both holding the key, exist.
    await failure(reranker.doRerank({ query: 'fee', documents }));
    await failure(retriever.doRetrieve({ query: 'fee', topK: 1 }));
    for (const logged of [provider, reranker, embeddingModel, retriever]) {
      const everything = `${inspect(logged, { depth: Number.POSITIVE_INFINITY, showHidden: true })} ${JSON.stringify(logged)}`;
      expect(everything).not.toContain(secret);
    }
  });

  test('abort releases a slow query at once with AbortedError', async () => {
    bed.emulator.fault({ operation: 'query', delayMs: 60_000 });
    const controller = new AbortController();
    const call = retriever().doRetrieve({ query: 'fee', topK: 3, abortSignal: controller.signal });
    const before = bed.emulator.requestsOf('query').length;
    while (bed.emulator.requestsOf('query').length === before)
      await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('user left'));
    const error = await failure(call);
    expect(AbortedError.isInstance(error)).toBe(true);
  });

  describe('the one-time index lookup (GET /indexes/{name})', () => {
    /** A provider whose fetch records the signal of every index-description request. */
    const recordingProvider = () => {
      const signals: (AbortSignal | undefined)[] = [];
      const provider = createPinecone({
        apiKey: bed.emulator.apiKey,
        controllerHostUrl: bed.emulator.controllerHostUrl,
        fetch: (input, init) => {
          if (String(input).endsWith(`/indexes/${index}`)) signals.push(init?.signal ?? undefined);
          return fetch(input, init);
        },
      });
      const lookupRetriever = provider.retriever({
        index,
        embeddingModel: provider.embeddingModel('multilingual-e5-large'),
      });
      return { signals, lookupRetriever };
    };
    const waitForLookup = async (before: number) => {
      while (bed.emulator.requestsOf('describeIndex').length === before)
        await new Promise((resolve) => setTimeout(resolve, 5));
    };

    test('is aborted when its only caller aborts: no request keeps running', async () => {
      const { signals, lookupRetriever } = recordingProvider();
      bed.emulator.fault({
        operation: 'describeIndex',
        when: (request) => request.path === `/indexes/${index}`,
        delayMs: 60_000,
      });
      const before = bed.emulator.requestsOf('describeIndex').length;
      const controller = new AbortController();
      const call = lookupRetriever.doRetrieve({
        query: 'fee',
        topK: 1,
        abortSignal: controller.signal,
      });
      await waitForLookup(before);
      controller.abort(new Error('user left'));
      expect(AbortedError.isInstance(await failure(call))).toBe(true);
      expect(signals.map((signal) => signal?.aborted)).toEqual([true]);

      // Forgotten, not cached as failed: the next call looks the index up again and works.
      const result = await lookupRetriever.doRetrieve({ query: 'card fee', topK: 1 });
      expect(result.candidates.map((candidate) => candidate.id)).toEqual(['fee']);
      expect(bed.emulator.requestsOf('describeIndex').length - before).toBe(2);
    });

    test('keeps running while another caller still waits for it', async () => {
      const { signals, lookupRetriever } = recordingProvider();
      bed.emulator.fault({
        operation: 'describeIndex',
        when: (request) => request.path === `/indexes/${index}`,
        // Long enough that the abort below surely comes while the lookup is still pending.
        delayMs: 1_000,
      });
      const before = bed.emulator.requestsOf('describeIndex').length;
      const controller = new AbortController();
      const leaving = lookupRetriever.doRetrieve({
        query: 'fee',
        topK: 1,
        abortSignal: controller.signal,
      });
      const staying = lookupRetriever.doRetrieve({ query: 'card fee', topK: 1 });
      await waitForLookup(before);
      controller.abort(new Error('user left'));
      expect(AbortedError.isInstance(await failure(leaving))).toBe(true);
      const result = await staying;
      expect(result.candidates.map((candidate) => candidate.id)).toEqual(['fee']);
      expect(signals.map((signal) => signal?.aborted)).toEqual([false]);
      expect(bed.emulator.requestsOf('describeIndex').length - before).toBe(1);
    });
  });

  test('core retrieve() with an aborted signal never calls Pinecone', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = bed.emulator.requests.length;
    const error = await failure(
      retrieve({ retriever: retriever(), query: 'fee', abortSignal: controller.signal }),
    );
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(bed.emulator.requests.length).toBe(before);
  });
});

describe('settings', () => {
  test('no key: constructing works, the first call fails naming the option and the variable', async () => {
    vi.stubEnv('PINECONE_API_KEY', '');
    const provider = createPinecone({ controllerHostUrl: bed.emulator.controllerHostUrl });
    const stage = provider.reranker('bge-reranker-v2-m3');
    const error = await failure(stage.doRerank({ query: 'fee', documents }));
    expect(MissingSettingError.isInstance(error)).toBe(true);
    expect(error.message).toContain("'apiKey'");
    expect(error.message).toContain("'PINECONE_API_KEY'");
  });

  test('the key and the controller host come from the environment when not given', async () => {
    vi.stubEnv('PINECONE_API_KEY', bed.emulator.apiKey);
    vi.stubEnv('PINECONE_CONTROLLER_HOST', bed.emulator.controllerHostUrl);
    const result = await createPinecone()
      .reranker('bge-reranker-v2-m3')
      .doRerank({ query: 'card fee', documents });
    expect(result.ranking[0]?.index).toBe(0);
  });

  test('provider headers and call headers reach every request, NDJSON upserts included', async () => {
    const provider = createPinecone({
      apiKey: bed.emulator.apiKey,
      controllerHostUrl: bed.emulator.controllerHostUrl,
      headers: { 'x-team': 'risk' },
    });
    await provider
      .reranker('bge-reranker-v2-m3')
      .doRerank({ query: 'fee', documents, headers: { 'x-trace-id': 't-1' } });
    expect(bed.emulator.requestsOf('rerank').at(-1)?.headers).toMatchObject({
      'x-team': 'risk',
      'x-trace-id': 't-1',
    });

    const recordsIndex = await bed.createIndex({
      integrated: { model: 'multilingual-e5-large', textField: 'text' },
    });
    await provider.upsertDocuments({
      index: recordsIndex,
      documents: [{ id: 'a', text: 'hello' }],
      headers: { 'x-trace-id': 't-2' },
    });
    expect(bed.emulator.requestsOf('upsertRecords').at(-1)?.headers).toMatchObject({
      'x-team': 'risk',
      'x-trace-id': 't-2',
    });
  });

  test('indexHost skips the host lookup', async () => {
    const host = bed.emulator.index(index).host;
    const provider = createPinecone({
      apiKey: bed.emulator.apiKey,
      controllerHostUrl: bed.emulator.controllerHostUrl,
      indexHost: { [index]: host },
    });
    const before = bed.emulator.requestsOf('describeIndex').length;
    const result = await provider
      .retriever({
        index,
        embeddingModel: provider.embeddingModel('multilingual-e5-large'),
        metric: 'cosine',
      })
      .doRetrieve({ query: 'card fee', topK: 1 });
    expect(result.candidates.map((candidate) => candidate.id)).toEqual(['fee']);
    expect(bed.emulator.requestsOf('describeIndex').length).toBe(before);
  });
});
