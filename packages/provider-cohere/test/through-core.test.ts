import {
  AbortedError,
  ApiCallError,
  embed,
  embedMany,
  RetryError,
  rerank,
  retryWithBackoff,
} from '@twostage/core';
import { describe, expect, test } from 'vitest';
import { createCohere } from '../src/index.js';
import { emulatorApiKey, useCohereEmulator } from './helpers/use-cohere-emulator.js';

const emulator = useCohereEmulator();

function provider() {
  return createCohere({ apiKey: emulatorApiKey, baseUrl: emulator().url, timeoutMs: 20_000 });
}

const queryWords = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const query = queryWords.join(' ');
/** Documents at window boundaries hold every query word. */
const topIndices = [999, 1000, 2499];

/**
 * 2,500 documents whose emulated score is known from their construction: document i holds
 * `i % 5` of the five query words (score (i % 5) / 5), except those in `topIndices`, which hold
 * all five (score 1).
 */
const documents = Array.from({ length: 2_500 }, (_, index) => {
  const count = topIndices.includes(index) ? 5 : index % 5;
  return [`doc${index}`, ...queryWords.slice(0, count)].join(' ');
});
const expectedScore = (index: number) => (topIndices.includes(index) ? 5 : index % 5) / 5;

describe('rerank() over Cohere: windows of 1,000 documents', () => {
  test('2,500 documents go out as 3 calls; the merged ranking holds each document once, remapped', async () => {
    const result = await rerank({ model: provider().reranker('rerank-v3.5'), query, documents });

    const sent = emulator().requests.map((request) => request.body as { documents: string[] });
    expect(sent.map((body) => body.documents.length).sort((left, right) => right - left)).toEqual([
      1000, 1000, 500,
    ]);
    // On the wire: the windows, put back in order, are exactly the input.
    const windows = [...sent].sort(
      (left, right) =>
        documents.indexOf(left.documents[0] ?? '') - documents.indexOf(right.documents[0] ?? ''),
    );
    expect(windows.flatMap((body) => body.documents)).toEqual(documents);

    const expected = documents
      .map((_, index) => ({ index, score: expectedScore(index) }))
      .sort((left, right) => right.score - left.score || left.index - right.index);
    expect(result.ranking.map(({ index, score }) => ({ index, score }))).toEqual(expected);
    for (const entry of result.ranking) expect(entry.document).toBe(documents[entry.index]);
    // 10 + 10 + 5 search units (one per 100 documents per call).
    expect(result.usage).toEqual({ searchUnits: 25 });
    expect(result.timings.calls).toBe(3);
  });

  test('topN asks each window for its own top N and merges the global top N', async () => {
    const result = await rerank({
      model: provider().reranker('rerank-v3.5'),
      query,
      documents,
      topN: 3,
    });
    expect(
      emulator().requests.map((request) => (request.body as { top_n?: number }).top_n),
    ).toEqual([3, 3, 3]);
    expect(result.ranking.map(({ index, score }) => ({ index, score }))).toEqual([
      { index: 999, score: 1 },
      { index: 1000, score: 1 },
      { index: 2499, score: 1 },
    ]);
  });
});

