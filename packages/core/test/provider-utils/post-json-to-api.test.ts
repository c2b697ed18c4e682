import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ApiCallError } from '../../src/errors/index.js';
import { postJsonToApi } from '../../src/provider-utils/index.js';
import { failure, type LoopbackApi, startLoopbackApi } from './loopback-api.js';

let api: LoopbackApi;
beforeAll(async () => {
  api = await startLoopbackApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
});

const post = (body: unknown, headers?: Record<string, string>) =>
  postJsonToApi({
    provider: 'Acme',
    url: `${api.url}/v1/embed`,
    body,
    ...(headers === undefined ? {} : { headers }),
  });

describe('postJsonToApi', () => {
  test('posts JSON and parses the JSON answer', async () => {
    api.answer({ type: 'json', body: { embeddings: [[0.5, 1]] } });
    const { value, response } = await post({ texts: ['a'], input_type: 'search_query' });
    expect(value).toEqual({ embeddings: [[0.5, 1]] });
    expect(response.status).toBe(200);
    const [request] = api.requests;
    expect(request?.method).toBe('POST');
    expect(request?.body).toBe('{"texts":["a"],"input_type":"search_query"}');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.accept).toBe('application/json');
  });

  test("the caller's headers go along and may replace the JSON ones", async () => {
    api.answer({ type: 'json', body: {} });
    await post({}, { 'Content-Type': 'application/json; charset=utf-8', 'x-trace': 't-1' });
    expect(api.requests[0]?.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-trace': 't-1',
    });
  });

  test('malformed JSON with status 200 is a non-retryable ApiCallError holding the text', async () => {
    api.answer({ type: 'text', status: 200, text: '{"results":[{"index":0,"relev' });
    const error = await failure(post({}));
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message: `Acme answered ${api.url}/v1/embed with status 200 but an invalid body: it is not valid JSON.`,
      statusCode: 200,
      isRetryable: false,
      responseBody: '{"results":[{"index":0,"relev',
    });
  });

  test('an error status fails as callApi fails', async () => {
    api.answer({
      type: 'json',
      status: 429,
      body: { message: 'slow' },
      headers: { 'retry-after': '1' },
    });
    const error = await failure(post({}));
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true, retryAfterMs: 1000 });
  });
});

describe('checkResponse', () => {
  const check = (value: unknown) =>
    Array.isArray((value as { results?: unknown } | null)?.results)
      ? undefined
      : "the body has no 'results' array.";

  test('a body it accepts is returned', async () => {
    api.answer({ type: 'json', body: { results: [] } });
    const { value } = await postJsonToApi({
      provider: 'Acme',
      url: `${api.url}/v1/rerank`,
      body: {},
      checkResponse: check,
    });
    expect(value).toEqual({ results: [] });
  });

  test('a body it refuses is a non-retryable ApiCallError holding the parsed body, redacted', async () => {
    api.answer({ type: 'json', body: { data: 'sk-abcdef-123456' } });
    const error = await failure(
      postJsonToApi({
        provider: 'Acme',
        url: `${api.url}/v1/rerank`,
        body: {},
        secrets: ['sk-abcdef-123456'],
        checkResponse: check,
      }),
    );
    expect(error).toMatchObject({
      name: 'ApiCallError',
      message: `Acme answered ${api.url}/v1/rerank with status 200 but an invalid body: the body has no 'results' array.`,
      statusCode: 200,
      isRetryable: false,
      responseBody: { data: '[REDACTED]' },
    });
  });
});
