import { ApiCallError, InvalidResponseError, RetryError, rerank } from '@twostage/core';
import { describe, expect, test } from 'vitest';
import { createTei } from '../src/index.js';
import { teiTestApiKey, useTeiEmulator } from './helpers/use-tei-emulator.js';

const server = useTeiEmulator({ apiKey: teiTestApiKey, maxClientBatchSize: 4 });
const values = ['opening hours', 'the fee'];

function stage(settings: Record<string, unknown> = {}) {
  return createTei({ baseUrl: server().url, apiKey: teiTestApiKey, ...settings }).reranker('m');
}

async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const call = (settings: Record<string, unknown> = {}, texts = values) =>
  stage(settings).doRerank({ query: 'fee', documents: { type: 'text', values: texts } });

describe('TEI error mapping', () => {
  test.each([
    [400, 'Empty', false],
    [413, 'Validation', false],
    [422, 'Validation', false],
    [422, 'Tokenizer', false],
    [424, 'Backend', false],
    [429, 'Overloaded', true],
    [503, 'Unhealthy', true],
  ] as const)('%i %s → ApiCallError, retryable %s', async (status, type, retryable) => {
    server().script({ type: 'status', status, body: { error: `says ${type}`, error_type: type } });
    const error = await failure(call({ maxDocumentsPerCall: 4, maxConcurrentTexts: 8 }));
    expect(ApiCallError.isInstance(error)).toBe(true);
    const apiError = error as ApiCallError;
    expect(apiError.statusCode).toBe(status);
    expect(apiError.isRetryable).toBe(retryable);
    expect(apiError.message).toContain(`answered ${status} ${type}: says ${type}.`);
  });

  test('the emulator itself refuses too many texts with 422 Validation, not retried', async () => {
    const error = await failure(
      call({ maxDocumentsPerCall: 8, maxConcurrentTexts: 8 }, ['a', 'b', 'c', 'd', 'e']),
    );
    expect((error as ApiCallError).statusCode).toBe(422);
    expect((error as ApiCallError).isRetryable).toBe(false);
    expect((error as Error).message).toContain('Lower maxDocumentsPerCall');
  });

  test('a bodiless 401 names the key setting and never shows the key', async () => {
    const error = await failure(call({ apiKey: 'wrong-key-0123456789abcdef' }));
    expect((error as ApiCallError).statusCode).toBe(401);
    expect((error as Error).message).toContain('TEI_API_KEY');
    expect(JSON.stringify(error)).not.toContain('wrong-key-0123456789abcdef');
    expect((error as Error).message).not.toContain('wrong-key-0123456789abcdef');
  });

  test('429 Overloaded is retried by core and then succeeds', async () => {
    server().script({
      type: 'status',
      status: 429,
      body: { error: 'Model is overloaded', error_type: 'Overloaded' },
      headers: { 'retry-after': '0' },
    });
    const result = await rerank({ model: stage(), query: 'fee', documents: values, maxRetries: 2 });
    expect(result.ranking.map((entry) => entry.index)).toEqual([1, 0]);
    expect(server().requests.filter((request) => request.path === '/rerank')).toHaveLength(2);
  });

  test('422 Validation is not retried', async () => {
    server().script({
      type: 'status',
      status: 422,
      body: { error: 'too long', error_type: 'Validation' },
    });
    const error = await failure(
      rerank({ model: stage(), query: 'fee', documents: values, maxRetries: 2 }),
    );
    expect(RetryError.isInstance(error)).toBe(false);
    expect(server().requests.filter((request) => request.path === '/rerank')).toHaveLength(1);
  });

  test('a cut-off success body is an InvalidResponseError', async () => {
    server().script({ type: 'malformed-json' });
    expect(InvalidResponseError.isInstance(await failure(call()))).toBe(true);
  });

  test('a timeout per attempt is a retryable ApiCallError', async () => {
    server().script({ type: 'delay', ms: 2_000 });
    const error = await failure(
      call({ timeoutMs: 50, maxDocumentsPerCall: 4, maxConcurrentTexts: 8 }),
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).isRetryable).toBe(true);
  });
});