describe('rerank() over Cohere: retries', () => {
  test('a 429 with Retry-After: 1 is retried once the server allows it', async () => {
    emulator().script({ type: 'status', status: 429, headers: { 'Retry-After': '1' } });
    const result = await rerank({
      model: provider().reranker('rerank-v3.5'),
      query,
      documents: documents.slice(0, 10),
    });
    const [first, second] = emulator().requests;
    expect(emulator().requests.map((request) => request.status)).toEqual([429, 200]);
    expect(second?.rawBody).toBe(first?.rawBody);
    // A lower bound only: the retry may come later on a loaded machine, never sooner.
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
    expect(result.timings.calls).toBe(2);
    expect(result.ranking[0]).toMatchObject({ index: 4, score: 0.8 });
  });

  test('the wait comes from the error: Retry-After, retry-after-ms, else backoff (injected clock)', async () => {
    const stage = provider().reranker('rerank-v3.5');
    emulator().script(
      { type: 'status', status: 429, headers: { 'Retry-After': '1' } },
      { type: 'status', status: 503, headers: { 'retry-after-ms': '250' } },
      { type: 'status', status: 500 },
    );
    const delays: number[] = [];
    const result = await retryWithBackoff(
      () => stage.doRerank({ query, documents: { type: 'text', values: ['alpha'] } }),
      {
        maxRetries: 3,
        random: () => 0,
        sleep: async (ms) => {
          delays.push(ms);
        },
      },
    );
    expect(delays).toEqual([1000, 250, 2000]);
    expect(emulator().requests.map((request) => request.status)).toEqual([429, 503, 500, 200]);
    expect(result.ranking).toEqual([{ index: 0, score: 0.2 }]);
  });

  test('retries stop after maxRetries with a RetryError holding every attempt', async () => {
    const stage = provider().reranker('rerank-v3.5');
    emulator().script(
      { type: 'status', status: 503 },
      { type: 'reset' },
      { type: 'status', status: 429 },
    );
    const error = await retryWithBackoff(
      () => stage.doRerank({ query, documents: { type: 'text', values: ['alpha'] } }),
      { maxRetries: 2, sleep: async () => {} },
    ).catch((caught: unknown) => caught);
    expect(RetryError.isInstance(error)).toBe(true);
    const { errors, reason } = error as RetryError;
    expect(reason).toBe('maxRetriesExceeded');
    expect(errors.map((each) => (each as ApiCallError).statusCode)).toEqual([503, undefined, 429]);
    expect(emulator().requests).toHaveLength(3);
  });

  test('a 400 is not retried', async () => {
    emulator().script({ type: 'status', status: 400 });
    const error = await rerank({
      model: provider().reranker('rerank-v3.5'),
      query,
      documents: documents.slice(0, 10),
    }).catch((caught: unknown) => caught);
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect(emulator().requests).toHaveLength(1);
  });
});

describe('rerank() over Cohere: abort', () => {
  test('aborting while every window hangs rejects with AbortedError and closes every connection', async () => {
    // Far longer than the test's timeout: the test only passes if the abort releases the call.
    emulator().script(
      { type: 'delay', ms: 120_000 },
      { type: 'delay', ms: 120_000 },
      { type: 'delay', ms: 120_000 },
    );
    const controller = new AbortController();
    const pending = rerank({
      model: provider().reranker('rerank-v3.5'),
      query,
      documents,
      abortSignal: controller.signal,
    });
    await emulator().waitFor(() => emulator().requests.length === 3);
    controller.abort(new Error('user navigated away'));
    const error = await pending.catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
    await emulator().waitFor(() =>
      emulator().requests.every((request) => request.closedBeforeResponse),
    );
    expect(emulator().requests.map((request) => request.status)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('embedMany() over Cohere: batches of 96', () => {
  test('200 texts go out as 96 + 96 + 8, as search_document, and come back in order', async () => {
    const model = provider().embeddingModel('embed-english-v3.0');
    const values = Array.from({ length: 200 }, (_, index) => `text number ${index} about loans`);
    const result = await embedMany({ model, values });

    const sent = emulator().requests.map(
      (request) =>
        request.body as { texts: string[]; input_type: string; embedding_types: string[] },
    );
    expect(sent.map((body) => body.texts.length).sort((left, right) => right - left)).toEqual([
      96, 96, 8,
    ]);
    expect(sent.every((body) => body.input_type === 'search_document')).toBe(true);
    expect(sent.every((body) => body.embedding_types.join() === 'float')).toBe(true);
    expect(result.embeddings).toHaveLength(200);

    emulator().reset();
    const single = await embed({ model, value: values[150] ?? '', inputType: 'document' });
    expect(result.embeddings[150]).toEqual(single.embedding);
    expect((emulator().requests[0]?.body as { input_type: string } | undefined)?.input_type).toBe(
      'search_document',
    );
  });
});
